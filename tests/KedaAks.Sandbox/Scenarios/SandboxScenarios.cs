using System;
using System.Collections.Generic;
using System.Linq;

namespace KedaAks.Sandbox.Scenarios
{
    /// <summary>
    /// The presets the standalone sandbox accepts (--scenario NAME, repeatable; Start-KedaSandbox -Scenario). A new
    /// one is one entry here: a name, a description, option values and seeded objects (see README.md).
    /// </summary>
    public static class SandboxScenarios
    {
        /// <summary>The article's starting point: an AKS cluster without OIDC issuer or workload identity, and no KEDA.</summary>
        public static readonly SandboxScenario Fresh = new("fresh", "The article's starting point: no OIDC issuer, no workload identity, no KEDA.");

        public static readonly SandboxScenario Oidc = new("oidc", "The cluster's OIDC issuer enabled, workload identity not.")
        {
            Configure = o => o.OidcIssuerEnabled = true,
        };

        public static readonly SandboxScenario WorkloadIdentity = new("workload-identity", "OIDC issuer and workload identity enabled (the webhook mutates pods).")
        {
            Configure = o => o.OidcIssuerEnabled = o.WorkloadIdentityEnabled = true,
        };

        public static readonly SandboxScenario KedaCrds = new("keda-crds", "KEDA 2.20's CustomResourceDefinitions applied (from ../shared/fixtures/keda/crds, when present).")
        {
            Configure = o => o.CrdDirectory = SandboxFixtures.CrdDirectory() ?? o.CrdDirectory,
        };

        public static readonly SandboxScenario KedaHelm = new("keda-helm", "The state a KEDA 2.20 Helm install needs and leaves: workload identity on, KEDA's CRDs present.")
        {
            Includes = new[] { WorkloadIdentity, KedaCrds },
        };

        public static readonly SandboxScenario AksAddon = new("aks-addon", "The AKS managed KEDA add-on on: KEDA (the version AKS ships for the Kubernetes version) in kube-system.")
        {
            Configure = o => o.KedaAddonEnabled = true,
        };

        public static readonly SandboxScenario AksAutomatic = new("aks-automatic", "An AKS Automatic cluster (sku.name Automatic): workload identity on, KEDA preconfigured in kube-system.")
        {
            Includes = new[] { WorkloadIdentity },
            Configure = o => o.ClusterSku = "Automatic",
        };

        /// <summary>Another product (datadog's cluster agent) serves the external metrics API, as keda#470 describes.</summary>
        public static readonly SandboxScenario ExternalMetricsTaken = new("external-metrics-datadog", "APIService v1beta1.external.metrics.k8s.io served by datadog/datadog-cluster-agent-metrics-api.")
        {
            Objects = new[]
            {
                new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "datadog" } },
                Kubernetes.AksKedaAddon.ApiService("datadog-cluster-agent-metrics-api", "datadog", new System.Text.Json.Nodes.JsonObject
                {
                    ["app.kubernetes.io/managed-by"] = "Helm", ["app.kubernetes.io/name"] = "datadog",
                }),
            },
        };

        public static IReadOnlyList<SandboxScenario> All { get; } = new[] { Fresh, Oidc, WorkloadIdentity, KedaCrds, KedaHelm, AksAddon, AksAutomatic, ExternalMetricsTaken };

        public static SandboxScenario Find(string name) =>
            All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown scenario '{name}'. Known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

        /// <summary>Applies presets in order to the options, and records them (the server seeds their objects at start).</summary>
        public static SandboxOptions Apply(SandboxOptions options, params SandboxScenario[] scenarios)
        {
            foreach (SandboxScenario scenario in scenarios)
            {
                scenario.ApplyTo(options);
                options.Scenarios.Add(scenario);
            }

            return options;
        }
    }
}
