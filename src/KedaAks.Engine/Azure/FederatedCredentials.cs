using global::Azure.Core;

namespace KedaAks.Engine.Azure
{
    /// <summary>Federated identity credentials of a user-assigned identity: list, ensure (idempotent, one write at a time), delete.</summary>
    internal sealed class FederatedCredentials
    {
        /// <summary>Entra's limit of federated credentials on one identity.</summary>
        public const int Limit = 20;

        /// <summary>Federated-credential writes on one identity must not overlap (Entra refuses them); one gate per identity, per engine.</summary>
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _writeGates = new(StringComparer.OrdinalIgnoreCase);
        private readonly EngineOptions _options;

        public FederatedCredentials(EngineOptions options) => _options = options;

        public async Task<IReadOnlyList<FederatedCredential>> ListAsync(ArmClient arm, string identityId) =>
            (await arm.ListAsync($"{identityId}/federatedIdentityCredentials", ArmApi.ManagedIdentity).ConfigureAwait(false)).Select(ArmModels.ToFederatedCredential).ToList();

        /// <summary>
        /// Makes credential <paramref name="name"/> map <paramref name="subject"/> from <paramref name="issuer"/>; returns the name of the
        /// credential that does (a twin with the same issuer and subject under another name is reused, as Entra allows only one).
        /// </summary>
        public async Task<string> EnsureAsync(ArmClient arm, string identityId, string identityName, string name, string issuer, string subject, string audience)
        {
            IKedaAksHost host = arm.Call.Host;
            string credentialId = $"{identityId}/federatedIdentityCredentials/{name}";
            SemaphoreSlim gate = _writeGates.GetOrAdd(identityId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(arm.Call.Cancellation).ConfigureAwait(false);
            try
            {
                ArmResponse existing = await arm.SendAsync(RequestMethod.Get, credentialId, ArmApi.ManagedIdentity).ConfigureAwait(false);
                string action;
                if (existing.IsSuccess)
                {
                    FederatedCredential current = ArmModels.ToFederatedCredential(existing.Body ?? new JsonObject());
                    if (current.Issuer == issuer && current.Subject == subject && current.Audiences.Count == 1 && current.Audiences[0] == audience)
                    {
                        host.WriteVerbose($"Federated credential '{name}' already maps {subject} from {issuer}.");
                        return name;
                    }

                    action = $"Update (issuer {issuer}, subject {subject}, audience {audience})";
                }
                else if (existing.Status == 404)
                {
                    IReadOnlyList<FederatedCredential> all = await ListAsync(arm, identityId).ConfigureAwait(false);
                    FederatedCredential? twin = all.FirstOrDefault(c => c.Issuer == issuer && c.Subject == subject);
                    if (twin is not null)
                    {
                        string twinName = twin.Name.Length > 0 ? twin.Name : "?";
                        host.WriteWarning($"Federated credential '{twinName}' on identity '{identityName}' already maps {subject} from this issuer; using it instead of "
                            + $"creating '{name}' (Entra allows one credential per issuer and subject).");
                        return twinName;
                    }

                    if (all.Count >= Limit)
                    {
                        throw new KedaAksException("TooManyFederatedCredentials", KedaErrorCategory.LimitsExceeded,
                            $"Identity '{identityName}' already has {all.Count} federated credentials, the most Entra allows.", identityId,
                            "Remove credentials the identity no longer needs, or use another identity (-IdentityName).");
                    }

                    action = $"Create (issuer {issuer}, subject {subject}, audience {audience})";
                }
                else
                {
                    throw ArmErrors.ToException(existing, credentialId, $"Reading federated credential '{name}'");
                }

                if (!host.ShouldProcess($"federated credential '{name}' of identity '{identityName}'", action))
                {
                    return name;
                }

                return await WriteAsync(arm, credentialId, identityName, name, issuer, subject, audience).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>Writes the credential with no read first (the caller knows what is there), one write per identity at a time.</summary>
        public async Task<string> WriteNewAsync(ArmClient arm, string identityId, string identityName, string name, string issuer, string subject, string audience)
        {
            SemaphoreSlim gate = _writeGates.GetOrAdd(identityId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(arm.Call.Cancellation).ConfigureAwait(false);
            try
            {
                return await WriteAsync(arm, $"{identityId}/federatedIdentityCredentials/{name}", identityName, name, issuer, subject, audience).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        public Task DeleteAsync(ArmClient arm, string identityId, string name) =>
            arm.DeleteAsync($"{identityId}/federatedIdentityCredentials/{name}", ArmApi.ManagedIdentity, "federated credential");

        private async Task<string> WriteAsync(ArmClient arm, string credentialId, string identityName, string name, string issuer, string subject, string audience)
        {
            var body = new JsonObject
            {
                ["properties"] = new JsonObject { ["issuer"] = issuer, ["subject"] = subject, ["audiences"] = new JsonArray(audience) },
            };
            TimeSpan backoff = _options.ConflictBackoff;
            for (int attempt = 1; ; attempt++)
            {
                ArmResponse put = await arm.SendAsync(RequestMethod.Put, credentialId, ArmApi.ManagedIdentity, body.DeepClone()).ConfigureAwait(false);
                if (put.IsSuccess)
                {
                    arm.Call.Host.WriteVerbose($"Federated credential '{name}' written. Entra may take a few minutes to accept tokens for it (Wait-KedaWorkloadIdentity proves when).");
                    return name;
                }

                if (put.Status == 409 && put.ErrorCode == "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity" && attempt < 6)
                {
                    arm.Call.Host.WriteVerbose($"Another federated-credential write on '{identityName}' is in progress; retrying in {backoff.TotalSeconds:0.#} s.");
                    await _options.Delay(backoff, arm.Call.Cancellation).ConfigureAwait(false);
                    backoff += backoff;
                    continue;
                }

                throw ArmErrors.ToException(put, credentialId, $"Writing federated credential '{name}'");
            }
        }
    }
}
