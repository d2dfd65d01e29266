using System.Formats.Tar;
using System.IO.Compression;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Helm
{
    /// <summary>A chart's name, version, KEDA version, value layout (serviceAccount.operator.* or flat) and where it came from.</summary>
    internal sealed record ChartInfo(string Name, string Version, string? AppVersion, bool NestedServiceAccounts, string Origin);

    /// <summary>What the chart is and how its values are laid out: Chart.yaml and values.yaml from a directory, a .tgz or 'helm show'.</summary>
    internal static class ChartReader
    {
        public static (string Reference, string[] SourceArguments) Reference(HelmInstallRequest request)
        {
            var source = new List<string>();
            if (request.Version is { Length: > 0 } version)
            {
                source.AddRange(new[] { "--version", version });
            }

            if (request.ChartPath is { Length: > 0 } path)
            {
                return (path, source.ToArray());
            }

            if (request.Repository.StartsWith("oci://", StringComparison.OrdinalIgnoreCase))
            {
                return (request.Repository, source.ToArray());
            }

            if (!request.Repository.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !request.Repository.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                throw new KedaAksException("InvalidRepository", KedaErrorCategory.InvalidArgument, $"'{request.Repository}' is neither an https chart repository nor an oci:// reference.",
                    request.Repository,
                    "Pass -Repository https://kedacore.github.io/charts (the default), an oci:// chart reference, or -ChartPath for a local chart.");
            }

            source.AddRange(new[] { "--repo", request.Repository });
            return ("keda", source.ToArray());
        }

        public static ChartInfo Read(HelmInstallRequest request, string helm, string chartRef, string[] source, string kubeconfig, CancellationToken cancellationToken)
        {
            string chartYaml;
            string valuesYaml;
            string origin;
            if (request.ChartPath is { Length: > 0 } path)
            {
                if (Directory.Exists(path))
                {
                    (chartYaml, valuesYaml) = (ReadIfExists(Path.Combine(path, "Chart.yaml")), ReadIfExists(Path.Combine(path, "values.yaml")));
                }
                else if (File.Exists(path))
                {
                    (chartYaml, valuesYaml) = ReadPackagedChart(path);
                }
                else
                {
                    throw new KedaAksException("ChartNotFound", KedaErrorCategory.ObjectNotFound, $"No chart at '{path}'.", path,
                        "Pass -ChartPath a chart directory or a .tgz from 'helm pull kedacore/keda'.");
                }

                origin = path;
            }
            else
            {
                string[] show(string what) => new[] { "show", what, chartRef }.Concat(source).ToArray();
                (int code, string chart, string error) = HelmCli.Run(helm, show("chart"), null, TimeSpan.FromMinutes(2), cancellationToken);
                if (code != 0)
                {
                    throw new KedaAksException("ChartNotFound", KedaErrorCategory.ObjectNotFound,
                        $"helm could not read chart {chartRef} from {request.Repository}: {HelmCli.Error(error, chart)}", chartRef,
                        "Check -Repository and -Version (and network access to the repository), or use -ChartPath with a downloaded chart for air-gapped clusters.");
                }

                chartYaml = chart;
                (_, valuesYaml, _) = HelmCli.Run(helm, show("values"), null, TimeSpan.FromMinutes(2), cancellationToken);
                origin = request.Repository;
            }

            YamlMappingNode chartMap = Parse(chartYaml);
            YamlMappingNode valuesMap = Parse(valuesYaml);
            string name = Scalar(chartMap, "name") ?? "keda";
            if (name != "keda")
            {
                throw new KedaAksException("NotKedaChart", KedaErrorCategory.InvalidArgument, $"The chart at {origin} is '{name}', not KEDA's chart 'keda'.", origin,
                    "Point -ChartPath or -Repository at kedacore's keda chart.");
            }

            bool nested = valuesMap.Children.TryGetValue(new YamlScalarNode("serviceAccount"), out YamlNode? accounts)
                && accounts is YamlMappingNode accountMap && accountMap.Children.ContainsKey(new YamlScalarNode("operator"));
            return new ChartInfo(name, Scalar(chartMap, "version") ?? string.Empty, Scalar(chartMap, "appVersion"), nested, origin);
        }

        private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

        private static (string Chart, string Values) ReadPackagedChart(string path)
        {
            string chart = string.Empty, values = string.Empty;
            using FileStream file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string[] parts = entry.Name.Split('/');
                if (parts.Length != 2 || entry.DataStream is null)
                {
                    continue;
                }

                using var reader = new StreamReader(entry.DataStream);
                if (parts[1] == "Chart.yaml")
                {
                    chart = reader.ReadToEnd();
                }
                else if (parts[1] == "values.yaml")
                {
                    values = reader.ReadToEnd();
                }
            }

            return (chart, values);
        }

        private static YamlMappingNode Parse(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? new YamlMappingNode();
        }

        private static string? Scalar(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) && node is YamlScalarNode scalar ? scalar.Value : null;
    }
}
