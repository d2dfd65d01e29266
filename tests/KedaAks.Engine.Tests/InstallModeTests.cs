using System;
using KedaAks.Engine.Keda;
using Xunit;

namespace KedaAks.Engine.Tests
{
    public class InstallModeTests
    {
        [Theory]
        [InlineData(true, false, false, false, false, "AksAddon")]     // ARM says the add-on is on, even before its deployments exist
        [InlineData(true, false, true, true, false, "AksAddon")]       // the add-on wins over a release (the release is the second install)
        [InlineData(false, true, false, false, false, "AksAddon")]     // AKS Automatic: KEDA preconfigured
        [InlineData(null, true, false, true, false, "AksAddon")]
        [InlineData(false, false, true, true, false, "Helm")]
        [InlineData(null, null, true, false, false, "Helm")]
        [InlineData(false, false, false, true, false, "Manifests")]
        [InlineData(false, false, false, true, true, "Manifests")]     // ARM says off: add-on labels left behind do not make it the add-on
        [InlineData(null, null, false, true, true, "AksAddon")]        // no ARM (a kubeconfig): the add-on's labels decide
        [InlineData(null, null, false, true, false, "Manifests")]
        [InlineData(false, false, false, false, false, "None")]
        [InlineData(null, null, false, false, false, "None")]
        public void The_install_mode_is_decided_by_one_table(bool? addon, bool? automatic, bool helm, bool operatorDeployment, bool addonLabels, string mode) =>
            Assert.Equal(mode, InstallModes.Decide(addon, automatic, helm, operatorDeployment, addonLabels));

        [Theory]
        [InlineData(null, "AksAddon", "AksAddon")]
        [InlineData("Auto", "AksAddon", "AksAddon")]
        [InlineData("Auto", "Helm", "Helm")]
        [InlineData("Auto", "None", "Helm")]
        [InlineData("Auto", "Manifests", "Helm")]
        [InlineData("Helm", "AksAddon", "Helm")]
        [InlineData("AksAddon", "None", "AksAddon")]
        public void Auto_follows_the_decision_and_an_explicit_method_wins(string? requested, string decided, string effective) =>
            Assert.Equal(effective, InstallModes.Effective(requested, decided));

        [Fact]
        public void The_add_on_operator_is_kube_system_keda_operator_whatever_was_asked()
        {
            Assert.Equal(("kube-system", "keda-operator"), InstallModes.Operator("AksAddon", "keda", "my-sa"));
            Assert.Equal(("keda", "my-sa"), InstallModes.Operator("Helm", "keda", "my-sa"));
            Assert.Equal("system:serviceaccount:kube-system:keda-operator", AksAddonKeda.Subject);
        }

        [Theory]
        [InlineData("1.26.3", "2.10.0")]
        [InlineData("1.27.1", "2.11.0")]
        [InlineData("1.30.0", "2.11.2")]
        [InlineData("1.31.2", "2.14.1")]
        [InlineData("1.32.0", "2.14.1")]
        [InlineData("1.33.2", "2.16.1")]
        [InlineData("v1.35.0", "2.17.2")]
        [InlineData("1.36.1", "2.19.0")]
        [InlineData("1.34.1", null)]   // AKS's table truncates the row
        [InlineData("1.29.0", null)]
        [InlineData(null, null)]
        public void The_add_on_keda_version_follows_the_kubernetes_version(string? kubernetes, string? keda) =>
            Assert.Equal(keda, AksAddonKeda.VersionFor(kubernetes)?.ToString(3));

        [Theory]
        [InlineData("1.25.6", false, false)]  // KEDA 2.9: below the 2.10 minimum
        [InlineData("1.26.0", true, false)]
        [InlineData("1.32.0", true, false)]   // 2.14.1 still serves provider 'azure'
        [InlineData("1.33.0", true, true)]    // 2.16.1: pod identity gone
        public void The_version_gates_use_the_add_on_version(string kubernetes, bool supported, bool lacksPodIdentity)
        {
            Version keda = AksAddonKeda.VersionFor(kubernetes)!;
            Assert.Equal(supported, KedaVersions.IsSupported(keda));
            Assert.Equal(lacksPodIdentity, KedaVersions.LacksAzurePodIdentity(keda));
        }
    }
}
