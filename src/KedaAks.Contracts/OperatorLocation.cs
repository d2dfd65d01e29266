namespace KedaAks
{
    /// <summary>Where a command looks for KEDA's operator on a cluster: the install mode it works for, and that mode's namespace and service account.</summary>
    public sealed class OperatorLocation
    {
        /// <summary>AksAddon or Helm (Auto resolved: None and Manifests mean a Helm install to come).</summary>
        public string InstallMethod { get; set; } = "Helm";

        public string Namespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        public override string ToString() => $"{Namespace}/{ServiceAccountName} ({InstallMethod})";
    }
}
