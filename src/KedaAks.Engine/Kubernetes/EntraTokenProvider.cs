using System.Net.Http.Headers;
using global::Azure.Core;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>Bearer tokens for the AKS Entra server application from the module's token source, refreshed five minutes before they expire.</summary>
    internal sealed class EntraTokenProvider : k8s.Authentication.ITokenProvider
    {
        private static readonly string[] Scope = { ClusterConnections.AksServerApplication + "/.default" };
        private readonly TokenCredential _credential;
        private AccessToken _token;

        private EntraTokenProvider(TokenCredential credential, AccessToken token)
        {
            _credential = credential;
            _token = token;
        }

        public static async Task<EntraTokenProvider> CreateAsync(AzureSettings settings, IKedaAksHost host, EngineOptions options, CancellationToken cancellationToken)
        {
            (TokenSourceCandidate source, AccessToken token) = await TokenSources.AcquireAsync(settings, Scope[0], host, options, "ClusterAuthenticationFailed",
                $"the AKS API server (Entra application {ClusterConnections.AksServerApplication})",
                "Sign in with an identity that has an AKS RBAC role on the cluster (Azure Kubernetes Service RBAC Writer or Cluster Admin), or use -Admin on a cluster with local accounts.",
                cancellationToken).ConfigureAwait(false);
            return new EntraTokenProvider(source.Credential, token);
        }

        public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
        {
            if (_token.ExpiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
            {
                _token = await _credential.GetTokenAsync(new TokenRequestContext(Scope), cancellationToken).ConfigureAwait(false);
            }

            return new AuthenticationHeaderValue("Bearer", _token.Token);
        }
    }
}
