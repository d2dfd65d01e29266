using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Reads Az.Accounts' context and tokens in the caller's runspace (must run on the pipeline thread).
    /// Only an Az.Accounts already imported counts: nothing is auto-loaded. Az.Accounts 5+ returns the
    /// token as a SecureString, older versions as a string; both are accepted and neither is ever written out.
    /// </summary>
    internal static class AzContextBridge
    {
        public static AzContextInfo? GetContext(PSCmdlet cmdlet)
        {
            if (!cmdlet.InvokeCommand.InvokeScript("Get-Command -Name Get-AzContext, Get-AzAccessToken -ListImported -ErrorAction Ignore").Any())
            {
                return null;
            }

            PSObject? context = cmdlet.InvokeCommand.InvokeScript("Get-AzContext -ErrorAction Ignore").FirstOrDefault(o => o is not null);
            object? account = Property(context, "Account");
            if (context is null || account is null)
            {
                return null;
            }

            return new AzContextInfo(
                Text(Property(account, "Id")) ?? Text(account),
                Text(Property(Property(context, "Tenant"), "Id")),
                Text(Property(Property(context, "Subscription"), "Id")),
                Text(Property(Property(context, "Environment"), "Name")));
        }

        public static HostAccessToken? GetAccessToken(PSCmdlet cmdlet, string resourceUrl, string? tenantId)
        {
            if (GetContext(cmdlet) is null)
            {
                return null;
            }

            const string Script = "param($resource, $tenant) if ($tenant) { Get-AzAccessToken -ResourceUrl $resource -TenantId $tenant -ErrorAction Stop } else { Get-AzAccessToken "
                + "-ResourceUrl $resource -ErrorAction Stop }";
            PSObject? result = cmdlet.InvokeCommand.InvokeScript(Script, true, PipelineResultTypes.None, null, resourceUrl, tenantId).FirstOrDefault(o => o is not null);
            string? token = Property(result, "Token") switch
            {
                SecureString secure => new NetworkCredential(string.Empty, secure).Password,
                string plain => plain,
                _ => null,
            };
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }

            DateTimeOffset expires = Property(result, "ExpiresOn") switch
            {
                DateTimeOffset offset => offset,
                DateTime time => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
                _ => DateTimeOffset.UtcNow.AddMinutes(5),
            };
            return new HostAccessToken(token!, expires);
        }

        private static object? Property(object? value, string name)
        {
            if (value is null)
            {
                return null;
            }

            PSObject wrapped = value as PSObject ?? PSObject.AsPSObject(value);
            object? found = wrapped.Properties[name]?.Value;
            return found is PSObject inner ? inner.BaseObject : found;
        }

        private static string? Text(object? value) => value switch
        {
            null => null,
            string text => text.Length == 0 ? null : text,
            _ => value.ToString(),
        };
    }
}
