namespace KedaAks
{
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

        /// <summary>What applying it did, as Deploy-KedaResource says it: Created, Configured, Unchanged; under -WhatIf WouldCreate, WouldConfigure.</summary>
        public string? Action { get; set; }

        /// <summary>Alias for pipelines that expect the service account's name under this property.</summary>
        public string ServiceAccountName => Name;

        public string? ServiceAccountNamespace => Namespace;
    }
}
