using System.Security.Cryptography;

namespace KedaAks.Engine.Azure
{
    /// <summary>Pinned api-versions (no provider look-ups) and well-known ids.</summary>
    internal static class ArmApi
    {
        public const string ContainerService = "2026-06-01";
        public const string ManagedIdentity = "2024-11-30";
        public const string Authorization = "2022-04-01";
        public const string Monitor = "2023-04-03";
        public const string Subscriptions = "2022-12-01";
        public const string ResourceGroups = "2021-04-01";

        /// <summary>Azure Resource Graph's query API (POST /providers/Microsoft.ResourceGraph/resources); the newest stable, same schema as 2022-10-01.</summary>
        public const string ResourceGraph = "2024-04-01";

        public const string MonitoringDataReaderRoleId = "b0d8363b-8ddd-447d-831f-62ca05bff136";
        public const string MonitoringDataReaderRoleName = "Monitoring Data Reader";
        public const string TokenExchangeAudience = "api://AzureADTokenExchange";

        /// <summary>Bicep's guid() namespace: role-assignment names made from scope, principal and role are the ones Bicep would make.</summary>
        private static readonly Guid NameNamespace = new("11fb06fb-712d-4ddd-98c7-e71bbd588830");

        public static string RoleAssignmentName(string scope, string principalId, string roleId) =>
            UuidV5(NameNamespace, $"{scope.ToLowerInvariant()}-{principalId.ToLowerInvariant()}-{roleId.ToLowerInvariant()}").ToString();

        /// <summary>RFC 4122 name-based UUID, version 5 (SHA-1).</summary>
        internal static Guid UuidV5(Guid ns, string name)
        {
            byte[] namespaceBytes = ns.ToByteArray();
            SwapToNetworkOrder(namespaceBytes);
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            var input = new byte[namespaceBytes.Length + nameBytes.Length];
            Buffer.BlockCopy(namespaceBytes, 0, input, 0, namespaceBytes.Length);
            Buffer.BlockCopy(nameBytes, 0, input, namespaceBytes.Length, nameBytes.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 is defined with; this is naming, not security.
            byte[] hash = SHA1.HashData(input);
#pragma warning restore CA5350
            var result = new byte[16];
            Array.Copy(hash, result, 16);
            result[6] = (byte)((result[6] & 0x0F) | 0x50);
            result[8] = (byte)((result[8] & 0x3F) | 0x80);
            SwapToNetworkOrder(result);
            return new Guid(result);
        }

        private static void SwapToNetworkOrder(byte[] guid)
        {
            (guid[0], guid[3]) = (guid[3], guid[0]);
            (guid[1], guid[2]) = (guid[2], guid[1]);
            (guid[4], guid[5]) = (guid[5], guid[4]);
            (guid[6], guid[7]) = (guid[7], guid[6]);
        }
    }
}
