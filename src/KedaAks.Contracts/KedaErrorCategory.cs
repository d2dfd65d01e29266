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
}
