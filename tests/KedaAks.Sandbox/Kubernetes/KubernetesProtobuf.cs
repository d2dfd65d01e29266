using System;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Kubernetes
{
    /// <summary>
    /// Reads the Kubernetes protobuf encoding (the "k8s\0" envelope around runtime.Unknown) for the one kind typed
    /// clients send that way here: v1 Secret (Helm's release storage). Field numbers from k8s.io/api generated.proto.
    /// </summary>
    public static class KubernetesProtobuf
    {
        private static readonly byte[] Magic = { 0x6b, 0x38, 0x73, 0x00 };

        public static bool IsProtobuf(string? contentType) => contentType?.Contains("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) == true;

        /// <summary>The object as JSON, or null when it is not an envelope of a kind this reader knows.</summary>
        public static JsonObject? ToJson(byte[] body)
        {
            if (body.Length < 4 || body[0] != Magic[0] || body[1] != Magic[1] || body[2] != Magic[2] || body[3] != Magic[3])
            {
                return null;
            }

            string apiVersion = string.Empty, kind = string.Empty;
            byte[]? raw = null;
            foreach ((int field, object value) in Fields(body.AsSpan(4).ToArray()))
            {
                switch (field)
                {
                    case 1:
                        foreach ((int f, object v) in Fields((byte[])value))
                        {
                            if (f == 1) apiVersion = Text(v);
                            if (f == 2) kind = Text(v);
                        }

                        break;
                    case 2:
                        raw = (byte[])value;
                        break;
                }
            }

            if (raw is null || kind != "Secret")
            {
                return null;
            }

            var secret = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
            var data = new JsonObject();
            foreach ((int field, object value) in Fields(raw))
            {
                switch (field)
                {
                    case 1: secret["metadata"] = ObjectMeta((byte[])value); break;
                    case 2: (string key, byte[] bytes) = MapEntry((byte[])value); data[key] = Convert.ToBase64String(bytes); break;
                    case 3: secret["type"] = Text(value); break;
                    case 5: secret["immutable"] = Convert.ToInt64(value) != 0; break;
                }
            }

            secret["data"] = data;
            return secret;
        }

        private static JsonObject ObjectMeta(byte[] bytes)
        {
            var meta = new JsonObject();
            var labels = new JsonObject();
            var annotations = new JsonObject();
            foreach ((int field, object value) in Fields(bytes))
            {
                switch (field)
                {
                    case 1: meta["name"] = Text(value); break;
                    case 2: meta["generateName"] = Text(value); break;
                    case 3: meta["namespace"] = Text(value); break;
                    case 5: meta["uid"] = Text(value); break;
                    case 6: meta["resourceVersion"] = Text(value); break;
                    case 11: (string lk, byte[] lv) = MapEntry((byte[])value); labels[lk] = Encoding.UTF8.GetString(lv); break;
                    case 12: (string ak, byte[] av) = MapEntry((byte[])value); annotations[ak] = Encoding.UTF8.GetString(av); break;
                }
            }

            if (labels.Count > 0) meta["labels"] = labels;
            if (annotations.Count > 0) meta["annotations"] = annotations;
            return meta;
        }

        private static (string Key, byte[] Value) MapEntry(byte[] bytes)
        {
            string key = string.Empty;
            byte[] value = Array.Empty<byte>();
            foreach ((int field, object v) in Fields(bytes))
            {
                if (field == 1) key = Text(v);
                if (field == 2) value = (byte[])v;
            }

            return (key, value);
        }

        private static string Text(object value) => value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value.ToString() ?? string.Empty;

        /// <summary>Protobuf wire format: (field number, varint as long or length-delimited as bytes).</summary>
        private static System.Collections.Generic.IEnumerable<(int Field, object Value)> Fields(byte[] bytes)
        {
            int position = 0;
            while (position < bytes.Length)
            {
                ulong key = Varint(bytes, ref position);
                int field = (int)(key >> 3);
                switch ((int)(key & 7))
                {
                    case 0: yield return (field, (long)Varint(bytes, ref position)); break;
                    case 1: position += 8; break;
                    case 2:
                        int length = (int)Varint(bytes, ref position);
                        yield return (field, bytes.AsSpan(position, length).ToArray());
                        position += length;
                        break;
                    case 5: position += 4; break;
                    default: throw new InvalidDataException($"Unsupported protobuf wire type in field {field}.");
                }
            }
        }

        private static ulong Varint(byte[] bytes, ref int position)
        {
            ulong result = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = bytes[position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
        }
    }
}
