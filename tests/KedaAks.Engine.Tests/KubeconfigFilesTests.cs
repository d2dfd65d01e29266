using System;
using System.Linq;
using System.Text.Json;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using KedaAks.Engine.Kubernetes;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Kubeconfig reading: the same models YamlDotNet's object deserializer fills, for the shapes az aks get-credentials and kubectl write.</summary>
    public class KubeconfigFilesTests
    {
        private const string Aks = """
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: keda-aks
            clusters:
            - name: keda-aks
              cluster:
                certificate-authority-data: LS0tLS1CRUdJTi0tLS0t
                server: https://keda-aks-dns-12345678.hcp.eastus.azmk8s.io:443
            - name: local
              cluster:
                server: "https://127.0.0.1:6443"
                insecure-skip-tls-verify: true
                tls-server-name: kubernetes
                certificate-authority: ./ca.crt
            contexts:
            - name: keda-aks
              context:
                cluster: keda-aks
                user: clusterUser_rg_keda-aks
                namespace: keda
            - name: local
              context:
                cluster: local
                user: admin
            users:
            - name: clusterUser_rg_keda-aks
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: kubelogin
                  args:
                  - get-token
                  - --server-id
                  - 6dae42f8-4368-4678-94ff-3960e28e3630
                  env:
                  - name: AAD_LOGIN_METHOD
                    value: azurecli
                  installHint: install kubelogin
                  provideClusterInfo: false
            - name: admin
              user:
                client-certificate-data: Y2VydA==
                client-key-data: a2V5
                token: "0123"
                as: someone
                as-groups: [system:masters, dev]
            - name: legacy
              user:
                auth-provider:
                  name: azure
                  config:
                    tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47
                username: u
                password: p
            """;

        private static string Json(K8SConfiguration config) => JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true });

        [Fact]
        public void Reads_what_YamlDotNet_reads()
        {
            K8SConfiguration expected = new YamlDotNet.Serialization.DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<K8SConfiguration>(Aks);
            expected.Preferences = null;   // not read: KedaAks does not use kubectl's preferences
            Assert.Equal(Json(expected), Json(KubeconfigFiles.Parse(Aks)));
        }

        [Fact]
        public void A_token_that_looks_like_a_number_stays_text() =>
            Assert.Equal("0123", KubeconfigFiles.Parse(Aks).Users!.Single(u => u.Name == "admin").UserCredentials.Token);

        [Theory]
        [InlineData("")]
        [InlineData("# nothing yet\n")]
        public void An_empty_file_is_an_empty_configuration(string text) => Assert.Empty(KubeconfigFiles.Parse(text).Clusters);

        [Theory]
        [InlineData("just text", "not a YAML mapping")]
        [InlineData("clusters: 5", "'clusters' must be a list")]
        [InlineData("clusters: [5]", "each entry of 'clusters' must be a mapping")]
        [InlineData("clusters:\n- name: [a]", "'name' must be a single value")]
        [InlineData("clusters:\n- cluster:\n    insecure-skip-tls-verify: maybe", "must be true or false")]
        public void A_file_of_the_wrong_shape_says_which_field(string text, string problem) =>
            Assert.Contains(problem, Assert.Throws<KubeConfigException>(() => KubeconfigFiles.Parse(text)).Message, StringComparison.Ordinal);

        [Fact]
        public void Malformed_yaml_is_the_parsers_error_with_its_position() =>
            Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => KubeconfigFiles.Parse("clusters: [a, b\nusers: {"));

        [Theory]
        [InlineData("yes", true)]
        [InlineData("On", true)]
        [InlineData("true", true)]
        [InlineData("no", false)]
        [InlineData("off", false)]
        public void Booleans_read_as_kubectls_yaml_reads_them(string written, bool expected) =>
            Assert.Equal(expected, KubeconfigFiles.Parse($"clusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: {written}\n")
                .Clusters.Single().ClusterEndpoint.SkipTlsVerify);

        [Fact]
        public void Impersonation_extras_are_kubectls_map_of_lists() =>
            Assert.Equal("a,b", KubeconfigFiles.Parse("users:\n- name: u\n  user:\n    as: someone\n    as-user-extra:\n      scopes: [a, b]\n")
                .Users.Single().UserCredentials.ImpersonateUserExtra["scopes"]);

        [Fact]
        public void A_self_referencing_alias_is_the_parsers_error_not_a_crash() =>
            Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => KubeconfigFiles.Parse("apiVersion: v1\nkind: Config\npreferences: &a\n  x: *a\nclusters: []\n"));
    }
}
