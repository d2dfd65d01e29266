using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using KedaAks.Engine.Kubernetes;
using KedaAks.Sandbox;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>
    /// The transport a kubeconfig describes, against the sandbox's real TLS server: its CA as the only root (the server's name checked, as
    /// kubectl checks it), insecure-skip-tls-verify, tls-server-name, a client certificate instead of a token, and one TLS connection for
    /// the JSON and the typed requests of an engine call.
    /// </summary>
    public class KubeTransportTests
    {
        private static async Task<(AzureSandbox Sandbox, KubernetesService Service)> StartAsync()
        {
            AzureSandbox sandbox = await AzureSandbox.StartAsync(_ => { });
            return (sandbox, new KubernetesService(sandbox.Service, sandbox.Options));
        }

        private static async Task<ClusterConnection> ConnectAsync(AzureSandbox sandbox, KubernetesService service, string kubeconfig)
        {
            string path = Path.GetTempFileName();
            try
            {
                File.WriteAllText(path, kubeconfig);
                return await service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { path } }, new RecordingHost().Call(sandbox.Settings()));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task A_client_certificate_the_clusters_CA_signed_authenticates_without_a_token()
        {
            (AzureSandbox sandbox, KubernetesService service) = await StartAsync();
            await using (sandbox)
            {
                string kubeconfig = sandbox.Server.Kubeconfig(SandboxServer.KubeconfigUser.ClientCertificate);
                Assert.DoesNotContain("token:", kubeconfig, StringComparison.Ordinal);
                ClusterConnection connection = await ConnectAsync(sandbox, service, kubeconfig);
                Assert.Equal("v1.33.2", connection.KubernetesVersion);

                // The control: a certificate another CA signed is sent as well, and the API server refuses it.
                (string certificate, string key) = KedaAks.Sandbox.SandboxCertificates.InMemory().IssueClientCertificate();
                static string Data(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
                string stranger = string.Join('\n', kubeconfig.Split('\n').Select(l =>
                    l.Contains("client-certificate-data", StringComparison.Ordinal) ? $"    client-certificate-data: {Data(certificate)}"
                    : l.Contains("client-key-data", StringComparison.Ordinal) ? $"    client-key-data: {Data(key)}" : l));
                var refused = await Assert.ThrowsAsync<KedaAksException>(() => ConnectAsync(sandbox, service, stranger));
                Assert.Contains("Unauthorized", refused.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task The_kubeconfigs_CA_is_the_only_root_and_skipping_verification_is_honoured()
        {
            (AzureSandbox sandbox, KubernetesService service) = await StartAsync();
            await using (sandbox)
            {
                string kubeconfig = sandbox.Server.Kubeconfig();
                string ca = kubeconfig.Split('\n').Single(l => l.Contains("certificate-authority-data", StringComparison.Ordinal));
                string otherAuthority = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(KedaAks.Sandbox.SandboxCertificates.InMemory().Authority.ExportCertificatePem()));

                var untrusted = await Assert.ThrowsAsync<KedaAksException>(() => ConnectAsync(sandbox, service, kubeconfig.Replace(ca, $"    certificate-authority-data: {otherAuthority}")));
                Assert.Equal("TlsTrustFailed", untrusted.ErrorId);
                Assert.Contains("refused at TLS: its certificate's chain does not end in the kubeconfig's certificate-authority", untrusted.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("see inner exception", untrusted.Message, StringComparison.Ordinal);

                ClusterConnection skipped = await ConnectAsync(sandbox, service, kubeconfig.Replace(ca, "    insecure-skip-tls-verify: true"));
                Assert.Equal("v1.33.2", skipped.KubernetesVersion);
            }
        }

        [Fact]
        public async Task Tls_server_name_names_the_certificate_to_expect()
        {
            (AzureSandbox sandbox, KubernetesService service) = await StartAsync();
            await using (sandbox)
            {
                string kubeconfig = sandbox.Server.Kubeconfig();
                string server = kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith("server:", StringComparison.Ordinal));

                // The sandbox's certificate names localhost (and 127.0.0.1); another name is refused, as kubectl refuses it.
                ClusterConnection named = await ConnectAsync(sandbox, service, kubeconfig.Replace(server, server + "\n    tls-server-name: localhost"));
                Assert.Equal("v1.33.2", named.KubernetesVersion);
                var mismatch = await Assert.ThrowsAsync<KedaAksException>(() => ConnectAsync(sandbox, service, kubeconfig.Replace(server, server + "\n    tls-server-name: api.example.com")));
                Assert.Equal("TlsTrustFailed", mismatch.ErrorId);
                Assert.Contains("its certificate does not name 'api.example.com'", mismatch.Message, StringComparison.Ordinal);
                Assert.Contains("tls-server-name", mismatch.RecommendedAction, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task The_json_and_the_typed_requests_of_an_engine_call_share_one_TLS_connection()
        {
            (AzureSandbox sandbox, KubernetesService service) = await StartAsync();
            await using (sandbox)
            {
                ClusterConnection connection = await ConnectAsync(sandbox, service, sandbox.Server.Kubeconfig());
                sandbox.Server.RequestLog.Clear();
                CallContext call = new RecordingHost().Call(sandbox.Settings());
                await service.Gateway.ReadAsync(connection, KubeKind.Named("Namespace"), null, "default", new KubeOperation("default", "Reading"), call);
                await service.Gateway.ListDeploymentsAsync(connection, "default", call);
                var requests = sandbox.Server.Requests.Where(r => r.Path.StartsWith("/api", StringComparison.Ordinal)).ToList();
                Assert.Equal(2, requests.Count);
                Assert.Single(requests.Select(r => r.Connection).Distinct());
            }
        }

        [Fact]
        public async Task An_answer_that_is_not_a_success_is_the_librarys_exception_without_the_token()
        {
            (AzureSandbox sandbox, _) = await StartAsync();
            await using (sandbox)
            {
                var configuration = k8s.KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigFiles.Parse(sandbox.Server.Kubeconfig()));
                using var http = new KubeHttp(configuration, new RetryHandler(sandbox.Options, new RecordingHost()));
                var missing = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
                    http.SendAsync(System.Net.Http.HttpMethod.Get, KubeHttp.PathOf(KubeKind.Named("ScaledObject"), "default", "absent"), null, null, default));
                Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);
                Assert.Contains("NotFound", missing.Response.Content, StringComparison.Ordinal);
                Assert.False(missing.Request.Headers.ContainsKey("Authorization"));
                Assert.DoesNotContain(sandbox.Server.Kubernetes.Token, string.Join(" ", missing.Request.Headers.SelectMany(h => h.Value)), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void An_intermediate_given_as_the_authority_is_an_anchor_as_kubectl_takes_it_and_nothing_else_is_forgiven()
        {
            using var rootKey = System.Security.Cryptography.ECDsa.Create();
            using var middleKey = System.Security.Cryptography.ECDsa.Create();
            using var leafKey = System.Security.Cryptography.ECDsa.Create();
            var now = DateTimeOffset.UtcNow;
            static System.Security.Cryptography.X509Certificates.CertificateRequest Request(string name, System.Security.Cryptography.ECDsa key, bool authority)
            {
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(name, key, System.Security.Cryptography.HashAlgorithmName.SHA256);
                request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(authority, false, 0, true));
                return request;
            }

            using var root = Request("CN=root", rootKey, true).CreateSelfSigned(now.AddDays(-1), now.AddDays(10));
            using var middleOnly = Request("CN=intermediate", middleKey, true).Create(root, now.AddDays(-1), now.AddDays(5), new byte[] { 1 });
            using var middle = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.CopyWithPrivateKey(middleOnly, middleKey);
            using var leaf = Request("CN=server", leafKey, false).Create(middle, now.AddDays(-1), now.AddDays(2), new byte[] { 2 });

            using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
            chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(middle);
            Assert.False(chain.Build(leaf));   // .NET: an intermediate is no anchor (PartialChain)

            var bundle = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection { middle };
            var chainErrors = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
            Assert.True(KubeHttp.EndsInBundle(chain, chainErrors, bundle));
            Assert.False(KubeHttp.EndsInBundle(chain, chainErrors | System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch, bundle));
            Assert.False(KubeHttp.EndsInBundle(chain, chainErrors, new System.Security.Cryptography.X509Certificates.X509Certificate2Collection { root }));
        }

        [Fact]
        public async Task A_version_or_list_answer_that_is_not_an_object_is_not_the_API_servers()
        {
            (AzureSandbox sandbox, KubernetesService service) = await StartAsync();
            await using (sandbox)
            {
                sandbox.Server.Responses.Add("/version", 200, "application/json", "[]", 1);
                var error = await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => ConnectAsync(sandbox, service, sandbox.Server.Kubeconfig()));
                Assert.Contains("version answer is not a JSON object", error.Message, StringComparison.Ordinal);
            }
        }
    }
}
