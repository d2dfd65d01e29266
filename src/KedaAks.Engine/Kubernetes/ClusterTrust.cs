using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Loads the machine's trust store while the first connection of a process is still being made. On Linux .NET reads every
    /// certificate under the system store (/etc/ssl/certs, SSL_CERT_FILE) the first time any TLS chain is built, ~100 ms, even
    /// for a server whose authority the kubeconfig names; that read is cached for the process. Started when a connection begins,
    /// it runs on another core while the kubeconfig is read and the client made, so the handshake finds it done.
    /// </summary>
    internal sealed class ClusterTrust
    {
        private int _started;

        /// <summary>
        /// Starts the load once per engine (true when this call started it), by building the chain of a throwaway self-signed certificate: the
        /// store is read the same way for any chain. Never throws, and only on Linux; where no such certificate can be made, the first handshake reads the store itself.
        /// </summary>
        public bool WarmUp()
        {
            // Only Linux reads its whole store on the first chain; elsewhere a chain of an unknown root could go to the network for it.
            if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _started, 1) == 1)
            {
                return false;
            }

            _ = Task.Run(() =>
            {
                try
                {
                    using var key = ECDsa.Create();
                    using X509Certificate2 probe = new CertificateRequest("CN=kedaaks-trust-probe", key, HashAlgorithmName.SHA256)
                        .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
                    using var chain = new X509Chain { ChainPolicy = { RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true } };
                    chain.Build(probe);
                }
                catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
                {
                    // Only a head start is lost.
                }
            });
            return true;
        }
    }
}
