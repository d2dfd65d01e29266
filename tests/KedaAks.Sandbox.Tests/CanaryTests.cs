using System;
using KedaAks.Sandbox.Arm;
using KedaAks.Sandbox.Kubernetes;
using Xunit;

namespace KedaAks.Sandbox.Tests
{
    /// <summary>The secrets suite's canaries: tokens the sandbox mints carry a marker and still validate; the local account's token can be chosen.</summary>
    public class CanaryTests
    {
        [Fact]
        public void Access_tokens_carry_the_canary_and_still_validate()
        {
            var tokens = new TokenService { Canary = "CanaryArmToken42" };
            string token = tokens.Issue("t", "https://management.azure.com", "oid", "app", TimeSpan.FromMinutes(5));
            Assert.Contains("CanaryArmToken42", token, StringComparison.Ordinal);
            Assert.Equal("oid", tokens.Validate(token)!["oid"]!.GetValue<string>());
            Assert.Null(tokens.Validate(token.Replace("CanaryArmToken42", string.Empty, StringComparison.Ordinal) + "x"));
        }

        [Fact]
        public void Service_account_tokens_carry_the_canary_and_still_verify()
        {
            var tokens = new ServiceAccountTokens(() => "https://issuer.example/") { Canary = "CanarySaToken42" };
            string token = tokens.Issue("keda", "keda-operator", "uid", new[] { "api://AzureADTokenExchange" }, TimeSpan.FromMinutes(5));
            Assert.Contains("CanarySaToken42", token, StringComparison.Ordinal);
            Assert.Equal("system:serviceaccount:keda:keda-operator", tokens.Verify(token)!["sub"]!.GetValue<string>());
        }

        [Fact]
        public void The_local_account_token_and_client_secret_can_be_chosen()
        {
            var server = new SandboxServer(new SandboxOptions { KubernetesToken = "CanaryKube42", ClientSecret = "CanarySecret42" });
            Assert.Equal("CanaryKube42", server.Kubernetes.Token);
            Assert.Contains("token: CanaryKube42", server.Kubeconfig(), StringComparison.Ordinal);
        }
    }
}
