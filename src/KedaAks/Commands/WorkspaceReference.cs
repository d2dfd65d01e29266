using System.Management.Automation;

namespace KedaAks.Commands
{
    /// <summary>Turns what -MonitorWorkspace received (a MonitorWorkspace, a resource id, or any object with ResourceId/Id) into a resource id.</summary>
    internal static class WorkspaceReference
    {
        public static string? ToResourceId(object? value)
        {
            object? item = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (item)
            {
                case null:
                    return null;
                case MonitorWorkspace workspace:
                    return workspace.ResourceId;
                case string text:
                    return text;
            }

            PSObject psObject = PSObject.AsPSObject(item);
            return (psObject.Properties["ResourceId"]?.Value ?? psObject.Properties["Id"]?.Value)?.ToString();
        }
    }
}
