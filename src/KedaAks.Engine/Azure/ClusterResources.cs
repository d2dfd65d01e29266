using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>AKS managed clusters: read, enable the OIDC issuer and workload identity, turn the KEDA add-on on or off, and the kubeconfig ARM hands out.</summary>
    internal sealed class ClusterResources
    {
        private readonly ResourceIds _ids;

        public ClusterResources(ResourceIds ids) => _ids = ids;

        public string IdFor(CallContext call, string? resourceId, string? resourceGroupName, string? name) =>
            _ids.For(call, resourceId, resourceGroupName, name, ResourceIds.ManagedCluster);

        public async Task<AksCluster> GetAsync(ArmClient arm, string id) =>
            ArmModels.ToCluster(await arm.GetRequiredAsync(id, ArmApi.ContainerService, "AKS cluster").ConfigureAwait(false));

        /// <summary>What 'az aks update --enable-oidc-issuer --enable-workload-identity' does: GET, set both flags, PUT the whole object back, wait.</summary>
        public async Task<AksCluster> EnableWorkloadIdentityAsync(ArmClient arm, string id)
        {
            IKedaAksHost host = arm.Call.Host;
            JsonNode cluster = await arm.GetRequiredAsync(id, ArmApi.ContainerService, "AKS cluster").ConfigureAwait(false);
            AksCluster current = ArmModels.ToCluster(cluster);
            if (current.OidcIssuerEnabled && current.WorkloadIdentityEnabled)
            {
                host.WriteVerbose($"AKS cluster '{current.Name}' already has the OIDC issuer and workload identity enabled; nothing to change.");
                return current;
            }

            string target = $"AKS cluster '{current.Name}' in resource group '{current.ResourceGroupName}'";
            string change = (current.OidcIssuerEnabled ? string.Empty : "enable the OIDC issuer")
                + (!current.OidcIssuerEnabled && !current.WorkloadIdentityEnabled ? " and " : string.Empty)
                + (current.WorkloadIdentityEnabled ? string.Empty : "enable workload identity");
            if (!host.ShouldProcess(target, char.ToUpperInvariant(change[0]) + change.Substring(1)))
            {
                host.WriteVerbose($"Would {change} on {target} (a full PUT of the cluster, then a wait for the long-running operation).");
                return current;
            }

            AksCluster updated = await PutAsync(arm, id, cluster, workloadIdentity: true, kedaAddon: null, $"Enabling workload identity on AKS cluster '{current.Name}'")
                .ConfigureAwait(false);
            host.WriteVerbose($"AKS cluster '{updated.Name}': OIDC issuer {updated.OidcIssuerUrl}, workload identity {(updated.WorkloadIdentityEnabled ? "enabled" : "not enabled")}.");
            return updated;
        }

        /// <summary>
        /// What 'az aks update --enable-keda' / '--disable-keda' does: GET, set workloadAutoScalerProfile.keda.enabled, PUT the whole object back
        /// (every other setting kept), wait for the long-running operation; no-op when already so.
        /// </summary>
        public async Task<AksCluster> SetKedaAddonAsync(ArmClient arm, string id, bool enabled)
        {
            IKedaAksHost host = arm.Call.Host;
            JsonNode cluster = await arm.GetRequiredAsync(id, ArmApi.ContainerService, "AKS cluster").ConfigureAwait(false);
            AksCluster current = ArmModels.ToCluster(cluster);
            string target = $"AKS cluster '{current.Name}' in resource group '{current.ResourceGroupName}'";
            if (current.KedaAddonEnabled == enabled)
            {
                host.WriteVerbose($"The KEDA add-on of {target} is already {(enabled ? "enabled" : "disabled")}; nothing to change.");
                return current;
            }

            string change = enabled ? "Enable the AKS managed KEDA add-on" : "Disable the AKS managed KEDA add-on";
            if (!host.ShouldProcess(target, change))
            {
                host.WriteVerbose($"Would {change.ToLowerInvariant()} on {target} (a full PUT of the cluster, then a wait for the long-running operation).");
                return current;
            }

            AksCluster updated = await PutAsync(arm, id, cluster, workloadIdentity: false, kedaAddon: enabled,
                $"{(enabled ? "Enabling" : "Disabling")} the KEDA add-on on AKS cluster '{current.Name}'").ConfigureAwait(false);
            host.WriteVerbose($"AKS cluster '{updated.Name}': KEDA add-on {(updated.KedaAddonEnabled ? "enabled" : "disabled")}.");
            return updated;
        }

        /// <summary>
        /// One full PUT of the cluster as read (every other setting kept) with the OIDC issuer and workload identity on and/or the KEDA add-on
        /// set, then the long-running operation followed to its end; returns the cluster as ARM then has it.
        /// </summary>
        public async Task<AksCluster> PutAsync(ArmClient arm, string id, JsonNode cluster, bool workloadIdentity, bool? kedaAddon, string activity)
        {
            JsonObject properties = cluster["properties"] as JsonObject ?? throw ArmErrors.Malformed("an AKS cluster without properties");
            properties.Remove("provisioningState");
            if (workloadIdentity)
            {
                properties["oidcIssuerProfile"] = new JsonObject { ["enabled"] = true };
                if (properties["securityProfile"] is not JsonObject security)
                {
                    security = new JsonObject();
                    properties["securityProfile"] = security;
                }

                security["workloadIdentity"] = new JsonObject { ["enabled"] = true };
            }

            if (kedaAddon is bool enabled)
            {
                if (properties["workloadAutoScalerProfile"] is not JsonObject profile)
                {
                    profile = new JsonObject();
                    properties["workloadAutoScalerProfile"] = profile;
                }

                profile["keda"] = new JsonObject { ["enabled"] = enabled };
            }

            ArmResponse put = await arm.SendAsync(RequestMethod.Put, id, ArmApi.ContainerService, cluster).ConfigureAwait(false);
            if (!put.IsSuccess)
            {
                throw ArmErrors.ToException(put, id, activity);
            }

            await arm.WaitForOperationAsync(put, activity, id).ConfigureAwait(false);
            return await GetAsync(arm, id).ConfigureAwait(false);
        }

        /// <summary>
        /// The cluster once no operation runs on it (a stopped run can leave it Updating; a PUT then is refused): polls until its
        /// provisioning state settles, as the operation's own polls would.
        /// </summary>
        public async Task<JsonNode> WaitIdleAsync(ArmClient arm, string id, JsonNode cluster, TimeSpan poll, TimeSpan timeout, Func<TimeSpan, System.Threading.CancellationToken, Task> delay)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (ArmModels.Str(cluster["properties"]?["provisioningState"]) is "Updating" or "Creating" or "Upgrading" or "Scaling" or "Starting" or "Stopping")
            {
                if (clock.Elapsed > timeout)
                {
                    throw new KedaAksException("OperationTimeout", KedaErrorCategory.OperationTimeout,
                        $"AKS cluster '{ArmModels.Str(cluster["name"])}' is still {ArmModels.Str(cluster["properties"]?["provisioningState"])} after {timeout.TotalMinutes:0} minutes.", id,
                        "Wait for the cluster's operation to finish (Get-KedaAksCluster shows ProvisioningState), then run the command again.");
                }

                arm.Call.Host.WriteProgress("Waiting for the AKS cluster", $"{ArmModels.Str(cluster["properties"]?["provisioningState"])} ({clock.Elapsed.TotalSeconds:0} s)");
                await delay(poll, arm.Call.Cancellation).ConfigureAwait(false);
                cluster = await arm.GetRequiredAsync(id, ArmApi.ContainerService, "AKS cluster").ConfigureAwait(false);
            }

            return cluster;
        }

        /// <summary>The kubeconfig ARM returns for the cluster (user or admin credentials), decoded, in memory.</summary>
        public async Task<string> GetKubeconfigAsync(ArmClient arm, AksCluster cluster, bool admin)
        {
            string action = admin ? "listClusterAdminCredential" : "listClusterUserCredential";
            ArmResponse response = await arm.SendAsync(RequestMethod.Post, $"{cluster.ResourceId}/{action}", ArmApi.ContainerService).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                KedaAksException error = ArmErrors.ToException(response, cluster.ResourceId, $"Getting {(admin ? "admin" : "user")} credentials of AKS cluster '{cluster.Name}'");
                throw admin && cluster.LocalAccountsDisabled
                    ? new KedaAksException(error.ErrorId, error.Category, error.Message, cluster.ResourceId,
                        "The cluster has local accounts disabled: connect without -Admin; KedaAks then uses an Entra token for the AKS API server.")
                    : error;
            }

            string? encoded = ArmModels.Str(response.Body?["kubeconfigs"]?[0]?["value"]);
            try
            {
                return encoded is null ? throw ArmErrors.Malformed($"no kubeconfig for AKS cluster '{cluster.Name}'")
                    : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw ArmErrors.Malformed($"a kubeconfig for AKS cluster '{cluster.Name}' that is not base64");
            }
        }
    }
}
