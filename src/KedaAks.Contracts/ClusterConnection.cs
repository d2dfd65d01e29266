namespace KedaAks
{
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
}
