using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Arm
{
    /// <summary>
    /// What ARM answers, without a token, at <c>GET /metadata/endpoints?api-version=2022-09-01</c>: one cloud object in the 2022-09-01
    /// shape (the fields azure-cli's _arm_to_cli_mapper and Add-AzEnvironment read), every endpoint pointing at this sandbox.
    /// </summary>
    public static class CloudMetadataDocument
    {
        public const string Path = "/metadata/endpoints";

        public static JsonObject For(string url) => new()
        {
            ["portal"] = url + "/portal",
            ["authentication"] = new JsonObject
            {
                ["loginEndpoint"] = url + "/",
                ["audiences"] = new JsonArray(url + "/"),
                ["tenant"] = "common",
                ["identityProvider"] = "AAD",
            },
            ["media"] = url + "/media",
            ["graphAudience"] = url + "/graph",
            ["graph"] = url + "/graph",
            ["name"] = "KedaAksSandbox",
            ["suffixes"] = new JsonObject
            {
                ["acrLoginServer"] = "azurecr.sandbox.local",
                ["sqlServerHostname"] = "database.sandbox.local",
                ["keyVaultDns"] = "vault.sandbox.local",
                ["storage"] = "core.sandbox.local",
                ["storageSyncEndpointSuffix"] = "afs.sandbox.local",
                ["mhsmDns"] = "managedhsm.sandbox.local",
                ["mysqlServerEndpoint"] = "mysql.sandbox.local",
                ["postgresqlServerEndpoint"] = "postgres.sandbox.local",
                ["mariadbServerEndpoint"] = "mariadb.sandbox.local",
                ["synapseAnalytics"] = "synapse.sandbox.local",
                ["attestationEndpoint"] = "attest.sandbox.local",
            },
            ["batch"] = url + "/batch",
            ["resourceManager"] = url + "/",
            ["vmImageAliasDoc"] = url + "/aliases.json",
            ["activeDirectoryDataLake"] = url + "/datalake",
            ["sqlManagement"] = url + "/sql",
            ["microsoftGraphResourceId"] = url + "/graph",
            ["appInsightsResourceId"] = url + "/appinsights",
            ["appInsightsTelemetryChannelResourceId"] = url + "/appinsights-telemetry",
            ["attestationResourceId"] = url + "/attestation",
            ["synapseAnalyticsResourceId"] = url + "/synapse",
            ["logAnalyticsResourceId"] = url + "/loganalytics",
            ["ossrDbmsResourceId"] = url + "/ossrdbms",
        };
    }
}
