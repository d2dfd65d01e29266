using k8s.Models;
using KedaAks.Engine.Diagnostics;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Reads the KEDA operator's log (the named namespace, else the add-on's and the chart's) and turns it into
    /// diagnoses: each line's cause named by the <see cref="ErrorResolver"/>, repeats of one cause counted once.
    /// </summary>
    internal sealed class OperatorLogReader
    {
        private readonly IKubeGateway _gateway;
        private readonly ErrorResolver _resolver = new();

        public OperatorLogReader(IKubeGateway gateway) => _gateway = gateway;

        public async Task<IReadOnlyList<Diagnosis>> ReadAsync(ClusterConnection connection, OperatorLogRequest request, CallContext call)
        {
            var lines = new List<Diagnosis>();
            foreach (string candidate in request.Namespace is null ? KedaComponents.LikelyNamespaces.Reverse() : new[] { request.Namespace })
            {
                IList<V1Pod> pods = await _gateway.ListPodsAsync(connection, candidate, KedaComponents.OperatorPodSelector,
                    new KubeOperation(candidate, $"Listing KEDA operator pods in '{candidate}'"), call).ConfigureAwait(false);
                foreach (V1Pod pod in pods)
                {
                    call.Host.WriteVerbose($"Reading the log of pod {candidate}/{pod.Metadata.Name}.");
                    using Stream stream = await _gateway.ReadPodLogAsync(connection, candidate, pod.Metadata.Name, request.Since, request.Tail, call).ConfigureAwait(false);
                    using var reader = new StreamReader(stream);
                    string? line;
                    while ((line = await reader.ReadLineAsync(call.Cancellation).ConfigureAwait(false)) is not null)
                    {
                        if (line.Trim().Length == 0)
                        {
                            continue;
                        }

                        Diagnosis diagnosis = _resolver.Resolve(line);
                        diagnosis.Pod = $"{candidate}/{pod.Metadata.Name}";
                        diagnosis.Level = KedaLogLine.Level(line);
                        lines.Add(diagnosis);
                    }
                }

                if (pods.Count > 0)
                {
                    break;
                }
            }

            var errors = lines.Where(d => d.Level == "error" || d.Code != DiagnosisCode.Unknown)
                .GroupBy(d => (d.Code, d.Namespace, d.Name, d.Message))
                .Select(g =>
                {
                    Diagnosis first = g.First();
                    first.Count = g.Count();
                    first.LastTime = g.Last().Time;
                    return first;
                });
            return (request.IncludeInfo ? errors.Concat(lines.Where(d => d.Level != "error" && d.Code == DiagnosisCode.Unknown)) : errors)
                .OrderBy(d => d.Time ?? DateTimeOffset.MinValue).ToList();
        }
    }
}
