using System.Management.Automation;
using KedaAks.Infrastructure;

namespace KedaAks.Commands
{
    /// <summary>Ensures KEDA's namespace and a ServiceAccount annotated with the workload identity's client and tenant id, by server-side apply.</summary>
    [Cmdlet(VerbsCommon.New, "KedaServiceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ServiceAccount))]
    public sealed class NewKedaServiceAccountCommand : ClusterCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceAccountNamespace")]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = "keda";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceAccountName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "keda-operator";

        private protected override void ProcessRecordCore()
        {
            var account = Invoke(host => ServiceAccountRequest(host));
            ClusterConnection connection = Connection();
            WriteObject(InvokeAsync(call => Engine.Kubernetes.NewServiceAccountAsync(connection, account, call)));
        }

        private ServiceAccount ServiceAccountRequest(IKedaAksHost host)
        {
            if (!System.Guid.TryParse(ClientId, out _))
            {
                throw new KedaAksException("InvalidClientId", KedaErrorCategory.InvalidArgument, $"'{ClientId}' is not a client id (a GUID).", ClientId,
                    "Pass the ClientId of the user-assigned identity (New-KedaWorkloadIdentity outputs it).");
            }

            if (TenantId is null)
            {
                host.WriteVerbose("No -TenantId: the service account gets no azure.workload.identity/tenant-id annotation; the webhook then uses the cluster's tenant.");
            }

            return new ServiceAccount(Name, Namespace, ClientId, TenantId);
        }
    }
}
