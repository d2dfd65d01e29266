using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KedaAks.Sandbox
{
    /// <summary>
    /// A sandbox certificate authority kept in a folder (ca.pem, ca.key), and short-lived server
    /// certificates it signs for 127.0.0.1/localhost. Clients trust ca.pem the standard way
    /// (SSL_CERT_FILE, or a chain policy with a custom trust store); nothing disables TLS checks.
    /// </summary>
    public sealed class SandboxCertificates
    {
        private SandboxCertificates(X509Certificate2 authority, string? pemPath)
        {
            Authority = authority;
            AuthorityPemPath = pemPath;
        }

        public X509Certificate2 Authority { get; }

        public string? AuthorityPemPath { get; }

        /// <summary>Loads the CA from <paramref name="directory"/>, creating it there first if needed.</summary>
        public static SandboxCertificates LoadOrCreate(string directory)
        {
            Directory.CreateDirectory(directory);
            string certPath = Path.Combine(directory, "ca.pem");
            string keyPath = Path.Combine(directory, "ca.key");
            if (!File.Exists(certPath) || !File.Exists(keyPath))
            {
                using X509Certificate2 created = CreateAuthority();
                using RSA key = created.GetRSAPrivateKey()!;
                File.WriteAllText(keyPath + ".tmp", key.ExportPkcs8PrivateKeyPem());
                File.WriteAllText(certPath + ".tmp", created.ExportCertificatePem());
                File.Move(keyPath + ".tmp", keyPath, overwrite: true);
                File.Move(certPath + ".tmp", certPath, overwrite: true);
            }

            return new SandboxCertificates(X509Certificate2.CreateFromPemFile(certPath, keyPath), certPath);
        }

        /// <summary>A CA that lives only in memory (in-process tests).</summary>
        public static SandboxCertificates InMemory() => new(CreateAuthority(), null);

        public X509Certificate2 IssueServerCertificate()
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=KedaAks Sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            using X509Certificate2 signed = Sign(request);
            using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        }

        /// <summary>
        /// A client certificate this CA signs, as AKS's listClusterAdminCredential hands one out (CN=masterclient, O=system:masters): its
        /// certificate and key as PEM, for a kubeconfig's client-certificate-data and client-key-data.
        /// </summary>
        public (string Certificate, string Key) IssueClientCertificate(string subject = "CN=masterclient, O=system:masters")
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
            using X509Certificate2 signed = Sign(request);
            return (signed.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }

        /// <summary>A leaf certificate this CA signs: valid from five minutes ago for two days, a random positive serial number.</summary>
        private X509Certificate2 Sign(CertificateRequest request)
        {
            byte[] serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
            return request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2), serial);
        }

        /// <summary>A validation callback that trusts exactly this CA (a custom trust store, full chain checks).</summary>
        public bool Validate(X509Certificate2? certificate)
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        }

        private static X509Certificate2 CreateAuthority()
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=KedaAks Sandbox CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        }
    }
}
