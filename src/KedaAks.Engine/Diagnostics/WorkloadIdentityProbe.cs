using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using global::Azure.Core;
using global::Azure.Identity;

namespace KedaAks.Engine.Diagnostics
{
    /// <summary>
    /// Replaces "add a delay" with proof: a service-account token for KEDA's account (audience
    /// api://AzureADTokenExchange), exchanged at the cloud's Entra token endpoint as KEDA's azure-workload provider
    /// does (client assertion, client id, tenant, Prometheus scope), retried while Entra answers as it does during
    /// propagation; then one query to the workspace proves the role assignment.
    /// </summary>
    internal sealed class WorkloadIdentityProbe(IKubeGateway gateway, AzureService azure, EngineOptions options) : IWorkloadIdentityProbe
    {
        private readonly ErrorResolver _resolver = new();

        public async Task<WorkloadIdentityProof> WaitAsync(ClusterConnection connection, WorkloadIdentity identity, string? workspace, TimeSpan timeout, TimeSpan retryInterval, CallContext call)
        {
            if (string.IsNullOrEmpty(identity.ClientId) || string.IsNullOrEmpty(identity.TenantId))
            {
                throw new KedaAksException("IdentityIncomplete", KedaErrorCategory.InvalidArgument, $"Identity '{identity.IdentityName}' has no client or tenant id (was it created under -WhatIf?).",
                    identity.IdentityName, "Pipe the output of New-KedaWorkloadIdentity run without -WhatIf.");
            }

            const string Activity = "Waiting for KEDA's workload identity";
            var clock = Stopwatch.StartNew();
            var proof = new WorkloadIdentityProof
            {
                IdentityName = identity.IdentityName, ClientId = identity.ClientId, ServiceAccount = $"{identity.ServiceAccountNamespace}/{identity.ServiceAccountName}",
            };
            try
            {
                string endpoint = await EndpointAsync(identity, workspace, call).ConfigureAwait(false);
                proof.WorkspaceEndpoint = endpoint;
                string assertion = await gateway.RequestTokenAsync(connection, identity.ServiceAccountNamespace, identity.ServiceAccountName,
                    ArmApi.TokenExchangeAudience, call).ConfigureAwait(false);
                (proof.Issuer, proof.Subject, proof.Audience) = Claims(assertion);
                call.Host.WriteVerbose($"Service-account token for {proof.ServiceAccount}: issuer {proof.Issuer}, subject {proof.Subject}, audience {proof.Audience}.");

                CloudEndpoints cloud = CloudEndpoints.Resolve(call.Azure);
                var credentialOptions = new ClientAssertionCredentialOptions { AuthorityHost = cloud.AuthorityHost, DisableInstanceDiscovery = cloud.Name == AzureCloudName.Custom };
                credentialOptions.Retry.MaxRetries = 2;
                if (options.Transport is not null)
                {
                    credentialOptions.Transport = options.Transport;
                }

                var credential = new ClientAssertionCredential(identity.TenantId!, identity.ClientId!, _ => Task.FromResult(assertion), credentialOptions);
                AccessToken? token = null;
                Diagnosis? last = null;
                while (token is null)
                {
                    proof.ExchangeAttempts++;
                    try
                    {
                        token = await credential.GetTokenAsync(new TokenRequestContext(new[] { cloud.PrometheusScope }), call.Cancellation).ConfigureAwait(false);
                        proof.TokenExchanged = true;
                        proof.ExchangeAfter = clock.Elapsed;
                        call.Host.WriteVerbose($"Entra accepted the federated credential after {clock.Elapsed.TotalSeconds:0.#} s ({proof.ExchangeAttempts} attempt(s)).");
                    }
                    catch (AuthenticationFailedException exception)
                    {
                        last = _resolver.Resolve(Flatten(exception));
                        bool propagation = DiagnosisCodes.IsFederationMismatch(last.Code);
                        TimeSpan remaining = timeout - clock.Elapsed;
                        if (!propagation || remaining <= TimeSpan.Zero)
                        {
                            throw Failure(identity, proof, last, propagation ? "did not accept the federated credential" : "refused the token exchange", clock.Elapsed);
                        }

                        TimeSpan wait = retryInterval < remaining ? retryInterval : remaining;
                        call.Host.WriteProgress(Activity, $"Entra does not accept the federated credential yet ({last.AadstsCode ?? last.Code.ToString()}); "
                            + $"{clock.Elapsed.TotalSeconds:0} s of {timeout.TotalSeconds:0} s");
                        call.Host.WriteVerbose($"Attempt {proof.ExchangeAttempts}: {last.Code} (AADSTS{last.AadstsCode}); retrying in {wait.TotalSeconds:0.#} s.");
                        await options.Delay(wait, call.Cancellation).ConfigureAwait(false);
                    }
                }

                while (true)
                {
                    (int status, string body) = await QueryAsync(options.QueryHttp, endpoint, token.Value.Token, call.Cancellation).ConfigureAwait(false);
                    proof.QueryStatusCode = status;
                    if (status is >= 200 and < 300)
                    {
                        proof.QuerySucceeded = true;
                        break;
                    }

                    last = _resolver.Resolve($"prometheus query api returned error. status: {status} response: {body}");
                    TimeSpan left = timeout - clock.Elapsed;
                    if (status != 403 || left <= TimeSpan.Zero)
                    {
                        proof.QuerySucceeded = false;
                        throw Failure(identity, proof, last, "could not query the workspace", clock.Elapsed);
                    }

                    call.Host.WriteProgress(Activity, $"The workspace refuses the identity (403) while the role assignment propagates; {clock.Elapsed.TotalSeconds:0} s of {timeout.TotalSeconds:0} s");
                    call.Host.WriteVerbose($"The workspace answered 403; retrying in {(retryInterval < left ? retryInterval : left).TotalSeconds:0.#} s.");
                    await options.Delay(retryInterval < left ? retryInterval : left, call.Cancellation).ConfigureAwait(false);
                }

                proof.Elapsed = clock.Elapsed;
                proof.Message = $"KEDA's identity works: Entra exchanged the service-account token of {proof.ServiceAccount} after "
                    + $"{proof.ExchangeAfter?.TotalSeconds:0.#} s and the workspace answered a query.";
                return proof;
            }
            finally
            {
                call.Host.WriteProgress(Activity, string.Empty, completed: true);
            }
        }

        /// <summary>One exchange, as KEDA makes it: the service-account token for the identity's account, for <paramref name="scope"/>.</summary>
        internal async Task<string> ExchangeOnceAsync(ClusterConnection connection, WorkloadIdentity identity, string scope, CallContext call)
        {
            string assertion = await gateway.RequestTokenAsync(connection, identity.ServiceAccountNamespace, identity.ServiceAccountName, ArmApi.TokenExchangeAudience, call).ConfigureAwait(false);
            CloudEndpoints cloud = CloudEndpoints.Resolve(call.Azure);
            var credentialOptions = new ClientAssertionCredentialOptions { AuthorityHost = cloud.AuthorityHost, DisableInstanceDiscovery = cloud.Name == AzureCloudName.Custom };
            if (options.Transport is not null)
            {
                credentialOptions.Transport = options.Transport;
            }

            try
            {
                var credential = new ClientAssertionCredential(identity.TenantId!, identity.ClientId!, _ => Task.FromResult(assertion), credentialOptions);
                AccessToken token = await credential.GetTokenAsync(new TokenRequestContext(new[] { scope }), call.Cancellation).ConfigureAwait(false);
                call.Host.WriteVerbose($"Token for {scope} from the service-account token of {identity.ServiceAccountNamespace}/{identity.ServiceAccountName} (client id {identity.ClientId}).");
                return token.Token;
            }
            catch (AuthenticationFailedException exception)
            {
                Diagnosis diagnosis = _resolver.Resolve(Flatten(exception));
                throw new KedaAksException(diagnosis.Code.ToString(), KedaErrorCategory.AuthenticationError,
                    $"Entra refused KEDA's identity '{identity.IdentityName}': {diagnosis.Summary}", identity.IdentityName, diagnosis.Remedy);
            }
        }

        private async Task<string> EndpointAsync(WorkloadIdentity identity, string? workspace, CallContext call)
        {
            if (workspace is not null && workspace.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                return workspace.TrimEnd('/');
            }

            string? id = workspace ?? identity.RoleAssignments.Select(r => r.Scope).FirstOrDefault(s => s.Contains("/providers/Microsoft.Monitor/accounts/", StringComparison.OrdinalIgnoreCase));
            if (id is null)
            {
                throw new KedaAksException("MonitorWorkspaceMissing", KedaErrorCategory.InvalidArgument,
                    $"No Azure Monitor workspace to query: identity '{identity.IdentityName}' has no role assignment on one and none was given.",
                    identity.IdentityName, "Pass -MonitorWorkspace, or create the identity with New-KedaWorkloadIdentity -MonitorWorkspace.");
            }

            MonitorWorkspace found = await azure.GetMonitorWorkspaceAsync(id, null, null, call).ConfigureAwait(false);
            return found.PrometheusQueryEndpoint?.TrimEnd('/') ?? throw new KedaAksException("MonitorWorkspaceHasNoQueryEndpoint", KedaErrorCategory.InvalidData,
                $"Workspace '{found.Name}' has no Prometheus query endpoint.", id, "Check the workspace in the portal.");
        }

        private static async Task<(int Status, string Body)> QueryAsync(HttpClient http, string endpoint, string token, CancellationToken cancellationToken)
        {
            string time = PrometheusHttp.GoQueryEscape(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{endpoint}/api/v1/query?query=vector%281%29&time={time}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using HttpResponseMessage response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
        }

        /// <summary>
        /// Why the proof failed. For AADSTS70021 (and 700211/700212/700213) it compares what Entra saw with what the credential expects: when they match
        /// exactly Entra has not propagated the credential yet; otherwise the differing fields are named with both values.
        /// </summary>
        private static KedaAksException Failure(WorkloadIdentity identity, WorkloadIdentityProof proof, Diagnosis diagnosis, string what, TimeSpan waited)
        {
            string within = $"within {waited.TotalSeconds:0.#} s";
            if (!DiagnosisCodes.IsFederationMismatch(diagnosis.Code))
            {
                return new KedaAksException(diagnosis.Code.ToString(), KedaErrorCategory.AuthenticationError,
                    $"Entra or the workspace {what} for identity '{identity.IdentityName}' {within}: {diagnosis.Summary}", identity.IdentityName, diagnosis.Remedy);
            }

            var seen = (Issuer: diagnosis.Issuer ?? proof.Issuer, Subject: diagnosis.Subject ?? proof.Subject, Audience: diagnosis.Audience ?? proof.Audience);
            var differences = new List<string>();
            AddDifference(differences, "issuer", seen.Issuer, identity.Issuer);
            AddDifference(differences, "subject", seen.Subject, identity.Subject);
            AddDifference(differences, "audience", seen.Audience, identity.Audience);
            if (differences.Count == 0)
            {
                return new KedaAksException("FederatedCredentialNotPropagated", KedaErrorCategory.OperationTimeout,
                    $"Entra did not accept the federated credential '{identity.FederatedCredentialName}' of identity '{identity.IdentityName}' {within}, although the token's issuer "
                    + $"'{seen.Issuer}', subject '{seen.Subject}' and audience '{seen.Audience}' match it exactly: Entra has not propagated the credential yet.", identity.IdentityName,
                    "Wait a few minutes (propagation can take up to ten) and run Wait-KedaWorkloadIdentity again with a longer -Timeout; nothing needs to change.");
            }

            return new KedaAksException(diagnosis.Code.ToString(), KedaErrorCategory.OperationTimeout,
                $"Entra {what} for identity '{identity.IdentityName}' {within}: the token does not match federated credential '{identity.FederatedCredentialName}': "
                + string.Join("; ", differences) + ".", identity.IdentityName, diagnosis.Remedy);
        }

        private static void AddDifference(List<string> differences, string field, string? seen, string? expected)
        {
            if (!string.Equals(seen, expected, StringComparison.Ordinal))
            {
                differences.Add($"Entra saw {field} '{seen}' where the credential expects {field} '{expected}'");
            }
        }

        private static (string? Issuer, string? Subject, string? Audience) Claims(string jwt)
        {
            string[] parts = jwt.Split('.');
            if (parts.Length != 3)
            {
                return (null, null, null);
            }

            string payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            JsonNode? claims = JsonNode.Parse(Convert.FromBase64String(payload));
            string? audience = claims?["aud"] is JsonArray list ? string.Join(",", list.Select(a => a?.GetValue<string>())) : claims?["aud"]?.GetValue<string>();
            return (claims?["iss"]?.GetValue<string>(), claims?["sub"]?.GetValue<string>(), audience);
        }

        private static string Flatten(Exception exception)
        {
            var text = new StringBuilder();
            for (Exception? e = exception; e is not null; e = e.InnerException)
            {
                text.AppendLine(e.Message);
            }

            return text.ToString();
        }
    }
}
