using System;
using System.Collections.Generic;
using System.Linq;
using KedaAks.Engine.Resources;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class PrometheusScalerBuilderTests
    {
        private const string AzureEndpoint = "https://test-azure-monitor-workspace-name-1234.eastus.prometheus.monitor.azure.com";

        private static PrometheusScalerRequest Valid(Action<PrometheusScalerRequest>? change = null)
        {
            var request = new PrometheusScalerRequest
            {
                Name = "azure-managed-prometheus-scaler",
                Namespace = "default",
                TargetName = "deployment-name-to-be-scaled",
                ServerAddress = AzureEndpoint,
                Query = "sum(rate(http_requests_total{deployment=\"my-deployment\"}[2m]))",
                Threshold = "100.50",
                ActivationThreshold = "5.5",
                MinReplicaCount = 1,
                MaxReplicaCount = 20,
                TriggerAuthentication = new TriggerAuthenticationReference(
                    new TriggerAuthentication("azure-managed-prometheus-trigger-auth", "default", false, PodIdentityProvider.AzureWorkload, null, null, null)),
            };
            change?.Invoke(request);
            return request;
        }

        private static KedaAksException Refused(PrometheusScalerRequest request) =>
            Assert.Throws<KedaAksException>(() => new ResourceBuilder().NewPrometheusScaler(request, new RecordingHost()));

        [Fact]
        public void Builds_the_articles_scaled_object()
        {
            var host = new RecordingHost();
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(Valid(), host);

            Assert.Equal("ScaledObject", so.Kind);
            Assert.Equal("keda.sh/v1alpha1", so.ApiVersion);
            Assert.Equal(("Deployment", "apps/v1"), (so.TargetKind, so.TargetApiVersion));
            Assert.Equal((1, 20, 30, 300), (so.MinReplicaCount, so.MaxReplicaCount, so.PollingInterval, so.CooldownPeriod));
            ScaledObjectTrigger trigger = Assert.Single(so.Triggers);
            Assert.Equal("prometheus", trigger.Type);
            Assert.Equal(new[] { "serverAddress", "query", "threshold", "activationThreshold" }, trigger.Metadata.Keys);
            Assert.Equal("100.50", trigger.Metadata["threshold"]);
            Assert.Equal("azure-managed-prometheus-trigger-auth", trigger.AuthenticationRef!.Name);
            Assert.Empty(host.Warnings);
        }

        [Fact]
        public void Omitted_counts_take_kedas_defaults()
        {
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(Valid(r => { r.MinReplicaCount = null; r.MaxReplicaCount = null; }), new RecordingHost());
            Assert.Equal((0, 100, 30, 300), (so.MinReplicaCount, so.MaxReplicaCount, so.PollingInterval, so.CooldownPeriod));
        }

        [Fact]
        public void Named_values_win_over_raw_metadata_and_the_merge_is_validated()
        {
            var request = Valid(r =>
            {
                r.Threshold = "7";
                r.Metadata = new Dictionary<string, string?> { ["threshold"] = "not-a-number", ["ignoreNullValues"] = "false", ["timeout"] = "10s" };
            });
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(request, new RecordingHost());
            IReadOnlyDictionary<string, string> metadata = so.Triggers[0].Metadata;
            Assert.Equal("7", metadata["threshold"]);
            Assert.Equal("false", metadata["ignoreNullValues"]);
            Assert.Equal("10s", metadata["timeout"]);
        }

        [Fact]
        public void Metadata_alone_is_enough()
        {
            var request = new PrometheusScalerRequest
            {
                Name = "s",
                TargetName = "web",
                Metadata = new Dictionary<string, string?> { ["serverAddress"] = "http://prometheus:9090", ["query"] = "sum(up)", ["threshold"] = "3" },
            };
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(request, new RecordingHost());
            Assert.Equal("http://prometheus:9090", so.Triggers[0].Metadata["serverAddress"]);
        }

        public static IEnumerable<object[]> BadInputs() => new (string ErrorId, Action<PrometheusScalerRequest> Change, string Reason)[]
        {
            ("MissingServerAddress", r => r.ServerAddress = null, "missing required parameter \"serverAddress\" in [triggerMetadata]"),
            ("MissingServerAddress", r => r.ServerAddress = "  ", "missing required parameter \"serverAddress\""),
            ("MissingQuery", r => r.Query = null, "missing required parameter \"query\" in [triggerMetadata]"),
            ("MissingThreshold", r => r.Threshold = null, "missing required parameter \"threshold\" in [triggerMetadata]"),
            ("InvalidThreshold", r => r.Threshold = "abc",
                "unable to set param \"threshold\" value \"abc\": unable to unmarshal to field type float64: invalid character 'a' looking for beginning of value"),
            ("InvalidThreshold", r => r.Threshold = "1,000", "invalid character ',' after top-level value"),
            ("InvalidActivationThreshold", r => r.ActivationThreshold = ".5", "unable to set param \"activationThreshold\" value \".5\""),
            ("ThresholdNotPositive", r => r.Threshold = "0", "target value must be positive"),
            ("ThresholdNotPositive", r => r.Threshold = "0.0004", "HPA target 0.000"),
            ("ThresholdNotPositive", r => r.Threshold = "-5", "target value must be positive"),
            ("InvalidIgnoreNullValues", r => r.Metadata = Meta("ignoreNullValues", "yes"), "unable to parse boolean value \"yes\": strconv.ParseBool: parsing \"yes\": invalid syntax"),
            ("InvalidUnsafeSsl", r => r.Metadata = Meta("unsafeSsl", "on"), "strconv.ParseBool: parsing \"on\""),
            ("InvalidCustomHeaders", r => r.Metadata = Meta("customHeaders", "a=b,c"), "expected format key=value, got \"c\""),
            ("InvalidCustomHeaders", r => r.Metadata = Meta("customHeaders", "token=a=b"), "expected format key=value, got \"token=a=b\""),
            ("InvalidQueryParameters", r => r.Metadata = Meta("queryParameters", "a=1,"), "expected format key=value, got \"\""),
            ("InvalidTimeout", r => r.Metadata = Meta("timeout", "ten seconds"), "must be either a duration string (e.g. '30s', '5m') or a number of milliseconds"),
            ("InvalidTimeout", r => r.Metadata = Meta("timeout", "-100"), "duration cannot be negative: -100 milliseconds"),
            ("InvalidTimeout", r => r.Metadata = Meta("timeout", "-3s"), "duration cannot be negative: \"-3s\""),
            ("InvalidAuthModes", r => { r.TriggerAuthentication = null; r.Metadata = Meta("authModes", "token"); },
                "parameter \"authModes\" value \"token\" must be one of [apiKey basic tls bearer custom oauth]"),
            ("InvalidAuthModes", r => { r.TriggerAuthentication = null; r.Metadata = Meta("authModes", "bearer, basic"); }, "must contain only one of [bearer basic oauth]"),
            ("PodIdentityWithAuthModes", r => r.Metadata = Meta("authModes", "bearer"), "pod identity cannot be enabled with other auth types"),
            ("MinReplicaCountAboveMax", r => { r.MinReplicaCount = 5; r.MaxReplicaCount = 2; }, "MinReplicaCount=5 must be less than MaxReplicaCount=2"),
            ("MinReplicaCountAboveMax", r => { r.MinReplicaCount = 101; r.MaxReplicaCount = null; }, "MaxReplicaCount=100"),
            ("InvalidMinReplicaCount", r => r.MinReplicaCount = -1, "greater than or equal to 0"),
            ("InvalidMaxReplicaCount", r => r.MaxReplicaCount = 0, "greater than or equal to 1"),
            ("InvalidPollingInterval", r => r.PollingInterval = 0, "spec.pollingInterval"),
            ("InvalidCooldownPeriod", r => r.CooldownPeriod = -1, "spec.cooldownPeriod"),
            ("InvalidName", r => r.Name = "My_Scaler", "lowercase RFC 1123 subdomain"),
            ("NameTooLong", r => r.Name = new string('a', 55), "keda-hpa-"),
            ("NameTooLong", r => { r.Name = new string('a', 64); r.HorizontalPodAutoscalerName = "custom"; }, "at most 63"),
            ("InvalidNamespace", r => r.Namespace = "Prod", "RFC 1123 label"),
            ("InvalidTargetName", r => r.TargetName = "Web App", "spec.scaleTargetRef.name"),
            ("MissingTargetApiVersion", r => r.TargetKind = "Rollout", "needs its apiVersion"),
            ("UnsupportedMetricType", r => r.MetricType = "Utilization", "'Utilization' metric type is unsupported for external metrics, allowed values are 'Value' or 'AverageValue'"),
            ("InvalidServerAddress", r => r.ServerAddress = "prometheus:9090/x", "not an absolute http(s) URL"),
            ("InvalidMetadataKey", r => r.Metadata = Meta("Threshold", "5"), "KEDA matches keys case-sensitively"),
            ("InvalidMetadataValue", r => r.Metadata = Meta("timeout", null), "has no value"),
            ("TriggerAuthenticationNamespaceMismatch", r => r.Namespace = "app", "KEDA looks up authenticationRef in the ScaledObject's namespace"),
            ("MonitorWorkspaceHasNoQueryEndpoint", r => { r.ServerAddress = null; r.MonitorWorkspace = new MonitorWorkspace("ws", "/subscriptions/x", "eastus", null); },
                "has no Prometheus query endpoint"),
        }.Select(c => new object[] { c.ErrorId, c.Change, c.Reason });

        [Theory]
        [MemberData(nameof(BadInputs))]
        public void Refuses_with_kedas_reason(string errorId, Action<PrometheusScalerRequest> change, string reason)
        {
            KedaAksException error = Refused(Valid(change));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(KedaErrorCategory.InvalidArgument, error.Category);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        }

        [Fact]
        public void The_offending_value_is_the_target()
        {
            Assert.Equal("1,000", Refused(Valid(r => r.Threshold = "1,000")).TargetObject);
            Assert.Equal("My_Scaler", Refused(Valid(r => r.Name = "My_Scaler")).TargetObject);
        }

        [Fact]
        public void Every_problem_is_reported_at_once_and_the_first_names_the_error()
        {
            KedaAksException error = Refused(Valid(r => { r.Query = null; r.Threshold = "x"; r.MinReplicaCount = 30; }));
            Assert.Equal("MissingQuery", error.ErrorId);
            Assert.Contains("3 problems", error.Message, StringComparison.Ordinal);
            Assert.Contains("threshold", error.Message, StringComparison.Ordinal);
            Assert.Contains("MinReplicaCount=30", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_54_character_name_fits_and_a_custom_hpa_name_lifts_the_limit()
        {
            Assert.NotNull(new ResourceBuilder().NewPrometheusScaler(Valid(r => r.Name = new string('a', 54)), new RecordingHost()));
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(Valid(r => { r.Name = new string('b', 60); r.HorizontalPodAutoscalerName = "b-hpa"; }), new RecordingHost());
            Assert.Equal("b-hpa", so.EffectiveHorizontalPodAutoscalerName);
        }

        [Theory]
        [InlineData("0.001")]
        [InlineData("0.0005")]
        [InlineData("1e-3")]
        public void Smallest_thresholds_the_hpa_accepts(string threshold) =>
            Assert.NotNull(new ResourceBuilder().NewPrometheusScaler(Valid(r => r.Threshold = threshold), new RecordingHost()));

        [Fact]
        public void MetricName_is_accepted_with_a_warning()
        {
            var host = new RecordingHost();
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(Valid(r => r.MetricName = "http_requests_total"), host);
            Assert.Equal("http_requests_total", so.Triggers[0].Metadata["metricName"]);
            Assert.Contains(host.Warnings, w => w.Contains("metricName is ignored by KEDA 2.12", StringComparison.Ordinal));
        }

        [Fact]
        public void Unknown_keys_and_a_trailing_api_path_warn()
        {
            var host = new RecordingHost();
            new ResourceBuilder().NewPrometheusScaler(Valid(r => { r.ServerAddress = AzureEndpoint + "/api/v1/query"; r.Metadata = Meta("treshold", "5"); }), host);
            Assert.Contains(host.Warnings, w => w.Contains("'treshold'", StringComparison.Ordinal));
            Assert.Contains(host.Warnings, w => w.Contains("appends /api/v1/query", StringComparison.Ordinal));
        }

        [Fact]
        public void Azure_endpoint_without_authentication_warns()
        {
            var host = new RecordingHost();
            new ResourceBuilder().NewPrometheusScaler(Valid(r => r.TriggerAuthentication = null), host);
            Assert.Contains(host.Warnings, w => w.Contains("401", StringComparison.Ordinal));
        }

        [Fact]
        public void Custom_kinds_keep_their_api_version_and_known_kinds_are_normalised()
        {
            ScaledObject rollout = new ResourceBuilder().NewPrometheusScaler(Valid(r => { r.TargetKind = "Rollout"; r.TargetApiVersion = "argoproj.io/v1alpha1"; }), new RecordingHost());
            Assert.Equal(("Rollout", "argoproj.io/v1alpha1"), (rollout.TargetKind, rollout.TargetApiVersion));
            ScaledObject sts = new ResourceBuilder().NewPrometheusScaler(Valid(r => r.TargetKind = "statefulset"), new RecordingHost());
            Assert.Equal(("StatefulSet", "apps/v1"), (sts.TargetKind, sts.TargetApiVersion));
        }

        [Fact]
        public void MetricType_is_normalised()
        {
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(Valid(r => r.MetricType = "value"), new RecordingHost());
            Assert.Equal("Value", so.Triggers[0].MetricType);
        }

        [Fact]
        public void Monitor_workspace_supplies_the_server_address()
        {
            var workspace = new MonitorWorkspace("ws", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Monitor/accounts/ws", "eastus", "https://ws-abcd.eastus.prometheus.monitor.azure.com");
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(Valid(r => { r.ServerAddress = null; r.MonitorWorkspace = workspace; }), new RecordingHost());
            Assert.Equal(workspace.PrometheusQueryEndpoint, so.Triggers[0].Metadata["serverAddress"]);
        }

        [Fact]
        public void A_cluster_trigger_authentication_may_be_used_from_any_namespace()
        {
            var cluster = new TriggerAuthentication("shared", null, true, PodIdentityProvider.AzureWorkload, null, null, null);
            ScaledObject so = new ResourceBuilder().NewPrometheusScaler(
                Valid(r => { r.Namespace = "app"; r.TriggerAuthentication = new TriggerAuthenticationReference(cluster); }), new RecordingHost());
            Assert.Equal("ClusterTriggerAuthentication", so.Triggers[0].AuthenticationRef!.Kind);
        }

        private static Dictionary<string, string?> Meta(string key, string? value) => new() { [key] = value };
    }
}
