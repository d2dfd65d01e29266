using System;
using System.Collections.Generic;
using KedaAks.Engine.Keda;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class KedaRulesTests
    {
        [Theory]
        [InlineData(true, 100, 10, 1, 10)]      // AverageValue: ceil(usage / target), current replicas only decide tolerance
        [InlineData(true, 105, 10, 10, 10)]     // within 10 %: keep current
        [InlineData(true, 111, 10, 10, 12)]     // just outside tolerance
        [InlineData(false, 50, 10, 2, 10)]      // Value: ceil(ratio * current)
        [InlineData(false, 10.5, 10, 3, 3)]     // Value within tolerance
        [InlineData(false, 5, 10, 4, 2)]        // Value scales down
        public void The_hpa_proposes_replicas_as_the_replica_calculator_does(bool averageValue, double usage, double target, int current, int desired) =>
            Assert.Equal(desired, HpaMath.Desired(averageValue, usage, target, current));

        [Theory]
        [InlineData(0, 0, 100, 1)]
        [InlineData(150, 0, 100, 100)]
        [InlineData(3, 5, 100, 5)]
        [InlineData(7, 2, 10, 7)]
        public void Proposals_are_clamped_to_min_and_max_and_never_below_one(int desired, int min, int max, int clamped) =>
            Assert.Equal(clamped, HpaMath.Clamp(desired, min, max));

        [Theory]
        [InlineData(0.0, 0.0, false)]
        [InlineData(0.1, 0.0, true)]
        [InlineData(5.0, 5.0, false)]
        public void Keda_is_active_only_above_the_activation_threshold(double value, double activation, bool active) =>
            Assert.Equal(active, HpaMath.IsActive(value, activation));

        [Theory]
        [InlineData(1.23456, 1.235)]
        [InlineData(-4, 0)]
        public void Usage_is_a_non_negative_milli_quantity(double value, double usage) => Assert.Equal(usage, HpaMath.Usage(value));

        [Theory]
        [InlineData(null, 0, 1)]
        [InlineData(null, 3, 3)]
        [InlineData(0, 0, 1)]
        [InlineData(4, 1, 4)]
        public void The_current_replica_count_is_at_least_one(int? current, int min, int expected) => Assert.Equal(expected, HpaMath.Current(current, min));

        [Theory]
        [InlineData("2.9.3", false)]
        [InlineData("2.10.0", true)]
        [InlineData("v2.20.2-rc1", true)]
        public void The_minimum_keda_version_is_2_10(string text, bool supported) => Assert.Equal(supported, KedaVersions.IsSupported(KedaVersions.Parse(text)!));

        [Theory]
        [InlineData(null, true)]
        [InlineData("2.14.1", false)]
        [InlineData("2.15.0", true)]
        public void Azure_pod_identity_is_gone_from_2_15(string? text, bool gone) => Assert.Equal(gone, KedaVersions.LacksAzurePodIdentity(KedaVersions.Parse(text)));

        [Theory]
        [InlineData("2.17.0", "v1.31.4", null, null)]
        [InlineData("2.17.0", "v1.33.2", 30, 32)]
        [InlineData("3.0.0", "v1.20.0", null, null)]
        public void Untested_kubernetes_versions_are_named_with_the_tested_range(string keda, string kubernetes, int? from, int? to) =>
            Assert.Equal(from is null ? null : (from.Value, to!.Value), KedaVersions.UntestedOn(KedaVersions.Parse(keda)!, KedaVersions.Parse(kubernetes)));

        [Theory]
        [InlineData("{\"level\":\"ERROR\",\"msg\":\"x\"}", "error")]
        [InlineData("2026-01-01T00:00:00Z\tINFO\tscaleexecutor\tmsg", "info")]
        [InlineData("not a log line", null)]
        [InlineData("{broken json", null)]
        public void Log_levels_are_read_from_json_and_console_lines(string line, string? level) => Assert.Equal(level, KedaLogLine.Level(line));

        [Fact]
        public void The_trigger_parser_reads_values_as_keda_uses_them()
        {
            var trigger = new PrometheusTrigger(new Dictionary<string, string>
            {
                ["serverAddress"] = "https://ws.eastus.prometheus.monitor.azure.com", ["query"] = " ", ["timeout"] = "1500", ["ignoreNullValues"] = "false",
                ["customHeaders"] = "a=1,broken,b=2",
            });
            Assert.Null(trigger.Query);
            Assert.Equal(TimeSpan.FromMilliseconds(1500), trigger.Timeout);
            Assert.False(trigger.IgnoreNullValues);
            Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, trigger.CustomHeaders);
            Assert.Equal("broken", PrometheusTrigger.FirstMalformedPair("a=1,broken,b=2"));
            Assert.True(PrometheusTrigger.IsAzureManagedPrometheus(trigger.ServerAddress));
            Assert.Equal("https://prometheus.monitor.azure.com/.default", PrometheusTrigger.AzureScope(trigger.ServerAddress!, null, null));
            Assert.Equal("https://prometheus.monitor.azure.us/.default", PrometheusTrigger.AzureScope("https://ws.usgovvirginia.prometheus.monitor.azure.us", null, null));
            Assert.Null(PrometheusTrigger.AzureScope("http://prometheus.monitoring:9090", null, null));
        }

        [Theory]
        [InlineData("-5s", 3000)]
        [InlineData("0", 3000)]
        [InlineData("250ms", 250)]
        [InlineData("nonsense", 3000)]
        public void Timeouts_fall_back_to_three_seconds(string text, int milliseconds) =>
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), new PrometheusTrigger(new Dictionary<string, string> { ["timeout"] = text }).Timeout);
    }
}
