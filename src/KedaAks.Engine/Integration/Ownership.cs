namespace KedaAks.Engine.Integration
{
    /// <summary>
    /// How the integration marks what it made, so Uninstall-KedaAksIntegration removes exactly that: a tag on the identity (the identity
    /// itself, and each federated credential it added), a description on role assignments, an annotation on the namespace and service
    /// account, labels on the Helm release.
    /// </summary>
    internal static class Ownership
    {
        /// <summary>Tag on a user-assigned identity: ';'-separated "identity" and "credential=&lt;name&gt;".</summary>
        public const string Tag = "kedaaks-owns";

        public const string RoleDescription = "Created by KedaAks (Install-KedaAksIntegration)";

        /// <summary>Annotation on a namespace or service account the integration created.</summary>
        public const string Annotation = "kedaaks.io/created-by";

        public const string Creator = "Install-KedaAksIntegration";

        /// <summary>Label on the Helm release the integration installed (helm --labels).</summary>
        public const string ReleaseLabel = "kedaaks.io/created-by";

        public static IReadOnlyList<string> Owned(IReadOnlyDictionary<string, string>? tags) =>
            tags is not null && tags.TryGetValue(Tag, out string? value) ? value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : Array.Empty<string>();

        public static bool OwnsIdentity(IReadOnlyDictionary<string, string>? tags) => Owned(tags).Contains("identity", StringComparer.OrdinalIgnoreCase);

        public static bool OwnsCredential(IReadOnlyDictionary<string, string>? tags, string name) =>
            OwnsIdentity(tags) || Owned(tags).Contains($"credential={name}", StringComparer.OrdinalIgnoreCase);

        /// <summary>The tag value with <paramref name="entry"/> added.</summary>
        public static string With(IReadOnlyDictionary<string, string>? tags, string entry) =>
            string.Join(";", Owned(tags).Append(entry).Distinct(StringComparer.OrdinalIgnoreCase));

        /// <summary>The tag value with <paramref name="entry"/> removed (null when nothing is left).</summary>
        public static string? Without(IReadOnlyDictionary<string, string>? tags, string entry)
        {
            string[] left = Owned(tags).Where(e => !e.Equals(entry, StringComparison.OrdinalIgnoreCase)).ToArray();
            return left.Length == 0 ? null : string.Join(";", left);
        }
    }
}
