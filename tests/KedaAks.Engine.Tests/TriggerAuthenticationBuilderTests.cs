using System;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class TriggerAuthenticationBuilderTests
    {
        private static TriggerAuthentication Build(TriggerAuthenticationRequest request, RecordingHost? host = null) =>
            new Resources.ResourceBuilder().NewTriggerAuthentication(request, host ?? new RecordingHost());

        [Fact]
        public void Builds_the_articles_trigger_authentication()
        {
            TriggerAuthentication auth = Build(new TriggerAuthenticationRequest { Name = "azure-managed-prometheus-trigger-auth", Namespace = "default" });
            Assert.Equal(("TriggerAuthentication", "azure-workload", "default"), (auth.Kind, auth.ProviderName, auth.Namespace));
            Assert.Null(auth.IdentityId);
        }

        [Fact]
        public void Cluster_scoped_has_no_namespace()
        {
            TriggerAuthentication auth = Build(new TriggerAuthenticationRequest { Name = "shared", IsClusterScoped = true });
            Assert.Equal("ClusterTriggerAuthentication", auth.Kind);
            Assert.Null(auth.Namespace);
        }

        [Theory]
        [InlineData("UnsupportedPodIdentityProvider", "Unsupported value: \"azure\"")]
        public void Refuses_aad_pod_identity(string errorId, string reason)
        {
            var error = Assert.Throws<KedaAksException>(() => Build(new TriggerAuthenticationRequest { Name = "a", Provider = PodIdentityProvider.Azure }));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
            Assert.Contains("removed in KEDA 2.15", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("EmptyIdentityId", "", null, null, "identityId of PodIdentity should not be empty. If it's set, identityId has to be different than \"\"")]
        [InlineData("EmptyIdentityId", "  ", null, null, "identityId of PodIdentity should not be empty")]
        [InlineData("EmptyIdentityTenantId", "11111111-1111-1111-1111-111111111111", "", null, "identityTenantId of PodIdentity should not be empty")]
        [InlineData("IdentityTenantIdRequiresIdentityId", null, "22222222-2222-2222-2222-222222222222", null, "requires identityId")]
        [InlineData("IdentityAuthorityHostRequiresTenantId", "11111111-1111-1111-1111-111111111111", null, "https://login.microsoftonline.us/",
            "identityTenantID of PodIdentity should not be nil or empty when identityAuthorityHost of PodIdentity is set")]
        [InlineData("InvalidIdentityAuthorityHost", "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", "login.microsoftonline.us", "not an absolute https URL")]
        public void Refuses_identity_fields_as_kedas_webhook_does(string errorId, string? identityId, string? tenantId, string? authority, string reason)
        {
            var error = Assert.Throws<KedaAksException>(() => Build(new TriggerAuthenticationRequest
            {
                Name = "a", IdentityId = identityId, IdentityTenantId = tenantId, IdentityAuthorityHost = authority,
            }));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("InvalidName", "Bad_Name", null, false)]
        [InlineData("InvalidNamespace", "ok", "Not-Valid", false)]
        [InlineData("NamespaceNotAllowed", "ok", "app", true)]
        public void Refuses_bad_names(string errorId, string name, string? ns, bool cluster)
        {
            var error = Assert.Throws<KedaAksException>(() => Build(new TriggerAuthenticationRequest { Name = name, Namespace = ns, IsClusterScoped = cluster }));
            Assert.Equal(errorId, error.ErrorId);
        }

        [Fact]
        public void A_client_id_that_is_not_a_guid_warns()
        {
            var host = new RecordingHost();
            Build(new TriggerAuthenticationRequest { Name = "a", IdentityId = "keda-int-identity" }, host);
            Assert.Contains(host.Warnings, w => w.Contains("not a GUID", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("azure-workload", PodIdentityProvider.AzureWorkload)]
        [InlineData("AzureWorkload", PodIdentityProvider.AzureWorkload)]
        [InlineData("AWS-EKS", PodIdentityProvider.AwsEks)]
        [InlineData("none", PodIdentityProvider.None)]
        public void Provider_names_parse_both_ways(string text, PodIdentityProvider expected)
        {
            Assert.True(PodIdentityProviders.TryParse(text, out PodIdentityProvider provider));
            Assert.Equal(expected, provider);
        }
    }
}
