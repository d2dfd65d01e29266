using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace KedaAks.Sandbox.Scenarios
{
    /// <summary>
    /// A named starting state of the sandbox: option values (cluster features, CRD folder, delays) and Kubernetes
    /// objects created at start (through the API server's own create path, so controllers react as if applied).
    /// Nothing else: a preset holds no code paths of its own.
    /// </summary>
    public sealed record SandboxScenario(string Name, string Description)
    {
        /// <summary>Sets the preset's option values (applied before command-line flags, which may override them).</summary>
        public Action<SandboxOptions> Configure { get; init; } = _ => { };

        /// <summary>Manifests created at start, in order; a missing namespace is created first.</summary>
        public IReadOnlyList<JsonObject> Objects { get; init; } = Array.Empty<JsonObject>();

        /// <summary>Presets this one starts from, applied first (e.g. keda-helm = workload-identity + keda-crds).</summary>
        public IReadOnlyList<SandboxScenario> Includes { get; init; } = Array.Empty<SandboxScenario>();

        /// <summary>Applies the included presets, then this one's option values.</summary>
        public void ApplyTo(SandboxOptions options)
        {
            foreach (SandboxScenario included in Includes)
            {
                included.ApplyTo(options);
            }

            Configure(options);
        }

        /// <summary>The objects of the included presets, then this one's.</summary>
        public IEnumerable<JsonObject> AllObjects()
        {
            foreach (SandboxScenario included in Includes)
            {
                foreach (JsonObject obj in included.AllObjects())
                {
                    yield return obj;
                }
            }

            foreach (JsonObject obj in Objects)
            {
                yield return obj;
            }
        }
    }
}
