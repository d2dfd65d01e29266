using System;
using System.Linq;
using System.Security;
using System.Threading.Tasks;
using KedaAks.Engine.Azure;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Connect-KedaAzure -ArmEndpoint alone: the authority and ARM audience from {arm}/metadata/endpoints, as Add-AzEnvironment -ARMEndpoint reads them.</summary>
    public sealed class CloudMetadataTests
    {
        private static readonly Uri Arm = new("https://arm.contoso.test/");

        private static AzureSettings ArmOnly(AzureSandbox sandbox, TokenSource source = TokenSource.Environment) => new()
        {
            Cloud = AzureCloudName.Custom,
            ArmEndpoint = new Uri(sandbox.Server.Url + "/"),
            SubscriptionId = sandbox.Server.Options.SubscriptionId,
            TokenSource = source,
        };

        [Fact]
        public async Task An_arm_endpoint_alone_reads_the_authority_from_the_metadata_and_signs_in()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var host = new RecordingHost();
            AzureConnection connection = await sandbox.Service.ConnectAsync(host.Call(ArmOnly(sandbox)));
            Assert.Equal(AzureCloudName.Custom, connection.Environment);
            Assert.Equal(sandbox.Server.Url + "/", connection.AuthorityHost?.AbsoluteUri);
            Assert.Equal(sandbox.Server.Url + "/", connection.ArmAudience);
            Assert.Equal("KedaAks Sandbox", connection.SubscriptionName);
            Assert.Contains(host.Verbose, v => v.Contains("/metadata/endpoints -> 200", StringComparison.Ordinal));
            Assert.Single(sandbox.Server.RequestLog.Requests, r => r.Path.StartsWith("/metadata/endpoints", StringComparison.Ordinal));

            // What Connect-KedaAzure keeps for later commands works without another metadata read.
            AzureSettings kept = ArmOnly(sandbox);
            kept.AuthorityHost = connection.AuthorityHost;
            kept.ArmAudience = connection.ArmAudience;
            AksCluster cluster = await sandbox.Service.GetClusterAsync(null, sandbox.Server.Options.ResourceGroup, sandbox.Server.Options.ClusterName, new RecordingHost().Call(kept));
            Assert.Equal(sandbox.Server.Options.ClusterName, cluster.Name);
            Assert.Single(sandbox.Server.RequestLog.Requests, r => r.Path.StartsWith("/metadata/endpoints", StringComparison.Ordinal));
        }

        [Fact]
        public async Task An_arm_endpoint_with_a_bearer_token_needs_no_authority_and_reads_no_metadata()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var token = new SecureString();
            foreach (char c in sandbox.Server.Tokens.Issue(sandbox.Server.Options.TenantId, sandbox.Server.Url + "/", "p", "a", TimeSpan.FromMinutes(30)))
            {
                token.AppendChar(c);
            }

            AzureSettings settings = ArmOnly(sandbox, TokenSource.AccessToken);
            settings.AccessToken = token;
            AzureConnection connection = await sandbox.Service.ConnectAsync(new RecordingHost().Call(settings));
            Assert.Null(connection.AuthorityHost);
            Assert.StartsWith("AccessToken", connection.ResolvedTokenSource, StringComparison.Ordinal);
            Assert.DoesNotContain(sandbox.Server.RequestLog.Requests, r => r.Path.StartsWith("/metadata/endpoints", StringComparison.Ordinal));
            var error = Assert.Throws<KedaAksException>(() => CloudEndpoints.Resolve(settings).AuthorityHost);
            Assert.Equal("NoAuthorityHost", error.ErrorId);
            Assert.Contains("-AuthorityHost", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(500, "application/json", "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"boom\"}}", "CloudMetadataUnavailable", "HTTP 500")]
        [InlineData(200, "text/html", "<html>sign in to the proxy</html>", "CloudMetadataInvalid", "not JSON")]
        [InlineData(200, "application/json", "{\"authentication\":{\"audiences\":[\"x\"]}}", "CloudMetadataInvalid", "no authentication.loginEndpoint")]
        [InlineData(200, "application/json", "{\"authentication\":{\"loginEndpoint\":\"http://login.test/\"}}", "CloudMetadataInvalid", "not an https")]
        [InlineData(200, "application/json", "42", "CloudMetadataInvalid", "names no cloud")]
        public async Task A_metadata_endpoint_that_fails_or_answers_garbage_names_the_url_and_the_fix(int status, string type, string body, string errorId, string why)
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Server.Responses.Add("/metadata/endpoints", status, type, body, 10);
            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.ConnectAsync(new RecordingHost().Call(ArmOnly(sandbox))));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains($"{sandbox.Server.Url}/metadata/endpoints?api-version=2022-09-01", error.Message, StringComparison.Ordinal);
            Assert.Contains(why, error.Message, StringComparison.Ordinal);
            Assert.Contains("-AuthorityHost", error.RecommendedAction, StringComparison.Ordinal);
            Assert.DoesNotContain(sandbox.Server.RequestLog.Requests, r => r.Path.Contains("/subscriptions/", StringComparison.Ordinal));
        }

        [Fact]
        public void A_list_of_clouds_gives_the_one_whose_resource_manager_is_the_endpoint()
        {
            string json = "[{\"resourceManager\":\"https://other.test/\",\"authentication\":{\"loginEndpoint\":\"https://login.other.test\",\"audiences\":[\"https://other.test/\"]}},"
                + "{\"resourceManager\":\"https://arm.contoso.test\",\"authentication\":{\"loginEndpoint\":\"https://login.contoso.test//\","
                + "\"audiences\":[\"https://management.contoso.test/abc\",\"https://arm.contoso.test/\"]}}]";
            (Uri authority, string audience) = CloudMetadata.Parse(json, Arm, CloudMetadata.Address(Arm), "fix");
            Assert.Equal("https://login.contoso.test/", authority.AbsoluteUri);
            Assert.Equal("https://management.contoso.test/abc", audience);
            Assert.Equal("https://management.contoso.test/abc/.default", CloudEndpoints.ScopeFor(audience));
            Assert.Equal("https://arm.contoso.test/.default", CloudEndpoints.ScopeFor("https://arm.contoso.test/"));
        }

        [Fact]
        public void A_metadata_without_audiences_takes_the_arm_endpoint_and_the_scope_follows_the_audience()
        {
            (_, string audience) = CloudMetadata.Parse("{\"authentication\":{\"loginEndpoint\":\"https://login.contoso.test\"}}", Arm, CloudMetadata.Address(Arm), "fix");
            Assert.Equal(Arm.AbsoluteUri, audience);
            CloudEndpoints cloud = CloudEndpoints.Resolve(new AzureSettings
            {
                Cloud = AzureCloudName.Custom, ArmEndpoint = Arm, AuthorityHost = new Uri("https://login.contoso.test"), ArmAudience = "https://management.contoso.test/abc",
            });
            Assert.Equal("https://management.contoso.test/abc/.default", cloud.ArmScope);
            Assert.Equal("https://login.contoso.test/", cloud.AuthorityHost.AbsoluteUri);
        }

        [Theory]
        [InlineData("https://management.azure.com", AzureCloudName.AzureCloud)]
        [InlineData("https://management.usgovcloudapi.net/", AzureCloudName.AzureUSGovernment)]
        [InlineData("https://management.chinacloudapi.cn/", AzureCloudName.AzureChinaCloud)]
        public void A_built_in_clouds_arm_endpoint_is_that_cloud_without_a_metadata_read(string arm, AzureCloudName expected)
        {
            var settings = new AzureSettings { Cloud = AzureCloudName.Custom, ArmEndpoint = new Uri(arm) };
            Assert.False(CloudEndpoints.NeedsDiscovery(settings));
            Assert.Equal(expected, CloudEndpoints.Resolve(settings).Name);
        }

        [Fact]
        public void An_authority_alone_names_no_cloud()
        {
            var error = Assert.Throws<KedaAksException>(() => CloudEndpoints.Resolve(new AzureSettings { Cloud = AzureCloudName.Custom, AuthorityHost = new Uri("https://login.test/") }));
            Assert.Equal("IncompleteCustomCloud", error.ErrorId);
            Assert.True(CloudEndpoints.NeedsDiscovery(new AzureSettings { Cloud = AzureCloudName.Custom, ArmEndpoint = Arm }));
            Assert.Equal("https://arm.contoso.test/metadata/endpoints?api-version=2022-09-01", CloudMetadata.Address(Arm).AbsoluteUri);
        }
    }
}
