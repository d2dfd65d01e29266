namespace KedaAks.Engine.Resources
{
    /// <summary>Kubernetes object-name rules (apimachinery <c>validation.IsDNS1123Subdomain</c> / <c>IsDNS1123Label</c>), with the API server's own wording.</summary>
    internal static class KubernetesNames
    {
        public const int SubdomainMaxLength = 253;
        public const int LabelMaxLength = 63;

        private static readonly Regex Subdomain = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant);
        private static readonly Regex Label = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

        public const string SubdomainMessage =
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
                + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

        public const string LabelMessage =
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
                + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

        /// <summary>Null when valid; otherwise the API server's reason.</summary>
        public static string? CheckSubdomain(string value)
        {
            if (value.Length > SubdomainMaxLength)
            {
                return $"must be no more than {SubdomainMaxLength} characters";
            }

            return Subdomain.IsMatch(value) ? null : SubdomainMessage;
        }

        /// <summary>Null when valid; otherwise the API server's reason.</summary>
        public static string? CheckLabel(string value)
        {
            if (value.Length > LabelMaxLength)
            {
                return $"must be no more than {LabelMaxLength} characters";
            }

            return Label.IsMatch(value) ? null : LabelMessage;
        }
    }
}
