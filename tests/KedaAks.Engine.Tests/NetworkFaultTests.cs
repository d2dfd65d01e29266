using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Engine.Azure;
using KedaAks.Engine.Boundary;
using KedaAks.Engine.Kubernetes;
using KedaAks.Sandbox.Server.Middleware;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Requests that get no answer (a hang past the network timeout) or lose their connection are retried, and reported cleanly when they never heal.</summary>
    public class NetworkFaultTests
    {
        private static Func<EngineOptions, EngineOptions> Timeout(double seconds) => o => o with { NetworkTimeout = TimeSpan.FromSeconds(seconds) };

        [Fact]
        public void The_network_timeout_comes_from_KEDAAKS_NETWORK_TIMEOUT_or_is_100_s()
        {
            Assert.Equal(TimeSpan.FromSeconds(2.5), EngineOptions.NetworkTimeoutFrom("2.5"));
            Assert.Equal(TimeSpan.FromSeconds(100), EngineOptions.NetworkTimeoutFrom(null));
            Assert.Equal(TimeSpan.FromSeconds(100), EngineOptions.NetworkTimeoutFrom("-1"));
            Assert.Equal(TimeSpan.FromSeconds(100), EngineOptions.NetworkTimeoutFrom("soon"));
        }

        [Fact]
        public async Task Kubernetes_requests_that_hang_or_drop_are_retried_until_they_succeed()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.FaultHang = TimeSpan.FromSeconds(5), Timeout(0.5));
            string kubeconfig = Path.GetTempFileName();
            File.WriteAllText(kubeconfig, sandbox.Server.Kubeconfig());
            try
            {
                var service = new KubernetesService(sandbox.Service, sandbox.Options);
                ClusterConnection connection = await service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { kubeconfig } }, new RecordingHost().Call(sandbox.Settings()));
                sandbox.Server.Faults.Set(0.5, 3, kinds: new[] { FaultKind.Timeout, FaultKind.Drop }, services: new[] { "kubernetes" });
                var host = new RecordingHost();
                for (int i = 0; i < 4; i++)
                {
                    ServiceAccount account = await service.NewServiceAccountAsync(connection, new ServiceAccount($"sa{i}", "keda", Guid.NewGuid().ToString(), null), host.Call());
                    Assert.Equal($"sa{i}", account.Name);
                }

                Assert.True(sandbox.Server.Faults.ByKind.Values.Sum() >= 2, "faults were injected");
                Assert.Contains(host.Verbose, v => v.Contains("no answer within 0.5 s", StringComparison.Ordinal) || v.Contains("retry", StringComparison.Ordinal));
                Assert.Equal(4, sandbox.Server.Kubernetes.All("serviceaccounts").Count(a => a["metadata"]!["name"]!.GetValue<string>().StartsWith("sa", StringComparison.Ordinal)));
            }
            finally
            {
                File.Delete(kubeconfig);
            }
        }

        [Fact]
        public async Task A_Kubernetes_API_that_never_answers_is_a_clean_ClusterUnreachable_not_a_cancellation()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.FaultHang = TimeSpan.FromSeconds(5), o => Timeout(0.3)(o) with { KubernetesMaxRetries = 1 });
            string kubeconfig = Path.GetTempFileName();
            File.WriteAllText(kubeconfig, sandbox.Server.Kubeconfig());
            try
            {
                var service = new KubernetesService(sandbox.Service, sandbox.Options);
                ClusterConnection connection = await service.ConnectAsync(new ClusterTarget { KubeconfigPath = new[] { kubeconfig } }, new RecordingHost().Call(sandbox.Settings()));
                sandbox.Server.Faults.Set(1, 1, kinds: new[] { FaultKind.Timeout }, services: new[] { "kubernetes" });
                var error = await Assert.ThrowsAsync<KedaAksException>(() => service.NewServiceAccountAsync(connection, new ServiceAccount("sa", "keda", null, null), new RecordingHost().Call()));
                Assert.Equal(("ClusterUnreachable", KedaErrorCategory.ConnectionError), (error.ErrorId, error.Category));
                Assert.Contains("no answer within 0.3 s", error.Message, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(kubeconfig);
            }
        }

        [Fact]
        public async Task ARM_requests_that_hang_or_drop_are_retried_until_they_succeed()
        {
            await using AzureSandbox sandbox = await AzureSandbox.StartAsync(o => o.FaultHang = TimeSpan.FromSeconds(5), Timeout(0.5));
            sandbox.Server.Faults.Set(0.4, 2, kinds: new[] { FaultKind.Timeout, FaultKind.Drop }, services: new[] { "arm" });
            AksCluster cluster = await sandbox.Service.GetClusterAsync(null, sandbox.Server.Options.ResourceGroup, sandbox.Server.Options.ClusterName,
                new RecordingHost().Call(sandbox.Settings()));
            Assert.Equal(sandbox.Server.Options.ClusterName, cluster.Name);
        }

        [Fact]
        public void A_cancellation_nobody_asked_for_is_a_NetworkTimeout_error_and_a_requested_one_stays_a_cancellation()
        {
            using var stopped = new CancellationTokenSource();
            stopped.Cancel();
            var timedOut = Assert.IsType<KedaAksException>(ExceptionTranslator.Translate(new TaskCanceledException("timeout"), "get aks cluster", CancellationToken.None));
            Assert.Equal(("NetworkTimeout", KedaErrorCategory.OperationTimeout), (timedOut.ErrorId, timedOut.Category));
            Assert.IsType<TaskCanceledException>(ExceptionTranslator.Translate(new TaskCanceledException("stop"), "get aks cluster", stopped.Token));
            Assert.IsType<TaskCanceledException>(ExceptionTranslator.Translate(new TaskCanceledException("stop"), "get aks cluster"));
        }
    }
}
