using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;
using k8s.Autorest;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// One connection's transport to the API server, set up from KubernetesClient's configuration of a kubeconfig as that library sets up its
    /// own (the kubeconfig's CA as the only root, or no verification when it says so; its client certificate; a bearer token, exec plugin,
    /// Entra or basic credentials on each request; tls-server-name; HTTP/2), with the retry handler in front. The engine's JSON requests
    /// (apply, read, list, delete, the version) go straight through it; KubernetesClient's typed client is made on the first typed call
    /// and sends through the same handler, so one TLS session serves both. The typed client is not made for JSON: its type (every API
    /// group's operations) costs a process some 120 ms to load and construct before its first request.
    /// </summary>
    internal sealed class KubeHttp : IDisposable
    {
        private readonly KubernetesClientConfiguration _configuration;
        private readonly HttpMessageInvoker _transport;
        private readonly ServiceClientCredentials? _credentials;
        private readonly Uri _server;
        private readonly Version _version;
        private readonly object _gate = new();

        // Typed as object, so that nothing but a typed call loads KubernetesClient's client type.
        private object? _typed;

        public KubeHttp(KubernetesClientConfiguration configuration, DelegatingHandler retry)
        {
            _configuration = configuration;
            _server = new Uri(configuration.Host.TrimEnd('/') + "/");
            _version = configuration.DisableHttp2 ? HttpVersion.Version11 : HttpVersion.Version20;
            _credentials = configuration.TokenProvider is { } provider ? new TokenCredentials(provider)
                : !string.IsNullOrEmpty(configuration.AccessToken) ? new TokenCredentials(configuration.AccessToken)
                : !string.IsNullOrEmpty(configuration.Username) ? new BasicAuthenticationCredentials { UserName = configuration.Username, Password = configuration.Password }
                : null;

            var sockets = new SocketsHttpHandler
            {
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                KeepAlivePingDelay = TimeSpan.FromMinutes(3),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                EnableMultipleHttp2Connections = true,
            };
            if (_server.Scheme == Uri.UriSchemeHttps)
            {
                if (configuration.SkipTlsVerify)
                {
                    sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
                }
                else if (configuration.SslCaCerts is { Count: > 0 } authorities)
                {
                    // The kubeconfig's authorities are the only roots, as kubectl trusts them: the chain and the server's name are checked against them.
                    var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                    policy.CustomTrustStore.AddRange(authorities);
                    sockets.SslOptions.CertificateChainPolicy = policy;
                    sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                        errors == SslPolicyErrors.None || EndsInBundle(chain, errors, authorities) || Refuse(errors, chain);
                }

                if (ClientCertificate(configuration) is { } certificate)
                {
                    sockets.SslOptions.ClientCertificates = new X509CertificateCollection { certificate };
                    sockets.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
                }
            }

            retry.InnerHandler = sockets;
            _transport = new HttpMessageInvoker(retry, disposeHandler: true);
        }

        /// <summary>Why the API server's certificate was last refused, in words (null when none was): TLS itself says only that a callback refused it.</summary>
        public string? Refusal { get; private set; }

        /// <summary>KubernetesClient's typed client on this transport (made once, on first use).</summary>
        public k8s.Kubernetes Typed
        {
            get
            {
                lock (_gate)
                {
                    return (k8s.Kubernetes)(_typed ??= new k8s.Kubernetes(_configuration, new Forward(_transport)));
                }
            }
        }

        /// <summary>
        /// One request of JSON (a body in <paramref name="contentType"/>, or none) for a JSON answer, null when the answer is empty. An answer that is
        /// not a success is thrown as KubernetesClient's <see cref="HttpOperationException"/>, with the status and body, as its typed calls throw it.
        /// </summary>
        public async Task<JsonNode?> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellation)
        {
            using var request = new HttpRequestMessage(method, new Uri(_server, path)) { Version = _version };
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
            }

            if (_credentials is not null)
            {
                await _credentials.ProcessHttpRequestAsync(request, cancellation).ConfigureAwait(false);
            }

            if (!string.IsNullOrWhiteSpace(_configuration.TlsServerName))
            {
                request.Headers.Host = _configuration.TlsServerName;
            }

            if (!string.IsNullOrWhiteSpace(_configuration.UserAgent))
            {
                request.Headers.TryAddWithoutValidation("User-Agent", _configuration.UserAgent);
            }

            using HttpResponseMessage response = await _transport.SendAsync(request, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
                // The request as the library's exception keeps it, without its credentials: nothing that holds the exception holds a token.
                var sent = new HttpRequestMessageWrapper(request, body ?? string.Empty);
                sent.Headers.Remove("Authorization");
                throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {text}")
                {
                    Request = sent,
                    Response = new HttpResponseMessageWrapper(response, text),
                };
            }

            if (response.Content.Headers.ContentLength == 0)
            {
                return null;
            }

            using Stream stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
            return await JsonNode.ParseAsync(stream, cancellationToken: cancellation).ConfigureAwait(false);
        }

        private bool Refuse(SslPolicyErrors errors, X509Chain? chain)
        {
            var reasons = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                reasons.Add("the server sent no certificate");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                reasons.Add($"its certificate does not name '{_configuration.TlsServerName ?? _server.Host}'");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                string status = string.Join(", ", (chain?.ChainStatus ?? Array.Empty<X509ChainStatus>()).Select(s => s.Status).Distinct());
                reasons.Add($"its certificate's chain does not end in the kubeconfig's certificate-authority{(status.Length > 0 ? $" ({status})" : string.Empty)}");
            }

            Refusal = string.Join("; ", reasons);
            return false;
        }

        /// <summary>
        /// A chain that stops at a certificate of the kubeconfig's bundle that is not self-signed (an intermediate given as the authority): kubectl
        /// takes any certificate of the bundle as an anchor, .NET only a self-signed one. Only that one flaw is forgiven; the name is still checked.
        /// </summary>
        internal static bool EndsInBundle(X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection authorities) =>
            errors == SslPolicyErrors.RemoteCertificateChainErrors && chain is { ChainElements.Count: > 0 }
            && chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.NoError)
            && authorities.Any(a => a.RawData.AsSpan().SequenceEqual(chain.ChainElements[^1].Certificate.RawData));

        /// <summary>
        /// The kubeconfig's client certificate with its key (data or files, PEM), or null when it names none. Windows' TLS cannot use a key
        /// that lives only in memory, so there the pair goes through PKCS#12 once, as KubernetesClient does it.
        /// </summary>
        private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration configuration)
        {
            static string? Pem(string? data, string? file) =>
                !string.IsNullOrEmpty(data) ? Encoding.UTF8.GetString(Convert.FromBase64String(data)) : !string.IsNullOrEmpty(file) ? File.ReadAllText(file) : null;

            if (Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath) is not { } certificate
                || Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath) is not { } key)
            {
                return null;
            }

            X509Certificate2 pair = X509Certificate2.CreateFromPem(certificate, key);
            if (!OperatingSystem.IsWindows())
            {
                return pair;
            }

            using (pair)
            {
                return new X509Certificate2(pair.Export(X509ContentType.Pkcs12));
            }
        }

        /// <summary>Where <paramref name="kind"/>'s objects are served: /api/v1/... for the core group, /apis/group/version/... otherwise.</summary>
        public static string PathOf(KubeKind kind, string? ns, string? name)
        {
            var path = new StringBuilder(kind.Group.Length == 0 ? $"api/{kind.Version}/" : $"apis/{kind.Group}/{kind.Version}/");
            if (kind.Namespaced && ns is not null)
            {
                path.Append("namespaces/").Append(Uri.EscapeDataString(ns)).Append('/');
            }

            path.Append(kind.Plural);
            return name is null ? path.ToString() : path.Append('/').Append(Uri.EscapeDataString(name)).ToString();
        }

        public void Dispose()
        {
            (_typed as IDisposable)?.Dispose();

            _transport.Dispose();
        }

        /// <summary>The typed client's last handler: its requests (credentials already on them) go through this transport, not a second connection.</summary>
        private sealed class Forward(HttpMessageInvoker transport) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                transport.SendAsync(request, cancellationToken);
        }
    }
}
