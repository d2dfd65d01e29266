namespace KedaAks
{
    /// <summary>Replays a trigger's Prometheus history through KEDA's and the HPA's scaling rules.</summary>
    public interface IScalingReplay
    {
        Task<ScalingReplayResult> ReplayAsync(ScalingReplayRequest request, CallContext call);

        /// <summary>One request per prometheus trigger of a ScaledObject, with its counts, timings, fallback and HPA behavior.</summary>
        IReadOnlyList<ScalingReplayRequest> FromScaledObject(ScaledObject scaledObject);
    }
}
