namespace KedaAks.Engine.Kubernetes
{
    /// <summary>
    /// Deploy-KedaResource's checks of what each ScaledObject will scale, before anything is applied (reads only): a target that does
    /// not exist is a warning (GitOps may create it later); a target another ScaledObject scales, in the cluster or earlier in the same
    /// batch, is refused (ScaleTargetHasScaledObject); a target another HPA scales is refused (ScaleTargetHasHpa, naming the HPA) unless
    /// the ScaledObject already asks for KEDA's ownership transfer, or takeOverHpa sets it (the annotation and the HPA's name).
    /// </summary>
    internal sealed class ScaleTargetPreflight
    {
        private readonly IKubeGateway _gateway;

        public ScaleTargetPreflight(IKubeGateway gateway) => _gateway = gateway;

        /// <summary>The listings <see cref="CheckAsync"/> reads for <paramref name="items"/>: each namespace's ScaledObjects and HPAs, and the targets' workloads.</summary>
        public static Dictionary<Listing, int> Reads(IReadOnlyList<Prepared> items)
        {
            List<Check?> checks = Checks(items);
            Dictionary<Listing, int> reads = TargetCounts(checks);
            foreach (string ns in checks.OfType<Check>().Select(c => c.Namespace).Distinct())
            {
                reads[new Listing(KubeKind.Named("ScaledObject"), ns)] = int.MaxValue;
                reads[new Listing(KubeKind.HorizontalPodAutoscaler, ns)] = int.MaxValue;
            }

            return reads;
        }

        /// <summary>A ScaledObject to check: its body, namespace and target.</summary>
        private sealed record Check(JsonObject Body, string Namespace, ScaleTarget Target);

        /// <summary>A ScaledObject whose target does not exist.</summary>
        private sealed record Missing(string Namespace, string Name, ScaleTarget Target);

        /// <summary>Each item as a check, in order; null where it is not a ScaledObject to check (an error already, or another kind).</summary>
        private static List<Check?> Checks(IReadOnlyList<Prepared> items) => items.Select(p => p is { Error: null, Kind.Name: "ScaledObject", Body: { } body }
            ? new Check(body, p.Namespace!, ScaleTargets.Of(body)) : null).ToList();

        /// <summary>How many of the checks target each workload kind in each namespace (a list of them is worth it from a few on).</summary>
        private static Dictionary<Listing, int> TargetCounts(IEnumerable<Check?> checks) =>
            checks.OfType<Check>().Where(c => KubeKind.Workload(c.Target.ApiVersion, c.Target.Kind) is not null)
                .GroupBy(c => new Listing(KubeKind.Workload(c.Target.ApiVersion, c.Target.Kind)!, c.Namespace)).ToDictionary(g => g.Key, g => g.Count());

        /// <summary>
        /// One refusal (or null) per item; only error-free ScaledObjects are checked. Bodies are changed in place for a takeover.
        /// The namespace's ScaledObjects and HPAs come from <paramref name="listings"/> (the applier reuses them); targets are read one by
        /// one, or listed once per kind and namespace that many of them share.
        /// </summary>
        public async Task<KedaAksException?[]> CheckAsync(ClusterConnection connection, IReadOnlyList<Prepared> items, bool takeOverHpa,
            KubeListings listings, CallContext call)
        {
            var refusals = new KedaAksException?[items.Count];
            var namespaces = new Dictionary<string, Known>(StringComparer.Ordinal);
            var batch = new Dictionary<string, TargetIndex>(StringComparer.Ordinal);
            var missing = new List<Missing>();
            List<Check?> checks = Checks(items);
            Dictionary<Listing, int> targetCounts = TargetCounts(checks);
            for (int i = 0; i < checks.Count; i++)
            {
                if (checks[i] is not (JsonObject body, string ns, ScaleTarget target))
                {
                    continue;
                }

                if (!namespaces.TryGetValue(ns, out var known))
                {
                    known = new Known(new TargetIndex(await ListedAsync(listings, KubeKind.Named("ScaledObject"), ns, call).ConfigureAwait(false)),
                        new TargetIndex(await ListedAsync(listings, KubeKind.HorizontalPodAutoscaler, ns, call).ConfigureAwait(false)));
                    namespaces[ns] = known;
                    batch[ns] = new TargetIndex(Array.Empty<JsonObject>());
                }

                string name = ScaleTargets.Name(body);
                if (!await TargetExistsAsync(connection, ns, name, target, listings, targetCounts, call).ConfigureAwait(false))
                {
                    missing.Add(new Missing(ns, name, target));
                }

                refusals[i] = SecondScaledObject(ns, name, target, known.ScaledObjects.Other(target, name) ?? batch[ns].Other(target, name))
                    ?? Hpa(body, ns, name, target, known.Hpas.Of(target), takeOverHpa, call);
                batch[ns].Add(target, name, null);
            }

            WarnMissing(missing, call);
            return refusals;
        }

        /// <summary>
        /// A warning for each ScaledObject whose target does not exist; past a few, one warning that counts and names the rest, so that a
        /// manifest of hundreds of ScaledObjects applied before their workloads does not bury the output.
        /// </summary>
        private static void WarnMissing(List<Missing> missing, CallContext call)
        {
            const int OneByOne = 3;
            foreach ((string ns, string name, ScaleTarget target) in missing.Take(missing.Count <= OneByOne + 1 ? missing.Count : OneByOne))
            {
                call.Host.WriteWarning($"ScaledObject '{name}' in namespace '{ns}': its scale target {target} ({target.ApiVersion}) does not exist. KEDA reports the "
                    + "ScaledObject not ready and scales nothing until it is created (a GitOps tool may create it later; check the name, kind and namespace otherwise).");
            }

            if (missing.Count > OneByOne + 1)
            {
                var rest = missing.Skip(OneByOne).ToList();
                string named = string.Join(", ", rest.Take(10).Select(m => $"'{m.Name}' ({m.Target} in '{m.Namespace}')")) + (rest.Count > 10 ? ", ..." : string.Empty);
                call.Host.WriteWarning($"{rest.Count} more ScaledObjects scale targets that do not exist: {named}. KEDA scales none of them until their targets are created.");
            }
        }

        /// <summary>
        /// ScaledObjects or HPAs by the workload they scale (group, kind and name, as <see cref="ScaleTarget.Same"/>), in the order they were
        /// met: each check looks up its own target instead of scanning a namespace that may hold thousands.
        /// </summary>
        private sealed class TargetIndex
        {
            private readonly Dictionary<string, List<Scaler>> _byTarget = new(StringComparer.Ordinal);

            public TargetIndex(IEnumerable<JsonObject> scalers)
            {
                foreach (JsonObject scaler in scalers)
                {
                    Add(ScaleTargets.Of(scaler), ScaleTargets.Name(scaler), scaler);
                }
            }

            public void Add(ScaleTarget target, string name, JsonObject? scaler)
            {
                string key = Key(target);
                if (!_byTarget.TryGetValue(key, out List<Scaler>? scalers))
                {
                    _byTarget[key] = scalers = new List<Scaler>();
                }

                scalers.Add(new Scaler(name, scaler));
            }

            /// <summary>The first one other than <paramref name="name"/> that scales the target, or null.</summary>
            public string? Other(ScaleTarget target, string name) => Find(target).Select(s => s.Name).FirstOrDefault(n => n != name);

            /// <summary>The objects that scale the target.</summary>
            public IReadOnlyList<JsonObject> Of(ScaleTarget target) => Find(target).Select(s => s.Object).OfType<JsonObject>().ToList();

            private IEnumerable<Scaler> Find(ScaleTarget target) => _byTarget.TryGetValue(Key(target), out List<Scaler>? scalers) ? scalers : Enumerable.Empty<Scaler>();

            /// <summary>What <see cref="ScaleTarget.Same"/> compares: group, kind and name (none of which holds a line break).</summary>
            private static string Key(ScaleTarget target) => $"{target.Group}\n{target.Kind}\n{target.Name}";

            private sealed record Scaler(string Name, JsonObject? Object);
        }

        /// <summary>A namespace's ScaledObjects and HPAs, by target.</summary>
        private sealed record Known(TargetIndex ScaledObjects, TargetIndex Hpas);

        /// <summary>Whether a ScaledObject's target exists; true when it cannot be known (a kind not read, or no permission: said in Verbose).</summary>
        private async Task<bool> TargetExistsAsync(ClusterConnection connection, string ns, string name, ScaleTarget target, KubeListings listings,
            Dictionary<Listing, int> targetCounts, CallContext call)
        {
            if (KubeKind.Workload(target.ApiVersion, target.Kind) is not { } kind || target.Name.Length == 0)
            {
                call.Host.WriteVerbose($"ScaledObject '{name}': not checking whether its target {target} ({target.ApiVersion}) exists.");
                return true;
            }

            try
            {
                if (await listings.WhenWorthAsync(kind, ns, targetCounts.GetValueOrDefault(new Listing(kind, ns))).ConfigureAwait(false) is { } workloads)
                {
                    return workloads.ContainsKey(target.Name);
                }

                var operation = new KubeOperation($"{kind.Name}/{ns}/{target.Name}", $"Reading the scale target {target} of ScaledObject '{name}'");
                return await _gateway.ReadAsync(connection, kind, ns, target.Name, operation, call).ConfigureAwait(false) is not null;
            }
            catch (KedaAksException exception) when (exception.Category == KedaErrorCategory.PermissionDenied)
            {
                call.Host.WriteVerbose($"Not allowed to read {target} in namespace '{ns}'; not checking that the scale target exists.");
                return true;
            }
        }

        private static KedaAksException? SecondScaledObject(string ns, string name, ScaleTarget target, string? other)
        {
            return other is null ? null : new KedaAksException("ScaleTargetHasScaledObject", KedaErrorCategory.ResourceExists,
                $"ScaledObject '{name}' in namespace '{ns}': its target {target} is already scaled by ScaledObject '{other}'. KEDA's admission webhook refuses a second "
                + $"one (\"the workload '{target.Name}' of type '{target.Gvk}' is already managed by the ScaledObject '{other}'\"), and two would fight over the replicas.",
                $"ScaledObject/{ns}/{other}", $"Scale the workload with one ScaledObject: put the triggers into '{other}' (or remove it), or point '{name}' at another target.");
        }

        private static KedaAksException? Hpa(JsonObject body, string ns, string name, ScaleTarget target, IReadOnlyList<JsonObject> hpas, bool takeOverHpa, CallContext call)
        {
            // An HPA this ScaledObject took over earlier stays its own: applying the object again without the name would make KEDA start a new one.
            if (ScaleTargets.HpaName(body) is null && hpas.FirstOrDefault(h => ScaleTargets.Of(h).Same(target) && ScaleTargets.OwnedByScaledObject(h, name)) is { } owned
                && ScaleTargets.Name(owned) != "keda-hpa-" + name)
            {
                ScaleTargets.TakeOver(body, ScaleTargets.Name(owned));
                call.Host.WriteVerbose($"ScaledObject '{name}' keeps HPA '{ScaleTargets.Name(owned)}', which it took over (spec.advanced.horizontalPodAutoscalerConfig.name).");
            }

            var others = hpas.Where(h => ScaleTargets.Of(h).Same(target) && !ScaleTargets.OwnedByScaledObject(h, name) && !ScaleTargets.OwnedByScaledObject(h)).ToList();
            foreach (JsonObject skipped in others.Where(h => ScaleTargets.Annotation(h, ScaleTargets.SkipValidationAnnotation) == "false"))
            {
                call.Host.WriteWarning($"HPA '{ScaleTargets.Name(skipped)}' also scales {target} in namespace '{ns}' and is annotated {ScaleTargets.SkipValidationAnnotation}: "
                    + $"\"false\", so KEDA's webhook lets ScaledObject '{name}' in too: the two HPAs will fight over the replicas.");
            }

            List<string> blocking = others.Where(h => ScaleTargets.Annotation(h, ScaleTargets.SkipValidationAnnotation) != "false").Select(ScaleTargets.Name).ToList();
            if (blocking.Count == 0)
            {
                if (takeOverHpa)
                {
                    call.Host.WriteVerbose($"ScaledObject '{name}': no other HPA scales {target}; nothing to take over.");
                }

                return null;
            }

            string hpa = blocking[0];
            if (blocking.Count == 1 && ScaleTargets.TakesOver(body, hpa))
            {
                call.Host.WriteVerbose($"ScaledObject '{name}' takes over HPA '{hpa}' (its transfer-hpa-ownership annotation and HPA name are set).");
                return null;
            }

            string refused = $"KEDA's admission webhook refuses it (\"the workload '{target.Name}' of type '{target.Gvk}' is already managed by the hpa '{hpa}'\"), and "
                + "without the webhook the two would fight over the replicas.";
            if (blocking.Count > 1)
            {
                return HasHpa($"ScaledObject '{name}' in namespace '{ns}': its target {target} is scaled by {blocking.Count} HPAs ({string.Join(", ", blocking)}). {refused}",
                    ns, hpa, $"Delete all but one of {string.Join(", ", blocking)}, then let KEDA take that one over with Deploy-KedaResource -TakeOverHpa.");
            }

            if (!takeOverHpa)
            {
                return HasHpa($"ScaledObject '{name}' in namespace '{ns}': its target {target} is already scaled by HPA '{hpa}'. {refused}", ns, hpa,
                    $"Run Deploy-KedaResource -TakeOverHpa to let KEDA take HPA '{hpa}' over (it sets {ScaleTargets.TransferAnnotation}: \"true\" and "
                    + $"spec.advanced.horizontalPodAutoscalerConfig.name: {hpa}), or delete HPA '{hpa}' first.");
            }

            if (ScaleTargets.HpaName(body) is { } named && named != hpa)
            {
                return HasHpa($"ScaledObject '{name}' names its HPA '{named}' (spec.advanced.horizontalPodAutoscalerConfig.name), but the HPA to take over is '{hpa}': "
                    + "KEDA transfers ownership only to the HPA named there.", ns, hpa, $"Name the HPA '{hpa}' (-HorizontalPodAutoscalerName), or leave the name out with -TakeOverHpa.");
            }

            ScaleTargets.TakeOver(body, hpa);
            call.Host.WriteVerbose($"ScaledObject '{name}' takes over HPA '{hpa}': {ScaleTargets.TransferAnnotation}: \"true\" and "
                + $"spec.advanced.horizontalPodAutoscalerConfig.name: {hpa}; KEDA replaces the HPA's metrics and bounds with the ScaledObject's.");
            return null;
        }

        private static KedaAksException HasHpa(string message, string ns, string hpa, string fix) =>
            new("ScaleTargetHasHpa", KedaErrorCategory.ResourceExists, message, $"HorizontalPodAutoscaler/{ns}/{hpa}", fix);

        /// <summary>A namespace's objects of a kind; empty when the API does not serve it or the identity may not list it (said in Verbose).</summary>
        private static async Task<IReadOnlyList<JsonObject>> ListedAsync(KubeListings listings, KubeKind kind, string ns, CallContext call)
        {
            if (await listings.GetAsync(kind, ns).ConfigureAwait(false) is { } listed)
            {
                return listed.Values.ToList();
            }

            call.Host.WriteVerbose($"Not checking who else scales the targets in namespace '{ns}': {kind.Plural} could not be listed there.");
            return Array.Empty<JsonObject>();
        }
    }
}
