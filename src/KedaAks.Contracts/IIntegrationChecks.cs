using System.Collections.Generic;
using System.Threading.Tasks;

namespace KedaAks
{
    /// <summary>Runs every check of the integration, read-only.</summary>
    public interface IIntegrationChecks
    {
        Task<IReadOnlyList<CheckResult>> RunAsync(IntegrationRequest request, CallContext call);
    }
}
