namespace KedaAks.Engine.Integration
{
    /// <summary>The caller's host, with ShouldProcess already answered: the integration asked once for the step, so the unit it calls must not ask again.</summary>
    internal sealed class DecidedHost : IKedaAksHost
    {
        private readonly IKedaAksHost _inner;
        private readonly bool _answer;

        private DecidedHost(IKedaAksHost inner, bool answer)
        {
            _inner = inner;
            _answer = answer;
        }

        public static CallContext For(CallContext call, bool answer) => new(new DecidedHost(call.Host, answer), call.Azure, call.Cancellation);

        public void WriteVerbose(string message) => _inner.WriteVerbose(message);

        public void WriteWarning(string message) => _inner.WriteWarning(message);

        public void WriteDebug(string message) => _inner.WriteDebug(message);

        public void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false) => _inner.WriteProgress(activity, status, percentComplete, completed);

        public bool ShouldProcess(string target, string action) => _answer;

        public AzContextInfo? GetAzContext() => _inner.GetAzContext();

        public HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId) => _inner.GetAzAccessToken(resourceUrl, tenantId);
    }
}
