using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>Resource ids: parsing with our own errors, and building one from names and the call's subscription.</summary>
    internal sealed class ResourceIds
    {
        public const string ManagedCluster = "Microsoft.ContainerService/managedClusters";
        public const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";
        public const string MonitorWorkspace = "Microsoft.Monitor/accounts";

        private readonly EngineOptions _options;

        public ResourceIds(EngineOptions options) => _options = options;

        /// <summary>-SubscriptionId, then AZURE_SUBSCRIPTION_ID, then Az.Accounts' context in the caller's runspace.</summary>
        public string? Subscription(CallContext call, bool required)
        {
            string? subscription = call.Azure.SubscriptionId ?? _options.Environment.Get("AZURE_SUBSCRIPTION_ID") ?? call.Host.GetAzContext()?.SubscriptionId;
            if (subscription is null && required)
            {
                throw new KedaAksException("NoSubscription", KedaErrorCategory.InvalidArgument, "No Azure subscription was given and none could be found.", null,
                    "Pass -SubscriptionId, set AZURE_SUBSCRIPTION_ID, run Connect-KedaAzure -SubscriptionId, or select one with Set-AzContext.");
            }

            return subscription;
        }

        /// <summary>The id from <paramref name="resourceId"/>, or built from the resource group and name in the call's subscription.</summary>
        public string For(CallContext call, string? resourceId, string? resourceGroupName, string? name, string type)
        {
            if (!string.IsNullOrWhiteSpace(resourceId))
            {
                return Parse(resourceId!, type).ToString();
            }

            if (string.IsNullOrWhiteSpace(resourceGroupName) || string.IsNullOrWhiteSpace(name))
            {
                throw new KedaAksException("ResourceNotNamed", KedaErrorCategory.InvalidArgument, $"No {type} was named.", name,
                    "Pass -ResourceGroupName and -Name, or -ResourceId, or pipe the object in.");
            }

            CheckResourceGroup(resourceGroupName!);
            CheckName(name!, type);
            return $"/subscriptions/{Subscription(call, required: true)}/resourceGroups/{resourceGroupName}/providers/{type}/{name}";
        }

        private static readonly System.Text.RegularExpressions.Regex ResourceGroupRule = new(@"^[-\w\.\(\)]{1,90}(?<!\.)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>ARM's rule for resource group names: 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.</summary>
        public static void CheckResourceGroup(string resourceGroupName)
        {
            if (!ResourceGroupRule.IsMatch(resourceGroupName))
            {
                string shown = AzureSettingsRules.Shown(resourceGroupName);
                throw new KedaAksException("InvalidResourceGroupName", KedaErrorCategory.InvalidArgument,
                    $"'{shown}' is not a resource group name: 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.", shown,
                    "Pass the resource group's name as 'az group list --query [].name' shows it.");
            }
        }

        /// <summary>What every ARM resource name must avoid: nothing empty, no spaces or control characters, none of / \\ ? # % &amp;, at most 260 characters.</summary>
        public static void CheckName(string name, string type)
        {
            if (name.Length is 0 or > 260 || name.Trim().Length != name.Length || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || "/\\?#%&".Contains(c)))
            {
                string shown = AzureSettingsRules.Shown(name);
                throw new KedaAksException("InvalidResourceName", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a {type} name.", shown,
                    "Pass the resource's name as the Azure portal or 'az resource list' shows it.");
            }
        }

        /// <summary>The id of user-assigned identity <paramref name="name"/> in a resource group.</summary>
        public static string Identity(string subscription, string resourceGroup, string name) =>
            $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/{UserAssignedIdentity}/{name}";

        public static ResourceIdentifier Parse(string resourceId, string expectedType)
        {
            ResourceIdentifier id;
            try
            {
                id = new ResourceIdentifier(resourceId.Trim());
                _ = id.ResourceType;
            }
            catch (FormatException)
            {
                throw new KedaAksException("InvalidResourceId", KedaErrorCategory.InvalidArgument, $"'{resourceId}' is not an Azure resource id.", resourceId,
                    "Use the form /subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>.");
            }

            if (!string.Equals(id.ResourceType.ToString(), expectedType, StringComparison.OrdinalIgnoreCase) || id.SubscriptionId is null)
            {
                throw new KedaAksException("WrongResourceType", KedaErrorCategory.InvalidArgument,
                    $"'{resourceId}' is a {id.ResourceType}, not a {expectedType}.", resourceId, $"Pass the resource id of a {expectedType}.");
            }

            return id;
        }

        /// <summary>Any scope (a resource id, a resource group, a subscription), or InvalidScope.</summary>
        public static ResourceIdentifier Scope(string scope)
        {
            try
            {
                var id = new ResourceIdentifier(scope.StartsWith("/", StringComparison.Ordinal) ? scope : "/" + scope);
                _ = id.ResourceType;
                return id;
            }
            catch (FormatException)
            {
                throw new KedaAksException("InvalidScope", KedaErrorCategory.InvalidArgument, $"'{scope}' is not an Azure resource id.", scope,
                    "Pass an Azure Monitor workspace (Get-KedaMonitorWorkspace) or its resource id.");
            }
        }
    }
}
