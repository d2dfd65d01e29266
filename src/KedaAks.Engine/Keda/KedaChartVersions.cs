namespace KedaAks.Engine.Keda
{
    /// <summary>KEDA Helm chart versions (kedacore/charts) this module knows were released, newest first; offered by Install-KedaHelm -Version completion.</summary>
    internal static class KedaChartVersions
    {
        public static readonly IReadOnlyList<string> Known = new[] { "2.20.2", "2.20.1", "2.20.0", "2.19.0", "2.18.3" };
    }
}
