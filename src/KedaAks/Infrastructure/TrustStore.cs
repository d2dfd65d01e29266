using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Loads the machine's trust store on another core from the moment a command that may make a TLS connection begins. On Linux .NET
    /// reads every certificate of the system store (/etc/ssl/certs, and SSL_CERT_FILE when set) the first time any TLS chain is built in a
    /// process, a few hundred milliseconds on a small machine, even for an API server whose authority the kubeconfig names; the first
    /// handshake waits for that read. Begun with the command, the read runs while the parameters are processed, the engine loads, the
    /// kubeconfig is read and the client made, so the handshake finds it done or nearly. The read is cached for the process.
    /// </summary>
    internal static class TrustStore
    {
        // A self-signed certificate made once for this purpose (CN=kedaaks-trust-probe; its key was never kept): the store is read the same
        // way for any chain, so building this one's reads it without making a key pair first.
        private const string Probe =
            "MIIBkjCCATegAwIBAgIUWTv26Uyuh7TJjc+msbU3M4ZhBsEwCgYIKoZIzj0EAwIwHjEcMBoGA1UEAwwTa2VkYWFrcy10cnVzdC1wcm9iZTAeFw0yNjEyMDIx"
            + "NTQ0MTJaFw0yNjEyMDMxNTQ0MTJaMB4xHDAaBgNVBAMME2tlZGFha3MtdHJ1c3QtcHJvYmUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATGo0+u/WTORhzf"
            + "HNpXkHS0pEo6412tEIF4AzI2+dA63rFGI/N8kMedG6TDlAlqJh90+jJmAbtClHQJNSwA1emao1MwUTAdBgNVHQ4EFgQUsZAkMTm5y0ihiwZywR5hHgBbI8Qw"
            + "HwYDVR0jBBgwFoAUsZAkMTm5y0ihiwZywR5hHgBbI8QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEApZroZRdEm8/djryIX9hEobmD/CAV"
            + "IxXjgU0GrSI8PK4CIQDzOTcOLDWP/id/hDkWSXX8sDYbYQLyDZITSFWDlZuS/g==";

        private static int _started;

        /// <summary>Starts the read once per process (true when this call started it). Never throws, and only on Linux: elsewhere a chain of an unknown root could go to the network.</summary>
        public static bool StartLoading()
        {
            if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _started, 1) == 1)
            {
                return false;
            }

            _ = Task.Run(() =>
            {
                try
                {
                    using var probe = new X509Certificate2(Convert.FromBase64String(Probe));
                    using var chain = new X509Chain { ChainPolicy = { RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true } };
                    chain.Build(probe);
                }
                catch (Exception exception) when (exception is CryptographicException or PlatformNotSupportedException)
                {
                    // Only a head start is lost: the first handshake reads the store itself.
                }
            });
            return true;
        }
    }
}
