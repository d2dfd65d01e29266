namespace KedaAks
{
    /// <summary>Proves KEDA's workload identity before KEDA needs it.</summary>
    public interface IWorkloadIdentityProbe
    {
        Task<WorkloadIdentityProof> WaitAsync(ClusterConnection connection, WorkloadIdentity identity, string? workspace, TimeSpan timeout, TimeSpan retryInterval,
            CallContext call);
    }
}
