namespace KedaAks.Engine.Integration
{
    /// <summary>What the integration's ARM reads found, and what follows from it (install mode, the operator's service account, the subject).</summary>
    internal sealed class AzureFacts
    {
        public AzureFacts(string clusterId, JsonNode clusterJson, string identityId, string identityResourceGroup)
        {
            ClusterId = clusterId;
            ClusterJson = clusterJson;
            Cluster = ArmModels.ToCluster(clusterJson);
            IdentityId = identityId;
            IdentityResourceGroup = identityResourceGroup;
        }

        public string ClusterId { get; }

        public JsonNode ClusterJson { get; set; }

        public AksCluster Cluster { get; set; }

        public IReadOnlyList<MonitorWorkspace> Workspaces { get; set; } = new List<MonitorWorkspace>();

        public string IdentityId { get; }

        public string IdentityResourceGroup { get; }

        /// <summary>The identity as read (null: it does not exist yet).</summary>
        public UserAssignedIdentity? Identity { get; set; }

        /// <summary>The existing identity's federated credentials (empty for a new one: it has none, so none are read).</summary>
        public List<FederatedCredential> Credentials { get; set; } = new();

        /// <summary>Per workspace id, the principal's role assignments that apply there (empty for a new identity).</summary>
        public Dictionary<string, List<RoleAssignment>> Roles { get; } = new(System.StringComparer.OrdinalIgnoreCase);

        /// <summary>Helm or AksAddon.</summary>
        public string Mode { get; set; } = Keda.InstallModes.Helm;

        public string Namespace { get; set; } = "keda";

        public string ServiceAccount { get; set; } = "keda-operator";

        public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccount}";
    }
}
