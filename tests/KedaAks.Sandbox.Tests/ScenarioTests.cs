using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using KedaAks.Sandbox.Scenarios;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>Scenario presets: named option values and seeded objects, composable, recorded in the description.</summary>
    public class ScenarioTests
    {
        [Fact]
        public void Presets_are_found_by_name_and_unknown_names_list_the_known_ones()
        {
            Assert.Same(SandboxScenarios.WorkloadIdentity, SandboxScenarios.Find("Workload-Identity"));
            var error = Assert.Throws<ArgumentException>(() => SandboxScenarios.Find("keda-2.99"));
            Assert.Contains("fresh, oidc, workload-identity, keda-crds, keda-helm", error.Message, StringComparison.Ordinal);
            Assert.Equal(SandboxScenarios.All.Count, SandboxScenarios.All.Select(s => s.Name).Distinct().Count());
        }

        [Fact]
        public void Fresh_is_the_default_options_and_workload_identity_turns_on_the_issuer_too()
        {
            SandboxOptions fresh = SandboxScenarios.Apply(new SandboxOptions(), SandboxScenarios.Fresh);
            Assert.False(fresh.OidcIssuerEnabled || fresh.WorkloadIdentityEnabled);
            Assert.Null(fresh.CrdDirectory);
            SandboxOptions identity = SandboxScenarios.Apply(new SandboxOptions(), SandboxScenarios.WorkloadIdentity);
            Assert.True(identity.OidcIssuerEnabled && identity.WorkloadIdentityEnabled);
            SandboxOptions oidc = SandboxScenarios.Apply(new SandboxOptions(), SandboxScenarios.Oidc);
            Assert.True(oidc.OidcIssuerEnabled && !oidc.WorkloadIdentityEnabled);
        }

        [SkippableFact]
        public async Task Keda_helm_serves_keda_crds_on_a_workload_identity_cluster()
        {
            Skip.If(SandboxFixtures.CrdDirectory() is null, "../shared/fixtures is absent: KEDA's CRDs are not loaded.");
            var server = new SandboxServer(SandboxScenarios.Apply(new SandboxOptions(), SandboxScenarios.Find("keda-helm")));
            await using (server)
            {
                await server.StartAsync();
                Assert.True(server.Arm.WorkloadIdentityEnabled && server.Arm.OidcIssuerEnabled);
                Assert.NotNull(server.Kubernetes.Get("apiextensions.k8s.io/v1", "customresourcedefinitions", null, "scaledobjects.keda.sh"));
                Assert.Contains(server.Kubernetes.Store.Types, t => t.Group == "keda.sh" && t.Plural == "triggerauthentications");
                Assert.Equal(new[] { "keda-helm" }, server.Describe()["scenarios"]!.AsArray().Select(n => n!.GetValue<string>()));
            }
        }

        [Fact]
        public async Task Seeded_objects_are_created_through_the_api_server_so_controllers_react()
        {
            var preset = new SandboxScenario("one-deployment", "a test preset")
            {
                Includes = new[] { SandboxScenarios.WorkloadIdentity },
                Objects = new[]
                {
                    (JsonObject)JsonNode.Parse("""
                    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app"},
                     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
                    """)!,
                    (JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"app"},"spec":{"ports":[{"port":80}]}}""")!,
                },
            };
            var server = new SandboxServer(SandboxScenarios.Apply(new SandboxOptions(), preset));
            await using (server)
            {
                Assert.True(server.Options.WorkloadIdentityEnabled);
                Assert.NotNull(server.Kubernetes.Get("v1", "namespaces", null, "app"));
                Assert.Equal(2, server.Kubernetes.All("pods").Count(p => p["metadata"]!["namespace"]!.GetValue<string>() == "app"));
                Assert.NotNull(server.Kubernetes.Get("v1", "services", "app", "web")!["spec"]!["clusterIP"]);
                Assert.Equal("sandbox-scenario", server.Kubernetes.Get("apps/v1", "deployments", "app", "web") is { } d ? ManagerOf(server, d) : null);
            }
        }

        [Fact]
        public void A_seeded_object_of_a_kind_the_cluster_does_not_serve_is_refused()
        {
            var preset = new SandboxScenario("bad", "unknown kind") { Objects = new[] { new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget" } } };
            Assert.Throws<ArgumentException>(() => new SandboxServer(SandboxScenarios.Apply(new SandboxOptions(), preset)));
        }

        private static string? ManagerOf(SandboxServer server, JsonObject deployment)
        {
            string key = Kubernetes.ClusterStore.Key(server.Kubernetes.Store.Kind("deployments"), "app", deployment["metadata"]!["name"]!.GetValue<string>());
            return server.Kubernetes.Store.Owners[key].Keys.Single();
        }
    }
}
