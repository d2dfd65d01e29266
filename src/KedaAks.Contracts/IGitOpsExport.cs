namespace KedaAks
{
    /// <summary>Export-KedaGitOpsBundle: the integration as files a GitOps repository holds (Flux or Argo CD), written instead of applied.</summary>
    public interface IGitOpsExport
    {
        /// <summary>
        /// Resolves what the bundle needs (from a piped IntegrationResult or WorkloadIdentity, explicit ids, or read-only ARM reads), renders every
        /// file, then asks ShouldProcess once per file and writes; under -WhatIf it writes nothing and returns null.
        /// </summary>
        Task<GitOpsBundle?> ExportAsync(GitOpsBundleRequest request, CallContext call);
    }
}
