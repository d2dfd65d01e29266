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

        public const string FleetSubscriptionA = "7c1e0a52-3f4b-4d8e-9a61-2b5c8d9e0f11";
        public const string FleetSubscriptionB = "a3d9b7e4-1c2f-4e6a-8b0d-5f7a9c1e3b22";

        /// <summary>
        /// A fleet: six more AKS clusters over two more subscriptions (management group kedaaks-fleet), each with its own Kubernetes API, for
        /// Search-KedaAksCluster and Test-KedaIntegration -ThrottleLimit. Resource Graph pages hold 2 rows and allow 3 queries per 2 s, so the fleet
        /// spans pages and a search meets the quota.
        /// </summary>
        public static readonly SandboxScenario Fleet = new("fleet",
            "Six more AKS clusters over two subscriptions (add-on, Helm, no OIDC, Automatic, WI off, API server down); Resource Graph pages of 2, 3 queries per 2 s.")
        {
            Includes = new[] { KedaCrds },
            Configure = o =>
            {
                o.Subscriptions[FleetSubscriptionA] = "KedaAks Fleet A";
                o.Subscriptions[FleetSubscriptionB] = "KedaAks Fleet B";
                o.ManagementGroups["kedaaks-fleet"] = new List<string> { FleetSubscriptionA, FleetSubscriptionB };
                o.FleetClusters.AddRange(new[]
                {
                    new SandboxCluster("fleet-addon", FleetSubscriptionA, "fleet-a") { OidcIssuerEnabled = true, WorkloadIdentityEnabled = true, KedaAddonEnabled = true },
                    new SandboxCluster("fleet-helm", FleetSubscriptionA, "fleet-a") { OidcIssuerEnabled = true, WorkloadIdentityEnabled = true, HelmKedaVersion = "2.20.2" },
                    new SandboxCluster("fleet-no-oidc", FleetSubscriptionA, "fleet-a") { Location = "westeurope", KubernetesVersion = "1.32.6" },
                    new SandboxCluster("fleet-automatic", FleetSubscriptionB, "fleet-b") { OidcIssuerEnabled = true, WorkloadIdentityEnabled = true, Sku = "Automatic" },
                    new SandboxCluster("fleet-wi-off", FleetSubscriptionB, "fleet-b") { OidcIssuerEnabled = true, HelmKedaVersion = "2.20.2", KubernetesVersion = "1.34.1" },
                    new SandboxCluster("fleet-down", FleetSubscriptionB, "fleet-b") { OidcIssuerEnabled = true, WorkloadIdentityEnabled = true, KedaAddonEnabled = true, ApiServerStatus = 502 },
                });
                o.ResourceGraphPageSize = 2;
                o.ResourceGraphQuota = 3;
                o.ResourceGraphQuotaWindow = TimeSpan.FromSeconds(2);
            },
        };

        public static IReadOnlyList<SandboxScenario> All { get; } = new[] { Fresh, Oidc, WorkloadIdentity, KedaCrds, KedaHelm, AksAddon, AksAutomatic, ExternalMetricsTaken, Fleet };

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
