using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Engine.Diagnostics;
using KedaAks.Engine.Scaling;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>The replay service against a stand-in Prometheus HTTP API: query_range pieces, the grid, runs per threshold, summaries, report and chart.</summary>
    public class ScalingReplayTests
    {
        private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>Answers query_range from a function of time (null: no point), and the cluster probe with the given clusters.</summary>
        private sealed class FakePrometheus : HttpMessageHandler
        {
            private readonly Func<DateTimeOffset, double?> _value;

            public FakePrometheus(Func<DateTimeOffset, double?> value, params string[] clusters)
            {
                _value = value;
                Clusters = clusters;
            }

            public string[] Clusters { get; }

            public List<Uri> Requests { get; } = new();

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Requests.Add(request.RequestUri!);
                var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
                JsonObject data;
                if (request.RequestUri.AbsolutePath.EndsWith("/query_range", StringComparison.Ordinal))
                {
                    double start = double.Parse(query["start"]!, CultureInfo.InvariantCulture), end = double.Parse(query["end"]!, CultureInfo.InvariantCulture);
                    double step = double.Parse(query["step"]!, CultureInfo.InvariantCulture);
                    var values = new JsonArray();
                    for (double t = start; t <= end; t += step)
                    {
                        if (_value(DateTimeOffset.FromUnixTimeMilliseconds((long)(t * 1000))) is { } v)
                        {
                            values.Add(new JsonArray(t, v.ToString(CultureInfo.InvariantCulture)));
                        }
                    }

                    data = new JsonObject { ["resultType"] = "matrix", ["result"] = new JsonArray(new JsonObject { ["metric"] = new JsonObject(), ["values"] = values }) };
                }
                else
                {
                    var result = new JsonArray(Clusters.Select(c => (JsonNode)new JsonObject
                    {
                        ["metric"] = new JsonObject { ["cluster"] = c }, ["value"] = new JsonArray(1735689600, "3"),
                    }).ToArray());
                    data = new JsonObject { ["resultType"] = "vector", ["result"] = result };
                }

                var body = new JsonObject { ["status"] = "success", ["data"] = data };
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString()) });
            }
        }

        private static (ScalingReplay Replay, FakePrometheus Prometheus) Replay(Func<DateTimeOffset, double?> value, params string[] clusters)
        {
            var prometheus = new FakePrometheus(value, clusters);
            var options = new EngineOptions { QueryHttp = new HttpClient(prometheus) };
            return (new ScalingReplay(new PrometheusQueries(options, null)), prometheus);
        }

        private static ScalingReplayRequest Request(string query = "sum(queue_messages{cluster=\"a\"})", params string[] thresholds) => new()
        {
            Query = new PrometheusQueryRequest { ServerAddress = "http://prometheus.test", Query = query, MaxReplicaCount = 20 },
            Thresholds = thresholds.Length == 0 ? new List<string> { "10" } : thresholds.ToList(),
            Start = T0,
            End = T0.AddHours(1),
        };

        /// <summary>0 for 10 minutes, 300 for 30, then 0; nothing between minute 45 and 50.</summary>
        private static double? Shape(DateTimeOffset t)
        {
            double minute = (t - T0).TotalMinutes;
            return minute is >= 45 and < 50 ? null : minute is >= 10 and < 40 ? 300 : 0;
        }

        [Fact]
        public async Task Thresholds_run_side_by_side_over_one_history()
        {
            (ScalingReplay replay, FakePrometheus prometheus) = Replay(Shape);
            ScalingReplayResult result = await replay.ReplayAsync(Request(thresholds: new[] { "10", "30" }), new RecordingHost().Call());
            Assert.Single(prometheus.Requests, u => u.AbsolutePath == "/api/v1/query_range");
            Assert.Equal(2 * 241, result.Samples.Count);
            ScalingReplaySummary ten = result.Summaries.Single(s => s.Threshold == "10"), thirty = result.Summaries.Single(s => s.Threshold == "30");
            Assert.Equal(20, ten.PeakReplicas);   // 300/10 = 30, capped at 20
            Assert.Equal(10, thirty.PeakReplicas); // 300/30 = 10
            Assert.Equal("15", ten.SuggestedThreshold); // 300 within 20 replicas
            Assert.Equal(300, ten.PeakValue);
            Assert.Equal(20, ten.EmptySamples); // minutes 45..50 at 15 s
            Assert.True(ten.TimeAtMax > TimeSpan.FromMinutes(25));
            Assert.Equal(TimeSpan.Zero, thirty.TimeAtMax);
            Assert.Contains(ten.Warnings, w => w.Contains("capped", StringComparison.Ordinal));
            Assert.DoesNotContain(thirty.Warnings, w => w.Contains("capped", StringComparison.Ordinal));
            Assert.Contains("Replicas, threshold 30", result.Chart, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_long_range_is_read_in_pieces_the_server_accepts()
        {
            (ScalingReplay replay, FakePrometheus prometheus) = Replay(_ => 5);
            ScalingReplayRequest request = Request();
            request.End = T0.AddDays(2); // 11,521 steps of 15 s
            ScalingReplayResult result = await replay.ReplayAsync(request, new RecordingHost().Call());
            List<Uri> pieces = prometheus.Requests.Where(u => u.AbsolutePath == "/api/v1/query_range").ToList();
            Assert.Equal(2, pieces.Count);
            Assert.Equal(11521, result.Samples.Count);
            Assert.All(result.Samples, s => Assert.Equal(5, s.Value));
        }

        [Fact]
        public async Task The_report_is_one_page_with_every_sample_plotted_and_text_escaped()
        {
            (ScalingReplay replay, _) = Replay(Shape);
            ScalingReplayRequest request = Request("sum(queue_messages{cluster=\"a\",queue=~\"<b>.*\"})", "10", "25");
            string path = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.html");
            request.OutFile = path;
            try
            {
                ScalingReplayResult result = await replay.ReplayAsync(request, new RecordingHost().Call());
                Assert.Equal(path, result.ReportPath);
                string html = File.ReadAllText(path);
                Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
                Assert.Contains("&lt;b&gt;", html, StringComparison.Ordinal);
                Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty).Replace("http://prometheus.test", string.Empty));
                var metric = System.Text.RegularExpressions.Regex.Matches(html, "data-series=\"metric\"[^>]*points=\"([^\"]*)\"");
                Assert.Equal(2, metric.Count); // the empty stretch breaks the line
                Assert.Equal(241 - 20, metric.Sum(m => m.Groups[1].Value.Split(' ').Length));
                var replicas = System.Text.RegularExpressions.Regex.Matches(html, "data-series=\"replicas\" data-threshold=\"([^\"]*)\" data-points=\"(\\d+)\"[^>]*points=\"([^\"]*)\"");
                Assert.Equal(new[] { "10", "25" }, replicas.Select(m => m.Groups[1].Value));
                Assert.All(replicas, m => Assert.Equal(241, m.Groups[3].Value.Split(' ').Length));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task A_query_without_a_cluster_filter_on_a_shared_workspace_is_flagged()
        {
            (ScalingReplay replay, FakePrometheus prometheus) = Replay(_ => 5, "aks-prod", "aks-dev");
            var host = new RecordingHost();
            ScalingReplayResult result = await replay.ReplayAsync(Request("sum(rate(queue_messages_total[2m]))"), host.Call());
            Assert.Contains(result.Summaries[0].Warnings, w => w.Contains("2 clusters (aks-prod, aks-dev)", StringComparison.Ordinal));
            Assert.Contains(host.Warnings, w => w.Contains("cluster=\"<this cluster>\"", StringComparison.Ordinal));
            Uri probe = prometheus.Requests.Single(u => u.AbsolutePath == "/api/v1/query");
            Assert.Contains("count by (cluster) ({__name__=\"queue_messages_total\"})", Uri.UnescapeDataString(probe.Query.Replace('+', ' ')), StringComparison.Ordinal);

            (ScalingReplay filtered, FakePrometheus quiet) = Replay(_ => 5, "aks-prod", "aks-dev");
            ScalingReplayResult clean = await filtered.ReplayAsync(Request("sum(queue_messages{cluster=\"aks-prod\"})"), new RecordingHost().Call());
            Assert.DoesNotContain(clean.Summaries[0].Warnings, w => w.Contains("clusters", StringComparison.Ordinal));
            Assert.DoesNotContain(quiet.Requests, u => u.AbsolutePath == "/api/v1/query");
        }

        [Fact]
        public async Task Empty_results_are_flagged_with_ignoreNullValues_and_fallback_advice()
        {
            (ScalingReplay replay, _) = Replay(Shape);
            ScalingReplayResult result = await replay.ReplayAsync(Request(), new RecordingHost().Call());
            string warning = result.Summaries[0].Warnings.First(w => w.Contains("returned no value", StringComparison.Ordinal));
            Assert.Contains("ignoreNullValues: \"false\"", warning, StringComparison.Ordinal);
            Assert.Contains("fallback", warning, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Bad_ranges_and_thresholds_are_refused_before_any_request()
        {
            (ScalingReplay replay, FakePrometheus prometheus) = Replay(_ => 1);
            ScalingReplayRequest backwards = Request();
            backwards.End = T0.AddHours(-1);
            Assert.Equal("InvalidReplayRange", (await Assert.ThrowsAsync<KedaAksException>(() => replay.ReplayAsync(backwards, new RecordingHost().Call()))).ErrorId);
            Assert.Equal("InvalidThreshold", (await Assert.ThrowsAsync<KedaAksException>(() => replay.ReplayAsync(Request(thresholds: new[] { "10", "x" }),
                new RecordingHost().Call()))).ErrorId);
            ScalingReplayRequest azure = Request();
            azure.Query.ServerAddress = "https://ws-1.eastus.prometheus.monitor.azure.com";
            (azure.Start, azure.End, azure.Step) = (T0, T0.AddDays(40), TimeSpan.FromMinutes(5));
            KedaAksException tooLong = await Assert.ThrowsAsync<KedaAksException>(() => replay.ReplayAsync(azure, new RecordingHost().Call()));
            Assert.Contains("32 days", tooLong.Message, StringComparison.Ordinal);
            Assert.Empty(prometheus.Requests);
        }

        [Fact]
        public void A_suggested_threshold_puts_the_peak_at_the_target_count()
        {
            var settings = ReplaySettings.From(Request(), "10");
            Assert.Equal("15", ReplaySummaries.Suggest(settings, 300, 20));
            Assert.Equal("33.334", ReplaySummaries.Suggest(settings, 100, 3)); // ceil(100 / 33.334) = 3, 33.333 would need 4
            Assert.Null(ReplaySummaries.Suggest(settings with { AverageValue = false }, 300, 20));
        }

        [Fact]
        public void The_scanner_finds_metrics_and_cluster_filters()
        {
            Assert.Equal(new[] { "http_requests_total" }, PromQlSelectors.Scan("sum by (deployment) (rate(http_requests_total{deployment=\"web\"}[2m]))").Metrics);
            Assert.Equal(new[] { "a", "b:ratio" }, PromQlSelectors.Scan("sum(a) / on(x) group_left max(b:ratio offset 5m) > bool 3").Metrics);
            Assert.Equal(new[] { "x" }, PromQlSelectors.Scan("{__name__=\"x\", job=~\"a|b\"}").Metrics);
            Assert.Empty(PromQlSelectors.Scan("vector(1) + scalar(time())").Metrics);
            Assert.True(PromQlSelectors.Scan("sum(q{cluster=\"aks\"})").FiltersCluster);
            Assert.False(PromQlSelectors.Scan("sum(q{cluster_name=\"aks\"}) by (cluster)").FiltersCluster);
            Assert.False(PromQlSelectors.Scan("label_replace(q, \"cluster\", \"$1\", \"c\", \"(.*)\")").FiltersCluster);
        }
    }
}
