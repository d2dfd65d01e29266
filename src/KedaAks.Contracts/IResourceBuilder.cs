namespace KedaAks
{
    /// <summary>Builds validated KEDA resources offline, with KEDA v2.20's rules and reasons.</summary>
    public interface IResourceBuilder
    {
        /// <exception cref="KedaAksException">The input breaks a rule; nothing is built.</exception>
        TriggerAuthentication NewTriggerAuthentication(TriggerAuthenticationRequest request, IKedaAksHost host);

        /// <exception cref="KedaAksException">The input breaks a rule; nothing is built.</exception>
        ScaledObject NewPrometheusScaler(PrometheusScalerRequest request, IKedaAksHost host);
    }
}
