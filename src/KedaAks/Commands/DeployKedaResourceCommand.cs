using System.IO;

namespace KedaAks.Commands
{
    /// <summary>Server-side applies KedaAks resources (and KEDA manifests from files) to a cluster, in bulk, one result per object.</summary>
    [Cmdlet("Deploy", "KedaResource", DefaultParameterSetName = ByObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Base + "Deploy-KedaResource.md")]
    [OutputType(typeof(DeployResult))]
    public sealed class DeployKedaResourceCommand : ClusterCmdlet
    {
        private const string ByObject = "InputObject";
        private const string ByPath = "Path";
        private readonly List<DeployItem> _items = new();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByObject)]
        public KedaResource[] InputObject { get; set; } = Array.Empty<KedaResource>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPath)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter TakeOverHpa { get; set; }

        private protected override void ProcessRecordCore()
        {
            if (ParameterSetName == ByObject)
            {
                _items.AddRange(InputObject.Select(r => new DeployItem { Resource = r }));
                return;
            }

            foreach (string pattern in Path)
            {
                System.Collections.ObjectModel.Collection<string> files;
                try
                {
                    files = SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out _);
                }
                catch (Exception exception) when (exception is ItemNotFoundException or ArgumentException or NotSupportedException or IOException
                    or System.Management.Automation.DriveNotFoundException)
                {
                    throw new KedaAksException("PathNotFound", KedaErrorCategory.ObjectNotFound, $"No manifest file matches '{Clean(pattern)}': {exception.Message}", Clean(pattern),
                        "Check the path (wildcards are allowed), or pipe KedaAks resources in instead.");
                }

                foreach (string file in files)
                {
                    string text = File.ReadAllText(file);
                    foreach (string document in SplitDocuments(text))
                    {
                        _items.Add(new DeployItem { Manifest = document, SourcePath = file });
                    }
                }
            }
        }

        private protected override void EndProcessingCore()
        {
            if (_items.Count == 0)
            {
                return;
            }

            (ClusterTarget Target, ClusterConnection? Connected) choice = ConnectionChoice();
            bool dryRun = IsWhatIf;
            var options = new DeployOptions { DryRun = dryRun, Force = Force.IsPresent, ThrottleLimit = ThrottleLimit, TakeOverHpa = TakeOverHpa.IsPresent };
            ClusterConnection? connection = null;
            // One engine call connects and applies (one client, one TLS session), and parses the manifests while it connects. Under -WhatIf the
            // server's dry run comes first, so each "What if:" line can say what would change (old -> new); otherwise ShouldProcess is asked for
            // each object before any is applied.
            IReadOnlyList<DeployOutcome> outcomes = InvokeAsync(call => Engine.Kubernetes.DeployAsync(ConnectingAsync(choice, call), _items, options, (made, items) =>
            {
                connection = made;
                return dryRun ? items : Ask(call, () => items.Where(item => ShouldProcess($"{Describe(item)} on cluster '{made.Name}'", "Server-side apply")).ToList());
            }, call));
            foreach (DeployOutcome outcome in outcomes)
            {
                if (outcome.Error is not null)
                {
                    WriteEngineError(outcome.Error);
                }
                else if (outcome.Result is { } result)
                {
                    if (dryRun)
                    {
                        ShouldProcess($"{Describe(result)} on cluster '{connection!.Name}'", WhatIfAction(result));
                    }
                    else if (result.Changes.Count > 0)
                    {
                        WriteVerbose($"{result.Kind} '{result.Name}' {result.Action}: {string.Join(", ", result.Changes)}");
                    }

                    WriteObject(result);
                }
            }
        }

        private static string Clean(string value) => value.Length > 200 ? string.Concat(value.AsSpan(0, 197), "...") : value;

        private static string Describe(DeployResult result) =>
            $"{result.Kind} '{result.Name}'{(result.Namespace is null ? string.Empty : $" in namespace '{result.Namespace}'")}";

        /// <summary>What the dry run found: a create, no change, or each changed field with its old and new value.</summary>
        internal static string WhatIfAction(DeployResult result) => result.Action switch
        {
            "WouldCreate" => "Server-side apply: create",
            "Unchanged" => "Server-side apply: no change",
            _ => "Server-side apply: " + string.Join("; ", result.FieldChanges.Select(c => $"{c.Path} {c.OldValue ?? "(unset)"} -> {c.NewValue ?? "(unset)"}")),
        };

        private static string Describe(DeployItem item) =>
            item.Resource is { } resource ? resource.ToString() : $"manifest from '{item.SourcePath}'";

        /// <summary>Documents of a multi-document YAML file ("---" separator lines), empty ones dropped.</summary>
        internal static IEnumerable<string> SplitDocuments(string text)
        {
            var current = new List<string>();
            foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
            {
                if (line.TrimEnd() == "---" || line.StartsWith("--- ", StringComparison.Ordinal))
                {
                    if (current.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("#", StringComparison.Ordinal)))
                    {
                        yield return string.Join("\n", current);
                    }

                    current.Clear();
                    continue;
                }

                current.Add(line);
            }

            if (current.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("#", StringComparison.Ordinal)))
            {
                yield return string.Join("\n", current);
            }
        }
    }
}
