namespace KedaAks
{
    /// <summary>An access token handed from the host to the engine. Lives in memory only; never written anywhere.</summary>
    public sealed class HostAccessToken(string token, DateTimeOffset expiresOn)
    {
        public string Token { get; } = token;

        public DateTimeOffset ExpiresOn { get; } = expiresOn;

        public override string ToString() => $"access token (expires {ExpiresOn:u})";
    }
}
