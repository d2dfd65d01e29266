namespace KedaAks.Engine.GitOps
{
    /// <summary>
    /// Export-KedaGitOpsBundle: resolve the facts (<see cref="BundleFactsResolver"/>, read-only), check the folder, render every file in memory
    /// (<see cref="BundleFiles"/>), then one ShouldProcess per file and write. Nothing reaches Azure or the cluster; -WhatIf writes nothing.
    /// </summary>
    internal sealed class GitOpsExport : IGitOpsExport
    {
        private readonly BundleFactsResolver _facts;
        private readonly IManifestSerializer _manifests;

        public GitOpsExport(AzureService azure, IManifestSerializer manifests)
        {
            _facts = new BundleFactsResolver(azure);
            _manifests = manifests;
        }

        public async Task<GitOpsBundle?> ExportAsync(GitOpsBundleRequest request, CallContext call)
        {
            string folder = request.Path;
            BundleFolder.Check(folder, request.Force);
            IReadOnlyList<KedaResource> resources = Checked(request.Resources);
            BundleFacts facts = await _facts.ResolveAsync(request, call).ConfigureAwait(false);
            IReadOnlyList<BundleFile> files = BundleFiles.Render(facts, resources, _manifests);
            BundleFolder.Check(folder, request.Force);  // again: the Azure reads took time, and the folder is checked right before its first write

            var written = new List<string>();
            foreach (BundleFile file in files)
            {
                call.Cancellation.ThrowIfCancellationRequested();
                string target = Path.Combine(folder, file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
                if (call.Host.ShouldProcess(target, $"Write {file.Description}"))
                {
                    BundleFolder.Write(folder, file);
                    written.Add(file.RelativePath);
                    call.Host.WriteVerbose($"Wrote {target}.");
                }
            }

            if (written.Count == 0)
            {
                return null;
            }

            return new GitOpsBundle
            {
                Path = folder, InstallMethod = facts.InstallMethod, ChartVersion = facts.ChartVersion, ValueLayout = facts.Layout, Namespace = facts.Namespace,
                ServiceAccountName = facts.ServiceAccountName, ClientId = facts.ClientId, TenantId = facts.TenantId, Files = written, ResourceCount = resources.Count,
            };
        }

        /// <summary>ScaledObjects and (Cluster)TriggerAuthentications only (the bundle writes its own ServiceAccount), each named once.</summary>
        private static IReadOnlyList<KedaResource> Checked(IReadOnlyList<KedaResource> resources)
        {
            foreach (KedaResource resource in resources)
            {
                if (resource is not (ScaledObject or TriggerAuthentication))
                {
                    throw new KedaAksException("UnsupportedResource", KedaErrorCategory.InvalidArgument,
                        $"{resource} is not a KEDA resource the bundle carries (ScaledObject, TriggerAuthentication, ClusterTriggerAuthentication).", resource,
                        "Pipe objects from New-KedaPrometheusScaler and New-KedaTriggerAuthentication; the bundle writes KEDA's ServiceAccount itself.");
                }
            }

            var twice = resources.GroupBy(r => r.ToString()).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new KedaAksException("DuplicateResource", KedaErrorCategory.InvalidArgument, $"{twice.Key} is given more than once.", twice.Key,
                    "Pipe each ScaledObject and TriggerAuthentication once.");
            }

            return resources;
        }
    }
}
