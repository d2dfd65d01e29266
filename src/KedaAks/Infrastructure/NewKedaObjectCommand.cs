namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Shared by the offline builders (New-KedaPrometheusScaler, New-KedaTriggerAuthentication): the new resource's -Name, at position 0, and its
    /// -Namespace; a resource built without one names no namespace, so it goes to kubectl's or the cluster connection's current namespace.
    /// </summary>
    public abstract class NewKedaObjectCommand : KedaAksCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }
    }
}
