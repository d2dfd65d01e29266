using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KedaAks.Engine.Manifests
{
    /// <summary>
    /// Renders KedaAks resources as Kubernetes manifests with YamlDotNet. Trigger metadata values are
    /// always quoted (KEDA's CRD types them as strings); other strings are quoted whenever a YAML 1.1 or
    /// 1.2 reader could take them for anything but a string (123, 1e5, on, null...).
    /// </summary>
    internal sealed class ManifestSerializer : IManifestSerializer
    {
        private static readonly Regex SafePlain = new(@"^[A-Za-z][A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant);

        private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
        {
            "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
        };

        public string ToYaml(IEnumerable<KedaResource> resources)
        {
            if (resources is null)
            {
                throw new ArgumentNullException(nameof(resources));
            }

            using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var emitter = new Emitter(writer, new EmitterSettings().WithBestIndent(2));
            emitter.Emit(new StreamStart());
            foreach (KedaResource resource in resources)
            {
                // An explicit "---" before every document and no "..." after it: the form kubectl and GitOps tools expect.
                emitter.Emit(new DocumentStart(null, null, isImplicit: false));
                Emit(emitter, ToNode(resource));
                emitter.Emit(new DocumentEnd(isImplicit: true));
            }

            emitter.Emit(new StreamEnd());
            return writer.ToString();
        }

        internal static void Emit(IEmitter emitter, YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode scalar:
                    emitter.Emit(new Scalar(null, null, scalar.Value ?? string.Empty, scalar.Style, isPlainImplicit: true, isQuotedImplicit: true));
                    break;
                case YamlSequenceNode sequence:
                    emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                    foreach (YamlNode child in sequence.Children)
                    {
                        Emit(emitter, child);
                    }

                    emitter.Emit(new SequenceEnd());
                    break;
                case YamlMappingNode mapping:
                    emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                    foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
                    {
                        Emit(emitter, pair.Key);
                        Emit(emitter, pair.Value);
                    }

                    emitter.Emit(new MappingEnd());
                    break;
            }
        }

        internal static YamlMappingNode ToNode(KedaResource resource) => resource switch
        {
            ScaledObject so => ScaledObjectNode(so),
            TriggerAuthentication ta => TriggerAuthenticationNode(ta),
            ServiceAccount sa => ServiceAccountNode(sa),
            _ => throw new KedaAksException("UnsupportedResource", KedaErrorCategory.InvalidArgument,
                $"Cannot render a {resource.GetType().Name} as a manifest.", resource, "Pass objects made by KedaAks cmdlets."),
        };

        private static YamlMappingNode Header(KedaResource resource)
        {
            var metadata = new YamlMappingNode { { "name", Text(resource.Name) } };
            if (resource.Namespace is not null)
            {
                metadata.Add("namespace", Text(resource.Namespace));
            }

            return new YamlMappingNode
            {
                { "apiVersion", Text(resource.ApiVersion) },
                { "kind", Text(resource.Kind) },
                { "metadata", metadata },
            };
        }

        private static YamlMappingNode TriggerAuthenticationNode(TriggerAuthentication auth)
        {
            var podIdentity = new YamlMappingNode { { "provider", Text(auth.ProviderName) } };
            AddIfPresent(podIdentity, "identityId", auth.IdentityId);
            AddIfPresent(podIdentity, "identityTenantId", auth.IdentityTenantId);
            AddIfPresent(podIdentity, "identityAuthorityHost", auth.IdentityAuthorityHost);
            YamlMappingNode root = Header(auth);
            root.Add("spec", new YamlMappingNode { { "podIdentity", podIdentity } });
            return root;
        }

        private static YamlMappingNode ServiceAccountNode(ServiceAccount account)
        {
            YamlMappingNode root = Header(account);
            var annotations = new YamlMappingNode();
            if (account.ClientId is not null)
            {
                annotations.Add("azure.workload.identity/client-id", Quoted(account.ClientId));
            }

            if (account.TenantId is not null)
            {
                annotations.Add("azure.workload.identity/tenant-id", Quoted(account.TenantId));
            }

            if (annotations.Children.Count > 0)
            {
                ((YamlMappingNode)root["metadata"]).Add("annotations", annotations);
            }

            return root;
        }

        private static YamlMappingNode ScaledObjectNode(ScaledObject so)
        {
            var spec = new YamlMappingNode
            {
                {
                    "scaleTargetRef", new YamlMappingNode
                    {
                        { "apiVersion", Text(so.TargetApiVersion) },
                        { "kind", Text(so.TargetKind) },
                        { "name", Text(so.TargetName) },
                    }
                },
                { "pollingInterval", Number(so.PollingInterval) },
                { "cooldownPeriod", Number(so.CooldownPeriod) },
                { "minReplicaCount", Number(so.MinReplicaCount) },
                { "maxReplicaCount", Number(so.MaxReplicaCount) },
            };

            ScalingSpecNodes.Add(spec, so);
            if (ScalingSpecNodes.HpaConfig(so) is { } hpaConfig)
            {
                spec.Add("advanced", new YamlMappingNode { { "horizontalPodAutoscalerConfig", hpaConfig } });
            }

            var triggers = new YamlSequenceNode();
            foreach (ScaledObjectTrigger trigger in so.Triggers)
            {
                var node = new YamlMappingNode { { "type", Text(trigger.Type) } };
                AddIfPresent(node, "name", trigger.Name);
                AddIfPresent(node, "metricType", trigger.MetricType);
                var metadata = new YamlMappingNode();
                foreach (KeyValuePair<string, string> pair in trigger.Metadata)
                {
                    metadata.Add(Text(pair.Key), Quoted(pair.Value));
                }

                node.Add("metadata", metadata);
                if (trigger.AuthenticationRef is { } reference)
                {
                    var authRef = new YamlMappingNode { { "name", Text(reference.Name) } };
                    if (reference.Kind != TriggerAuthentication.NamespacedKind)
                    {
                        authRef.Add("kind", Text(reference.Kind));
                    }

                    node.Add("authenticationRef", authRef);
                }

                triggers.Add(node);
            }

            spec.Add("triggers", triggers);
            YamlMappingNode root = Header(so);
            root.Add("spec", spec);
            return root;
        }

        private static void AddIfPresent(YamlMappingNode node, string key, string? value)
        {
            if (value is not null)
            {
                node.Add(key, Text(value));
            }
        }

        private static YamlScalarNode Number(int value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

        private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

        /// <summary>A string, plain where no YAML reader could mistake it, quoted otherwise.</summary>
        internal static YamlScalarNode Text(string value) =>
            SafePlain.IsMatch(value) && !ReservedWords.Contains(value) ? new YamlScalarNode(value) { Style = ScalarStyle.Plain } : Quoted(value);
    }
}
