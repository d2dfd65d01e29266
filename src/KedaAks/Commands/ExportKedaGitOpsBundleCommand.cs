namespace KedaAks.Commands
{
    /// <summary>
    /// Writes the integration as a folder a GitOps repository holds (Namespace, annotated ServiceAccount, the values in the chart version's
    /// layout, Flux HelmRepository + HelmRelease, an Argo CD Application, kustomization.yaml, the piped KEDA resources) instead of applying it.
    /// Input: a piped IntegrationResult, AksCluster or WorkloadIdentity, or Install's parameters; KEDA resources from the pipeline, collected
    /// until the end. Reads Azure only for what it does not know (read-only), never the cluster.
    /// </summary>
    [Cmdlet(VerbsData.Export, "KedaGitOpsBundle", DefaultParameterSetName = FromRepository, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Export-KedaGitOpsBundle.md")]
    [OutputType(typeof(GitOpsBundle))]
    [UsesParameters(typeof(IdentityNameParameters), typeof(ServiceAccountNameParameter), typeof(InstallMethodParameter), typeof(HelmReleaseParameters),
        typeof(ChartParameters))]
    public sealed partial class ExportKedaGitOpsBundleCommand : ClusterReferenceCmdlet
    {
        private readonly List<IntegrationResult> _results = new();
        private readonly List<AksCluster> _clusters = new();
        private readonly List<WorkloadIdentity> _identities = new();
        private readonly List<KedaResource> _resources = new();
        private readonly HashSet<string> _clusterIds = new(StringComparer.OrdinalIgnoreCase);

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>IntegrationResult, AksCluster, WorkloadIdentity, ScaledObject or (Cluster)TriggerAuthentication objects.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object[]? InputObject { get; set; }

        /// <summary>The identity's client id: with it, no Azure read is needed.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClientId { get; set; }

        /// <summary>The identity's tenant (the tenant-id annotation), and the sign-in tenant when Azure is read.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        private protected override string? TenantIdValue => TenantId;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = "keda";

        [Parameter(ParameterSetName = FromPath)]
        [Parameter(ParameterSetName = FromRepository)]
        [ValidateNotNullOrEmpty]
        public string Repository { get; set; } = "https://kedacore.github.io/charts";

        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override void BeginProcessingCore()
        {
            base.BeginProcessingCore();
            if (Typed(nameof(ClusterResourceId)) && ClusterResourceId is { Length: > 0 } typed)
            {
                _clusterIds.Add(typed);
            }
        }

        private protected override void ProcessRecordCore()
        {
            // A cluster's id bound by property name from an object of no KedaAks type (Get-AzAksCluster's output) names the cluster.
            bool idFromPipeline = !Typed(nameof(ClusterResourceId)) && ClusterResourceId is { Length: > 0 };
            foreach (object? item in InputObject ?? Array.Empty<object>())
            {
                switch (item is PSObject wrapped ? wrapped.BaseObject : item)
                {
                    case IntegrationResult result:
                        _results.Add(result);
                        break;
                    case AksCluster cluster:
                        _clusters.Add(cluster);
                        break;
                    case WorkloadIdentity identity:
                        _identities.Add(identity);
                        break;
                    case KedaResource resource:
                        _resources.Add(resource);
                        break;
                    case not null when idFromPipeline:
                        _clusterIds.Add(ClusterResourceId!);
                        break;
                    case var other:
                        throw new KedaAksException("UnsupportedInput", KedaErrorCategory.InvalidArgument,
                            $"A {other?.GetType().Name ?? "null"} is not something a GitOps bundle is made from.", other,
                            "Pipe an IntegrationResult, an AksCluster, a WorkloadIdentity, or ScaledObject and TriggerAuthentication objects.");
                }
            }
        }

        private protected override void EndProcessingCore()
        {
            if (_results.Count > 1 || _identities.Count > 1 || _clusters.Count + _clusterIds.Count > 1)
            {
                throw new KedaAksException("OneClusterPerBundle", KedaErrorCategory.InvalidArgument, "More than one cluster, identity or result came down the pipeline.", null,
                    "Export one bundle per cluster: pipe one IntegrationResult (or one cluster or identity) and its KEDA resources, with its own -Path.");
            }

            var request = new GitOpsBundleRequest
            {
                Path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
                Force = Force.IsPresent,
                Result = _results.FirstOrDefault(),
                Identity = _identities.FirstOrDefault(),
                ClientId = ClientId,
                TenantId = TenantId,
                Resources = _resources.ToList(),
                Integration = new AksIntegrationRequest
                {
                    Cluster = _clusters.FirstOrDefault(),
                    ClusterResourceId = _clusterIds.FirstOrDefault(),
                    ResourceGroupName = ResourceGroupName,
                    ClusterName = ClusterName,
                    IdentityName = IdentityName,
                    IdentityResourceGroupName = IdentityResourceGroupName,
                    Namespace = Namespace,
                    ServiceAccountName = ServiceAccountName,
                    InstallMethod = InstallMethod,
                    ReleaseName = ReleaseName,
                    Version = Version,
                    ChartPath = ParameterSetName == FromPath ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(ChartPath) : null,
                    Repository = Repository,
                    Set = Set is null ? null : PlainValues.Of(Set),
                },
            };
            if (InvokeAsync(call => Engine.GitOps.ExportAsync(request, call)) is { } bundle)
            {
                WriteObject(bundle);
            }
        }
    }
}
