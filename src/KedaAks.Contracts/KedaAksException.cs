namespace KedaAks
{
    /// <summary>
    /// The one exception type the engine lets reach the cmdlets. It carries everything an ErrorRecord
    /// needs: a stable ErrorId, a category, the offending value and a fix. The inner exception is kept,
    /// but it never crosses into PowerShell as a dependency type (the cmdlets read only this type).
    /// </summary>
    public class KedaAksException(string errorId, KedaErrorCategory category, string message, object? targetObject = null,
        string? recommendedAction = null, Exception? innerException = null)
        : Exception(message, innerException)
    {
        /// <summary>Stable PascalCase identifier, e.g. <c>InvalidThreshold</c>.</summary>
        public string ErrorId { get; } = errorId;

        public KedaErrorCategory Category { get; } = category;

        public object? TargetObject { get; } = targetObject;

        public string? RecommendedAction { get; } = recommendedAction;

        /// <summary>
        /// The original failure as text (type, message, stack) when the engine's boundary turned a dependency's exception
        /// into this one; for reports and -Debug. Never holds a token or secret.
        /// </summary>
        public string? Detail { get; set; }

        /// <summary>The message as PowerShell shows it, without the fix that <see cref="RecommendedAction"/> carries (null: derived from Message).</summary>
        public string? Display { get; set; }
    }
}
