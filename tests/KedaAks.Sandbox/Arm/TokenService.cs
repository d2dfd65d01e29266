using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Arm
{
    /// <summary>Signs and checks the sandbox's Entra access tokens (JWT, HS256 with a key that never leaves the process).</summary>
    public sealed class TokenService
    {
        private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

        /// <summary>A marker every access token's signature starts with (the secrets suite searches for it in everything the module leaves); null for none.</summary>
        public string? Canary { get; set; }

        public string Issue(string tenantId, string audience, string objectId, string appId, TimeSpan lifetime)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var payload = new JsonObject
            {
                ["aud"] = audience,
                ["iss"] = $"https://sts.windows.net/{tenantId}/",
                ["iat"] = now,
                ["nbf"] = now,
                ["exp"] = now + (long)lifetime.TotalSeconds,
                ["tid"] = tenantId,
                ["oid"] = objectId,
                ["appid"] = appId,
                ["sub"] = objectId,
            };
            string head = Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
            string body = Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
            return $"{head}.{body}.{Canary}{Sign(head + "." + body)}";
        }

        /// <summary>The token's claims when its signature and lifetime are good; null otherwise.</summary>
        public JsonObject? Validate(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(parts[0] + "." + parts[1])), Encoding.ASCII.GetBytes(WithoutCanary(parts[2], Canary))))
            {
                return null;
            }

            JsonObject? claims = JsonNode.Parse(FromBase64Url(parts[1]))?.AsObject();
            long exp = claims?["exp"]?.GetValue<long>() ?? 0;
            return exp > DateTimeOffset.UtcNow.ToUnixTimeSeconds() ? claims : null;
        }

        private string Sign(string data)
        {
            using var hmac = new HMACSHA256(_key);
            return Base64Url(hmac.ComputeHash(Encoding.ASCII.GetBytes(data)));
        }

        /// <summary>A signature with the canary marker taken off its front (a signature without it is returned as it is).</summary>
        public static string WithoutCanary(string signature, string? canary) =>
            canary is { Length: > 0 } && signature.StartsWith(canary, StringComparison.Ordinal) ? signature.Substring(canary.Length) : signature;

        public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static byte[] FromBase64Url(string text)
        {
            string padded = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
        }
    }
}
