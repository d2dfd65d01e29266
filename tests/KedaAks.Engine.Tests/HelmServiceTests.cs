using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using k8s.Models;
using KedaAks.Engine.Helm;
using KedaAks.Engine.Keda;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Tests
{
    public class HelmServiceTests
    {
        private static YamlMappingNode Root(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return (YamlMappingNode)stream.Documents[0].RootNode;
        }

        private static string At(YamlMappingNode root, params string[] path)
        {
            YamlNode node = root;
            foreach (string key in path)
            {
                node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
            }

            return ((YamlScalarNode)node).Value!;
        }

        private static HelmInstallRequest Request() => new() { ClientId = "5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d", TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47" };

        [Fact]
        public void Nested_layout_puts_the_account_under_serviceAccount_operator()
        {
            YamlMappingNode values = Root(HelmValues.Yaml(HelmValues.Build(Request(), nested: true, chartCreatesAccount: false)));
            Assert.Equal("false", At(values, "serviceAccount", "operator", "create"));
            Assert.Equal("keda-operator", At(values, "serviceAccount", "operator", "name"));
            Assert.False(((YamlMappingNode)values.Children[new YamlScalarNode("serviceAccount")]).Children.ContainsKey(new YamlScalarNode("create")));
            Assert.Equal("true", At(values, "podIdentity", "azureWorkload", "enabled"));
            Assert.Equal("5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d", At(values, "podIdentity", "azureWorkload", "clientId"));
            Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", At(values, "podIdentity", "azureWorkload", "tenantId"));
        }

        [Fact]
        public void Flat_layout_is_used_for_charts_before_2_14()
        {
            YamlMappingNode values = Root(HelmValues.Yaml(HelmValues.Build(Request(), nested: false, chartCreatesAccount: true)));
            Assert.Equal("true", At(values, "serviceAccount", "create"));
            Assert.Equal("keda-operator", At(values, "serviceAccount", "name"));
        }

        [Fact]
        public void Set_keys_with_dots_nest_and_win()
        {
            HelmInstallRequest request = Request();
            request.Set = new Hashtable { ["image.keda.registry"] = "myacr.azurecr.io", ["podIdentity.azureWorkload.tokenExpiration"] = 3600, ["crds.install"] = false };
            YamlMappingNode values = Root(HelmValues.Yaml(HelmValues.Build(request, nested: true, chartCreatesAccount: true)));
            Assert.Equal("myacr.azurecr.io", At(values, "image", "keda", "registry"));
            Assert.Equal("3600", At(values, "podIdentity", "azureWorkload", "tokenExpiration"));
            Assert.Equal("5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d", At(values, "podIdentity", "azureWorkload", "clientId"));
            Assert.Equal("false", At(values, "crds", "install"));
        }

        [Theory]
        [InlineData("2.20.2", 2, 20, 2)]
        [InlineData("v2.9.3", 2, 9, 3)]
        [InlineData("2.17", 2, 17, 0)]
        public void Versions_parse_with_or_without_v(string text, int major, int minor, int build) =>
            Assert.Equal(new Version(major, minor, build), KedaVersions.Parse(text));

        [Fact]
        public void Release_secrets_decode_as_helm_writes_them()
        {
            const string release = "{\"name\":\"keda\",\"namespace\":\"keda\",\"version\":3,\"info\":{\"status\":\"deployed\"},"
                + "\"chart\":{\"metadata\":{\"name\":\"keda\",\"version\":\"2.20.2\",\"appVersion\":\"2.20.2\"}}}";
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(release));
            }

            // The secret's data value is base64 text of the gzipped JSON (Kubernetes base64-encodes it once more on the wire).
            var secret = new V1Secret { Data = new Dictionary<string, byte[]> { ["release"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(buffer.ToArray())) } };
            var decoded = ReleaseSecrets.Decode(secret)!;
            Assert.Equal("keda", decoded["name"]!.GetValue<string>());
            Assert.Equal(3, decoded["version"]!.GetValue<int>());
            Assert.Equal("2.20.2", decoded["chart"]!["metadata"]!["appVersion"]!.GetValue<string>());
            Assert.Null(ReleaseSecrets.Decode(new V1Secret { Data = new Dictionary<string, byte[]> { ["release"] = Encoding.ASCII.GetBytes("not base64!") } }));
        }

        [Fact]
        public void A_missing_helm_names_how_to_get_it()
        {
            var service = new HelmService(null!, null!, null!);
            var error = Assert.Throws<KedaAksException>(() => service.LocateHelm(Path.Combine(Path.GetTempPath(), "no-helm-" + Guid.NewGuid().ToString("N"))));
            Assert.Equal("HelmNotFound", error.ErrorId);
            Assert.Equal(KedaErrorCategory.NotInstalled, error.Category);
            Assert.Contains("https://helm.sh", error.RecommendedAction);
        }

        [Fact]
        public void The_support_matrix_covers_every_version_from_2_10()
        {
            for (int minor = 10; minor <= 20; minor++)
            {
                Assert.True(KedaVersions.TestedKubernetes.ContainsKey(minor), $"2.{minor}");
                Assert.Equal(2, KedaVersions.TestedKubernetes[minor].To - KedaVersions.TestedKubernetes[minor].From);
            }
        }
    }
}
