using System;
using System.Linq;
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

        [Fact]
        public void An_alias_inside_the_node_it_names_is_refused_not_followed_for_ever()
        {
            var error = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("apiVersion: v1\npreferences: &a\n  x: *a\n"));
            Assert.Contains("contains itself", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Aliases_that_expand_a_small_text_into_millions_of_nodes_are_refused()
        {
            // "Billion laughs": 8 levels of 9 aliases, ~600 bytes of text, 43 million nodes if expanded.
            var text = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
            for (int level = 1; level <= 8; level++)
            {
                text.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var error = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse(text.ToString()));
            Assert.Contains("excessive aliasing", error.Message, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed}");
        }

        [Fact]
        public void Ordinary_aliases_are_copied_out()
        {
            JsonNode json = YamlJson.Parse("base: &b {name: web, port: 80}\nfirst: *b\nsecond: *b\n")!;
            Assert.Equal(json["base"]!.ToJsonString(), json["second"]!.ToJsonString());
            json["first"]!["port"] = 81;
            Assert.Equal(80, json["second"]!["port"]!.GetValue<long>());
        }

        [Fact]
        public void Merge_keys_merge_with_the_mappings_own_keys_first_and_the_earlier_of_several()
        {
            JsonNode json = YamlJson.Parse("""
                a: &a {name: from-a, port: 80, only-a: 1}
                b: &b {name: from-b, port: 90, only-b: 2}
                one:
                  <<: *a
                  name: own
                many:
                  <<: [*a, *b]
                """)!;
            Assert.Equal("""{"name":"own","port":80,"only-a":1}""", json["one"]!.ToJsonString());
            Assert.Equal("""{"name":"from-a","port":80,"only-a":1,"only-b":2}""", json["many"]!.ToJsonString());
        }

        [Fact]
        public void A_key_given_twice_is_refused_with_its_position()
        {
            var error = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("metadata:\n  name: a\n  name: b\n"));
            Assert.Contains("Duplicate key 'name'", error.Message, StringComparison.Ordinal);
            Assert.Equal(3, error.Start.Line);
        }

        [Fact]
        public void A_key_that_is_a_mapping_is_refused_and_an_undefined_alias_is_named()
        {
            Assert.Contains("mapping key is a mapping", Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("? {a: 1}\n: x\n")).Message, StringComparison.Ordinal);
            Assert.Contains("*nowhere", Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("a: *nowhere\n")).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void An_alias_names_the_latest_anchor_of_its_name_and_a_scalar_alias_can_be_a_key()
        {
            JsonNode json = YamlJson.Parse("a: &x 1\nb: &x web\nc: *x\n*x : 2\nd: &n [&n inner, *n]\ne: *n\n")!;
            Assert.Equal("\"web\"", json["c"]!.ToJsonString());
            Assert.Equal("2", json["web"]!.ToJsonString());
            Assert.Equal("""["inner","inner"]""", json["d"]!.ToJsonString());
            Assert.Equal("\"inner\"", json["e"]!.ToJsonString());   // the inner anchor is the later one, in the text's order
        }

        [SkippableFact]
        public void Real_manifests_read_as_YamlDotNets_own_deserializer_reads_them()
        {
            // KEDA's CRDs (deep schemas, block scalars, quoted and plain text) and its chart's values: every scalar as text, against YamlDotNet's object reader.
            string? crds = SharedFixtures.Find("keda", "crds");
            Skip.If(crds is null, "../shared/fixtures is absent (a user's clone): real manifests are not compared with YamlDotNet's deserializer.");
            var files = System.IO.Directory.GetFiles(crds, "*.yaml").Append(SharedFixtures.Find("keda", "chart", "values.yaml")!).ToList();
            foreach (string file in files)
            {
                string text = System.IO.File.ReadAllText(file);
                JsonNode? expected = Json(new YamlDotNet.Serialization.Deserializer().Deserialize<object>(text));
                Assert.True(JsonNode.DeepEquals(expected, YamlJson.Parse(text, typed: false)), $"{file} reads differently");
            }

            Assert.Equal(7, files.Count);
        }

        private static JsonNode? Json(object? value) => value switch
        {
            System.Collections.Generic.IDictionary<object, object> map => new JsonObject(map.Select(p => System.Collections.Generic.KeyValuePair.Create((string)p.Key, Json(p.Value)))),
            System.Collections.Generic.IList<object> list => new JsonArray(list.Select(Json).ToArray()),
            null => null,
            _ => JsonValue.Create((string)value),
        };
    }
}
