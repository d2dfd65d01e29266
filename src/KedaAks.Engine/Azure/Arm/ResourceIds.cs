using System;
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

            return $"/subscriptions/{Subscription(call, required: true)}/resourceGroups/{resourceGroupName}/providers/{type}/{name}";
        }

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
