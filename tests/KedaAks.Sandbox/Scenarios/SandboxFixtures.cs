using System;
using System.IO;

namespace KedaAks.Sandbox.Scenarios
{
    /// <summary>The shared fixtures (../shared/fixtures beside the repository; absent in a user's clone): KEDA's CRDs and chart.</summary>
    public static class SandboxFixtures
    {
        /// <summary>KEDAAKS_TEST_FIXTURES when set (the Pester suite sets it), else the first shared/fixtures above the running assembly.</summary>
        public static string? Directory()
        {
            string? configured = Environment.GetEnvironmentVariable("KEDAAKS_TEST_FIXTURES");
            if (!string.IsNullOrEmpty(configured))
            {
                return System.IO.Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "fixtures");
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>KEDA 2.20's CRD manifests, or null when the fixtures are absent.</summary>
        public static string? CrdDirectory() => Directory() is { } root && System.IO.Directory.Exists(Path.Combine(root, "keda", "crds")) ? Path.Combine(root, "keda", "crds") : null;
    }
}
