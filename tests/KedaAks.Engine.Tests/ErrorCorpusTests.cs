using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using KedaAks.Engine.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace KedaAks.Engine.Tests
{
    /// <summary>
    /// Real error texts from public KEDA and azure-workload-identity reports (tests/fixtures, each entry with its
    /// source URL): every one resolves to its expected code.
    /// </summary>
    public class ErrorCorpusTests
    {
        private readonly ITestOutputHelper _output;

        public ErrorCorpusTests(ITestOutputHelper output) => _output = output;

        /// <summary>The file under tests/fixtures, found from the test assembly's directory upwards.</summary>
        internal static string Fixture(string name)
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "fixtures", name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException($"tests/fixtures/{name} not found above {AppContext.BaseDirectory}.");
        }

        [Fact]
        public void Every_wave2_report_gets_its_expected_code()
        {
            JsonArray entries = JsonNode.Parse(File.ReadAllText(Fixture("error-corpus.wave2.json")))!["entries"]!.AsArray();
            Assert.NotEmpty(entries);
            var misses = new List<string>();
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (JsonNode? entry in entries)
            {
                string text = entry!["text"]!.GetValue<string>();
                string expected = entry["expectedCode"]!.GetValue<string>();
                Assert.StartsWith("https://", entry["source"]!.GetValue<string>(), StringComparison.Ordinal);
                counts[expected] = counts.TryGetValue(expected, out int n) ? n + 1 : 1;
                DiagnosisCode actual = new ErrorResolver().Resolve(text).Code;
                if (actual.ToString() != expected)
                {
                    string known = Enum.TryParse(expected, out DiagnosisCode _) ? string.Empty : " (no such code)";
                    misses.Add($"{entry["source"]}: expected {expected}{known}, got {actual} for: {text[..Math.Min(160, text.Length)]}");
                }
            }

            int hits = entries.Count - misses.Count;
            _output.WriteLine($"wave-2 corpus: {hits} of {entries.Count} ({100.0 * hits / entries.Count:0.#} %)");
            _output.WriteLine(string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
            misses.ForEach(_output.WriteLine);
            Assert.True(misses.Count == 0, $"{hits} of {entries.Count} resolved as expected; misses:\n" + string.Join("\n", misses));
        }
    }
}
