namespace KedaAks
{
    /// <summary>A Kubernetes ServiceAccount for KEDA, annotated for Entra Workload ID.</summary>
    public sealed class ServiceAccount(string name, string? @namespace, string? clientId, string? tenantId) : KedaResource("v1", "ServiceAccount", name, @namespace)
    {
        /// <summary><c>azure.workload.identity/client-id</c>.</summary>
        public string? ClientId { get; } = clientId;

        /// <summary><c>azure.workload.identity/tenant-id</c>.</summary>
        public string? TenantId { get; } = tenantId;

        public string? ResourceVersion { get; set; }

        /// <summary>What applying it did, as Deploy-KedaResource says it: Created, Configured, Unchanged; under -WhatIf WouldCreate, WouldConfigure.</summary>
        public string? Action { get; set; }

        /// <summary>Alias for pipelines that expect the service account's name under this property.</summary>
        public string ServiceAccountName => Name;

        public string? ServiceAccountNamespace => Namespace;
    }
}
