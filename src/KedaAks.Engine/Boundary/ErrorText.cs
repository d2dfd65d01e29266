namespace KedaAks.Engine.Boundary
{
    /// <summary>Pieces of failure text that messages quote: the first line that says something.</summary>
    internal static class ErrorText
    {
        /// <summary>The first non-blank line, trimmed; empty when there is none.</summary>
        public static string FirstLine(string text) => text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
    }
}
