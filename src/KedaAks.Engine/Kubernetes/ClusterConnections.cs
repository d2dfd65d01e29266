using k8s;
using k8s.KubeConfigModels;

namespace KedaAks.Engine.Kubernetes
{
    /// <summary>What the engine keeps for a connection: the kubeconfig in memory and, for Entra clusters, the Azure settings to get tokens with.</summary>
    internal sealed record ConnectionData(K8SConfiguration Config, string? Context, AzureSettings? Entra, string DefaultNamespace);

    /// <summary>
    /// Builds KubernetesClient clients from kubeconfigs (files merged like KUBECONFIG, or the one ARM returns) and,
    /// for Entra clusters, from the server and CA with a bearer token for the AKS server application from the
    /// module's own token source: no kubelogin, nothing written to disk unless asked.
    /// </summary>
    internal sealed class ClusterConnections
    {
        public const string AksServerApplication = "6dae42f8-4368-4678-94ff-3960e28e3630";

        private readonly ConcurrentDictionary<string, ConnectionData> _connections = new(StringComparer.Ordinal);

        /// <summary>Connections already proven, by what selected them: kubeconfig files (with their write times) or an AKS cluster (for ten minutes).</summary>
        private readonly ConcurrentDictionary<string, Proven> _known = new(StringComparer.Ordinal);

        private readonly EngineOptions _azure;

        public ClusterConnections(EngineOptions azure) => _azure = azure;

        /// <summary>A connection for a target; a new one is proven through <paramref name="gateway"/> (the API server's version) before it is handed out.</summary>
        public async Task<ClusterConnection> ConnectAsync(AzureService arm, IKubeGateway gateway, ClusterTarget target, CallContext call)
        {
            AzureSettings settings = call.Azure;
            string key = Key(settings, target);
            if (target.OutFile is null && _known.TryGetValue(key, out var known) && (!target.UsesArm || DateTimeOffset.UtcNow - known.Made < _azure.ArmCredentialReuse))
            {
                return known.Connection;
            }

            ClusterConnection connection = await ConnectNewAsync(arm, gateway, target, call).ConfigureAwait(false);
            _known[key] = new Proven(connection, DateTimeOffset.UtcNow);
            return connection;
        }

        private sealed record Proven(ClusterConnection Connection, DateTimeOffset Made);

        private static string Key(AzureSettings settings, ClusterTarget target)
        {
            if (target.UsesArm)
            {
                return string.Join("|", "arm", target.Cluster?.ResourceId ?? target.ClusterResourceId ?? $"{settings.SubscriptionId}/{target.ResourceGroupName}/{target.ClusterName}",
                    target.Admin, settings.ArmEndpoint, settings.TokenSource, settings.TenantId).ToLowerInvariant();
            }

            IEnumerable<string> files = target.KubeconfigPath ?? DefaultKubeconfigPaths();
            return "kubeconfig|" + target.Context + "|" + string.Join("|", files.Select(f => f + "@" + (File.Exists(f) ? File.GetLastWriteTimeUtc(f).Ticks : 0)));
        }

        private async Task<ClusterConnection> ConnectNewAsync(AzureService arm, IKubeGateway gateway, ClusterTarget target, CallContext call)
        {
            AzureSettings settings = call.Azure;
            if (target.UsesArm)
            {
                (AksCluster cluster, string kubeconfig) = await arm.GetKubeconfigAsync(target, call).ConfigureAwait(false);
                if (target.OutFile is not null)
                {
                    Files.OwnerOnlyFiles.WriteAllText(target.OutFile, kubeconfig);
                    call.Host.WriteWarning($"The cluster's kubeconfig was written to '{target.OutFile}' as asked, readable by you only (it holds credentials); "
                        + "delete it when done.");
                }

                K8SConfiguration config = KubeconfigFiles.Parse(kubeconfig);
                User? user = config.Users?.FirstOrDefault(u => u.Name == config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext)?.ContextDetails?.User);
                bool entra = !target.Admin && (cluster.AadEnabled || user?.UserCredentials?.ExternalExecution?.Command is "kubelogin");
                if (entra && user is not null)
                {
                    // kubelogin is not there (Automation, most pipelines): the token comes from the module's own source instead.
                    user.UserCredentials = new UserCredentials { Token = "replaced-by-entra-token-provider" };
                }

                var data = new ConnectionData(config, config.CurrentContext, entra ? settings.Clone() : null, "default");
                return await RegisterAsync(gateway, data, $"ARM {(target.Admin ? "listClusterAdminCredential" : "listClusterUserCredential")} of '{cluster.Name}' (in memory)",
                    entra ? "Entra token for the AKS server application (no kubelogin)" : Describe(user), cluster.ResourceId, call).ConfigureAwait(false);
            }

            IReadOnlyList<string> paths = target.KubeconfigPath ?? DefaultKubeconfigPaths();
            List<string> existing = paths.Where(File.Exists).ToList();
            if (existing.Count == 0)
            {
                throw new KedaAksException("KubeconfigNotFound", KedaErrorCategory.ObjectNotFound,
                    $"No kubeconfig was found ({string.Join(", ", paths)}).", string.Join(Path.PathSeparator.ToString(), paths),
                    "Pass -KubeconfigPath, set KUBECONFIG, or connect through Azure: Get-KedaAksCluster ... | Connect-KedaCluster.");
            }

            K8SConfiguration merged = Merge(existing.Select(KubeconfigFiles.Load).ToList());
            string? context = target.Context ?? merged.CurrentContext;
            Context? chosen = merged.Contexts?.FirstOrDefault(c => c.Name == context);
            if (chosen is null)
            {
                throw new KedaAksException("ContextNotFound", KedaErrorCategory.ObjectNotFound,
                    $"The kubeconfig has no context '{context}'. Contexts: {string.Join(", ", merged.Contexts?.Select(c => c.Name) ?? Array.Empty<string>())}.", context,
                    "Pass -Context with one of the listed contexts.");
            }

            User? kubeUser = merged.Users?.FirstOrDefault(u => u.Name == chosen.ContextDetails?.User);
            var local = new ConnectionData(merged, context, null, chosen.ContextDetails?.Namespace ?? "default");
            return await RegisterAsync(gateway, local, $"kubeconfig {string.Join(Path.PathSeparator.ToString(), existing)}", Describe(kubeUser), null, call).ConfigureAwait(false);
        }

        private ConnectionData Data(ClusterConnection connection) =>
            _connections.TryGetValue(connection.Handle, out ConnectionData? data) ? data
                : throw new KedaAksException("ClusterConnectionUnknown", KedaErrorCategory.InvalidOperation,
                    "This cluster connection belongs to another process or was never made.", connection.Name, "Run Connect-KedaCluster again.");

        /// <summary>The client configuration of a connection, with the tokens this command needs fetched now.</summary>
        public async Task<KubernetesClientConfiguration> ConfigurationAsync(ClusterConnection connection, CallContext call)
        {
            ConnectionData data = Data(connection);

            KubernetesClientConfiguration config = KubernetesClientConfiguration.BuildConfigFromConfigObject(data.Config, data.Context);
            config.HttpClientTimeout = System.Threading.Timeout.InfiniteTimeSpan;  // each attempt has its own (RetryHandler, EngineOptions.NetworkTimeout)
            if (data.Entra is not null)
            {
                config.AccessToken = null;
                config.TokenProvider = await EntraTokenProvider.CreateAsync(data.Entra, call.Host, _azure, call.Cancellation).ConfigureAwait(false);
            }

            return config;
        }

        /// <summary>
        /// A kubeconfig holding only this connection's context, for a child process (helm), and the bearer token kept
        /// out of it: an Entra connection's current token or the user's static token goes back separately, for the
        /// child's environment, so no token lands on disk. Client-certificate and exec users stay in the kubeconfig;
        /// the caller writes it to an owner-only file and deletes it.
        /// </summary>
        public async Task<(string Yaml, string? Token)> KubeconfigForChildAsync(ClusterConnection connection, CallContext call)
        {
            ConnectionData data = Data(connection);

            Context? context = data.Config.Contexts?.FirstOrDefault(c => c.Name == data.Context) ?? data.Config.Contexts?.FirstOrDefault();
            Cluster? cluster = data.Config.Clusters?.FirstOrDefault(c => c.Name == context?.ContextDetails?.Cluster);
            User? user = data.Config.Users?.FirstOrDefault(u => u.Name == context?.ContextDetails?.User);
            if (context is null || cluster is null)
            {
                throw new KedaAksException("ClusterContextMissing", KedaErrorCategory.InvalidData, $"The kubeconfig of '{connection.Name}' has no usable context.", connection.Name,
                    "Run Connect-KedaCluster with a kubeconfig whose context names a cluster.");
            }

            string userName = context.ContextDetails?.User ?? "user";
            string? token = null;
            UserCredentials? credentials = user?.UserCredentials;
            if (data.Entra is not null)
            {
                EntraTokenProvider provider = await EntraTokenProvider.CreateAsync(data.Entra, call.Host, _azure, call.Cancellation).ConfigureAwait(false);
                token = (await provider.GetAuthenticationHeaderAsync(call.Cancellation).ConfigureAwait(false)).Parameter;
                credentials = new UserCredentials();
            }
            else if (credentials?.Token is { Length: > 0 } staticToken && credentials.ClientCertificateData is null && credentials.ClientCertificate is null)
            {
                token = staticToken;
                credentials = new UserCredentials();
            }

            var config = new K8SConfiguration
            {
                ApiVersion = "v1", Kind = "Config", CurrentContext = context.Name,
                Contexts = new[] { context }, Clusters = new[] { cluster },
                Users = new[] { new User { Name = userName, UserCredentials = credentials ?? new UserCredentials() } },
            };
            return (KubeconfigFiles.Write(config), token);
        }

        private async Task<ClusterConnection> RegisterAsync(IKubeGateway gateway, ConnectionData data, string source, string method, string? clusterResourceId, CallContext call)
        {
            string handle = Guid.NewGuid().ToString("N");
            _connections[handle] = data;
            Cluster? cluster = data.Config.Clusters?.FirstOrDefault(c => c.Name == data.Config.Contexts?.FirstOrDefault(x => x.Name == data.Context)?.ContextDetails?.Cluster);
            var connection = new ClusterConnection
            {
                Name = data.Context ?? cluster?.Name ?? "cluster",
                Server = cluster?.ClusterEndpoint?.Server ?? string.Empty,
                Context = data.Context,
                DefaultNamespace = data.DefaultNamespace,
                Source = source,
                AuthenticationMethod = method,
                ClusterResourceId = clusterResourceId,
                Handle = handle,
            };

            // Prove the connection (and the credentials) now, so a wrong cluster fails here and not halfway through.
            try
            {
                connection.KubernetesVersion = await gateway.ServerVersionAsync(connection, call).ConfigureAwait(false);
            }
            catch (KedaAksException)
            {
                _connections.TryRemove(handle, out _);
                throw;
            }

            call.Host.WriteVerbose($"Connected to cluster '{connection.Name}' at {connection.Server} ({connection.KubernetesVersion}); {source}; {method}.");
            return connection;
        }

        /// <summary>kubectl's KUBECONFIG merge: the first file that sets current-context wins, and for entries with the same name the first file wins.</summary>
        internal static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> configs)
        {
            var merged = new K8SConfiguration
            {
                ApiVersion = "v1",
                Kind = "Config",
                CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
                Clusters = new List<Cluster>(),
                Users = new List<User>(),
                Contexts = new List<Context>(),
            };
            foreach (K8SConfiguration config in configs)
            {
                merged.Clusters = merged.Clusters.Concat((config.Clusters ?? Enumerable.Empty<Cluster>()).Where(c => merged.Clusters.All(m => m.Name != c.Name))).ToList();
                merged.Users = merged.Users.Concat((config.Users ?? Enumerable.Empty<User>()).Where(u => merged.Users.All(m => m.Name != u.Name))).ToList();
                merged.Contexts = merged.Contexts.Concat((config.Contexts ?? Enumerable.Empty<Context>()).Where(c => merged.Contexts.All(m => m.Name != c.Name))).ToList();
            }

            return merged;
        }

        private static string Describe(User? user) =>
            user?.UserCredentials switch
            {
                null => "none",
                { ExternalExecution: not null } exec => $"Exec ({exec.ExternalExecution.Command})",
                { Token: not null } => "Token",
                { ClientCertificateData: not null } or { ClientCertificate: not null } => "ClientCertificate",
                _ => "Other",
            };

        internal static IReadOnlyList<string> DefaultKubeconfigPaths()
        {
            string? variable = Environment.GetEnvironmentVariable("KUBECONFIG");
            if (!string.IsNullOrWhiteSpace(variable))
            {
                return variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            }

            return new[] { Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config") };
        }
    }
}
