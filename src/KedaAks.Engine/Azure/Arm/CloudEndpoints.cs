using System;

namespace KedaAks.Engine.Azure
{
    /// <summary>ARM endpoint, Entra authority and token audiences of one cloud (kedacore/keda cloud_config.go, azure-cli cloud.py).</summary>
    internal sealed record CloudEndpoints(AzureCloudName Name, Uri ArmEndpoint, Uri AuthorityHost, string ArmScope, string PrometheusScope)
    {
        public static CloudEndpoints Resolve(AzureSettings settings)
        {
            CloudEndpoints known = settings.Cloud switch
            {
                AzureCloudName.AzureChinaCloud => new(AzureCloudName.AzureChinaCloud, new Uri("https://management.chinacloudapi.cn/"), new Uri("https://login.chinacloudapi.cn/"),
                    "https://management.chinacloudapi.cn/.default", "https://prometheus.monitor.azure.cn/.default"),
                AzureCloudName.AzureUSGovernment => new(AzureCloudName.AzureUSGovernment, new Uri("https://management.usgovcloudapi.net/"), new Uri("https://login.microsoftonline.us/"),
                    "https://management.usgovcloudapi.net/.default", "https://prometheus.monitor.azure.us/.default"),
                _ => new(AzureCloudName.AzureCloud, new Uri("https://management.azure.com/"), new Uri("https://login.microsoftonline.com/"),
                    "https://management.azure.com/.default", "https://prometheus.monitor.azure.com/.default"),
            };

            if (settings.ArmEndpoint is null && settings.AuthorityHost is null && settings.Cloud != AzureCloudName.Custom)
            {
                return known;
            }

            if (settings.ArmEndpoint is null || settings.AuthorityHost is null)
            {
                throw new KedaAksException("IncompleteCustomCloud", KedaErrorCategory.InvalidArgument,
                    "A custom cloud needs both an ARM endpoint and an Entra authority host.", settings.ArmEndpoint?.ToString() ?? settings.AuthorityHost?.ToString(),
                    "Pass both -ArmEndpoint and -AuthorityHost to Connect-KedaAzure.");
            }

            RequireHttps(settings.ArmEndpoint, "InvalidArmEndpoint", "-ArmEndpoint");
            RequireHttps(settings.AuthorityHost, "InvalidAuthorityHost", "-AuthorityHost");
            Uri arm = WithSlash(settings.ArmEndpoint);
            // A custom cloud's ARM tokens are for its own endpoint (as Azure Stack Hub's are).
            return new CloudEndpoints(AzureCloudName.Custom, arm, WithSlash(settings.AuthorityHost), arm.AbsoluteUri + ".default", known.PrometheusScope);
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

        private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
