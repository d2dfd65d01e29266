using System.Net;

namespace KedaAks.Engine.Scaling
{
    /// <summary>
    /// The replay as one self-contained HTML page (no script, no external file): an inline SVG with the metric (one polyline per run
    /// of values, broken where results were empty), the threshold and activation threshold as lines, the replicas of each run on
    /// the right axis (one point per sample), then the summaries and warnings. Every text from the query or server is HTML-escaped.
    /// </summary>
    internal static class HtmlReport
    {
        private const int Width = 1100, Height = 440, Left = 70, Right = 60, Top = 20, Bottom = 50;
        private static readonly string[] Colors = { "#d9480f", "#2f9e44", "#7048e8", "#1098ad", "#e64980" };

        public static string Render(MetricHistory history, IReadOnlyList<SimulationRun> runs, IReadOnlyList<ScalingReplaySummary> summaries, PrometheusQueryRequest query)
        {
            IReadOnlyList<MetricPoint> points = history.Points;
            DateTimeOffset start = points.Count > 0 ? points[0].Time : DateTimeOffset.UnixEpoch;
            double span = Math.Max(1, points.Count > 1 ? (points[^1].Time - start).TotalSeconds : 1);
            double metricMax = Math.Max(points.Select(p => p.Plotted ?? 0).DefaultIfEmpty(0).Max(),
                runs.Select(r => Math.Max(r.Settings.Threshold, r.Settings.Activation)).DefaultIfEmpty(0).Max()) * 1.1;
            metricMax = metricMax <= 0 ? 1 : metricMax;
            int replicaMax = Math.Max(1, runs.Select(r => Math.Max(r.Settings.MaxReplicaCount, r.Samples.Select(x => x.Replicas).DefaultIfEmpty(0).Max())).DefaultIfEmpty(1).Max());
            double X(DateTimeOffset t) => Left + (t - start).TotalSeconds / span * (Width - Left - Right);
            double YMetric(double v) => Top + (1 - v / metricMax) * (Height - Top - Bottom);
            double YReplicas(double v) => Top + (1 - v / replicaMax) * (Height - Top - Bottom);

            var svg = new StringBuilder();
            svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">"));
            svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fafafa\" stroke=\"#ccc\"/>"));
            Axes(svg, start, span, metricMax, replicaMax, X, YMetric, YReplicas);

            // The metric: one polyline per stretch of values; empty results break the line (and are counted on the page).
            var segment = new List<string>();
            int plotted = 0;
            void Flush()
            {
                if (segment.Count > 0)
                {
                    svg.Append("<polyline class=\"metric\" data-series=\"metric\" fill=\"none\" stroke=\"#1c7ed6\" stroke-width=\"1.5\" points=\"")
                        .Append(string.Join(' ', segment)).Append("\"/>");
                    segment.Clear();
                }
            }

            foreach (MetricPoint point in points)
            {
                if (point.Plotted is { } value)
                {
                    segment.Add(Invariant($"{X(point.Time):0.##},{YMetric(value):0.##}"));
                    plotted++;
                }
                else
                {
                    Flush();
                }
            }

            Flush();
            for (int i = 0; i < runs.Count; i++)
            {
                ReplaySettings s = runs[i].Settings;
                string color = Colors[i % Colors.Length];
                double y = YMetric(s.Threshold);
                svg.Append(Invariant($"<line class=\"threshold\" data-threshold=\"{Escape(s.ThresholdText)}\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.##}\" y2=\"{y:0.##}\" "))
                    .Append(Invariant($"stroke=\"{color}\" stroke-dasharray=\"6 4\"/>"));
                string line = string.Join(' ', runs[i].Samples.Select(x => Invariant($"{X(x.Time):0.##},{YReplicas(x.Replicas):0.##}")));
                svg.Append(Invariant($"<polyline class=\"replicas\" data-series=\"replicas\" data-threshold=\"{Escape(s.ThresholdText)}\" data-points=\"{runs[i].Samples.Count}\" "))
                    .Append(Invariant($"fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{line}\"/>"));
            }

            if (runs.Count > 0 && runs[0].Settings.Activation > 0)
            {
                double y = YMetric(runs[0].Settings.Activation);
                svg.Append(Invariant($"<line class=\"activation\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.##}\" y2=\"{y:0.##}\" stroke=\"#868e96\" stroke-dasharray=\"2 3\"/>"));
            }

            svg.Append("</svg>");
            return Page(svg.ToString(), plotted, points.Count, runs, summaries, query);
        }

        private static void Axes(StringBuilder svg, DateTimeOffset start, double span, double metricMax, int replicaMax,
            Func<DateTimeOffset, double> x, Func<double, double> yMetric, Func<double, double> yReplicas)
        {
            for (int i = 0; i <= 4; i++)
            {
                double metric = metricMax * i / 4, replicas = replicaMax * i / 4.0;
                svg.Append(Invariant($"<text class=\"axis\" x=\"{Left - 6}\" y=\"{yMetric(metric) + 4:0.##}\" text-anchor=\"end\">{metric:0.##}</text>"));
                svg.Append(Invariant($"<text class=\"axis\" x=\"{Width - Right + 6}\" y=\"{yReplicas(replicas) + 4:0.##}\">{replicas:0.#}</text>"));
                DateTimeOffset t = start.AddSeconds(span * i / 4);
                svg.Append(Invariant($"<text class=\"axis\" x=\"{x(t):0.##}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{t.UtcDateTime:yyyy-MM-dd HH:mm}</text>"));
            }

            svg.Append(Invariant($"<text class=\"axis\" x=\"{Left}\" y=\"{Height - 8}\">metric (left), replicas (right), UTC</text>"));
        }

        private static string Page(string svg, int plotted, int total, IReadOnlyList<SimulationRun> runs, IReadOnlyList<ScalingReplaySummary> summaries, PrometheusQueryRequest query)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>KEDA scaling replay</title><style>")
                .Append("body{font-family:system-ui,sans-serif;margin:24px;color:#212529}code{background:#f1f3f5;padding:1px 4px}")
                .Append("table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #dee2e6;padding:4px 8px;text-align:left}.axis{font-size:11px;fill:#495057}")
                .Append(".warning{color:#c92a2a}</style></head><body>\n");
            html.Append("<h1>KEDA scaling replay</h1>\n<p>Query <code>").Append(Escape(query.Query)).Append("</code> on <code>").Append(Escape(query.ServerAddress))
                .Append("</code>").Append(query.ScaledObjectName is { } so ? $" (ScaledObject <code>{Escape(so)}</code>)" : string.Empty).Append("</p>\n");
            html.Append(Invariant($"<p id=\"samples\" data-samples=\"{total}\" data-plotted=\"{plotted}\">{total} samples, {total - plotted} without a value.</p>\n"));
            html.Append(svg).Append('\n').Append("<p class=\"legend\"><span style=\"color:#1c7ed6\">&#9473; metric</span>");
            for (int i = 0; i < runs.Count; i++)
            {
                html.Append(Invariant($" &nbsp; <span style=\"color:{Colors[i % Colors.Length]}\">&#9473; replicas, &#9476; threshold {Escape(runs[i].Settings.ThresholdText)}</span>"));
            }

            html.Append(runs.Count > 0 && runs[0].Settings.Activation > 0 ? " &nbsp; <span style=\"color:#868e96\">&#9476; activation threshold</span>" : string.Empty).Append("</p>\n");
            html.Append("<table id=\"summary\"><tr><th>Threshold</th><th>Peak value</th><th>Peak replicas</th><th>At max</th><th>At zero</th><th>Scale events</th>")
                .Append("<th>Average replicas</th><th>Suggested threshold</th></tr>\n");
            foreach (ScalingReplaySummary s in summaries)
            {
                html.Append(Invariant($"<tr><td>{Escape(s.Threshold)}</td><td>{s.PeakValue:0.###}</td><td>{s.PeakReplicas}</td><td>{s.TimeAtMax}</td><td>{s.TimeAtZero}</td>"))
                    .Append(Invariant($"<td>{s.ScaleEvents}</td><td>{s.AverageReplicas:0.##}</td><td>{Escape(s.SuggestedThreshold ?? "-")}</td></tr>\n"));
            }

            html.Append("</table>\n");
            foreach (string warning in summaries.SelectMany(s => s.Warnings).Distinct())
            {
                html.Append("<p class=\"warning\">").Append(Escape(warning)).Append("</p>\n");
            }

            html.Append("<p>").Append(Escape(runs.Count > 0 ? "Rules: " + runs[0].Settings.Describe() + "." : string.Empty)).Append("</p>\n</body></html>\n");
            return html.ToString();
        }

        private static string Escape(string text) => WebUtility.HtmlEncode(text);

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
