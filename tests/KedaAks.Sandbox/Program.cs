using System;
using System.Globalization;
using System.IO;
using System.Linq;
using KedaAks.Sandbox;
using KedaAks.Sandbox.Scenarios;

// Standalone sandbox for Pester and the demo.
//   dotnet KedaAks.Sandbox.dll init-ca --ca-dir DIR
//   dotnet KedaAks.Sandbox.dll --ca-dir DIR --state-dir DIR [--scenario NAME]... [--port N] [--fault-rate 0.2] [--seed 1] [--oidc] [--workload-identity] [--chart-repo DIR]
//       [--arg-page-size N] [--arg-quota N] [--arg-quota-window SECONDS]   (Resource Graph's page size and per-caller quota)
//       [--fault-kinds 429,500,503,timeout,drop] [--fault-services arm,entra,kubernetes,workspace-query] [--fault-hang SECONDS] [--fault-exempt Helm]
//   dotnet KedaAks.Sandbox.dll list-scenarios
// Presets (--scenario, repeatable) apply first, in order; the other flags then override their values.
// Writes DIR/sandbox.json (endpoints, tenant, subscription, sign-in app) when ready; stops on SIGTERM or Ctrl+C.
string? caDirectory = null;
string? stateDirectory = null;
var options = new SandboxOptions();
bool initOnly = false;
int port = 0;
if (args.Length == 1 && args[0] == "list-scenarios")
{
    foreach (SandboxScenario scenario in SandboxScenarios.All)
    {
        Console.WriteLine($"{scenario.Name,-20} {scenario.Description}");
    }

    return 0;
}

for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--scenario")
    {
        try
        {
            SandboxScenarios.Apply(options, SandboxScenarios.Find(args[++i]));
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message.Split(" (Parameter")[0]);
            return 2;
        }
    }
}

for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "init-ca": initOnly = true; break;
        case "--scenario": i++; break;
        case "--ca-dir": caDirectory = args[++i]; break;
        case "--state-dir": stateDirectory = args[++i]; break;
        case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--fault-rate": options.FaultRate = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": options.Seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--latency": options.LatencyMilliseconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--oidc": options.OidcIssuerEnabled = true; break;
        case "--workload-identity": options.OidcIssuerEnabled = true; options.WorkloadIdentityEnabled = true; break;
        case "--aad": options.AadEnabled = true; break;
        case "--keda-addon": options.KedaAddonEnabled = true; break;
        case "--automatic": options.ClusterSku = "Automatic"; break;
        case "--local-accounts-disabled": options.AadEnabled = true; options.LocalAccountsDisabled = true; break;
        case "--crds": options.CrdDirectory = args[++i]; break;
        case "--prometheus": options.PrometheusUpstream = args[++i]; break;
        case "--chart-repo": options.ChartRepository = args[++i]; break;
        case "--entra-faults": options.EntraFaults = true; break;
        case "--client-secret": options.ClientSecret = args[++i]; break;
        case "--token-canary": options.TokenCanary = args[++i]; break;
        case "--sa-token-canary": options.ServiceAccountTokenCanary = args[++i]; break;
        case "--kube-token": options.KubernetesToken = args[++i]; break;
        case "--fault-kinds": options.FaultKinds = args[++i].Split(',').Select(KedaAks.Sandbox.Server.Middleware.FaultInjector.Parse).ToList(); break;
        case "--fault-services": options.FaultServices = args[++i].Split(',').ToList(); break;
        case "--fault-hang": options.FaultHang = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--fault-exempt": options.FaultExemptUserAgents = args[++i].Split(',').ToList(); break;
        case "--propagation-delay": options.CredentialPropagationDelay = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--role-delay": options.RoleAssignmentDelay = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--arg-page-size": options.ResourceGraphPageSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--arg-quota": options.ResourceGraphQuota = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--arg-quota-window": options.ResourceGraphQuotaWindow = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--principal-delay": options.PrincipalReplicationDelay = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        default: Console.Error.WriteLine($"Unknown argument '{args[i]}'."); return 2;
    }
}

if (caDirectory is null)
{
    Console.Error.WriteLine("--ca-dir is required.");
    return 2;
}

SandboxCertificates certificates = SandboxCertificates.LoadOrCreate(caDirectory);
KedaAks.Sandbox.Arm.TokenService.KeyFile = Path.Combine(caDirectory, "entra-signing.key");
if (initOnly)
{
    Console.WriteLine(certificates.AuthorityPemPath);
    return 0;
}

stateDirectory ??= Path.Combine(Path.GetTempPath(), "kedaaks-sandbox-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(stateDirectory);
await using var server = new SandboxServer(options, certificates);
await server.StartAsync(port);
string kubeconfig = Path.Combine(stateDirectory, "kubeconfig");
await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig());
var described = server.Describe();
described["kubeconfig"] = kubeconfig;
string description = Path.Combine(stateDirectory, "sandbox.json");
await File.WriteAllTextAsync(description + ".tmp", described.ToJsonString());
File.Move(description + ".tmp", description, overwrite: true);
Console.WriteLine($"KedaAks sandbox listening on {server.Url}");
await server.WaitForShutdownAsync();
return 0;
