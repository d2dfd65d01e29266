namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// ARM endpoint, Entra authority and token audiences of one cloud (kedacore/keda cloud_config.go, azure-cli cloud.py). A custom
    /// cloud named by its ARM endpoint alone gets its authority and ARM audience from the endpoint's metadata
    /// (<see cref="CloudMetadata"/>, read by Connect-KedaAzure); with a bearer token the caller already has, no authority is needed.
    /// </summary>
    internal sealed record CloudEndpoints(AzureCloudName Name, Uri ArmEndpoint, Uri? Authority, string ArmScope, string PrometheusScope)
    {
        /// <summary>The Entra authority; a custom cloud connected with -AccessToken alone has none, and what needs one says how to give it.</summary>
        public Uri AuthorityHost => Authority ?? throw new KedaAksException("NoAuthorityHost", KedaErrorCategory.InvalidOperation,
            $"The custom cloud at {ArmEndpoint} was connected with a bearer token only, so no Entra authority host is known for this sign-in.", ArmEndpoint.ToString(),
            $"Run Connect-KedaAzure -ArmEndpoint {ArmEndpoint} without -AccessToken (the authority is read from its metadata), or add -AuthorityHost.");

        /// <summary>Whether a custom cloud still needs its metadata read before a sign-in (ARM endpoint known, authority not, no bearer token given).</summary>
        public static bool NeedsDiscovery(AzureSettings settings) =>
            settings.ArmEndpoint is not null && settings.AuthorityHost is null && !HasBearerToken(settings) && Known(settings.ArmEndpoint) is null;

        /// <summary>The known cloud whose ARM endpoint this is (Add-AzEnvironment copies it without a metadata call), else null.</summary>
        public static CloudEndpoints? Known(Uri armEndpoint) => !armEndpoint.IsAbsoluteUri ? null
            : new[] { AzureCloudName.AzureCloud, AzureCloudName.AzureChinaCloud, AzureCloudName.AzureUSGovernment }
            .Select(Of).FirstOrDefault(c => string.Equals(c.ArmEndpoint.AbsoluteUri, WithSlash(armEndpoint).AbsoluteUri, StringComparison.OrdinalIgnoreCase));

        /// <summary>The scope of tokens for <paramref name="audience"/> (an ARM audience as the metadata names it, with or without a trailing slash).</summary>
        public static string ScopeFor(string audience) => audience.EndsWith("/", StringComparison.Ordinal) ? audience + ".default" : audience + "/.default";

        private static bool HasBearerToken(AzureSettings settings) => settings.AccessToken is not null && settings.TokenSource is TokenSource.Auto or TokenSource.AccessToken;

        private static CloudEndpoints Of(AzureCloudName cloud) => cloud switch
        {
                AzureCloudName.AzureChinaCloud => new(AzureCloudName.AzureChinaCloud, new Uri("https://management.chinacloudapi.cn/"), new Uri("https://login.chinacloudapi.cn/"),
                    "https://management.chinacloudapi.cn/.default", "https://prometheus.monitor.azure.cn/.default"),
                AzureCloudName.AzureUSGovernment => new(AzureCloudName.AzureUSGovernment, new Uri("https://management.usgovcloudapi.net/"), new Uri("https://login.microsoftonline.us/"),
                    "https://management.usgovcloudapi.net/.default", "https://prometheus.monitor.azure.us/.default"),
                _ => new(AzureCloudName.AzureCloud, new Uri("https://management.azure.com/"), new Uri("https://login.microsoftonline.com/"),
                    "https://management.azure.com/.default", "https://prometheus.monitor.azure.com/.default"),
        };

        public static CloudEndpoints Resolve(AzureSettings settings)
        {
            CloudEndpoints known = Of(settings.Cloud);
            if (settings.ArmEndpoint is null && settings.AuthorityHost is null && settings.Cloud != AzureCloudName.Custom)
            {
                return known;
            }

            if (settings.ArmEndpoint is null)
            {
                throw new KedaAksException("IncompleteCustomCloud", KedaErrorCategory.InvalidArgument,
                    "A custom cloud needs its ARM endpoint; an Entra authority host alone names no cloud.", settings.AuthorityHost?.ToString(),
                    "Pass -ArmEndpoint to Connect-KedaAzure (with -AuthorityHost, or alone to read the authority from the endpoint's metadata).");
            }

            RequireHttps(settings.ArmEndpoint, "InvalidArmEndpoint", "-ArmEndpoint");
            if (settings.AuthorityHost is null && Known(settings.ArmEndpoint) is { } builtIn)
            {
                return builtIn;
            }

            if (settings.AuthorityHost is null && !HasBearerToken(settings))
            {
                throw new KedaAksException("IncompleteCustomCloud", KedaErrorCategory.InvalidArgument,
                    $"The custom cloud at {settings.ArmEndpoint} has no Entra authority host yet.", settings.ArmEndpoint.ToString(),
                    $"Run Connect-KedaAzure -ArmEndpoint {settings.ArmEndpoint} (it reads the authority from the endpoint's metadata), or pass -AuthorityHost too.");
            }

            if (settings.AuthorityHost is not null)
            {
                RequireHttps(settings.AuthorityHost, "InvalidAuthorityHost", "-AuthorityHost");
            }

            Uri arm = WithSlash(settings.ArmEndpoint);
            // A custom cloud's ARM tokens are for the audience its metadata names, else for its own endpoint (as Azure Stack Hub's are).
            string scope = settings.ArmAudience is { Length: > 0 } audience ? ScopeFor(audience) : arm.AbsoluteUri + ".default";
            return new CloudEndpoints(AzureCloudName.Custom, arm, settings.AuthorityHost is null ? null : WithSlash(settings.AuthorityHost), scope, known.PrometheusScope);
        }

        /// <summary>Bearer tokens only travel over TLS (Azure.Core refuses otherwise); say so before any call.</summary>
        private static void RequireHttps(Uri endpoint, string errorId, string parameter)
        {
            if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new KedaAksException(errorId, KedaErrorCategory.InvalidArgument, $"{parameter} '{endpoint}' is not an https:// address; tokens are only sent over TLS.",
                    endpoint.ToString(), $"Pass the https:// address of the endpoint to {parameter}.");
            }
        }

        internal static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
