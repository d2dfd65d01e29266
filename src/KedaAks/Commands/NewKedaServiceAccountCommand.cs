namespace KedaAks.Commands
{
    /// <summary>Ensures KEDA's namespace and a ServiceAccount annotated with the workload identity's client and tenant id, by server-side apply.</summary>
    [Cmdlet(VerbsCommon.New, "KedaServiceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "New-KedaServiceAccount.md")]
    [OutputType(typeof(ServiceAccount))]
    [UsesParameters(typeof(InstallMethodParameter))]
    public sealed partial class NewKedaServiceAccountCommand : ClusterCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceAccountNamespace")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.NamespaceCompleter))]
        public string Namespace { get; set; } = "keda";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceAccountName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "keda-operator";

        /// <summary>The subject the identity is federated for (binds from a piped WorkloadIdentity's Subject); the service account must be the one it names.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Subject")]
        public string? FederatedSubject { get; set; }

        private protected override void ProcessRecordCore()
        {
            var account = Invoke(host => ServiceAccountRequest(host));
            ClusterConnection connection = Connection();
            if (InstallMethod != "Helm")
            {
                // The engine decides the install mode (ARM's flags, else the cluster); the add-on's operator account is its fixed one.
                OperatorLocation where = InvokeAsync(call => Engine.Addon.LocateOperatorAsync(connection, Cluster, InstallMethod, Namespace, Name, call));
                if (where.InstallMethod == "AksAddon")
                {
                    WriteVerbose($"Install method {InstallMethod}: KEDA is the AKS add-on, so its existing service account {where.Namespace}/{where.ServiceAccountName} "
                        + "gets the workload identity annotations.");
                    account = new ServiceAccount(where.ServiceAccountName, where.Namespace, account.ClientId, account.TenantId);
                }
            }

            string subject = $"system:serviceaccount:{account.Namespace}:{account.Name}";
            if (FederatedSubject is { Length: > 0 } federated && federated != subject && (Typed(nameof(Namespace)) || Typed(nameof(Name))))
            {
                throw new KedaAksException("ServiceAccountNotFederated", KedaErrorCategory.InvalidArgument,
                    $"The workload identity is federated for '{federated}', not '{subject}': KEDA would fail to sign in with AADSTS70021 (no matching federated identity record).", subject,
                    $"Use the namespace and name the identity names ({federated}), or federate this one: New-KedaWorkloadIdentity -ServiceAccountNamespace ... -ServiceAccountName ....");
            }

            WriteObject(InvokeAsync(call => Engine.Kubernetes.NewServiceAccountAsync(connection, account, call)));
        }

        private ServiceAccount ServiceAccountRequest(IKedaAksHost host)
        {
            if (!System.Guid.TryParse(ClientId, out _))
            {
                string shownId = ClientId.Length > 80 ? ClientId.Substring(0, 77) + "..." : ClientId;
                throw new KedaAksException("InvalidClientId", KedaErrorCategory.InvalidArgument, $"'{shownId}' is not a client id (a GUID).", shownId,
                    "Pass the ClientId of the user-assigned identity (New-KedaWorkloadIdentity outputs it).");
            }

            if (TenantId is not null && !System.Guid.TryParse(TenantId, out _))
            {
                string shown = TenantId.Length > 80 ? TenantId.Substring(0, 77) + "..." : TenantId;
                throw new KedaAksException("InvalidTenantId", KedaErrorCategory.InvalidArgument, $"'{shown}' is not a tenant id (a GUID) for the tenant-id annotation.", shown,
                    "Pass the TenantId of the identity (New-KedaWorkloadIdentity outputs it), or omit -TenantId to let the webhook use the cluster's tenant.");
            }

            if (TenantId is null)
            {
                host.WriteVerbose("No -TenantId: the service account gets no azure.workload.identity/tenant-id annotation; the webhook then uses the cluster's tenant.");
            }

            return new ServiceAccount(Name, Namespace, ClientId, TenantId);
        }
    }
}
