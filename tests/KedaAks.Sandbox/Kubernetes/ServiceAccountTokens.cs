using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KedaAks.Sandbox.Arm;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// The cluster's service-account token signer (RS256), as the API server's TokenRequest uses it: iss is the
    /// cluster's OIDC issuer when enabled (else the in-cluster default), sub system:serviceaccount:&lt;ns&gt;:&lt;name&gt;.
    /// </summary>
    public sealed class ServiceAccountTokens
    {
        public const string InClusterIssuer = "https://kubernetes.default.svc.cluster.local";

        private readonly RSA _key = RSA.Create(2048);

        public ServiceAccountTokens(Func<string> issuer) => Issuer = issuer;

        public Func<string> Issuer { get; }

        /// <summary>A marker every token's signature starts with (the secrets suite searches for it in everything the module leaves); null for none.</summary>
        public string? Canary { get; set; }

        public string Issue(string ns, string name, string uid, string[] audiences, TimeSpan lifetime, DateTimeOffset? now = null)
        {
            long issued = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            var payload = new JsonObject
            {
                ["aud"] = new JsonArray(audiences.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["exp"] = issued + (long)lifetime.TotalSeconds,
                ["iat"] = issued,
                ["nbf"] = issued,
                ["iss"] = Issuer(),
                ["sub"] = $"system:serviceaccount:{ns}:{name}",
                ["kubernetes.io"] = new JsonObject { ["namespace"] = ns, ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid } },
            };
            string head = TokenService.Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\",\"kid\":\"sandbox\",\"typ\":\"JWT\"}"));
            string body = TokenService.Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
            byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(head + "." + body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return $"{head}.{body}.{Canary}{TokenService.Base64Url(signature)}";
        }

        /// <summary>The claims of a token this cluster signed (expired ones included: the caller decides), else null.</summary>
        public JsonObject? Verify(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                byte[] signature = TokenService.FromBase64Url(TokenService.WithoutCanary(parts[2], Canary));
                bool valid = _key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return valid ? JsonNode.Parse(TokenService.FromBase64Url(parts[1])) as JsonObject : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
