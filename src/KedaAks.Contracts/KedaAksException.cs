using System;

namespace KedaAks
{
    /// <summary>The error categories the engine reports; the cmdlets map them by name onto PowerShell's ErrorCategory.</summary>
    public enum KedaErrorCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        PermissionDenied,
        AuthenticationError,
        ConnectionError,
        OperationTimeout,
        NotInstalled,
        NotImplemented,
        LimitsExceeded,
        SecurityError,
        ProtocolError,
        WriteError,
        ReadError,
    }

    /// <summary>
    /// The one exception type the engine lets reach the cmdlets. It carries everything an ErrorRecord
    /// needs: a stable ErrorId, a category, the offending value and a fix. The inner exception is kept,
    /// but it never crosses into PowerShell as a dependency type (the cmdlets read only this type).
    /// </summary>
    public class KedaAksException : Exception
    {
        public KedaAksException(string errorId, KedaErrorCategory category, string message, object? targetObject = null,
            string? recommendedAction = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Category = category;
            TargetObject = targetObject;
            RecommendedAction = recommendedAction;
        }

        /// <summary>Stable PascalCase identifier, e.g. <c>InvalidThreshold</c>.</summary>
        public string ErrorId { get; }

        public KedaErrorCategory Category { get; }

        public object? TargetObject { get; }

        public string? RecommendedAction { get; }
    }
}
