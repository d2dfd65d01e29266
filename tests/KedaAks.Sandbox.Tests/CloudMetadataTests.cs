using System;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>ARM's cloud metadata (GET /metadata/endpoints?api-version=2022-09-01): anonymous, one cloud object, every endpoint this sandbox.</summary>
    public class CloudMetadataTests
    {
        [Fact]
        public async Task The_metadata_is_served_without_a_token_in_the_2022_09_01_shape_pointing_at_the_sandbox()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            using HttpClient client = sandbox.Client();
            using HttpResponseMessage response = await client.GetAsync($"{sandbox.Server.Url}/metadata/endpoints?api-version=2022-09-01");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonObject cloud = Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
            string url = sandbox.Server.Url + "/";
            Assert.Equal(url, cloud["resourceManager"]!.GetValue<string>());
            Assert.Equal(url, cloud["authentication"]!["loginEndpoint"]!.GetValue<string>());
            Assert.Equal(url, cloud["authentication"]!["audiences"]![0]!.GetValue<string>());
            Assert.Equal("AAD", cloud["authentication"]!["identityProvider"]!.GetValue<string>());
            foreach (string field in new[] { "portal", "name", "graph", "graphAudience", "batch", "sqlManagement", "microsoftGraphResourceId", "suffixes" })
            {
                Assert.True(cloud.ContainsKey(field), field);
            }

            // The same path with a write verb is ARM's (and needs a token).
            using HttpResponseMessage write = await client.PostAsync($"{sandbox.Server.Url}/metadata/endpoints?api-version=2022-09-01", new StringContent("{}"));
            Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        }
    }
}
