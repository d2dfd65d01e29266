namespace KedaAks.Commands
{
    /// <summary>
    /// What -MonitorWorkspace accepts: a MonitorWorkspace, a resource id or a name (a string), or any object with a
    /// ResourceId/Id property holding a resource id (Get-AzResource output). Anything else is InvalidMonitorWorkspace,
    /// before any call is made; names are resolved by the engine.
    /// </summary>
    internal static class WorkspaceReference
    {
        public static string ToReference(object? value)
        {
            object? item = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (item)
            {
                case MonitorWorkspace workspace when !string.IsNullOrWhiteSpace(workspace.ResourceId):
                    return workspace.ResourceId!;
                case string text when !string.IsNullOrWhiteSpace(text):
                    return text.Trim();
                case null:
                case string:
                case MonitorWorkspace:
                case IDictionary:
                case System.ValueType:
                    throw Invalid(value, Describe(item));
            }

            PSObject psObject = PSObject.AsPSObject(item);
            object? id = psObject.Properties["ResourceId"]?.Value ?? psObject.Properties["Id"]?.Value;
            return id is string { Length: > 0 } resourceId && resourceId.StartsWith("/", System.StringComparison.Ordinal) ? resourceId : throw Invalid(value, Describe(item));
        }

        private static string Describe(object? item) => item switch
        {
            null => "nothing",
            string => "an empty string",
            MonitorWorkspace workspace => $"workspace '{workspace.Name}' without a resource id",
            IDictionary => "a hashtable",
            _ => $"'{item}' (a {item.GetType().Name})",
        };

        private static KedaAksException Invalid(object? value, string what) =>
            new("InvalidMonitorWorkspace", KedaErrorCategory.InvalidArgument, $"-MonitorWorkspace got {what}; it takes a workspace, its resource id or its name.", value,
                "Pass a workspace from Get-KedaMonitorWorkspace, its resource id (/subscriptions/.../providers/Microsoft.Monitor/accounts/<name>), or its name.");
    }
}
