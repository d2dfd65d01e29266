using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>Azure Monitor workspaces: read by id, and resolve what a user typed (a resource id or a name).</summary>
    internal sealed class Workspaces
    {
        private static readonly Regex NamePattern = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,259}$", RegexOptions.CultureInvariant);

        public async Task<MonitorWorkspace> GetAsync(ArmClient arm, string id) =>
            ArmModels.ToWorkspace(await arm.GetRequiredAsync(id, ArmApi.Monitor, "Azure Monitor workspace").ConfigureAwait(false));

        /// <summary>
        /// A workspace by resource id, or by name: first in <paramref name="resourceGroupName"/>, then anywhere in the subscription.
        /// Anything else, or a name that matches no workspace or several, is InvalidMonitorWorkspace.
        /// </summary>
        public async Task<MonitorWorkspace> ResolveAsync(ArmClient arm, string reference, string subscription, string? resourceGroupName)
        {
            string text = (reference ?? string.Empty).Trim();
            if (text.StartsWith("/", StringComparison.Ordinal))
            {
                return await GetAsync(arm, ParseId(text).ToString()).ConfigureAwait(false);
            }

            if (!NamePattern.IsMatch(text))
            {
                throw Invalid(reference, $"'{reference}' is neither an Azure Monitor workspace resource id nor a workspace name.");
            }

            if (!string.IsNullOrEmpty(resourceGroupName))
            {
                string candidate = $"/subscriptions/{subscription}/resourceGroups/{resourceGroupName}/providers/{ResourceIds.MonitorWorkspace}/{text}";
                ArmResponse inGroup = await arm.SendAsync(RequestMethod.Get, candidate, ArmApi.Monitor).ConfigureAwait(false);
                if (inGroup.IsSuccess && inGroup.Body is not null)
                {
                    return ArmModels.ToWorkspace(inGroup.Body);
                }

                if (inGroup.Status != 404)
                {
                    throw ArmErrors.ToException(inGroup, candidate, $"Reading Azure Monitor workspace '{text}'");
                }
            }

            var matches = (await arm.ListAsync($"/subscriptions/{subscription}/providers/{ResourceIds.MonitorWorkspace}", ArmApi.Monitor).ConfigureAwait(false))
                .Select(ArmModels.ToWorkspace).Where(w => string.Equals(w.Name, text, StringComparison.OrdinalIgnoreCase)).ToList();
            string where = string.IsNullOrEmpty(resourceGroupName) ? string.Empty : $"resource group '{resourceGroupName}' or ";
            return matches.Count switch
            {
                1 => matches[0],
                0 => throw Invalid(reference, $"No Azure Monitor workspace named '{text}' exists in {where}subscription '{subscription}'."),
                _ => throw Invalid(reference, $"{matches.Count} Azure Monitor workspaces are named '{text}' in subscription '{subscription}': "
                    + string.Join(", ", matches.Select(m => m.ResourceId)) + "."),
            };
        }

        private static ResourceIdentifier ParseId(string text)
        {
            try
            {
                return ResourceIds.Parse(text, ResourceIds.MonitorWorkspace);
            }
            catch (KedaAksException error)
            {
                throw Invalid(text, error.Message);
            }
        }

        private static KedaAksException Invalid(string? reference, string message) =>
            new("InvalidMonitorWorkspace", KedaErrorCategory.InvalidArgument, message, reference,
                "Pass -MonitorWorkspace a workspace from Get-KedaMonitorWorkspace, its resource id (/subscriptions/.../providers/Microsoft.Monitor/accounts/<name>), or its name.");
    }
}
