using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using KedaAks.Engine.Azure;
using KedaAks.Engine.GitOps;
using KedaAks.Engine.Manifests;
using Xunit;
using YamlDotNet.Serialization;

namespace KedaAks.Engine.Tests
{
    /// <summary>Export-KedaGitOpsBundle's engine unit offline: the value layout by chart version, the documents' shapes, the refusals before any write.</summary>
    public sealed class GitOpsExportTests : IDisposable
    {
        private const string ClientId = "5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d";
        private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

        private readonly string _root = Path.Combine(Path.GetTempPath(), $"kedaaks-gitops-{Guid.NewGuid():N}");

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        private static GitOpsExport Export() => new(new AzureService(EngineOptions.Default), new ManifestSerializer());

        private GitOpsBundleRequest Request(string? version = "2.20.2", Action<AksIntegrationRequest>? names = null)
        {
            var integration = new AksIntegrationRequest { Version = version };
            names?.Invoke(integration);
            return new GitOpsBundleRequest { Path = Path.Combine(_root, Guid.NewGuid().ToString("N")), ClientId = ClientId, TenantId = TenantId, Integration = integration };
        }

        private static Dictionary<object, object> Yaml(string path) => new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(path));

        private static object? At(object? node, params string[] keys)
        {
            foreach (string key in keys)
            {
                node = node is IDictionary map && map.Contains(key) ? map[key] : null;
            }

            return node;
        }

        [Theory]
        [InlineData("2.13.0", false)]
        [InlineData("2.14.0", true)]
        [InlineData("2.20.2", true)]
        public async Task The_chart_version_decides_the_layout_and_the_chart_never_creates_the_bundles_service_account(string version, bool nested)
        {
            GitOpsBundleRequest request = Request(version);
            GitOpsBundle bundle = (await Export().ExportAsync(request, new RecordingHost().Call()))!;
            Assert.Equal(nested ? "serviceAccount.operator.*" : "serviceAccount.*", bundle.ValueLayout);
            Dictionary<object, object> values = Yaml(Path.Combine(request.Path, "values.yaml"));
            object? account = nested ? At(values, "serviceAccount", "operator") : At(values, "serviceAccount");
            Assert.Equal("false", At(account, "create"));
            Assert.Equal("keda-operator", At(account, "name"));
            Assert.Equal(nested, At(values, "serviceAccount", "create") is null);
            Assert.Equal("true", At(values, "podIdentity", "azureWorkload", "enabled"));
            Assert.Equal(ClientId, At(values, "podIdentity", "azureWorkload", "clientId"));
            Assert.Equal(TenantId, At(values, "podIdentity", "azureWorkload", "tenantId"));
            string text = File.ReadAllText(Path.Combine(request.Path, "values.yaml"));
            Assert.Contains("create: false\n", text, StringComparison.Ordinal);  // booleans, not the strings "false"/"true"
            Assert.Contains("enabled: true\n", text, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_helm_release_and_the_application_carry_exactly_the_values_file()
        {
            GitOpsBundleRequest request = Request(names: n => n.Set = new Hashtable { ["operator.replicaCount"] = 2, ["podAnnotations.keda.note"] = "true" });
            _ = await Export().ExportAsync(request, new RecordingHost().Call());
            var serializer = new SerializerBuilder().Build();
            string values = serializer.Serialize(Yaml(Path.Combine(request.Path, "values.yaml")));
            Dictionary<object, object> release = Yaml(Path.Combine(request.Path, "helmrelease.yaml"));
            Dictionary<object, object> application = Yaml(Path.Combine(request.Path, "argocd-application.yaml"));
            Assert.Equal(values, serializer.Serialize(At(release, "spec", "values")));
            Assert.Equal(values, serializer.Serialize(At(application, "spec", "source", "helm", "valuesObject")));
            Assert.Equal(("helm.toolkit.fluxcd.io/v2", "2.20.2", "keda", "HelmRepository"),
                (release["apiVersion"], At(release, "spec", "chart", "spec", "version"), At(release, "spec", "chart", "spec", "chart"),
                    At(release, "spec", "chart", "spec", "sourceRef", "kind")));
            Assert.Equal(("argoproj.io/v1alpha1", "2.20.2", "https://kedacore.github.io/charts"),
                (application["apiVersion"], At(application, "spec", "source", "targetRevision"), At(application, "spec", "source", "repoURL")));

            // A string that reads as a boolean stays a string (quoted), a number stays a number.
            string text = File.ReadAllText(Path.Combine(request.Path, "values.yaml"));
            Assert.Contains("note: \"true\"", text, StringComparison.Ordinal);
            Assert.Contains("replicaCount: 2\n", text, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_oci_chart_is_a_flux_oci_repository_and_an_argo_registry_path()
        {
            GitOpsBundleRequest request = Request(names: n => n.Repository = "oci://myregistry.azurecr.io/helm/keda");
            _ = await Export().ExportAsync(request, new RecordingHost().Call());
            Dictionary<object, object> repository = Yaml(Path.Combine(request.Path, "helmrepository.yaml"));
            Assert.Equal(("oci", "oci://myregistry.azurecr.io/helm"), (At(repository, "spec", "type"), At(repository, "spec", "url")));
            Dictionary<object, object> application = Yaml(Path.Combine(request.Path, "argocd-application.yaml"));
            Assert.Equal(("myregistry.azurecr.io/helm", "keda"), (At(application, "spec", "source", "repoURL"), At(application, "spec", "source", "chart")));
        }

        [Fact]
        public async Task A_piped_result_gives_the_installed_chart_release_and_account()
        {
            GitOpsBundleRequest request = Request(version: null);
            request.ClientId = null;
            request.TenantId = null;
            request.Result = new IntegrationResult
            {
                InstallMethod = "Helm",
                WorkloadIdentity = new WorkloadIdentity { IdentityName = "id", ClientId = ClientId, TenantId = TenantId, Subject = "system:serviceaccount:autoscale:keda-op" },
                ServiceAccount = new ServiceAccount("keda-op", "autoscale", ClientId, TenantId),
                Installation = new KedaInstallation { ReleaseName = "keda2", Namespace = "autoscale", ChartVersion = "2.13.0", InstallMethod = "Helm" },
            };
            var host = new RecordingHost();
            GitOpsBundle bundle = (await Export().ExportAsync(request, host.Call()))!;
            Assert.Equal(("2.13.0", "serviceAccount.*", "autoscale", "keda-op"), (bundle.ChartVersion, bundle.ValueLayout, bundle.Namespace, bundle.ServiceAccountName));
            Dictionary<object, object> release = Yaml(Path.Combine(request.Path, "helmrelease.yaml"));
            Assert.Equal(("keda2", "autoscale"), (At(release, "metadata", "name"), At(release, "metadata", "namespace")));
            Assert.Equal("keda-op", At(Yaml(Path.Combine(request.Path, "values.yaml")), "serviceAccount", "name"));
            Assert.Empty(host.Warnings);
        }

        [Fact]
        public async Task The_add_on_gets_only_the_patch_of_its_own_service_account()
        {
            GitOpsBundleRequest request = Request(names: n => n.InstallMethod = "AksAddon");
            request.Resources = new KedaResource[] { new TriggerAuthentication("auth", "app", false, PodIdentityProvider.AzureWorkload, ClientId, null, null) };
            GitOpsBundle bundle = (await Export().ExportAsync(request, new RecordingHost().Call()))!;
            Assert.Equal(new[] { "kustomization.yaml", "serviceaccount.yaml", "scaling/kustomization.yaml", "scaling/keda-resources.yaml", "README.md" }, bundle.Files);
            Assert.Null(bundle.ChartVersion);
            Dictionary<object, object> account = Yaml(Path.Combine(request.Path, "serviceaccount.yaml"));
            Assert.Equal(("kube-system", "keda-operator"), (At(account, "metadata", "namespace"), At(account, "metadata", "name")));
            Assert.Equal(new[] { "annotations", "name", "namespace" }, ((IDictionary)account["metadata"]).Keys.Cast<string>().OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("merge", At(account, "metadata", "annotations", "kustomize.toolkit.fluxcd.io/ssa"));
            Assert.Equal("ServerSideApply=true,Prune=false,Delete=false", At(account, "metadata", "annotations", "argocd.argoproj.io/sync-options"));
            Assert.Equal(new List<object> { "serviceaccount.yaml" }, At(Yaml(Path.Combine(request.Path, "kustomization.yaml")), "resources"));
        }

        [Fact]
        public async Task An_identity_federated_for_another_account_is_warned_about()
        {
            GitOpsBundleRequest request = Request();
            request.Identity = new WorkloadIdentity
            {
                IdentityName = "id", ClientId = ClientId, TenantId = TenantId, Subject = "system:serviceaccount:other:keda-operator", ServiceAccountNamespace = "keda",
                ServiceAccountName = "keda-operator",
            };
            var host = new RecordingHost();
            _ = await Export().ExportAsync(request, host.Call());
            Assert.Contains(host.Warnings, w => w.Contains("system:serviceaccount:other:keda-operator", StringComparison.Ordinal)
                && w.Contains("system:serviceaccount:keda:keda-operator", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("2.9.3", null, "KedaVersionUnsupported")]
        [InlineData("latest", null, "ChartVersionUnknown")]
        [InlineData("2.20.2", "not-a-guid", "InvalidClientId")]
        [InlineData("2.20.2", "ftp://charts.example", "InvalidRepository")]
        public async Task Bad_input_is_refused_before_the_folder_exists(string version, string? other, string errorId)
        {
            GitOpsBundleRequest request = Request(version, n => n.Repository = other?.StartsWith("ftp", StringComparison.Ordinal) == true ? other : n.Repository);
            if (other == "not-a-guid")
            {
                request.ClientId = other;
            }

            var error = await Assert.ThrowsAsync<KedaAksException>(() => Export().ExportAsync(request, new RecordingHost().Call()));
            Assert.Equal(errorId, error.ErrorId);
            Assert.False(Directory.Exists(request.Path));
        }

        [SkippableFact]
        public async Task A_chart_path_gives_the_layout_and_a_version_it_does_not_have_is_ChartVersionMismatch()
        {
            string? chart = SharedFixtures.Find("keda", "chart", "Chart.yaml") is { } file ? Path.GetDirectoryName(file) : null;

            Skip.If(chart is null, "../shared/fixtures is absent (a user's clone): the chart's own layout is not read.");
            GitOpsBundleRequest request = Request(version: null, n => n.ChartPath = chart);
            GitOpsBundle bundle = (await Export().ExportAsync(request, new RecordingHost().Call()))!;
            Assert.Equal(("2.20.2", "serviceAccount.operator.*"), (bundle.ChartVersion, bundle.ValueLayout));
            GitOpsBundleRequest mismatch = Request("2.19.0", n => n.ChartPath = chart);
            Assert.Equal("ChartVersionMismatch", (await Assert.ThrowsAsync<KedaAksException>(() => Export().ExportAsync(mismatch, new RecordingHost().Call()))).ErrorId);
            Assert.False(Directory.Exists(mismatch.Path));
        }

        [Fact]
        public async Task A_service_account_or_a_resource_given_twice_is_refused_and_nothing_named_is_IdentityNotNamed()
        {
            GitOpsBundleRequest request = Request();
            request.Resources = new KedaResource[] { new ServiceAccount("keda-operator", "keda", ClientId, TenantId) };
            Assert.Equal("UnsupportedResource", (await Assert.ThrowsAsync<KedaAksException>(() => Export().ExportAsync(request, new RecordingHost().Call()))).ErrorId);
            var auth = new TriggerAuthentication("auth", "app", false, PodIdentityProvider.AzureWorkload, null, null, null);
            request.Resources = new KedaResource[] { auth, auth };
            Assert.Equal("DuplicateResource", (await Assert.ThrowsAsync<KedaAksException>(() => Export().ExportAsync(request, new RecordingHost().Call()))).ErrorId);
            request.Resources = Array.Empty<KedaResource>();
            request.ClientId = null;
            Assert.Equal("IdentityNotNamed", (await Assert.ThrowsAsync<KedaAksException>(() => Export().ExportAsync(request, new RecordingHost().Call()))).ErrorId);
            Assert.False(Directory.Exists(request.Path));
        }

        [Fact]
        public async Task WhatIf_asks_once_per_file_and_writes_nothing()
        {
            GitOpsBundleRequest request = Request();
            var host = new RecordingHost(shouldProcess: false);
            Assert.Null(await Export().ExportAsync(request, host.Call()));
            Assert.False(Directory.Exists(request.Path));
            Assert.Equal(8, host.Questions.Count);
            Assert.All(host.Questions, q => Assert.StartsWith(request.Path, q.Target, StringComparison.Ordinal));
            Assert.Contains(host.Questions, q => q.Target.EndsWith("helmrelease.yaml", StringComparison.Ordinal) && q.Action.Contains("2.20.2", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_non_empty_folder_is_refused_without_force_and_its_other_files_stay_with_force()
        {
            GitOpsBundleRequest request = Request();
            Directory.CreateDirectory(request.Path);
            File.WriteAllText(Path.Combine(request.Path, "notes.txt"), "mine");
            var error = await Assert.ThrowsAsync<KedaAksException>(() => Export().ExportAsync(request, new RecordingHost().Call()));
            Assert.Equal(("PathNotEmpty", KedaErrorCategory.ResourceExists), (error.ErrorId, error.Category));
            Assert.Single(Directory.EnumerateFileSystemEntries(request.Path));
            request.Force = true;
            GitOpsBundle bundle = (await Export().ExportAsync(request, new RecordingHost().Call()))!;
            Assert.Equal("mine", File.ReadAllText(Path.Combine(request.Path, "notes.txt")));
            Assert.Equal(bundle.Files.Count + 1, Directory.EnumerateFiles(request.Path, "*", SearchOption.AllDirectories).Count());
        }
    }
}
