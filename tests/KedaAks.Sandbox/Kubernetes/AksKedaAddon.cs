using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// The AKS managed KEDA add-on as AKS deploys it when <c>workloadAutoScalerProfile.keda.enabled</c> is on (or the cluster is AKS
    /// Automatic): KEDA's CRDs, the operator's service account, the operator, metrics API server and admission webhook deployments in
    /// kube-system with the add-on's labels, and the external metrics APIService; the KEDA version follows the Kubernetes version.
    /// </summary>
    public static class AksKedaAddon
    {
        public const string Namespace = "kube-system";

        private static readonly string[] Names = { "keda-operator", "keda-operator-metrics-apiserver", "keda-admission-webhooks" };

        /// <summary>Kubernetes minor → the add-on's KEDA (AKS supported-kubernetes-versions.md); unlisted minors take the nearest lower listed one.</summary>
        private static readonly SortedDictionary<int, string> Versions = new()
        {
            [24] = "2.9.3", [26] = "2.10.1", [27] = "2.11.2", [30] = "2.11.2", [31] = "2.14.1", [32] = "2.14.1", [33] = "2.16.1", [35] = "2.17.2", [36] = "2.19.0",
        };

        public static string VersionFor(string kubernetesVersion)
        {
            string[] parts = kubernetesVersion.TrimStart('v').Split('.');
            int minor = parts.Length > 1 && int.TryParse(parts[1], out int m) ? m : 33;
            string version = "2.9.3";
            foreach (KeyValuePair<int, string> pair in Versions)
            {
                if (pair.Key <= minor)
                {
                    version = pair.Value;
                }
            }

            return version;
        }

        /// <summary>Deploys (enabled) or removes (disabled) the add-on's objects; re-running converges.</summary>
        public static void Apply(KubernetesStandIn kubernetes, bool enabled, string kubernetesVersion, string? crdDirectory)
        {
            string version = VersionFor(kubernetesVersion);
            if (!enabled)
            {
                foreach (string name in Names)
                {
                    kubernetes.Remove("deployments", Namespace, name);
                }

                kubernetes.Remove("apiservices", null, "v1beta1.external.metrics.k8s.io");
                return;
            }

            if (crdDirectory is not null && kubernetes.Count("customresourcedefinitions") == 0)
            {
                kubernetes.LoadCustomResourceDefinitions(crdDirectory);
            }

            kubernetes.Seed(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ServiceAccount",
                ["metadata"] = new JsonObject { ["name"] = "keda-operator", ["namespace"] = Namespace, ["labels"] = Labels("keda-operator", version) },
            });
            foreach (string name in Names)
            {
                kubernetes.Seed(Deployment(name, version));
            }

            kubernetes.Seed(ApiService("keda-operator-metrics-apiserver", Namespace, Labels("v1beta1.external.metrics.k8s.io", version)));
        }

        /// <summary>An APIService v1beta1.external.metrics.k8s.io served by another product (e.g. datadog's cluster agent).</summary>
        public static JsonObject ApiService(string service, string ns, JsonObject labels) => new()
        {
            ["apiVersion"] = "apiregistration.k8s.io/v1", ["kind"] = "APIService",
            ["metadata"] = new JsonObject { ["name"] = "v1beta1.external.metrics.k8s.io", ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["service"] = new JsonObject { ["name"] = service, ["namespace"] = ns, ["port"] = 443 },
                ["group"] = "external.metrics.k8s.io", ["version"] = "v1beta1", ["groupPriorityMinimum"] = 100, ["versionPriority"] = 100, ["insecureSkipTLSVerify"] = true,
            },
        };

        private static JsonObject Labels(string name, string version) => new()
        {
            ["app"] = name, ["app.kubernetes.io/name"] = name, ["app.kubernetes.io/version"] = version, ["app.kubernetes.io/managed-by"] = "Helm",
            ["addonmanager.kubernetes.io/mode"] = "Reconcile", ["kubernetes.azure.com/managedby"] = "aks",
        };

        private static JsonObject Deployment(string name, string version)
        {
            JsonObject podLabels = new() { ["app"] = name };
            if (name == "keda-operator")
            {
                podLabels["azure.workload.identity/use"] = "true";
            }

            string image = name switch { "keda-operator" => "keda", "keda-operator-metrics-apiserver" => "keda-metrics-apiserver", _ => "keda-admission-webhooks" };
            return new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name, ["namespace"] = Namespace, ["labels"] = Labels(name, version),
                    ["annotations"] = new JsonObject { ["meta.helm.sh/release-name"] = "keda", ["meta.helm.sh/release-namespace"] = Namespace },
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = 1,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = podLabels },
                        ["spec"] = new JsonObject
                        {
                            ["serviceAccountName"] = name == "keda-operator" ? "keda-operator" : "default",
                            ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = $"mcr.microsoft.com/oss/kedacore/{image}:{version}" }),
                        },
                    },
                },
            };
        }
    }
}
