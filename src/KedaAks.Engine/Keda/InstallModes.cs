namespace KedaAks.Engine.Keda
{
    /// <summary>
    /// How KEDA is (or will be) installed on a cluster, decided once: the AKS add-on when ARM says so (or the cluster is
    /// AKS Automatic, where KEDA comes preconfigured), Helm when a release of the keda chart exists, Manifests when a
    /// keda-operator deployment exists that neither accounts for, otherwise None. Also where each mode runs the operator.
    /// </summary>
    internal static class InstallModes
    {
        public const string AksAddon = "AksAddon";
        public const string Helm = "Helm";
        public const string Manifests = "Manifests";
        public const string None = "None";

        /// <summary>The -InstallMethod values: Auto follows <see cref="Decide"/>.</summary>
        public const string Auto = "Auto";

        /// <summary>
        /// The decision table. <paramref name="addonEnabled"/> and <paramref name="automatic"/> come from ARM (null: not known, e.g. a kubeconfig);
        /// without ARM, a keda-operator in kube-system counts as the add-on (<paramref name="addonLabels"/>).
        /// </summary>
        public static string Decide(bool? addonEnabled, bool? automatic, bool helmRelease, bool operatorDeployment, bool addonLabels = false) =>
            addonEnabled == true || automatic == true ? AksAddon
            : helmRelease ? Helm
            : operatorDeployment && addonLabels && addonEnabled is null ? AksAddon
            : operatorDeployment ? Manifests
            : None;

        /// <summary>The mode a command works for: the one asked for, or for Auto the decided one (None and Manifests mean a Helm install to come).</summary>
        public static string Effective(string? requested, string decided) =>
            string.IsNullOrEmpty(requested) || requested.Equals(Auto, StringComparison.OrdinalIgnoreCase)
                ? decided == AksAddon ? AksAddon : Helm
                : requested.Equals(AksAddon, StringComparison.OrdinalIgnoreCase) ? AksAddon : Helm;

        /// <summary>The namespace and service account of the operator in a mode (the add-on's are fixed; the others take the given ones).</summary>
        public static (string Namespace, string ServiceAccount) Operator(string mode, string ns, string serviceAccount) =>
            mode == AksAddon ? (AksAddonKeda.Namespace, AksAddonKeda.ServiceAccount) : (ns, serviceAccount);

        /// <summary>Whether ARM says AKS runs KEDA on the cluster: the add-on is on, or the cluster is AKS Automatic.</summary>
        public static bool RunsAddon(AksCluster cluster) => cluster.KedaAddonEnabled || IsAutomatic(cluster);

        /// <summary>The mode ARM alone decides for a cluster, before the cluster is asked: AksAddon where AKS runs KEDA, else Helm (a Helm install to come).</summary>
        public static string OfCluster(AksCluster cluster) => RunsAddon(cluster) ? AksAddon : Helm;

        public static bool IsAutomatic(AksCluster? cluster) => string.Equals(cluster?.Sku, "Automatic", StringComparison.OrdinalIgnoreCase);

        /// <summary>A human name of an installation, for refusals ("the AKS managed add-on in kube-system", "Helm release 'keda' in 'keda'").</summary>
        public static string Describe(KedaInstallation installation) => installation.InstallMethod switch
        {
            AksAddon => $"the AKS managed KEDA add-on in '{installation.Namespace}'",
            Helm => $"Helm release '{installation.ReleaseName}' in '{installation.Namespace}'",
            _ => $"a KEDA installed from manifests in '{installation.Namespace}'",
        };
    }
}
