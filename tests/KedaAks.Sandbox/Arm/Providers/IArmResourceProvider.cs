using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace KedaAks.Sandbox.Arm.Providers
{
    /// <summary>One ARM request inside the sandbox's subscription: method (upper case), path, its segments, the JSON body and the api-version.</summary>
    public sealed record ArmRequest(HttpContext Context, string Method, string Path, string[] Segments, JsonNode? Body, string ApiVersion);

    /// <summary>
    /// A resource provider of the ARM stand-in (Microsoft.ContainerService, Microsoft.ManagedIdentity, ...). A new
    /// resource type is a provider (one file) plus a line in <see cref="ArmStandIn"/>'s provider list.
    /// </summary>
    public interface IArmResourceProvider
    {
        /// <summary>The namespace, as in /providers/&lt;Namespace&gt;/ (matched case-insensitively).</summary>
        string Namespace { get; }

        /// <summary>The api-versions it accepts; others get NoRegisteredProviderFound.</summary>
        IReadOnlyList<string> ApiVersions { get; }

        /// <summary>Tenant-level routes (/providers/&lt;Namespace&gt;/..., e.g. Resource Graph's query); null when not its.</summary>
        (int, JsonNode?, Dictionary<string, string>?)? Tenant(ArmRequest request) => null;

        /// <summary>Routes under the subscription that are not a resource group's resource (operations, lists); null when not its.</summary>
        (int, JsonNode?, Dictionary<string, string>?)? Subscription(ArmRequest request) => null;

        /// <summary>/subscriptions/../resourceGroups/../providers/&lt;Namespace&gt;/&lt;type&gt;/&lt;name&gt;[/..]; null when the type is unknown.</summary>
        Task<(int, JsonNode?, Dictionary<string, string>?)?> ResourceAsync(ArmRequest request, string resourceId);

        /// <summary>Stores the resources the sandbox starts with.</summary>
        void Seed()
        {
        }
    }
}
