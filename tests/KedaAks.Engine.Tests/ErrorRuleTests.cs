using System;
using System.Threading.Tasks;
using KedaAks.Engine.Diagnostics;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>
    /// Hand-written variants of each rule family: the forms real reports take (truncated, "..." elisions, kubectl and
    /// other scalers' log prefixes, escaped JSON, events "combined from similar events", terminal wrapping).
    /// </summary>
    public class ErrorRuleTests
    {
        private const string Prefix = "2024-05-30T11:15:45Z\tERROR\tazure_servicebus_scaler\terror getting service bus entity length\t";

        private static Diagnosis Resolve(string text) => new ErrorResolver().Resolve(text);

        [Theory]
        [InlineData("AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://eastus.oic.prod-aks.azure.com/t/c/'.",
            DiagnosisCode.FederatedIssuerMismatch)]
        [InlineData("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700211: No matching federated identity record found for presented assertion issuer "
            + "'https://oidc.prod-aks.azure.com/c/'. Please check your federated identity credential Subject, Audience and Issuer\",\"error_codes\":[700211]}",
            DiagnosisCode.FederatedIssuerMismatch)]
        [InlineData("... No matching federated identity record found for presented assertion issuer 'https://eastus.oic.prod-aks.azure.com/t/c'. Please ch",
            DiagnosisCode.FederatedIssuerMismatch)]
        [InlineData("{\"error\":\"invalid_client\",\"error_codes\":[700212],\"timestamp\":\"2025-01-01 10:00:00Z\"}", DiagnosisCode.FederatedAudienceMismatch)]
        [InlineData("AADSTS700212: No matching federated identity record found for presented assertion audience 'api://AzureADTokenExchange2'.",
            DiagnosisCode.FederatedAudienceMismatch)]
        [InlineData("(combined from similar events): WorkloadIdentityCredential authentication failed. POST https://login.microsoftonline.com/t/oauth2/v2.0/token "
            + "RESPONSE 400 Bad Request AADSTS700213: No matching federated identity record found for presented assertion subject "
            + "'system:serviceaccount:keda:keda-operator'.", DiagnosisCode.FederatedSubjectMismatch)]
        [InlineData(Prefix + "{\"type\": \"ScaledObject\", \"namespace\": \"app\", \"name\": \"orders\", \"error\": \"ChainedTokenCredential: failed to acquire a "
            + "token.\\nAttempted credentials:\\n\\tWorkloadIdentityCredential: AADSTS700213: No matching federated identity record found for presented "
            + "assertion subject 'system:serviceaccount:keda:keda-operator'.\"}", DiagnosisCode.FederatedSubjectMismatch)]
        [InlineData("Error: AADSTS7002138: No matching federated identity record found for presented assertion subject 'system:serviceaccount:KEDA:keda-operator'. "
            + "The subject matches with case-insensitive comparison, but not with case-sensitive comparison.", DiagnosisCode.FederatedSubjectMismatch)]
        [InlineData("STS70021: No matching federated identity record found for presented assertion ... Assertion Subject: 'system:serviceaccount:keda:keda-operator'",
            DiagnosisCode.FederatedCredentialMismatch)]
        [InlineData("AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://kubernetes.default.svc'. "
            + "Assertion Subject: 'system:serviceaccount:keda:keda-operator'. Assertion Audience: 'api://AzureADTokenExchange'.",
            DiagnosisCode.FederatedCredentialMismatch)]
        [InlineData("No matching federated identity record found for presented assertion.", DiagnosisCode.FederatedCredentialMismatch)]
        [InlineData("AADSTS70025: The client '11111111-2222-3333-4444-555555555555'(keda-id) has no configured federated identity credentials. Trace ID: x",
            DiagnosisCode.NoFederatedCredentials)]
        [InlineData("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS70025: The client 'c'(keda-id) has no configured federated identity credenti",
            DiagnosisCode.NoFederatedCredentials)]
        public void Federation_failures_name_the_part_that_differs(string text, DiagnosisCode expected) => Assert.Equal(expected, Resolve(text).Code);

        [Theory]
        [InlineData("AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://eastus.oic.prod-aks.azure.com/t/c'.",
            "https://eastus.oic.prod-aks.azure.com/t/c", null, null)]
        [InlineData("AADSTS700212: No matching federated identity record found for presented assertion audience 'api://other'.", null, null, "api://other")]
        [InlineData("AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:app:web'.",
            null, "system:serviceaccount:app:web", null)]
        [InlineData("AADSTS7002138: No matching federated identity record found for presented assertion subject 'system:serviceaccount:KEDA:keda-operator'.",
            null, "system:serviceaccount:KEDA:keda-operator", null)]
        public void Every_federation_wording_gives_its_evidence(string text, string? issuer, string? subject, string? audience)
        {
            Diagnosis d = Resolve(text);
            Assert.True(DiagnosisCodes.IsFederationMismatch(d.Code), d.Code.ToString());
            Assert.Equal((issuer, subject, audience), (d.Issuer, d.Subject, d.Audience));
        }

        [Theory]
        [InlineData("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tEnvironmentCredential: missing environment variable "
            + "AZURE_TENANT_ID\n\tWorkloadIdentityCredential: no client ID specified. Check pod configuration or set ClientID in the options\n\t"
            + "ManagedIdentityCredential: no default identity is assigned to this resource", DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData(Prefix + "{\"type\": \"ScaledObject\", \"namespace\": \"app\", \"name\": \"orders\", \"error\": \"ChainedTokenCredential: failed to acquire a "
            + "token.\\nAttempted credentials:\\n\\tAzureCLICredential: fork/exec /bin/sh: no such file or directory\\n\\terror reading service account token "
            + "- open : no such file or directory\"}", DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("Warning  KEDAScalerFailed  2m (x12 over 30m)  keda-operator  error parsing azure queue metadata: sources must contain at least one TokenCredential",
            DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("(combined from similar events): error starting azure workload-identity token provider: no token file specified. Check pod configurat",
            DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("WorkloadIdentityCredential: no client ID specified. Check pod configuration or set ClientID in the options", DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("open /var/run/secrets/azure/tokens/azure-identity-token: no such file or directory", DiagnosisCode.WorkloadIdentityNotInjected)]
        [InlineData("(combined from similar events): ChainedTokenCredential authentication failed POST https://login.microsoftonline.com/t/oauth2/v2.0/token "
            + "---------------------------------------- RESPONSE 401 Unauthorized -", DiagnosisCode.EntraAuthenticationFailed)]
        [InlineData("ChainedTokenCredential: failed to acquire a token.\nAttempted credentials:\n\terror acquiring aad token - Get "
            + "\"https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration\": dial tcp: i/o timeout", DiagnosisCode.EntraUnreachable)]
        public void Credential_chain_failures_mean_no_injected_identity_unless_entra_answered(string text, DiagnosisCode expected) =>
            Assert.Equal(expected, Resolve(text).Code);

        [Theory]
        [InlineData("error parsing prometheus metadata: error parsing threshold: strconv.ParseFloat: parsing \"70000m\": invalid syntax")]
        [InlineData("1.6469873430729506e+09\tERROR\tcontroller.scaledobject\tFailed to ensure HPA is correctly created for ScaledObject\t{\"error\": "
            + "\"error parsing prometheus metadata: error parsing activationThreshold: strconv.ParseFloat: parsing \\\"ten\\\": invalid syntax\"}")]
        [InlineData("\"error\": \"error parsing prometheus metadata: err incorrect value for ignoreNullValues given: strconv.ParseBool: parsing \\\"yes\\\": inval")]
        [InlineData("error parsing prometheus metadata: unable to set param \"threshold\" value \"abc\": unable to unmarshal to field type float64")]
        [InlineData("Warning  KEDAScalerFailed  13s  keda-operator  error parsing prometheus metadata: no threshold given")]
        [InlineData("error parsing prometheus metadata: error parsing timeout: time: invalid duration \"3\"")]
        [InlineData("error parsing kafka metadata: error parsing lagThreshold: strconv.ParseInt: parsing \"1.5\": invalid syntax")]
        public void Every_metadata_parse_error_is_a_metadata_error(string text) => Assert.Equal(DiagnosisCode.PrometheusMetadataInvalid, Resolve(text).Code);

        [Fact]
        public void A_value_that_does_not_convert_is_still_not_a_number() =>
            Assert.Equal(DiagnosisCode.PrometheusQueryNotANumber, Resolve("Error converting prometheus value: strconv.ParseFloat: parsing \"x\": invalid syntax").Code);

        [Theory]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: the workload 'web' of type 'apps/v1.Deployment' is already managed by the hpa 'web'")]
        [InlineData("Error from server (Forbidden): error when creating \"so.yaml\": admission webhook \"vscaledobject.kb.io\" denied the request: the workload "
            + "'web' of type 'apps/v1.Deployment' is already managed by the hpa 'web-hpa'")]
        [InlineData("{\"level\":\"error\",\"ts\":\"2025-01-01T10:00:00Z\",\"logger\":\"scaledobject-validation-webhook\",\"msg\":\"validation error\",\"error\":"
            + "\"the workload 'web' of type 'apps/v1.Deployment' is already managed by the hpa 'web'\"}")]
        [InlineData("admission webhook ... denied the request: the existing hpa 'web' for workload 'web' of type 'apps/v1.Deployment' must be specified by name in "
            + "advanced settings to enable ownership transfer")]
        [InlineData("the workload 'web' of type 'apps/v1.Deployment' is already managed by the hpa '")]
        public void An_existing_hpa_is_scale_target_has_hpa(string text)
        {
            Diagnosis d = Resolve(text);
            Assert.Equal(DiagnosisCode.ScaleTargetHasHpa, d.Code);
            Assert.Contains("transfer-hpa-ownership", d.Remedy, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: the workload 'web' of type 'apps/v1.Deployment' is already managed by the "
            + "ScaledObject 'old'")]
        [InlineData("Error from server (Forbidden): error when applying patch: admission webhook \"vscaledobject.kb.io\" denied the request: the HPA 'shared' is "
            + "already managed by the ScaledObject 'other'")]
        [InlineData("admission webhook ... denied the request: the scaledobject has a cpu trigger but the container ... doesn't have the cpu request defined")]
        [InlineData("scaledobject has only cpu/memory triggers AND minReplica is 0 (scale to zero doesn't work in this case)")]
        [InlineData("{\"level\":\"error\",\"ts\":\"2025-01-01T10:00:00Z\",\"logger\":\"scaledobject-validation-webhook\",\"msg\":\"validation error\",\"name\":"
            + "\"web\",\"error\":\"type is memory , but fallback it is not supported by the CPU & memory scalers\",\"stacktrace\":\"github.com/kedacore/k")]
        [InlineData("2025-01-01T10:00:00Z\tERROR\tscaledobject-validation-webhook\tFailed to parse Group, Version, Kind, Resource from incoming ScaledObject\t"
            + "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deploymnet\", \"error\": \"no matches for kind \\\"Deploymnet\\\" in version \\\"apps/v1\\\"\"}")]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: scaledobject name \"a-very-long-name\" is 70 characters long; must be no more "
            + "than 63 characters")]
        [InlineData("The request is invalid: admission webhook \"vscaledobject.kb.io\" denied the request: IdleReplicaCount=2 must be less than MinReplicaCount=1")]
        [InlineData("admission webhook \"vscaledobject.kb.io\" denied the request: triggerName \"a\" is defined multiple times in the ScaledObject/ScaledJob, but it")]
        [InlineData("admission webhook \"vscaledjob.kb.io\" denied the request: something new in a later KEDA")]
        public void Other_webhook_denials_are_admission_webhook_denied(string text) => Assert.Equal(DiagnosisCode.AdmissionWebhookDenied, Resolve(text).Code);

        [Theory]
        [InlineData("error: error validating \"so.yaml\": error validating data: ValidationError(ScaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior"
            + ".scaleUp): unknown field \"tolerance\" in sh.keda.v1alpha1.ScaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp; if you choose")]
        [InlineData("error validating data: ValidationError(ScaledJob.spec): unknown field \"rollout\" in sh.keda.v1alpha1.ScaledJob.spec")]
        [InlineData("Error from server (BadRequest): error when creating \"ta.yaml\": TriggerAuthentication in version \"v1alpha1\" cannot be handled as a "
            + "TriggerAuthentication: strict decoding error: unknown field \"spec.boundServiceAccountToken\"")]
        [InlineData("2025-02-26T13:17:00Z\tINFO\tKubeAPIWarningLogger\tunknown field \"status.triggersTypes\"")]
        [InlineData("{\"level\":\"info\",\"ts\":\"2025-02-26T13:17:00Z\",\"logger\":\"KubeAPIWarningLogger\",\"msg\":\"unknown field \\\"status.hpaName\\\"\"}")]
        [InlineData("ScaledObject.keda.sh \"web\" is invalid: status.originalReplicaCount in body is required")]
        [InlineData("The CustomResourceDefinition \"scaledobjects.keda.sh\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes")]
        [InlineData("resource mapping not found for name: \"auth\" namespace: \"app\" from \"ta.yaml\": no matches for kind \"ClusterTriggerAuthentication\" in "
            + "version \"keda.sh/v1alpha1\"\nensure CRDs are installed first")]
        [InlineData("error: the server doesn't have a resource type \"scaledobjects\"")]
        public void Schema_errors_mean_the_crds_are_older_than_the_manifest(string text)
        {
            Diagnosis d = Resolve(text);
            Assert.Equal(DiagnosisCode.KedaCrdOutdated, d.Code);
            Assert.Contains("crds/", d.Remedy, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", DiagnosisCode.PrometheusQueryEmpty)]
        [InlineData("{\n  \"status\": \"success\",\n  \"data\": {\n    \"resultType\": \"vector\",\n    \"result\": [ ]\n  }\n}", DiagnosisCode.PrometheusQueryEmpty)]
        [InlineData("{\nstatus: \"success\",\ndata: {\nresultType: \"matrix\",\nresult: []\n}\n}", DiagnosisCode.PrometheusQueryEmpty)]
        [InlineData("response: {\\\"status\\\":\\\"success\\\",\\\"data\\\":{\\\"resultType\\\":\\\"vector\\\",\\\"result\\\":[]}}", DiagnosisCode.PrometheusQueryEmpty)]
        [InlineData("{\"level\":\"error\",\"logger\":\"prometheus_scaler\",\"msg\":\"error executing prometheus query\",\"error\":\"Prometheus query up{job=\\\"x\\\"} "
            + "returned empty\"}", DiagnosisCode.PrometheusQueryEmpty)]
        [InlineData("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\"3\"]}]}}", DiagnosisCode.Unknown)]
        public void A_raw_response_with_an_empty_result_is_an_empty_query(string text, DiagnosisCode expected) => Assert.Equal(expected, Resolve(text).Code);

        [Theory]
        [InlineData("1.6559825743478274e+09\tERROR\tprometheus_scaler\terror executing prometheus query\t{\"error\": \"Get \\\"http://prom.monitoring.svc:9090/api/v1/"
            + "query?query=up&time=2022-06-23T11:09:33Z\\\": dial tcp 10.2.1.148:9090: connect: connection refused\"}", DiagnosisCode.PrometheusUnreachable)]
        [InlineData("Get \"http://127.0.0.1:9/api/v1/query?query=up&time=2026-01-01T00%3A00%3A00Z\": Connection refused (127.0.0.1:9): error executing prometheus query",
            DiagnosisCode.PrometheusUnreachable)]
        [InlineData("error executing prometheus query: Get \"http://prometheus-server.monitoring/api/v1/query?query=up\": dial tcp: lookup prometheus-server.monitoring "
            + "on 10.0.0.10:53: no such host", DiagnosisCode.PrometheusUnreachable)]
        [InlineData("(combined from similar events): error executing prometheus query: Get \"http://thanos:9090/api/v1/query?...\": context deadline exceeded "
            + "(Client.Timeout exceeded while awaiting headers)", DiagnosisCode.PrometheusUnreachable)]
        [InlineData("1.65e+09  ERROR   prometheus_scaler       error executing prometheus query        {\"error\": \"prometheus query api returned error. status: 503 "
            + "response: no healthy upstream\"}", DiagnosisCode.PrometheusUnreachable)]
        [InlineData("prometheus query api returned error. status: 502 response: <html><head><title>502 Bad Gateway</title></head>", DiagnosisCode.PrometheusUnreachable)]
        [InlineData("prometheus query api returned error. status: 503 response: {\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in "
            + "expression evaluation\"}", DiagnosisCode.PrometheusQueryFailed)]
        [InlineData("prometheus query api returned error. status: 422 response: {\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many matching\"}",
            DiagnosisCode.PrometheusQueryFailed)]
        [InlineData("ERROR scale_handler error getting scale decision {\"scaledObject.Namespace\": \"app\", \"scaler\": \"prometheusScaler\", \"error\": \"prometheus q",
            DiagnosisCode.PrometheusQueryFailed)]
        public void An_endpoint_that_cannot_be_reached_is_not_a_query_error(string text, DiagnosisCode expected) => Assert.Equal(expected, Resolve(text).Code);

        [Fact]
        public async Task Test_KedaPrometheusQuery_reports_a_refused_connection_as_unreachable()
        {
            var queries = new PrometheusQueries(EngineOptions.Default, null);
            var request = new PrometheusQueryRequest { ServerAddress = "http://127.0.0.1:1", Query = "up", Threshold = "1", Timeout = TimeSpan.FromSeconds(5) };
            QueryResult result = await queries.RunAsync(request, new RecordingHost().Call());
            Assert.False(result.Succeeded);
            Assert.Equal(DiagnosisCode.PrometheusUnreachable, result.Diagnosis!.Code);
        }

        [Theory]
        [InlineData("FailedDiscoveryCheck: failing or missing response from https://10.0.1.5:6443/apis/external.metrics.k8s.io/v1beta1: Get \"https://10.0.1.5:6443"
            + "\": Address is not allowed", DiagnosisCode.MetricsApiUnavailable)]
        [InlineData("no response from https://10.233.46.104:443: Get https://10.233.46.104:443: net/http: request canceled while waiting for connection",
            DiagnosisCode.MetricsApiUnavailable)]
        [InlineData("message: 'failing or missing response from https://KEDA:6443/apis/external.metrics.k8s.io/v1beta1:\n      Get \"https://KEDA:6443/apis/'",
            DiagnosisCode.MetricsApiUnavailable)]
        [InlineData("v1beta1.metrics.k8s.io  kube-system/metrics-server  False (FailedDiscoveryCheck)", DiagnosisCode.Unknown)]
        public void The_apiservice_discovery_check_is_the_metrics_api(string text, DiagnosisCode expected) => Assert.Equal(expected, Resolve(text).Code);

        [Theory]
        [InlineData("HorizontalPodAutoscaler.autoscaling \"keda-hpa-a\" is invalid: spec.metrics[0].external.target.averageValue: Invalid value: "
            + "resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, ││  s")]
        [InlineData("│ \"error\": \"HorizontalPodAutoscaler.autoscaling \\\"keda-hpa-a\\\" is invalid: spec.metrics[0].external.target.averageValue: Invalid value: "
            + "resource.Quant │\n│ ity{i:resource.int64Amount{value:0, scale:0}}: must be positive\"}")]
        public void A_truncated_or_wrapped_hpa_refusal_is_a_target_of_zero(string text) => Assert.Equal(DiagnosisCode.HpaTargetNotPositive, Resolve(text).Code);

        [Fact]
        public void An_unknown_application_id_is_labelled_as_one()
        {
            Diagnosis d = Resolve("AADSTS700016: Application with identifier '11111111-2222-3333-4444-555555555555' was not found in the directory 'contoso'.");
            Assert.Equal(DiagnosisCode.IdentityNotFound, d.Code);
            Assert.Equal("11111111-2222-3333-4444-555555555555", d.ApplicationId);
            Assert.Null(d.PrincipalId);
        }

        [Fact]
        public void The_federation_family_is_retried_and_compared_alike()
        {
            foreach (DiagnosisCode code in new[] { DiagnosisCode.FederatedCredentialMismatch, DiagnosisCode.FederatedIssuerMismatch,
                DiagnosisCode.FederatedAudienceMismatch, DiagnosisCode.FederatedSubjectMismatch })
            {
                Assert.True(DiagnosisCodes.IsFederationMismatch(code), code.ToString());
            }

            Assert.False(DiagnosisCodes.IsFederationMismatch(DiagnosisCode.NoFederatedCredentials));
            Assert.False(DiagnosisCodes.IsFederationMismatch(DiagnosisCode.EntraAuthenticationFailed));
        }
    }
}
