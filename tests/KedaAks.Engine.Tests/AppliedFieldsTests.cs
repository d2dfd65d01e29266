using System;
using System.Text.Json.Nodes;
using KedaAks.Engine.Kubernetes;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>When Deploy-KedaResource may leave an apply unsent: only when the cluster's object proves it would change nothing.</summary>
    public class AppliedFieldsTests
    {
        private const string Desired = """
            {"apiVersion":"keda.sh/v1alpha1","kind":"ScaledObject","metadata":{"name":"web","namespace":"default","labels":{"app.kubernetes.io/name":"web"}},
             "spec":{"scaleTargetRef":{"name":"web"},"triggers":[{"type":"prometheus","metadata":{"query":"sum(up)","threshold":"10"}}]}}
            """;

        // The API server's managedFields for the kedaaks Apply of Desired: lists are atomic in KEDA's CRD, so spec.triggers is one leaf.
        private const string Owned = """
            {"f:metadata":{"f:labels":{".":{},"f:app.kubernetes.io/name":{}}},"f:spec":{"f:scaleTargetRef":{"f:name":{}},"f:triggers":{}}}
            """;

        private static JsonObject Live(string? fields = null, string manager = "kedaaks", string operation = "Apply", string apiVersion = "keda.sh/v1alpha1",
            Action<JsonObject>? change = null)
        {
            var live = JsonNode.Parse(Desired)!.AsObject();
            live["metadata"]!["resourceVersion"] = "42";
            live["metadata"]!["uid"] = "0b3c";
            live["spec"]!["pollingInterval"] = 30;   // a default the server filled in
            live["status"] = new JsonObject { ["conditions"] = new JsonArray() };
            live["metadata"]!["managedFields"] = new JsonArray
            {
                new JsonObject
                {
                    ["manager"] = manager, ["operation"] = operation, ["apiVersion"] = apiVersion, ["fieldsType"] = "FieldsV1",
                    ["fieldsV1"] = JsonNode.Parse(fields ?? Owned),
                },
                new JsonObject
                {
                    ["manager"] = "keda", ["operation"] = "Update", ["apiVersion"] = "keda.sh/v1alpha1", ["fieldsType"] = "FieldsV1", ["subresource"] = "status",
                    ["fieldsV1"] = JsonNode.Parse("""{"f:status":{"f:conditions":{}}}"""),
                },
            };
            change?.Invoke(live);
            return live;
        }

        private static JsonObject Desire(Action<JsonObject>? change = null)
        {
            var desired = JsonNode.Parse(Desired)!.AsObject();
            change?.Invoke(desired);
            return desired;
        }

        [Fact]
        public void An_object_applied_with_the_same_fields_and_values_is_unchanged() =>
            Assert.True(AppliedFields.Unchanged(Desire(), Live(), "kedaaks"));

        [Fact]
        public void A_changed_value_is_a_change() =>
            Assert.False(AppliedFields.Unchanged(Desire(d => d["spec"]!["triggers"]![0]!["metadata"]!["threshold"] = "20"), Live(), "kedaaks"));

        [Fact]
        public void A_value_someone_else_changed_is_a_change() =>
            Assert.False(AppliedFields.Unchanged(Desire(), Live(change: l => l["spec"]!["scaleTargetRef"]!["name"] = "other"), "kedaaks"));

        [Fact]
        public void A_field_the_configuration_no_longer_sets_is_a_change()
        {
            // The apply would release (and so remove) metadata.labels, which the last apply set.
            Assert.False(AppliedFields.Unchanged(Desire(d => d["metadata"]!.AsObject().Remove("labels")), Live(), "kedaaks"));
        }

        [Fact]
        public void A_new_field_is_a_change() =>
            Assert.False(AppliedFields.Unchanged(Desire(d => d["spec"]!["cooldownPeriod"] = 60), Live(change: l => l["spec"]!["cooldownPeriod"] = 60), "kedaaks"));

        [Theory]
        [InlineData("someone-else", "Apply", "keda.sh/v1alpha1")]
        [InlineData("kedaaks", "Update", "keda.sh/v1alpha1")]
        [InlineData("kedaaks", "Apply", "keda.sh/v1alpha2")]
        public void Fields_owned_otherwise_are_a_change(string manager, string operation, string apiVersion) =>
            Assert.False(AppliedFields.Unchanged(Desire(), Live(manager: manager, operation: operation, apiVersion: apiVersion), "kedaaks"));

        [Fact]
        public void No_managed_fields_is_a_change() =>
            Assert.False(AppliedFields.Unchanged(Desire(), Live(change: l => l["metadata"]!.AsObject().Remove("managedFields")), "kedaaks"));

        [Fact]
        public void A_keyed_list_in_the_field_set_is_not_read_and_so_a_change()
        {
            const string Keyed = """{"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}},"f:spec":{"f:scaleTargetRef":{"f:name":{}},"f:triggers":{"k:{\"type\":\"prometheus\"}":{".":{}}}}}""";
            Assert.False(AppliedFields.Unchanged(Desire(), Live(Keyed), "kedaaks"));
        }

        [Fact]
        public void Metadata_beyond_labels_and_annotations_is_a_change() =>
            Assert.False(AppliedFields.Unchanged(Desire(d => d["metadata"]!["finalizers"] = new JsonArray("x")), Live(), "kedaaks"));

        [Fact]
        public void A_null_in_the_configuration_is_a_change() =>
            Assert.False(AppliedFields.Unchanged(Desire(d => d["spec"]!["cooldownPeriod"] = null), Live(), "kedaaks"));
    }
}
