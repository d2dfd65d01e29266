namespace KedaAks.Engine.Azure
{
    /// <summary>ARM error bodies as KedaAks errors: the ARM code is the ErrorId, the status picks the category, and known codes get their fix.</summary>
    internal static class ArmErrors
    {
        private static readonly Dictionary<string, string> Fixes = new(System.StringComparer.OrdinalIgnoreCase)
        {
            ["ResourceNotFound"] = "Check the name, resource group and subscription (-SubscriptionId, AZURE_SUBSCRIPTION_ID or Connect-KedaAzure).",
            ["ResourceGroupNotFound"] = "Check -ResourceGroupName and the subscription.",
            ["SubscriptionNotFound"] = "Check -SubscriptionId and that the signed-in identity can see it.",
            ["AuthorizationFailed"] = "Grant the signed-in identity a role that allows this action on the scope (e.g. Contributor on the resource group, User Access Administrator or Owner "
                + "for role assignments).",
            ["InvalidAuthenticationToken"] = "Sign in again, or check that the token is for this cloud's Resource Manager.",
            ["AuthenticationFailed"] = "Sign in again, or check that the token is for this cloud's Resource Manager.",
            ["PrincipalNotFound"] = "The identity has not replicated to Entra yet; retry in a minute (KedaAks already retried with principalType ServicePrincipal).",
            ["RoleAssignmentUpdateNotPermitted"] = "A role assignment with this name exists for another principal (an identity deleted and re-created): remove it with "
                + "Remove-KedaWorkloadIdentity or the portal, then run again.",
            ["ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity"] = "Write federated credentials of one identity one at a time; run again.",
            ["OperationNotAllowed"] = "The cluster is busy with another operation; wait until it finishes and run again.",
            ["Conflict"] = "Another operation holds the resource; wait and run again.",
        };

        /// <summary>An answer that parsed but lacks what every ARM resource has.</summary>
        public static KedaAksException Malformed(string what) =>
            new("InvalidResponse", KedaErrorCategory.InvalidData, $"Azure Resource Manager returned {what}.", null,
                "Something other than Azure Resource Manager may have answered: check -ArmEndpoint and the proxy settings, then run again.");

        /// <summary>The category of an HTTP status from an Azure service.</summary>
        public static KedaErrorCategory CategoryOf(int status) => status switch
        {
            401 => KedaErrorCategory.AuthenticationError,
            403 => KedaErrorCategory.PermissionDenied,
            404 => KedaErrorCategory.ObjectNotFound,
            409 => KedaErrorCategory.ResourceExists,
            429 => KedaErrorCategory.LimitsExceeded,
            >= 500 => KedaErrorCategory.ResourceUnavailable,
            _ => KedaErrorCategory.InvalidArgument,
        };

        public static KedaAksException ToException(ArmResponse response, string target, string action)
        {
            string code = response.ErrorCode ?? $"Http{response.Status}";
            string message = response.ErrorMessage ?? $"ARM answered {response.Status}.";
            KedaErrorCategory category = CategoryOf(response.Status);
            string fix = Fixes.TryGetValue(code, out string? known) ? known
                : response.Status >= 500 || response.Status == 429 ? "Azure is busy or failing; KedaAks retried with back-off. Run the command again later."
                : "Read Azure's message above; correct the input and run again.";
            return new KedaAksException(code, category, $"{action} failed: {code} ({response.Status}): {message}", target, fix);
        }
    }
}
