namespace KedaAks.Engine.Scaling
{
    /// <summary>The query's answer at one evaluation time: the value of the one series, or how many series there were (0: empty).</summary>
    internal readonly record struct MetricPoint(DateTimeOffset Time, double? Value, int Series)
    {
        public static MetricPoint Empty(DateTimeOffset time) => new(time, null, 0);

        /// <summary>The value as a chart shows it: null when KEDA has no single finite number.</summary>
        public double? Plotted => Series == 1 && Value is { } v && !double.IsNaN(v) && !double.IsInfinity(v) ? v : null;
    }

    /// <summary>
    /// A query_range answer on its step grid (one point per evaluation time, every time present), read as KEDA would have read an
    /// instant query then: at a time between grid points the last point before it holds, as Prometheus' lookback would give it.
    /// </summary>
    internal sealed class MetricHistory
    {
        private readonly MetricPoint[] _points;

        public MetricHistory(IEnumerable<MetricPoint> points) => _points = points.OrderBy(p => p.Time).ToArray();

        public IReadOnlyList<MetricPoint> Points => _points;

        /// <summary>The point in force at <paramref name="time"/>: the last one at or before it (empty before the first).</summary>
        public MetricPoint At(DateTimeOffset time)
        {
            int low = 0, high = _points.Length - 1, found = -1;
            while (low <= high)
            {
                int middle = (low + high) / 2;
                if (_points[middle].Time <= time)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return found < 0 ? MetricPoint.Empty(time) : _points[found];
        }

        /// <summary>KEDA's result rules (keda-facts 3.4) for one point: several series fail; empty, NaN and ±Inf are 0 with ignoreNullValues, else fail.</summary>
        public static TriggerReading Read(MetricPoint point, bool ignoreNullValues, string query)
        {
            if (point.Series > 1)
            {
                return new TriggerReading(0, $"prometheus query {query} returned multiple elements");
            }

            if (point.Series == 0 || point.Value is not { } value)
            {
                return ignoreNullValues ? new TriggerReading(0, null) : new TriggerReading(0, "prometheus metrics 'prometheus' target may be lost, the result is empty");
            }

            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                string shown = double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
                return ignoreNullValues ? new TriggerReading(0, null) : new TriggerReading(0, $"prometheus query returns {shown}");
            }

            return new TriggerReading(value, null);
        }
    }
}
