using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.KubeConfigModels;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Loads the machine's trust store while the first connection of a process is still being made. On Linux .NET reads every
    /// certificate under the system store (/etc/ssl/certs, SSL_CERT_FILE) the first time any TLS chain is built, ~100 ms, even
    /// for a server whose authority the kubeconfig names; that read is cached for the process. Started as soon as the
    /// kubeconfig is read, it runs on another core alongside the client's making, so the handshake finds it done.
    /// </summary>
    internal sealed class ClusterTrust
    {
        private int _started;

        /// <summary>
        /// Starts the load once per engine, with the authority of <paramref name="context"/>'s cluster as the chain to build (true when this call started
        /// it); never throws, and data that is not a certificate is left for the client to report.
        /// </summary>
        public bool WarmUp(K8SConfiguration config, string? context)
        {
            string? authority = config.Clusters?.FirstOrDefault(c => c.Name == config.Contexts?.FirstOrDefault(x => x.Name == context)?.ContextDetails?.Cluster)
                ?.ClusterEndpoint?.CertificateAuthorityData;
            if (authority is null || Interlocked.Exchange(ref _started, 1) == 1)
            {
                return false;
            }

            _ = Task.Run(() =>
            {
                try
                {
                    using X509Certificate2 certificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(authority)));
                    using var chain = new X509Chain { ChainPolicy = { RevocationMode = X509RevocationMode.NoCheck } };
                    chain.Build(certificate);
                }
                catch (Exception exception) when (exception is FormatException or System.Security.Cryptography.CryptographicException)
                {
                    // Unreadable data is the client's to report (InvalidKubeconfig), when it reads the same field.
                }
            });
            return true;
        }
    }
}
