namespace KedaAks
{
    /// <summary>
    /// How the engine talks back to whoever runs it (the cmdlet pipeline, or a test). The engine never
    /// references PowerShell; implementations marshal these calls onto the pipeline thread.
    /// </summary>
    public interface IKedaAksHost
    {
        void WriteVerbose(string message);

        void WriteWarning(string message);

        void WriteDebug(string message);

        /// <summary>Reports progress of long work. <paramref name="percentComplete"/> is -1 when unknown; <paramref name="completed"/> ends the activity.</summary>
        void WriteProgress(string activity, string status, int percentComplete = -1, bool completed = false);

        /// <summary>Asks whether a change may be made (ShouldProcess). False under -WhatIf.</summary>
        bool ShouldProcess(string target, string action);

        /// <summary>Az.Accounts' context in the caller's runspace; null when Az.Accounts is not loaded or not signed in.</summary>
        AzContextInfo? GetAzContext();

        /// <summary>A token from <c>Get-AzAccessToken -ResourceUrl</c> in the caller's runspace; null when there is no Az context.</summary>
        HostAccessToken? GetAzAccessToken(string resourceUrl, string? tenantId);
    }
}
