using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Engine.Boundary;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>The one exception boundary: every service behind <see cref="Guarded{T}"/> throws only our own errors.</summary>
    public sealed class BoundaryTests
    {
        /// <summary>A service whose every method fails the way it is told to.</summary>
        private sealed class Failing : IDiagnostics, IPrometheusQueries
        {
            private readonly Func<Exception> _failure;

            public Failing(Func<Exception> failure) => _failure = failure;

            public Diagnosis Resolve(string text) => throw _failure();

            public async Task<QueryResult> RunAsync(PrometheusQueryRequest request, CallContext call)
            {
                await Task.Yield();
                throw _failure();
            }

            public IReadOnlyList<PrometheusQueryRequest> FromScaledObject(ScaledObject scaledObject) => throw _failure();
        }

        public static TheoryData<string, Func<Exception>, string, KedaErrorCategory> Failures() => new()
        {
            { "YAML", () => new YamlDotNet.Core.SemanticErrorException("mapping values are not allowed here"), "InvalidYaml", KedaErrorCategory.InvalidData },
            { "network", () => new HttpRequestException("Connection refused (127.0.0.1:1)"), "ConnectionFailed", KedaErrorCategory.ConnectionError },
            {
                "TLS", () => new HttpRequestException("The SSL connection could not be established", new System.Security.Authentication.AuthenticationException("remote certificate is invalid")),
                "TlsTrustFailed", KedaErrorCategory.SecurityError
            },
            { "JSON", () => new System.Text.Json.JsonException("'<' is an invalid start of a value."), "InvalidResponse", KedaErrorCategory.InvalidData },
            { "missing file", () => new FileNotFoundException("Could not find file", "/tmp/nope.yaml"), "FileNotFound", KedaErrorCategory.ObjectNotFound },
            { "kubeconfig", () => new k8s.Exceptions.KubeConfigException("kubeconfig has no current context"), "InvalidKubeconfig", KedaErrorCategory.InvalidData },
            { "Azure", () => new global::Azure.RequestFailedException(503, "Service Unavailable"), "Http503", KedaErrorCategory.ResourceUnavailable },
            {
                "Entra", () => new global::Azure.Identity.AuthenticationFailedException("AADSTS7000215: Invalid client secret provided."),
                "AzureAuthenticationFailed", KedaErrorCategory.AuthenticationError
            },
            { "a bug", () => new InvalidOperationException("Sequence contains no elements"), "UnexpectedError", KedaErrorCategory.NotSpecified },
            { "a null", () => new NullReferenceException(), "UnexpectedError", KedaErrorCategory.NotSpecified },
        };

        [Theory]
        [MemberData(nameof(Failures))]
        public void Synchronous_failures_become_our_errors(string label, Func<Exception> failure, string errorId, KedaErrorCategory category)
        {
            IDiagnostics guarded = Guarded<IDiagnostics>.Wrap(new Failing(failure));
            var error = Assert.Throws<KedaAksException>(() => guarded.Resolve("x"));
            Assert.True(errorId == error.ErrorId, $"{label}: {error.ErrorId}");
            Assert.Equal(category, error.Category);
            Assert.StartsWith("Resolve failed", error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
            Assert.Null(error.InnerException);
            Assert.Contains(failure().GetType().Name, error.Detail, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(Failures))]
        public async Task Asynchronous_failures_become_our_errors(string label, Func<Exception> failure, string errorId, KedaErrorCategory category)
        {
            IPrometheusQueries guarded = Guarded<IPrometheusQueries>.Wrap(new Failing(failure));
            var error = await Assert.ThrowsAsync<KedaAksException>(() => guarded.RunAsync(new PrometheusQueryRequest(), new RecordingHost().Call()));
            Assert.True(errorId == error.ErrorId, $"{label}: {error.ErrorId}");
            Assert.Equal(category, error.Category);
            Assert.StartsWith("Run failed", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Our_errors_and_cancellation_pass_through_unchanged()
        {
            var ours = new KedaAksException("InvalidThreshold", KedaErrorCategory.InvalidArgument, "threshold must be a number", "abc", "Pass a number.");
            IPrometheusQueries guarded = Guarded<IPrometheusQueries>.Wrap(new Failing(() => ours));
            Assert.Same(ours, await Assert.ThrowsAsync<KedaAksException>(() => guarded.RunAsync(new PrometheusQueryRequest(), new RecordingHost().Call())));
            Assert.Same(ours, Assert.Throws<KedaAksException>(() => guarded.FromScaledObject(null!)));

            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            IPrometheusQueries stopping = Guarded<IPrometheusQueries>.Wrap(new Failing(() => new OperationCanceledException(cancelled.Token)));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping.RunAsync(new PrometheusQueryRequest(), new RecordingHost().Call(null, cancelled.Token)));

            // A cancellation the command's caller did not ask for is a client giving up waiting: a clean timeout error.
            var timedOut = await Assert.ThrowsAsync<KedaAksException>(() => stopping.RunAsync(new PrometheusQueryRequest(), new RecordingHost().Call()));
            Assert.Equal(("NetworkTimeout", KedaErrorCategory.OperationTimeout), (timedOut.ErrorId, timedOut.Category));
        }

        [Fact]
        public void The_engine_hands_out_only_guarded_services()
        {
            var engine = new KedaAksEngine(EngineOptions.Default);
            foreach (object service in new object[]
            {
                engine.Azure, engine.Kubernetes, engine.Helm, engine.Integration, engine.Prometheus, engine.WorkloadIdentity, engine.Diagnostics, engine.Resources, engine.Manifests,
            })
            {
                Assert.True(service is System.Reflection.DispatchProxy, service.GetType().FullName);
            }

            // A broken input through the real engine: a kubeconfig that is not YAML.
            string path = Path.Combine(Path.GetTempPath(), $"kedaaks-broken-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(path, "apiVersion: v1\nclusters: [ {name: a\n  - : ]]\n");
            try
            {
                var error = Assert.Throws<AggregateException>(() => engine.Kubernetes.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { path } }, new RecordingHost().Call()).Wait());
                var ours = Assert.IsType<KedaAksException>(error.InnerException);
                Assert.Equal("InvalidYaml", ours.ErrorId);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
