using System.IO.Compression;
using k8s.Models;

namespace KedaAks.Engine.Helm
{
    /// <summary>Helm's storage of releases in secrets (label owner=helm).</summary>
    internal static class ReleaseSecrets
    {
        public const string Selector = "owner=helm";

        /// <summary>A Helm 3/4 release secret: data.release is base64 of gzip of the release JSON.</summary>
        public static JsonNode? Decode(V1Secret secret)
        {
            if (secret.Data is null || !secret.Data.TryGetValue("release", out byte[]? encoded))
            {
                return null;
            }

            try
            {
                byte[] bytes = Convert.FromBase64String(Encoding.ASCII.GetString(encoded));
                if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
                {
                    using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                    using var plain = new MemoryStream();
                    gzip.CopyTo(plain);
                    bytes = plain.ToArray();
                }

                return JsonNode.Parse(bytes);
            }
            catch (Exception exception) when (exception is FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }
}
