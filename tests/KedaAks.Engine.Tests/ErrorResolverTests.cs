using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using KedaAks.Engine.Diagnostics;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class ErrorResolverTests
    {
        private static Diagnosis Resolve(string text) => new ErrorResolver().Resolve(text);

        private static string? Corpus() => SharedFixtures.Find("keda", "error-corpus.public.json");

        /// <summary>
        /// The shared corpus predates the 700211/700212/700213 codes: where it says FederatedCredentialMismatch, any code of
        /// that family (<see cref="DiagnosisCodes.FederationMismatch"/>) is what it means.
        /// </summary>
        [SkippableFact]
        public void Every_public_report_gets_its_expected_code()
        {
            string? path = Corpus();
            Skip.If(path is null, "../shared/fixtures is absent: the public error corpus is not checked.");
            JsonArray entries = JsonNode.Parse(File.ReadAllText(path!))!["entries"]!.AsArray();
            Assert.NotEmpty(entries);
            foreach (JsonNode? entry in entries)
            {
                string expected = entry!["expectedCode"]!.GetValue<string>();
                string text = entry["text"]!.GetValue<string>();
                DiagnosisCode actual = Resolve(text).Code;
                bool family = expected == nameof(DiagnosisCode.FederatedCredentialMismatch) && DiagnosisCodes.IsFederationMismatch(actual);
                Assert.True(expected == actual.ToString() || family, $"expected {expected}, got {actual} for: {text[..Math.Min(200, text.Length)]}");
            }
        }

        [Theory]
        // KEDA 2.20 (body discarded) and 2.10-2.19 (body appended), JSON and console log formats.
        [InlineData("{\"level\":\"error\",\"ts\":\"2026-08-01T10:00:00Z\",\"logger\":\"scale_handler\",\"msg\":\"error getting "
            + "metric for scaler\",\"scaledObject.Namespace\":\"shop\",\"scaledObject.Name\":\"orders\",\"scaler\":\"prometheusScaler\","
            + "\"error\":\"prometheus "
            + "query api returned error. status: 403\"}", DiagnosisCode.MonitoringDataReaderMissing)]
        [InlineData("2024-03-01T10:00:00Z\tERROR\tscale_handler\terror getting metric for scaler\t{\"scaledObject.Namespace\": \"shop\", \"scaledObject.Name\": "
            + "\"orders\", \"error\": \"prometheus query api returned error. status: 401 response: \"}", DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("prometheus query api returned error. status: 400 response: {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid "
            + "parameter \\\"query\\\": 1:34: parse error: unclosed left parenthesis\"}", DiagnosisCode.PrometheusQueryFailed)]
        [InlineData("prometheus query sum by (deployment) (rate(http_requests_total[2m])) returned multiple elements", DiagnosisCode.PrometheusQueryMultipleElements)]
        [InlineData("prometheus metrics 'prometheus' target may be lost, the result is empty", DiagnosisCode.PrometheusQueryEmpty)]
        [InlineData("prometheus query returns NaN", DiagnosisCode.PrometheusQueryNotANumber)]
        [InlineData("promtheus query returns +Inf", DiagnosisCode.PrometheusQueryNotANumber)]
        [InlineData("error parsing prometheus metadata: error parsing prometheus metadata: missing required parameter \"threshold\" in [triggerMetadata]", DiagnosisCode.PrometheusMetadataInvalid)]
        [InlineData("AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:default:keda-operator'. "
            + "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.", DiagnosisCode.FederatedSubjectMismatch)]
        [InlineData("AADSTS7002138: No matching federated identity record found for presented assertion subject 'system:serviceaccount:KEDA:keda-operator'.",
            DiagnosisCode.FederatedSubjectMismatch)]
        [InlineData("AADSTS700016: Application with identifier '11111111-2222-3333-4444-555555555555' was not found in the directory 'contoso'.", DiagnosisCode.IdentityNotFound)]
        [InlineData("AADSTS50126: Error validating credentials due to invalid username or password.", DiagnosisCode.EntraAuthenticationFailed)]
        [InlineData("WorkloadIdentityCredential: Post \"https://login.microsoftonline.com/t/oauth2/v2.0/token\": dial tcp: lookup login.microsoftonline.com: "
            + "no such host", DiagnosisCode.EntraUnreachable)]
        [InlineData("error starting azure workload-identity token provider: no token file specified. Check pod configuration or set TokenFilePath "
            + "in the options", DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: MinReplicaCount=5 must be less than MaxReplicaCount=2", DiagnosisCode.AdmissionWebhookDenied)]
        [InlineData("admission webhook \"vstriggerauthentication.kb.io\" denied the request: identityId of PodIdentity should not be empty. "
            + "If it's set, identityId has to be different than \"\"", DiagnosisCode.TriggerAuthenticationInvalid)]
        [InlineData("ScaledObject.keda.sh \"s\" is invalid: spec.triggers[0].metadata.threshold: Invalid value: \"integer\": spec.triggers[0].metadata.threshold "
            + "in body must be of type string: \"integer\"", DiagnosisCode.TriggerMetadataNotString)]
        [InlineData("TriggerAuthentication.keda.sh \"a\" is invalid: spec.podIdentity.provider: Unsupported value: \"azure\": supported values: "
            + "\"azure-workload\", \"gcp\", \"aws\", \"aws-eks\", \"none\"", DiagnosisCode.PodIdentityProviderUnsupported)]
        [InlineData("HorizontalPodAutoscaler.autoscaling \"keda-hpa-s\" is invalid: spec.metrics[0].external.target.averageValue: Invalid value: "
            + "\"0\": must be positive", DiagnosisCode.HpaTargetNotPositive)]
        [InlineData("error: error validating \"so.yaml\": strict decoding error: unknown field \"spec.initialCooldownPeriod\"", DiagnosisCode.KedaCrdOutdated)]
        [InlineData("unable to get external metric default/s0-prometheus/&LabelSelector{...}: unable to fetch metrics from external metrics "
            + "API: the server is currently unable to handle the request (get s0-prometheus.external.metrics.k8s.io)", DiagnosisCode.MetricsApiUnavailable)]
        [InlineData("something else entirely", DiagnosisCode.Unknown)]
        public void General_forms_across_keda_versions(string text, DiagnosisCode expected) => Assert.Equal(expected, Resolve(text).Code);

        [Fact]
        public void The_assertion_issuer_subject_and_audience_are_extracted()
        {
            Diagnosis d = Resolve("AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://eastus.oic.prod-aks.azure.com/t/i/'. "
                + "Assertion Subject: 'system:serviceaccount:keda:keda-operator'. Assertion Audience: 'api://AzureADTokenExchange'.");
            Assert.Equal(DiagnosisCode.FederatedCredentialMismatch, d.Code);
            Assert.Equal(("https://eastus.oic.prod-aks.azure.com/t/i/", "system:serviceaccount:keda:keda-operator", "api://AzureADTokenExchange", "70021"),
                (d.Issuer, d.Subject, d.Audience, d.AadstsCode));
            Assert.Contains("trailing slash", d.Remedy, StringComparison.Ordinal);
        }

        [Fact]
        public void The_principal_scope_status_and_object_are_extracted_from_an_escaped_403()
        {
            string line = "2023-05-30T11:15:45Z\tERROR\tscale_handler\terror getting metric for scaler\t{\"scaledObject.Namespace\": \"default\", "
                + "\"scaledObject.Name\": \"azure-managed-prometheus-scaler\", \"error\": \"prometheus query api returned error. status: 403 "
                + "response: {\\\"status\\\":\\\"error\\\",\\\"error\\\":\\\"The client '4f0c' with object id '11111111-2222-3333-4444-555555555555' "
                + "does not have authorization to perform action 'microsoft.monitor/accounts/data/metrics/read' over scope "
                    + "'/subscriptions/s/resourceGroups/rg/providers/microsoft.monitor/accounts/amw' "
                + "or the scope is invalid.\\\"}\"}";
            Diagnosis d = Resolve(line);
            Assert.Equal(DiagnosisCode.MonitoringDataReaderMissing, d.Code);
            Assert.Equal(403, d.StatusCode);
            Assert.Equal("11111111-2222-3333-4444-555555555555", d.PrincipalId);
            Assert.Equal("/subscriptions/s/resourceGroups/rg/providers/microsoft.monitor/accounts/amw", d.Scope);
            Assert.Equal(("default", "azure-managed-prometheus-scaler"), (d.Namespace, d.Name));
            Assert.Equal(new DateTimeOffset(2023, 5, 30, 11, 15, 45, TimeSpan.Zero), d.Time);
            Assert.Contains("Grant-KedaMonitorWorkspaceAccess", d.Remedy, StringComparison.Ordinal);
        }

        [Fact]
        public void Every_code_has_a_summary_cause_and_remedy()
        {
            foreach (DiagnosisCode code in Enum.GetValues<DiagnosisCode>())
            {
                var (summary, cause, remedy) = Catalog.Describe(code);
                Assert.False(string.IsNullOrWhiteSpace(summary) || string.IsNullOrWhiteSpace(cause) || string.IsNullOrWhiteSpace(remedy), code.ToString());
            }
        }
    }
}
