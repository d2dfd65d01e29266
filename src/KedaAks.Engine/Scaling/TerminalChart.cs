namespace KedaAks.Engine.Scaling
{
    /// <summary>
    /// The replay as text for a terminal: the metric (with the threshold marked on its axis), then the replicas of each run, as
    /// columns of eighth blocks; a column covers several samples and shows their highest value; a column with no value shows '·'.
    /// </summary>
    internal static class TerminalChart
    {
        private const string Blocks = " ▁▂▃▄▅▆▇█";

        public static string Render(MetricHistory history, IReadOnlyList<SimulationRun> runs, string query, int width)
        {
            width = Math.Clamp(width, 20, 400);
            IReadOnlyList<MetricPoint> points = history.Points;
            if (points.Count == 0 || runs.Count == 0)
            {
                return string.Empty;
            }

            int columns = Math.Min(width, points.Count);
            var text = new StringBuilder();
            double?[] metric = Columns(points.Select(p => p.Plotted).ToList(), columns);
            double metricMax = Math.Max(metric.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max(), runs.Max(r => r.Settings.Threshold));
            string thresholds = string.Join(", ", runs.Select(r => r.Settings.ThresholdText));
            text.Append("Metric: ").Append(query).Append("  (threshold ").Append(thresholds).Append(')').Append('\n');
            Plot(text, metric, metricMax, 6, runs.Count == 1 ? runs[0].Settings.Threshold : null);
            foreach (SimulationRun run in runs)
            {
                double?[] replicas = Columns(run.Samples.Select(x => (double?)x.Replicas).ToList(), columns);
                text.Append("Replicas, threshold ").Append(run.Settings.ThresholdText).Append(" (max ")
                    .Append(run.Settings.MaxReplicaCount.ToString(CultureInfo.InvariantCulture)).Append(')').Append('\n');
                Plot(text, replicas, Math.Max(run.Settings.MaxReplicaCount, 1), 4, null);
            }

            string first = points[0].Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            string last = points[^1].Time.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);
            text.Append(new string(' ', 9)).Append('└').Append(new string('─', columns)).Append('\n');
            text.Append(new string(' ', 10)).Append(first).Append(new string(' ', Math.Max(1, columns - first.Length - last.Length))).Append(last);
            return text.ToString();
        }

        /// <summary>Buckets values into <paramref name="count"/> columns, each the highest value of its samples (null when none had one).</summary>
        internal static double?[] Columns(IReadOnlyList<double?> values, int count)
        {
            var columns = new double?[count];
            for (int i = 0; i < values.Count; i++)
            {
                int column = (int)((long)i * count / values.Count);
                if (values[i] is { } v)
                {
                    columns[column] = columns[column] is { } known ? Math.Max(known, v) : v;
                }
            }

            return columns;
        }

        private static void Plot(StringBuilder text, double?[] columns, double max, int height, double? marker)
        {
            max = max <= 0 ? 1 : max;
            int markerRow = marker is { } m ? Math.Clamp((int)Math.Round(m / max * height), 1, height) : -1;
            for (int row = height; row >= 1; row--)
            {
                string label = row == height ? Label(max) : row == markerRow ? Label(marker!.Value) : row == 1 ? "0" : string.Empty;
                text.Append(label.PadLeft(8)).Append(row == markerRow ? " ┼" : " │");
                foreach (double? value in columns)
                {
                    if (value is null)
                    {
                        text.Append(row == 1 ? '·' : ' ');
                        continue;
                    }

                    double eighths = value.Value / max * height * 8;
                    double filled = eighths - (row - 1) * 8;
                    char block = filled >= 8 ? Blocks[8] : filled <= 0 ? (row == 1 ? Blocks[1] : ' ') : Blocks[Math.Max(1, (int)Math.Round(filled))];
                    text.Append(block);
                }

                text.Append('\n');
            }
        }

        private static string Label(double value) => value >= 1000 ? value.ToString("0.#e0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
