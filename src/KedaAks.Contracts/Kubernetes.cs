using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace KedaAks
{
    /// <summary>How a command reaches a cluster: through ARM (an AKS cluster), or a kubeconfig (a path and context, or the default).</summary>
    public sealed class ClusterTarget
    {
        public AksCluster? Cluster { get; set; }

        public string? ClusterResourceId { get; set; }

        public string? ResourceGroupName { get; set; }

        public string? ClusterName { get; set; }

        /// <summary>Use listClusterAdminCredential instead of the user credentials.</summary>
        public bool Admin { get; set; }

        /// <summary>One or more kubeconfig files (merged as kubectl merges KUBECONFIG).</summary>
        public IReadOnlyList<string>? KubeconfigPath { get; set; }

        public string? Context { get; set; }

        /// <summary>Write the ARM-issued kubeconfig here (only when asked; otherwise it stays in memory).</summary>
        public string? OutFile { get; set; }

        public bool UsesArm => Cluster is not null || ClusterResourceId is not null || ClusterName is not null;

        public bool IsEmpty => !UsesArm && KubeconfigPath is null && Context is null;
    }

    /// <summary>A resolved cluster connection. Credentials stay inside the engine; this object only names them.</summary>
    public sealed class ClusterConnection
    {
        public string Name { get; set; } = string.Empty;

        public string Server { get; set; } = string.Empty;

        public string? Context { get; set; }

        /// <summary>The namespace of the kubeconfig context (kubectl's default namespace), or "default".</summary>
        public string DefaultNamespace { get; set; } = "default";

        /// <summary>Where the connection came from, e.g. "kubeconfig /home/me/.kube/config" or "ARM listClusterUserCredential".</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>Token, ClientCertificate, Entra (AKS server application), Exec...</summary>
        public string AuthenticationMethod { get; set; } = string.Empty;

        public string? ClusterResourceId { get; set; }

        public string? KubernetesVersion { get; set; }

        /// <summary>Opaque key of the engine-side connection (kubeconfig data, token source); never a secret.</summary>
        public string Handle { get; set; } = string.Empty;

        public override string ToString() => $"{Name} ({Server})";
    }

    /// <summary>A Kubernetes ServiceAccount for KEDA, annotated for Entra Workload ID.</summary>
    public sealed class ServiceAccount : KedaResource
    {
        public ServiceAccount(string name, string? @namespace, string? clientId, string? tenantId)
            : base("v1", "ServiceAccount", name, @namespace)
        {
            ClientId = clientId;
            TenantId = tenantId;
        }

        /// <summary><c>azure.workload.identity/client-id</c>.</summary>
        public string? ClientId { get; }

        /// <summary><c>azure.workload.identity/tenant-id</c>.</summary>
        public string? TenantId { get; }

        public string? ResourceVersion { get; set; }

        /// <summary>Alias for pipelines that expect the service account's name under this property.</summary>
        public string ServiceAccountName => Name;

        public string? ServiceAccountNamespace => Namespace;
    }

    /// <summary>One object applied (or, under -WhatIf, dry-run applied) by Deploy-KedaResource.</summary>
    public sealed class DeployResult
    {
        public string Kind { get; set; } = string.Empty;

        public string? Namespace { get; set; }

        public string Name { get; set; } = string.Empty;

        /// <summary>Created, Configured, Unchanged; under -WhatIf WouldCreate, WouldConfigure, Unchanged.</summary>
        public string Action { get; set; } = string.Empty;

        public string? ResourceVersion { get; set; }

        /// <summary>Paths of the fields that changed (or would change).</summary>
        public IReadOnlyList<string> Changes { get; set; } = Array.Empty<string>();

        public bool DryRun { get; set; }

        /// <summary>The object as the API server returned it, typed when it is a KEDA resource.</summary>
        public KedaResource? Resource { get; set; }

        /// <summary>The file an object came from (-Path), else null.</summary>
        public string? SourcePath { get; set; }
    }

    /// <summary>An object to apply: a KedaAks resource, or a manifest read from a file.</summary>
    public sealed class DeployItem
    {
        public KedaResource? Resource { get; set; }

        /// <summary>One YAML document (from -Path).</summary>
        public string? Manifest { get; set; }

        public string? SourcePath { get; set; }
    }

    /// <summary>Per-item outcome: a result or an error, in input order.</summary>
    public sealed class DeployOutcome
    {
        public DeployOutcome(DeployItem item, DeployResult? result, KedaAksException? error)
        {
            Item = item;
            Result = result;
            Error = error;
        }

        public DeployItem Item { get; }

        public DeployResult? Result { get; }

        public KedaAksException? Error { get; }
    }

    /// <summary>The cluster side: connection, service account, apply, read and delete of KEDA resources.</summary>
    public interface IKubernetesService
    {
        Task<ClusterConnection> ConnectAsync(AzureSettings azure, ClusterTarget target, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);

        Task<ServiceAccount> NewServiceAccountAsync(ClusterConnection connection, ServiceAccount account, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);

        Task<IReadOnlyList<DeployOutcome>> DeployAsync(ClusterConnection connection, IReadOnlyList<DeployItem> items, bool dryRun, bool force, int throttleLimit, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);

        /// <summary><paramref name="kind"/> is ScaledObject, TriggerAuthentication or ClusterTriggerAuthentication; a null namespace lists all namespaces.</summary>
        Task<IReadOnlyList<KedaResource>> GetAsync(ClusterConnection connection, string kind, string? @namespace, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);

        /// <summary>
        /// The KEDA operator pods' log lines, each diagnosed; repeated errors grouped (Count, Time, LastTime).
        /// <paramref name="namespace"/> null searches keda, then kube-system (the AKS add-on).
        /// </summary>
        Task<IReadOnlyList<Diagnosis>> GetOperatorLogAsync(ClusterConnection connection, string? @namespace, TimeSpan? since, int? tail, bool all, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);

        /// <summary>False when there was nothing to delete.</summary>
        Task<bool> RemoveAsync(ClusterConnection connection, string kind, string? @namespace, string name, IKedaAksHost host, System.Threading.CancellationToken cancellationToken);
    }
}
