namespace KedaAks
{
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

        /// <summary>The same fields with their old and new values.</summary>
        public IReadOnlyList<FieldChange> FieldChanges { get; set; } = Array.Empty<FieldChange>();

        public bool DryRun { get; set; }

        /// <summary>The object as the API server returned it, typed when it is a KEDA resource.</summary>
        public KedaResource? Resource { get; set; }

        /// <summary>The file an object came from (-Path), else null.</summary>
        public string? SourcePath { get; set; }
    }
}
