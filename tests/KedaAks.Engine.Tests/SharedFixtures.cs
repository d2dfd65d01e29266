using System;
using System.IO;

namespace KedaAks.Engine.Tests
{
    /// <summary>
    /// ../shared/fixtures, real third-party data, found by walking up from the test binaries: present on the project's own machines,
    /// absent in a user's clone, where the tests that read it skip and say what they did not check.
    /// </summary>
    internal static class SharedFixtures
    {
        /// <summary>The file or folder at <paramref name="relative"/> under shared/fixtures, or null when there is none.</summary>
        public static string? Find(params string[] relative)
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "fixtures", Path.Combine(relative));
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
