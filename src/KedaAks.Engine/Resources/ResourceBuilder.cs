namespace KedaAks.Engine.Resources
{
    internal sealed class ResourceBuilder : IResourceBuilder
    {
        public TriggerAuthentication NewTriggerAuthentication(TriggerAuthenticationRequest request, IKedaAksHost host) =>
            TriggerAuthenticationBuilder.Build(request ?? throw new ArgumentNullException(nameof(request)), host);

        public ScaledObject NewPrometheusScaler(PrometheusScalerRequest request, IKedaAksHost host) =>
            PrometheusScalerBuilder.Build(request ?? throw new ArgumentNullException(nameof(request)), host);
    }
}
