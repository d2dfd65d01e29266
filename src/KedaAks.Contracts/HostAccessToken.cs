namespace KedaAks
{
    /// <summary>An access token handed from the host to the engine. Lives in memory only; never written anywhere.</summary>
    public sealed class HostAccessToken
    {
        public HostAccessToken(string token, DateTimeOffset expiresOn)
        {
            Token = token;
            ExpiresOn = expiresOn;
        }

        public string Token { get; }

        public DateTimeOffset ExpiresOn { get; }

        public override string ToString() => $"access token (expires {ExpiresOn:u})";
    }
}
