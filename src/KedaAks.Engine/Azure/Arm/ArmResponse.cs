namespace KedaAks.Engine.Azure
{
    /// <summary>An ARM response: status, parsed JSON body (null when empty) and headers.</summary>
    internal sealed record ArmResponse(int Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
    {
        public bool IsSuccess => Status is >= 200 and < 300;

        public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

        public string? ErrorCode => ArmModels.Str(Body?["error"]?["code"]);

        public string? ErrorMessage => ArmModels.Str(Body?["error"]?["message"]);
    }
}
