using System.Text.Json.Nodes;
using KedaAks.Engine.Manifests;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>YAML to the JSON an apply sends: YAML 1.2 core schema for plain scalars, quoted text stays text.</summary>
    public class YamlJsonTests
    {
        [Fact]
        public void Plain_scalars_take_their_type_and_quoted_ones_stay_text()
        {
            JsonObject json = (JsonObject)YamlJson.Parse(
                "a: 10\nb: '10'\nc: true\nd: \"true\"\ne: 1.5\nf: ~\ng: web\nh: !!str 7\ni:\n- x\n- 2\nj: {}\nk: -3\nl: 0x1F\n")!;
            Assert.Equal("10", json["a"]!.ToJsonString());
            Assert.Equal("\"10\"", json["b"]!.ToJsonString());
            Assert.Equal("true", json["c"]!.ToJsonString());
            Assert.Equal("\"true\"", json["d"]!.ToJsonString());
            Assert.Equal("1.5", json["e"]!.ToJsonString());
            Assert.Null(json["f"]);
            Assert.True(json.ContainsKey("f"));
            Assert.Equal("\"web\"", json["g"]!.ToJsonString());
            Assert.Equal("\"7\"", json["h"]!.ToJsonString());
            Assert.Equal("[\"x\",2]", json["i"]!.ToJsonString());
            Assert.Equal("{}", json["j"]!.ToJsonString());
            Assert.Equal("-3", json["k"]!.ToJsonString());
            Assert.Equal("\"0x1F\"", json["l"]!.ToJsonString());
        }

        [Fact]
        public void A_typed_resource_converts_as_its_manifest_reads()
        {
            var scaler = new Resources.ResourceBuilder().NewPrometheusScaler(new PrometheusScalerRequest
            {
                Name = "web", Namespace = "app", TargetName = "web", ServerAddress = "http://prometheus:9090", Query = "sum(up)", Threshold = "10",
            }, new RecordingHost());
            JsonObject fromNode = (JsonObject)YamlJson.Convert(ManifestSerializer.ToNode(scaler))!;
            JsonObject fromText = (JsonObject)YamlJson.Parse(new ManifestSerializer().ToYaml(new[] { scaler }))!;
            Assert.Equal(fromText.ToJsonString(), fromNode.ToJsonString());
            Assert.Equal("\"10\"", fromNode["spec"]!["triggers"]![0]!["metadata"]!["threshold"]!.ToJsonString());
        }

        [Fact]
        public void Broken_yaml_is_a_YamlException_with_its_position()
        {
            var error = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("apiVersion: keda.sh/v1alpha1\nmetadata: {name: x\nspec: ]\n"));
            Assert.True(error.Start.Line > 0);
        }
    }
}
