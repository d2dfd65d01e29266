using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KedaAks.Engine.Manifests;
using KedaAks.Engine.Resources;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Tests
{
    public class ManifestSerializerTests
    {
        private static readonly TriggerAuthentication Auth = new("azure-managed-prometheus-trigger-auth", "default", false, PodIdentityProvider.AzureWorkload, null, null, null);

        private static ScaledObject Scaler(Dictionary<string, string?>? metadata = null) => new ResourceBuilder().NewPrometheusScaler(new PrometheusScalerRequest
        {
            Name = "azure-managed-prometheus-scaler",
            Namespace = "default",
            TargetName = "deployment-name-to-be-scaled",
            ServerAddress = "https://test-azure-monitor-workspace-name-1234.eastus.prometheus.monitor.azure.com",
            Query = "sum(rate(http_requests_total{deployment=\"my-deployment\"}[2m]))",
            Threshold = "100.50",
            ActivationThreshold = "5.5",
            MinReplicaCount = 1,
            MaxReplicaCount = 20,
            TriggerAuthentication = new TriggerAuthenticationReference(Auth),
            Metadata = metadata,
        }, new RecordingHost());

        private static List<YamlMappingNode> Parse(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        }

        [Fact]
        public void Renders_the_articles_manifests_exactly()
        {
            string yaml = new ManifestSerializer().ToYaml(new KedaResource[] { Auth, Scaler() });
            const string Expected = """
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata:
                  name: azure-managed-prometheus-trigger-auth
                  namespace: default
                spec:
                  podIdentity:
                    provider: azure-workload
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: azure-managed-prometheus-scaler
                  namespace: default
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: deployment-name-to-be-scaled
                  pollingInterval: 30
                  cooldownPeriod: 300
                  minReplicaCount: 1
                  maxReplicaCount: 20
                  triggers:
                  - type: prometheus
                    metadata:
                      serverAddress: "https://test-azure-monitor-workspace-name-1234.eastus.prometheus.monitor.azure.com"
                      query: "sum(rate(http_requests_total{deployment=\"my-deployment\"}[2m]))"
                      threshold: "100.50"
                      activationThreshold: "5.5"
                    authenticationRef:
                      name: azure-managed-prometheus-trigger-auth

                """;
            Assert.Equal(Expected.Replace("\r\n", "\n"), yaml);
        }

        [Fact]
        public void Every_metadata_value_is_a_quoted_string()
        {
            string yaml = new ManifestSerializer().ToYaml(new KedaResource[]
            {
                Scaler(new Dictionary<string, string?> { ["ignoreNullValues"] = "false", ["timeout"] = "3000", ["unsafeSsl"] = "true", ["namespace"] = "null" }),
            });
            YamlMappingNode metadata = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)Parse(yaml)[0]["spec"]["triggers"]).Children[0])["metadata"];
            Assert.All(metadata.Children.Values.Cast<YamlScalarNode>(), v => Assert.Equal(ScalarStyle.DoubleQuoted, v.Style));
            Assert.Equal("3000", ((YamlScalarNode)metadata["timeout"]).Value);
        }

        [Theory]
        [InlineData("123")]
        [InlineData("1e5")]
        [InlineData("on")]
        [InlineData("null")]
        [InlineData("0x1f")]
        public void Names_a_yaml_reader_could_mistake_are_quoted(string ns)
        {
            var auth = new TriggerAuthentication("a", ns, false, PodIdentityProvider.AzureWorkload, null, null, null);
            string yaml = new ManifestSerializer().ToYaml(new KedaResource[] { auth });
            Assert.Contains($"namespace: \"{ns}\"", yaml, StringComparison.Ordinal);
            Assert.Equal(ns, ((YamlScalarNode)Parse(yaml)[0]["metadata"]["namespace"]).Value);
        }

        [Fact]
        public void Identity_fields_and_cluster_references_are_written()
        {
            var cluster = new TriggerAuthentication(
                "shared", null, true, PodIdentityProvider.AzureWorkload, "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002", "https://login.microsoftonline.us/");
            string yaml = new ManifestSerializer().ToYaml(new KedaResource[] { cluster });
            YamlMappingNode doc = Parse(yaml)[0];
            Assert.Equal("ClusterTriggerAuthentication", ((YamlScalarNode)doc["kind"]).Value);
            Assert.False(((YamlMappingNode)doc["metadata"]).Children.ContainsKey("namespace"));
            YamlMappingNode podIdentity = (YamlMappingNode)doc["spec"]["podIdentity"];
            Assert.Equal("00000000-0000-0000-0000-000000000001", ((YamlScalarNode)podIdentity["identityId"]).Value);
            Assert.Equal("https://login.microsoftonline.us/", ((YamlScalarNode)podIdentity["identityAuthorityHost"]).Value);
        }

        [Fact]
        public void A_scaled_object_read_from_a_cluster_keeps_its_behavior_fallback_and_idle_count()
        {
            string manifest = """
                {"apiVersion":"keda.sh/v1alpha1","kind":"ScaledObject","metadata":{"name":"orders","namespace":"shop"},
                 "spec":{"scaleTargetRef":{"name":"orders"},"minReplicaCount":1,"idleReplicaCount":0,"fallback":{"failureThreshold":3,"replicas":6},
                  "advanced":{"horizontalPodAutoscalerConfig":{"name":"orders-hpa","behavior":{
                    "scaleUp":{"stabilizationWindowSeconds":0,"policies":[{"type":"Pods","value":2,"periodSeconds":60}]},
                    "scaleDown":{"stabilizationWindowSeconds":60,"selectPolicy":"Min","tolerance":"0.05"}}}},
                  "triggers":[{"type":"prometheus","metadata":{"serverAddress":"http://p:9090","query":"sum(q)","threshold":"10"}}]}}
                """;
            var so = Assert.IsType<ScaledObject>(KedaAks.Engine.Kubernetes.KedaObjects.FromJson(System.Text.Json.Nodes.JsonNode.Parse(manifest)!.AsObject()));
            Assert.Equal((0, 6, 60, 0.05), (so.IdleReplicaCount, so.Fallback!.Replicas, so.Behavior!.ScaleUp!.Policies![0].PeriodSeconds, so.Behavior.ScaleDown!.Tolerance));
            YamlMappingNode spec = (YamlMappingNode)Parse(new ManifestSerializer().ToYaml(new KedaResource[] { so }))[0]["spec"];
            Assert.Equal("0", ((YamlScalarNode)spec["idleReplicaCount"]).Value);
            Assert.Equal("6", ((YamlScalarNode)spec["fallback"]["replicas"]).Value);
            YamlMappingNode config = (YamlMappingNode)spec["advanced"]["horizontalPodAutoscalerConfig"];
            Assert.Equal("orders-hpa", ((YamlScalarNode)config["name"]).Value);
            Assert.Equal("2", ((YamlScalarNode)config["behavior"]["scaleUp"]["policies"][0]["value"]).Value);
            Assert.Equal("Min", ((YamlScalarNode)config["behavior"]["scaleDown"]["selectPolicy"]).Value);
            Assert.Equal("0.05", ((YamlScalarNode)config["behavior"]["scaleDown"]["tolerance"]).Value);
        }

        [Fact]
        public void An_empty_input_gives_an_empty_string() => Assert.Equal(string.Empty, new ManifestSerializer().ToYaml(Array.Empty<KedaResource>()));
    }
}
