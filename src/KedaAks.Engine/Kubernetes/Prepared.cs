using System.Text.Json;
using KedaAks.Engine.Manifests;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// One object to apply as the applier needs it: its JSON body, kind, namespace and name, or the error that keeps it from
    /// being applied. Made in two steps: <see cref="Parse"/> needs no cluster (it can run while the connection is made), and
    /// <see cref="Place"/> gives a namespaced object without a namespace the connection's default one.
    /// </summary>
    internal sealed record Prepared(DeployItem Item, JsonObject? Body, KubeKind? Kind, string? Namespace, string Name, KedaAksException? Error)
    {
        /// <summary>
        /// Every item parsed, in order. The parse runs while the connection is made, on one thread, so the connection keeps a core of its own; only a
        /// batch larger than one thread parses in that time (thousands of manifests) is spread over all the cores.
        /// </summary>
        public static List<Prepared> ParseAll(IReadOnlyList<DeployItem> items) =>
            items.Count >= 2000 ? items.AsParallel().AsOrdered().Select(Parse).ToList() : items.Select(Parse).ToList();

        public static Prepared Parse(DeployItem item)
        {
            JsonObject? body;
            try
            {
                // A typed resource becomes JSON from its YAML node tree, a file's manifest from its text: no YAML text or object graph in between.
                body = (item.Manifest is null ? YamlJson.Convert(ManifestSerializer.ToNode(item.Resource!)) : YamlJson.Parse(item.Manifest)) as JsonObject;
            }
            catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or JsonException or InvalidOperationException)
            {
                return new Prepared(item, null, null, null, "?", new KedaAksException("InvalidManifest", KedaErrorCategory.InvalidData,
                    $"A manifest{(item.SourcePath is null ? string.Empty : $" in '{item.SourcePath}'")} is not valid YAML: {YamlReason(exception)}", item.SourcePath,
                    "Fix the YAML and run again."));
            }

            string kindName = Text(body?["kind"]) ?? string.Empty;
            string name = Text(body?["metadata"]?["name"]) ?? string.Empty;
            KubeKind? kind = KubeKind.All.FirstOrDefault(k => k.Name == kindName && k.ApiVersion == Text(body?["apiVersion"]));
            if (body is null || kind is null)
            {
                return new Prepared(item, null, null, null, name, new KedaAksException("UnsupportedKind", KedaErrorCategory.InvalidArgument,
                    "Deploy-KedaResource applies ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication (keda.sh/v1alpha1), ServiceAccount and Namespace; "
                    + $"'{body?["apiVersion"]} {kindName}' is none of them.", item.SourcePath ?? kindName, "Apply other kinds with kubectl or Helm."));
            }

            // metadata.name: 123 is valid YAML, but the API server wants text: quoted, as kubectl would need it too.
            foreach ((string field, JsonNode? value) in new[] { ("metadata.name", body["metadata"]?["name"]), ("metadata.namespace", body["metadata"]?["namespace"]) })
            {
                if (value is not null && Text(value) is null)
                {
                    return new Prepared(item, null, null, null, name, new KedaAksException("InvalidManifest", KedaErrorCategory.InvalidData,
                        $"A {kind.Name}{(item.SourcePath is null ? string.Empty : $" in '{item.SourcePath}'")} has {field}: {value.ToJsonString()}, which is not text.",
                        item.SourcePath, $"Quote {field} in the YAML (for example name: \"{value.ToJsonString().Trim('"')}\") and run again."));
                }
            }

            return new Prepared(item, body, kind, kind.Namespaced ? Text(body["metadata"]?["namespace"]) : null, name, null);
        }

        /// <summary>A value's text, or null when it is absent or not a string (a number where text was meant is reported by <see cref="Parse"/>).</summary>
        private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

        /// <summary>This object on <paramref name="connection"/>: a namespaced one the manifest left without a namespace goes to the connection's default (kubectl's rule).</summary>
        public Prepared Place(ClusterConnection connection)
        {
            if (Error is not null || Kind is not { Namespaced: true } || Namespace is not null)
            {
                return this;
            }

            if (Body!["metadata"] is JsonObject metadata)
            {
                metadata["namespace"] = connection.DefaultNamespace;
            }

            return this with { Namespace = connection.DefaultNamespace };
        }

        /// <summary>Which object this is: its kind, namespace and name (the same for every copy of one object).</summary>
        private string Identity => $"{Kind?.ApiVersion}\n{Kind?.Name}\n{Namespace}\n{Name}";

        /// <summary>
        /// An object given more than once in one call is refused, every copy of it: which one is meant cannot be known, and applied side by
        /// side (or compared with one listing) the copies would race. The other objects are applied.
        /// </summary>
        public static List<Prepared> RefuseRepeats(List<Prepared> prepared)
        {
            var repeated = prepared.Where(p => p.Error is null).GroupBy(p => p.Identity).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.ToList());
            return prepared.Select(p => p.Error is null && repeated.TryGetValue(p.Identity, out List<Prepared>? copies)
                ? p with
                {
                    Error = new KedaAksException("DuplicateResource", KedaErrorCategory.InvalidArgument,
                        $"{p.Kind!.Name} '{p.Name}'{(p.Namespace is null ? string.Empty : $" in namespace '{p.Namespace}'")} is given {copies.Count} times"
                        + (copies.Any(c => c.Item.SourcePath is not null) ? $" ({string.Join(", ", copies.Select(c => c.Item.SourcePath ?? "the pipeline").Distinct())})" : string.Empty)
                        + "; none of the copies was applied.", $"{p.Kind.Name}/{p.Namespace}/{p.Name}".Replace("//", "/"),
                        "Keep one definition of each object in the files and the pipeline, then run again."),
                }
                : p).ToList();
        }

        /// <summary>The parser's own words (with line and column) when the YAML library wrapped them.</summary>
        private static string YamlReason(Exception exception)
        {
            for (Exception? e = exception; e is not null; e = e.InnerException)
            {
                if (e is YamlDotNet.Core.YamlException yaml)
                {
                    return $"{yaml.Message.TrimEnd('.')} (line {yaml.Start.Line}, column {yaml.Start.Column})";
                }
            }

            return exception.Message;
        }
    }
}
