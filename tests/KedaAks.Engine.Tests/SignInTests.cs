using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using global::Azure.Core.Pipeline;
using KedaAks.Engine.Azure;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Each way a sign-in fails gets its own ErrorId, its root cause said once, and a fix that fits.</summary>
    public sealed class SignInTests
    {
        private static int ClosedPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [Fact]
        public async Task A_rejected_secret_names_Entras_code_and_what_it_means()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Environment["AZURE_CLIENT_SECRET"] = "wrong";
            var error = await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.ConnectAsync(new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal(("AzureAuthenticationFailed", KedaErrorCategory.AuthenticationError), (error.ErrorId, error.Category));
            Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
            Assert.Contains("not its Secret ID", error.Message, StringComparison.Ordinal);
            Assert.Equal("AADSTS7000215", error.TargetObject);
            Assert.DoesNotContain("Retry settings", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("inner exception", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_untrusted_certificate_names_the_host_and_how_to_trust_its_CA()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var untrusting = new AzureService(sandbox.Options with { Transport = new HttpClientTransport(new HttpClientHandler()), CredentialCache = new() });
            var error = await Assert.ThrowsAsync<KedaAksException>(() => untrusting.ConnectAsync(new RecordingHost().Call(sandbox.Settings())));
            Assert.Equal(("AzureSignInCertificateUntrusted", KedaErrorCategory.SecurityError), (error.ErrorId, error.Category));
            Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
            Assert.Contains("SSL_CERT_FILE", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(1, CountOf(error.Message, "not trusted"));
        }

        [Fact]
        public async Task An_unreachable_authority_is_a_connection_error_naming_the_host()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            AzureSettings settings = sandbox.Settings();
            settings.AuthorityHost = new Uri($"https://127.0.0.1:{ClosedPort()}/");
            var fast = new AzureService(sandbox.Options with { MaxRetries = 0, CredentialCache = new() });
            var error = await Assert.ThrowsAsync<KedaAksException>(() => fast.ConnectAsync(new RecordingHost().Call(settings)));
            Assert.Equal(("AzureSignInUnreachable", KedaErrorCategory.ConnectionError), (error.ErrorId, error.Category));
            Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
            Assert.Contains("refused", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Retry settings", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task No_credential_at_all_says_what_Auto_looked_for()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            var bare = new AzureService(sandbox.Options with { Environment = new FakeEnvironment(), CredentialCache = new() });
            var error = await Assert.ThrowsAsync<KedaAksException>(() => bare.ConnectAsync(new RecordingHost().Call(sandbox.Settings(TokenSource.Auto))));
            Assert.Equal(("AzureCredentialNotFound", KedaErrorCategory.AuthenticationError), (error.ErrorId, error.Category));
            Assert.Contains("no token source is configured", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_full_chain_goes_to_debug_only()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync();
            sandbox.Environment["AZURE_CLIENT_SECRET"] = "wrong";
            var host = new RecordingHost();
            await Assert.ThrowsAsync<KedaAksException>(() => sandbox.Service.ConnectAsync(host.Call(sandbox.Settings())));
            Assert.Contains(host.Debug, line => line.Contains("AuthenticationFailedException", StringComparison.Ordinal));
            Assert.DoesNotContain(host.Verbose, line => line.Contains("AuthenticationFailedException", StringComparison.Ordinal));
            Assert.DoesNotContain(host.Debug, line => line.Contains("wrong", StringComparison.Ordinal) && line.Contains("secret=", StringComparison.Ordinal));
        }

        private static int CountOf(string text, string part)
        {
            int count = 0;
            for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }
}
