using System;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>The sandbox answers as ARM does, with the documented error bodies (../shared/docs/azure-facts.md).</summary>
    public class ArmStandInTests
    {
        private const string Credential = "{\"properties\":{\"issuer\":\"https://eastus.oic.prod-aks.azure.com/t/i/\","
            + "\"subject\":\"system:serviceaccount:keda:keda-operator\",\"audiences\":[\"api://AzureADTokenExchange\"]}}";

        private static async Task<AzureSandbox> WithIdentityAsync(string name = "id1")
        {
            AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var (status, _) = await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath(name), "{\"location\":\"eastus\"}");
            Assert.Equal(HttpStatusCode.Created, status);
            return sandbox;
        }

        [Theory]
        [InlineData("ab", Credential, HttpStatusCode.BadRequest, "Federated Identity Credential name 'ab' is invalid.")]
        [InlineData("fic1", "{\"properties\":{\"issuer\":\"https://a/\",\"subject\":\"s\",\"audiences\":[\"a\",\"b\"]}}", HttpStatusCode.BadRequest,
            "Federated identity credentials must have exactly one audience.")]
        [InlineData("fic1", "{\"properties\":{\"issuer\":\"https://a/\"}}", HttpStatusCode.BadRequest, "Federated Identity Credential must specify 'issuer', 'subject' and 'audience'.")]
        [InlineData("fic1", "{}", HttpStatusCode.BadRequest, "Federated Identity Credential from HTTP body has empty properties")]
        public async Task Federated_credential_bodies_are_checked_as_entra_checks_them(string name, string body, HttpStatusCode expected, string message)
        {
            await using AzureSandbox sandbox = await WithIdentityAsync();
            var (status, json) = await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials/" + name, body);
            Assert.Equal(expected, status);
            Assert.Contains(message, json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Issuer_and_subject_are_unique_per_identity_and_twenty_is_the_limit()
        {
            await using AzureSandbox sandbox = await WithIdentityAsync();
            Assert.Equal(HttpStatusCode.Created, (await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials/first", Credential)).Status);
            Assert.Equal(HttpStatusCode.OK, (await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials/first", Credential)).Status);
            var (duplicate, body) = await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials/second", Credential);
            Assert.Equal(HttpStatusCode.BadRequest, duplicate);
            Assert.Equal("Issuer and subject combination already exists for this Managed Identity.", body!["error"]!["message"]!.GetValue<string>());

            for (int i = 1; i < 20; i++)
            {
                string fic = Credential.Replace("keda-operator", "sa" + i, StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.Created, (await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials/fic" + i, fic)).Status);
            }

            var (over, _) = await sandbox.SendRawAsync(
                HttpMethod.Put, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials/fic20", Credential.Replace("keda-operator", "sa20", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.BadRequest, over);

            var (page, list) = await sandbox.SendRawAsync(HttpMethod.Get, sandbox.IdentityPath("id1") + "/federatedIdentityCredentials");
            Assert.Equal(HttpStatusCode.OK, page);
            Assert.Equal(10, list!["value"]!.AsArray().Count);
            Assert.Contains("$skipToken=10", list["nextLink"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_missing_parent_identity_and_deleting_twice_answer_as_arm_does()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var (status, body) = await sandbox.SendRawAsync(HttpMethod.Put, sandbox.IdentityPath("ghost") + "/federatedIdentityCredentials/fic1", Credential);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("The parent user-assigned identity doesn't exist.", body!["error"]!["message"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.NoContent, (await sandbox.SendRawAsync(HttpMethod.Delete, sandbox.IdentityPath("ghost"))).Status);
        }

        [Fact]
        public async Task Requests_need_an_api_version_and_a_valid_token()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var (badVersion, body) = await sandbox.SendRawAsync(HttpMethod.Get, sandbox.IdentityPath("x"), apiVersion: "2015-01-01");
            Assert.Equal(HttpStatusCode.BadRequest, badVersion);
            Assert.Equal("NoRegisteredProviderFound", body!["error"]!["code"]!.GetValue<string>());

            using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => sandbox.Server.Certificates.Validate(c) });
            HttpResponseMessage anonymous = await client.GetAsync($"{sandbox.Server.Url}/subscriptions/{sandbox.Server.Options.SubscriptionId}?api-version=2022-12-01");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("AuthenticationFailed", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Admin_credentials_are_refused_when_local_accounts_are_disabled()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.LocalAccountsDisabled = true);
            var (status, body) = await sandbox.SendRawAsync(HttpMethod.Post, sandbox.Server.Arm.ClusterId + "/listClusterAdminCredential", apiVersion: "2026-06-01");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Getting static credential is not allowed because this cluster is set to disable local accounts.", body!["error"]!["message"]!.GetValue<string>());
            var (user, credentials) = await sandbox.SendRawAsync(HttpMethod.Post, sandbox.Server.Arm.ClusterId + "/listClusterUserCredential", apiVersion: "2026-06-01");
            Assert.Equal(HttpStatusCode.OK, user);
            Assert.Equal("clusterUser", credentials!["kubeconfigs"]![0]!["name"]!.GetValue<string>());
        }
    }
}
