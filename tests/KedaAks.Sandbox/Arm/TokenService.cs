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
        private readonly byte[] _key = LoadKey();

        /// <summary>
        /// The signing key's file, shared by every sandbox process of one CA (Program sets it from --ca-dir): the sandboxes of a test run are
        /// one Entra, so a token one issued stays valid at another started later on the same address, as a real tenant's tokens do. Null: a key of this process only.
        /// </summary>
        public static string? KeyFile { get; set; }

        private static byte[] LoadKey()
        {
            if (KeyFile is not { } file)
            {
                return RandomNumberGenerator.GetBytes(32);
            }

            try
            {
                var options = new System.IO.FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = System.IO.FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite;
                }

                using (var stream = new System.IO.FileStream(file, options))
                {
                    stream.Write(RandomNumberGenerator.GetBytes(32));
                }
            }
            catch (System.IO.IOException) when (System.IO.File.Exists(file))
            {
                // Another sandbox made it first.
            }

            for (int attempt = 0; ; attempt++)
            {
                byte[] key = System.IO.File.ReadAllBytes(file);
                if (key.Length == 32 || attempt == 20)
                {
                    return key.Length == 32 ? key : RandomNumberGenerator.GetBytes(32);
                }

                System.Threading.Thread.Sleep(10);  // the other sandbox is still writing it
            }
        }

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
