namespace KedaAks
{
    /// <summary>Runs prometheus triggers' queries the way KEDA does.</summary>
    public interface IPrometheusQueries
    {
        Task<QueryResult> RunAsync(PrometheusQueryRequest request, CallContext call);

        /// <summary>One request per prometheus trigger of a ScaledObject, read from its metadata as KEDA reads it.</summary>
        IReadOnlyList<PrometheusQueryRequest> FromScaledObject(ScaledObject scaledObject);
    }
}
