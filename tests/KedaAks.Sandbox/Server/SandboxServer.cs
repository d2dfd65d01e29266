using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using KedaAks.Sandbox.Arm;
using KedaAks.Sandbox.Charts;
using KedaAks.Sandbox.Control;
using KedaAks.Sandbox.Entra;
using KedaAks.Sandbox.Kubernetes.Controllers;
using KedaAks.Sandbox.Monitor;
using KedaAks.Sandbox.Server;
using KedaAks.Sandbox.Server.Middleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KedaAks.Sandbox
{
    /// <summary>One request as the sandbox saw it (no bodies, no headers: nothing secret is kept).</summary>
    public sealed record SandboxRequest(DateTimeOffset Time, string Method, string Path, int Status, bool Faulted, DateTimeOffset Start = default, string? Fault = null, string Service = "",
        string Connection = "");

    /// <summary>
    /// The sandbox: one loopback HTTPS server (Kestrel) whose requests pass a pipeline of middleware (request log,
    /// latency, fault injection, authorization) to the endpoint group that takes their path: the control endpoints,
    /// the chart repository, the workspace query endpoint, Entra, Kubernetes, and ARM for everything else.
    /// </summary>
    public sealed class SandboxServer : IAsyncDisposable
    {
        private readonly SandboxCertificates _certificates;
        private readonly FaultInjector _faults;
        private readonly EntraTokenEndpoints _entra;
        private WebApplication? _app;

        public SandboxServer(SandboxOptions? options = null, SandboxCertificates? certificates = null)
        {
            Options = options ?? new SandboxOptions();
            _certificates = certificates ?? SandboxCertificates.InMemory();
            _faults = new FaultInjector(Options);
            Tokens = new TokenService { Canary = Options.TokenCanary };
            Arm = new ArmStandIn(Options, () => Url);
            Kubernetes = new Kubernetes.KubernetesStandIn("v" + Options.KubernetesVersion) { EntraOnly = Options.LocalAccountsDisabled };
            if (Options.CrdDirectory is not null)
            {
                Kubernetes.LoadCustomResourceDefinitions(Options.CrdDirectory);
            }

            ServiceAccountTokens = new Kubernetes.ServiceAccountTokens(() => Arm.OidcIssuerEnabled ? Arm.IssuerUrl : KedaAks.Sandbox.Kubernetes.ServiceAccountTokens.InClusterIssuer);
            ServiceAccountTokens.Canary = Options.ServiceAccountTokenCanary;
            Kubernetes.ServiceAccountTokens = ServiceAccountTokens;
            if (Options.KubernetesToken is { Length: > 0 } kubernetesToken)
            {
                Kubernetes.Token = kubernetesToken;
            }
            Kubernetes.WorkloadIdentityEnabled = () => Arm.WorkloadIdentityEnabled;
            Kubernetes.TenantId = Options.TenantId;
            Kubernetes.OperatorCycle = new KedaOperatorSimulator(this).Cycle;
            Fleet = new Kubernetes.FleetClusters(Options, Arm, Options.CrdDirectory ?? Scenarios.SandboxFixtures.CrdDirectory());
            Arm.KubeconfigProvider = (id, admin) => Fleet.ById(id) is { } fleet
                ? Kubeconfig(admin ? KubeconfigUser.Admin : KubeconfigUser.Token, fleet.Spec.Name, fleet.Spec.ResourceGroup, Url + KedaAks.Sandbox.Kubernetes.FleetClusters.Prefix + fleet.Spec.Name,
                    fleet.Cluster.Token)
                : Kubeconfig(admin ? KubeconfigUser.Admin : Options.AadEnabled ? KubeconfigUser.Kubelogin : KubeconfigUser.Token);

            _entra = new EntraTokenEndpoints(Options, Tokens, Arm, ServiceAccountTokens, () => Url);
            Endpoints
                .Add(new ControlEndpoints(this))
                .Add(new ChartRepositoryEndpoints(Options))
                .Add(new WorkspaceQueryEndpoints(Options, Tokens, Arm))
                .Add(_entra)
                .Add(new Kubernetes.KubernetesEndpoints(Kubernetes, Tokens, _certificates))
                .Add(new Kubernetes.KubernetesEndpoints("fleet-kubernetes", Fleet.Route, Tokens, _certificates))
                .SetFallback(new ArmEndpoints(Arm, Tokens, Options, () => Url));
            Middleware.AddRange(new IMiddleware[] { new RequestLogMiddleware(RequestLog), new LatencyMiddleware(_faults), new CannedResponseMiddleware(Responses),
                new FaultInjectionMiddleware(_faults, Options), new AuthorizationMiddleware() });
            foreach (System.Text.Json.Nodes.JsonObject seeded in Options.Scenarios.SelectMany(s => s.AllObjects()))
            {
                Kubernetes.Seed(seeded);
            }

            Arm.KedaAddonChanged = (id, enabled) =>
            {
                if (ArmStandIn.Normalize(id) != ArmStandIn.Normalize(Arm.ClusterId))
                {
                    Fleet.AddonChanged(id, enabled);
                    return;
                }

                KedaAks.Sandbox.Kubernetes.AksKedaAddon.Apply(Kubernetes, enabled, Options.KubernetesVersion, Options.CrdDirectory ?? Scenarios.SandboxFixtures.CrdDirectory());
            };
            if (Arm.KedaAddonEnabled)
            {
                Arm.KedaAddonChanged(Arm.ClusterId, true);
            }
        }

        public enum KubeconfigUser
        {
            Token,
            Admin,
            Kubelogin,

            /// <summary>A client certificate and key this sandbox's CA signed, no token (AKS's listClusterAdminCredential).</summary>
            ClientCertificate,
        }

        public Kubernetes.KubernetesStandIn Kubernetes { get; }

        /// <summary>The fleet's clusters (<see cref="SandboxOptions.FleetClusters"/>), each with its own Kubernetes API under /fleet/&lt;name&gt;/.</summary>
        public Kubernetes.FleetClusters Fleet { get; }

        public Kubernetes.ServiceAccountTokens ServiceAccountTokens { get; }

        public SandboxOptions Options { get; }

        public TokenService Tokens { get; }

        public ArmStandIn Arm { get; }

        public SandboxCertificates Certificates => _certificates;

        public string Url { get; private set; } = string.Empty;

        /// <summary>The endpoint groups; add one before <see cref="StartAsync"/> (or later: lookups happen per request).</summary>
        public EndpointRegistry Endpoints { get; } = new();

        /// <summary>The middleware every request passes, in order, before its group's handler; change it before <see cref="StartAsync"/>.</summary>
        public List<IMiddleware> Middleware { get; } = new();

        /// <summary>Answers that are not the service's own (a proxy page, a gateway error), put up by tests.</summary>
        public CannedResponses Responses { get; } = new();

        public RequestLog RequestLog { get; } = new();

        public IReadOnlyList<SandboxRequest> Requests => RequestLog.Requests;

        /// <summary>Requests that changed ARM state (faulted and failed ones excluded).</summary>
        public int WriteCount => RequestLog.WriteCount;

        public void ClearLog() => RequestLog.Clear();

        public void SetFaults(double rate, int seed, int latencyMilliseconds = 0) => _faults.Set(rate, seed, latencyMilliseconds);

        /// <summary>The fault injector: kinds, services, hang and exemptions, and what it injected (by kind and by service).</summary>
        public FaultInjector Faults => _faults;

        /// <summary>A kubeconfig for the Kubernetes stand-in, shaped like AKS's: the CA inline, and a token, or kubelogin (exec) for Entra users.</summary>
        public string Kubeconfig(KubeconfigUser user = KubeconfigUser.Token) => Kubeconfig(user, Options.ClusterName, Options.ResourceGroup, Url, Kubernetes.Token);

        /// <summary>A kubeconfig for one cluster of the sandbox: the main one at the root, a fleet cluster under /fleet/&lt;name&gt;.</summary>
        public string Kubeconfig(KubeconfigUser user, string cluster, string resourceGroup, string server, string token)
        {
            string ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(_certificates.Authority.ExportCertificatePem()));
            string userName = user == KubeconfigUser.Admin ? $"clusterAdmin_{resourceGroup}_{cluster}" : $"clusterUser_{resourceGroup}_{cluster}";
            string credentials = user == KubeconfigUser.Kubelogin
                ? "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args:\n      - get-token\n      - --environment\n      - AzurePublicCloud\n"
                    + $"      - --server-id\n      - {KedaAks.Sandbox.Kubernetes.KubernetesStandIn.AksServerApplication}\n      - --client-id\n      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a\n"
                    + $"      - --tenant-id\n      - {Options.TenantId}\n      - --login\n      - devicecode\n      interactiveMode: IfNeeded\n      provideClusterInfo: false\n"
                : user == KubeconfigUser.ClientCertificate ? ClientCertificateLines()
                : $"    token: {token}\n";
            return "apiVersion: v1\nkind: Config\npreferences: {}\n"
                + $"clusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: {cluster}\n"
                + $"contexts:\n- context:\n    cluster: {cluster}\n    user: {userName}\n  name: {cluster}\n"
                + $"current-context: {cluster}\n"
                + $"users:\n- name: {userName}\n  user:\n{credentials}";
        }

        private string ClientCertificateLines()
        {
            (string certificate, string key) = _certificates.IssueClientCertificate();
            static string Data(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
            return $"    client-certificate-data: {Data(certificate)}\n    client-key-data: {Data(key)}\n";
        }

        public async Task StartAsync(int port = 0)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                // A client certificate is asked for but not required (AKS's admin credentials authenticate with one, its user credentials with a token);
                // the Kubernetes endpoints accept one this CA signed.
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
                {
                    ServerCertificate = _certificates.IssueServerCertificate(),
                    ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                }));
            });
            _app = builder.Build();
            _app.Use(next => context =>
            {
                string path = context.Request.Path.Value ?? "/";
                context.Features.Set(new SandboxRequestFeature(Endpoints.Resolve(path), path, DateTimeOffset.UtcNow));
                return next(context);
            });
            foreach (IMiddleware middleware in Middleware)
            {
                _app.Use(next => context => middleware.InvokeAsync(context, next));
            }

            _app.Run(context =>
            {
                SandboxRequestFeature request = SandboxHttp.Request(context);
                return request.Group.HandleAsync(context, request.Path);
            });
            await _app.StartAsync().ConfigureAwait(false);
            string address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Url = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
            if (Options.PrometheusUpstream is not null)
            {
                Arm.SetQueryEndpoint($"{Url}/workspaces/{Options.WorkspaceName}");
            }
        }

        public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app!, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync().ConfigureAwait(false);
                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>
        /// What the article's flow leaves, counted (the fault and concurrency suites assert exactly one of each): user-assigned identities,
        /// federated credentials, role assignments (all, and Monitoring Data Reader ones), service accounts other than the namespaces'
        /// "default" (and those annotated with a workload identity client id), Helm releases (distinct release secrets by namespace
        /// and name) and their revisions.
        /// </summary>
        public JsonObject StateCounts()
        {
            IReadOnlyList<JsonObject> roles = Arm.Snapshot("Microsoft.Authorization/roleAssignments");
            List<JsonObject> releases = Kubernetes.All("secrets").Where(s => s["metadata"]?["labels"]?["owner"]?.GetValue<string>() == "helm").ToList();
            return new JsonObject
            {
                ["identities"] = Arm.Snapshot("Microsoft.ManagedIdentity/userAssignedIdentities").Count,
                ["federatedCredentials"] = Arm.Snapshot("/federatedIdentityCredentials").Count,
                ["roleAssignments"] = roles.Count,
                ["monitoringDataReaderAssignments"] = roles.Count(r =>
                    r["properties"]?["roleDefinitionId"]?.GetValue<string>().EndsWith("b0d8363b-8ddd-447d-831f-62ca05bff136", StringComparison.OrdinalIgnoreCase) == true),
                ["serviceAccounts"] = Kubernetes.All("serviceaccounts").Count(a => a["metadata"]?["name"]?.GetValue<string>() != "default"),
                ["workloadIdentityServiceAccounts"] = Kubernetes.All("serviceaccounts").Count(a => a["metadata"]?["annotations"]?["azure.workload.identity/client-id"] is not null),
                ["helmReleases"] = releases.Select(s => $"{s["metadata"]?["namespace"]}/{s["metadata"]?["labels"]?["name"]}").Distinct(StringComparer.Ordinal).Count(),
                ["helmRevisions"] = releases.Count,
            };
        }

        /// <summary>What a client needs: endpoints, tenant, subscription and the sign-in app's credentials.</summary>
        public JsonObject Describe()
        {
            var description = new JsonObject
            {
                ["kubernetesVersion"] = Kubernetes.GitVersion,
                ["url"] = Url,
                ["armEndpoint"] = Url + "/",
                ["authorityHost"] = Url + "/",
                ["tenantId"] = Options.TenantId,
                ["subscriptionId"] = Options.SubscriptionId,
                ["resourceGroup"] = Options.ResourceGroup,
                ["clusterName"] = Options.ClusterName,
                ["clusterId"] = Arm.ClusterId,
                ["workspaceName"] = Options.WorkspaceName,
                ["workspaceId"] = Arm.WorkspaceId,
                ["clientId"] = Options.ClientId,
                ["clientSecret"] = Options.ClientSecret,
                ["caPath"] = _certificates.AuthorityPemPath,
            };
            if (Options.FleetClusters.Count > 0)
            {
                description["subscriptions"] = new JsonArray(Arm.KnownSubscriptions.Select(s => (JsonNode)new JsonObject { ["id"] = s.Key, ["name"] = s.Value }).ToArray());
                description["fleet"] = new JsonArray(Options.FleetClusters.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name, ["subscriptionId"] = c.SubscriptionId, ["resourceGroup"] = c.ResourceGroup, ["id"] = c.Id,
                    ["server"] = Url + KedaAks.Sandbox.Kubernetes.FleetClusters.Prefix + c.Name,
                }).ToArray());
            }

            if (Options.Scenarios.Count > 0)
            {
                description["scenarios"] = new JsonArray(Options.Scenarios.Select(s => (JsonNode)JsonValue.Create(s.Name)!).ToArray());
            }

            return description;
        }

        /// <summary>The same exchange as the token endpoint, in process (for the operator simulation): a token, or Entra's error text.</summary>
        internal (string? Token, string? Error) Exchange(string clientId, string assertion, string scope) => _entra.Exchange(clientId, assertion, scope);
    }
}
