namespace KedaAks.Engine.Integration
{
    /// <summary>The caller's host, with ShouldProcess already answered: the integration asked once for the step, so the unit it calls must not ask again.</summary>
    internal sealed class DecidedHost(IKedaAksHost inner, bool answer) : IKedaAksHost
    {
        public static CallContext For(CallContext call, bool answer) => new(new DecidedHost(call.Host, answer), call.Azure, call.Cancellation);

        public void WriteVerbose(string message) => inner.WriteVerbose(message);

        public void WriteWarning(string message) => inner.WriteWarning(message);

        public void WriteDebug(string message) => inner.WriteDebug(message);

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) => inner.WriteProgress(activity, status, percentComplete, completed);

        public bool ShouldProcess(string target, string action) => answer;

        public AzContextInfo? GetAzContext() => inner.GetAzContext();

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId) => inner.GetAzAccessToken(resourceUrl, tenantId);
    }
}
