namespace KedaAks.Engine.Azure
{
    /// <summary>
    /// The shape of the Azure settings a command carries, checked before any sign-in or request: a tenant is a GUID or a
    /// domain name (contoso.onmicrosoft.com, organizations), a subscription and a managed identity's client id are GUIDs.
    /// </summary>
    internal static class AzureSettingsRules
    {
        private static readonly Regex Domain = new(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$",
            RegexOptions.CultureInvariant);

        public static void Validate(AzureSettings settings)
        {
            if (settings.TenantId is { } tenant && !Guid.TryParse(tenant, out _) && !Domain.IsMatch(tenant))
            {
                throw new KedaAksException("InvalidTenantId", KedaErrorCategory.InvalidArgument,
                    $"'{Shown(tenant)}' is not a tenant: Entra tenants are a GUID or a domain name.", Shown(tenant),
                    "Pass -TenantId with the directory (tenant) id, e.g. from 'az account show --query tenantId', or omit it to use AZURE_TENANT_ID.");
            }

            if (settings.SubscriptionId is { } subscription && !Guid.TryParse(subscription, out _))
            {
                throw new KedaAksException("InvalidSubscriptionId", KedaErrorCategory.InvalidArgument,
                    $"'{Shown(subscription)}' is not a subscription id (a GUID).", Shown(subscription),
                    "Pass -SubscriptionId with the subscription's id, e.g. from 'az account show --query id'.");
            }

            if (settings.ManagedIdentityClientId is { } clientId && !Guid.TryParse(clientId, out _))
            {
                throw new KedaAksException("InvalidManagedIdentityClientId", KedaErrorCategory.InvalidArgument,
                    $"'{Shown(clientId)}' is not a managed identity's client id (a GUID).", Shown(clientId),
                    "Pass -ManagedIdentityClientId with the client id of the user-assigned identity, or omit it for the system-assigned one.");
            }
        }

        /// <summary>A value as an error may show it: control characters replaced, at most 80 characters.</summary>
        public static string Shown(string value)
        {
            string clean = Regex.Replace(value, @"\p{Cc}", "?");
            return clean.Length > 80 ? clean.Substring(0, 77) + "..." : clean;
        }
    }
}
