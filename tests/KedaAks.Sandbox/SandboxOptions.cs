using System;
using System.Collections.Generic;

namespace KedaAks.Sandbox
{
    /// <summary>The sandbox's world and its misbehaviour. Defaults describe the article's starting point.</summary>
    public sealed class SandboxOptions
    {
        public string TenantId { get; set; } = "72f988bf-86f1-41af-91ab-2d7cd011db47";

        public string SubscriptionId { get; set; } = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";

        public string SubscriptionName { get; set; } = "KedaAks Sandbox";

        public string ResourceGroup { get; set; } = "keda-rg";

        public string ClusterName { get; set; } = "keda-aks";

        public string Location { get; set; } = "eastus";

        public string KubernetesVersion { get; set; } = "1.33.2";

        public bool OidcIssuerEnabled { get; set; }

        public bool WorkloadIdentityEnabled { get; set; }

        public bool AadEnabled { get; set; }

        public bool LocalAccountsDisabled { get; set; }

        /// <summary>The AKS managed KEDA add-on (workloadAutoScalerProfile.keda.enabled): KEDA runs in kube-system.</summary>
        public bool KedaAddonEnabled { get; set; }

        /// <summary>The cluster's sku.name: Base, or Automatic (AKS Automatic: KEDA preconfigured in kube-system).</summary>
        public string ClusterSku { get; set; } = "Base";

        public string WorkspaceName { get; set; } = "keda-amw";

        /// <summary>The app the module signs in as (client-credentials flow).</summary>
        public string ClientId { get; set; } = "3c1f3f4e-6d0b-4a43-9a54-1a5c2f0f8e11";

        public string ClientSecret { get; set; } = "sandbox-client-secret";

        /// <summary>Canaries for the secrets suite: what every Entra access token's signature starts with (base64url characters only).</summary>
        public string? TokenCanary { get; set; }

        /// <summary>What every service-account token (TokenRequest) signature starts with (base64url characters only).</summary>
        public string? ServiceAccountTokenCanary { get; set; }

        /// <summary>The local account's bearer token (the kubeconfig's and ARM's listClusterUserCredential's); a random one when null.</summary>
        public string? KubernetesToken { get; set; }

        /// <summary>Share of ARM requests answered with 429/500/503 before they are processed.</summary>
        public double FaultRate { get; set; }

        public int Seed { get; set; } = 1;

        /// <summary>Also inject faults into Entra's token endpoint (off by default: the share then applies to ARM and Kubernetes only).</summary>
        public bool EntraFaults { get; set; }

        public int LatencyMilliseconds { get; set; }

        public int RetryAfterSeconds { get; set; } = 1;

        /// <summary>The kinds of fault injected, chosen evenly (default 429, 500, 503; also Timeout and Drop).</summary>
        public List<Server.Middleware.FaultKind> FaultKinds { get; set; } = new(Server.Middleware.FaultInjector.StatusKinds);

        /// <summary>The endpoint groups faults go to by name (arm, entra, kubernetes, workspace-query); null: arm and kubernetes (+ entra with EntraFaults).</summary>
        public List<string>? FaultServices { get; set; }

        /// <summary>How long a Timeout fault holds the request before the connection is aborted (longer than the client's timeout).</summary>
        public TimeSpan FaultHang { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>User-Agent prefixes never faulted (e.g. Helm: the faults test the module, not helm's own retries).</summary>
        public List<string> FaultExemptUserAgents { get; set; } = new();

        /// <summary>How long a new identity's principal is unknown to role assignments that give no principalType.</summary>
        public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Also refuse not-yet-replicated principals when principalType is given (an Entra outage; exercises the client's retry).</summary>
        public bool StrictPrincipalReplication { get; set; }

        /// <summary>The next N federated-credential writes answer 409 as if another write were in flight.</summary>
        public int ForcedCredentialConflicts { get; set; }

        /// <summary>A folder of CRD manifests to install at start (e.g. ../shared/fixtures/keda/crds: KEDA's CRDs present).</summary>
        public string? CrdDirectory { get; set; }

        /// <summary>How long after a federated credential is written Entra still refuses it (propagation).</summary>
        public TimeSpan CredentialPropagationDelay { get; set; } = TimeSpan.Zero;

        /// <summary>How long after a role assignment is made the Monitor query endpoint still refuses the principal.</summary>
        public TimeSpan RoleAssignmentDelay { get; set; } = TimeSpan.Zero;

        /// <summary>A real Prometheus behind the workspace's query endpoint; then the endpoint is the sandbox's /workspaces/&lt;name&gt;.</summary>
        public string? PrometheusUpstream { get; set; }

        /// <summary>A folder served read-only under /charts/ as a Helm chart repository (index.yaml and packaged charts).</summary>
        public string? ChartRepository { get; set; }

        /// <summary>Polls of a cluster operation before it reports Succeeded.</summary>
        public int ClusterOperationPolls { get; set; } = 2;

        /// <summary>The presets applied (see Scenarios.SandboxScenarios.Apply); the server creates their objects at start.</summary>
        public List<Scenarios.SandboxScenario> Scenarios { get; } = new();

        /// <summary>More subscriptions the signed-in app can see (id → display name), besides <see cref="SubscriptionId"/>.</summary>
        public Dictionary<string, string> Subscriptions { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>More AKS clusters (a fleet), each with its own Kubernetes API; their subscriptions must be known (<see cref="Subscriptions"/>).</summary>
        public List<SandboxCluster> FleetClusters { get; } = new();

        /// <summary>Management groups (name → subscription ids) Resource Graph queries can name.</summary>
        public Dictionary<string, List<string>> ManagementGroups { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Resource Graph's largest page here (the real service's is 1000); a smaller one makes a few clusters span pages.</summary>
        public int ResourceGraphPageSize { get; set; } = 1000;

        /// <summary>Resource Graph queries per caller and window (the docs' example: 15 per 5 s); then 429 RateLimiting until the window ends.</summary>
        public int ResourceGraphQuota { get; set; } = 15;

        public TimeSpan ResourceGraphQuotaWindow { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>How long a federated-credential write holds its identity (a second write meanwhile gets 409).</summary>
        public TimeSpan CredentialWriteDuration { get; set; } = TimeSpan.FromMilliseconds(150);
    }
}
