using System;
using System.IO;
using System.Linq;
using KedaAks.Engine.Files;
using KedaAks.Engine.Helm;
using Xunit;

namespace KedaAks.Engine.Tests
{
    /// <summary>Files that hold credentials are the owner's only (0600 files, 0700 folders), from the moment they exist.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public class OwnerOnlyFilesTests
    {
        [SkippableFact]
        public void Write_replaces_a_world_readable_file_with_an_owner_only_one()
        {
            Skip.If(OperatingSystem.IsWindows(), "Unix modes; Windows gets an owner-only ACL");
            string folder = Directory.CreateTempSubdirectory("kedaaks-test-").FullName;
            try
            {
                string path = Path.Combine(folder, "x.kubeconfig");
                File.WriteAllText(path, "old");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                OwnerOnlyFiles.WriteAllText(path, "token: secret");
                Assert.Equal("token: secret", File.ReadAllText(path));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                Assert.Equal(new[] { "x.kubeconfig" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [SkippableFact]
        public void A_new_file_is_created_owner_only_whatever_the_umask()
        {
            Skip.If(OperatingSystem.IsWindows(), "Unix modes; Windows gets an owner-only ACL");
            string folder = Directory.CreateTempSubdirectory("kedaaks-test-").FullName;
            try
            {
                string path = Path.Combine(folder, "new.kubeconfig");
                OwnerOnlyFiles.WriteAllText(path, "a");
                Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(path));
                Assert.Throws<IOException>(() => OwnerOnlyFiles.CreateNew(path).Dispose());
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [SkippableFact]
        public void Helm_work_directory_is_0700_with_0600_files_and_gone_after_dispose()
        {
            Skip.If(OperatingSystem.IsWindows(), "Unix modes; Windows gets an owner-only ACL");
            string folder;
            using (var work = new WorkDirectory())
            {
                folder = work.Path;
                string values = work.Write("values.yaml", "podIdentity: {}");
                string kubeconfig = work.Write("kubeconfig", "apiVersion: v1");
                Assert.Equal(OwnerOnlyFiles.DirectoryMode, File.GetUnixFileMode(folder));
                Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(values));
                Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(kubeconfig));
                Assert.StartsWith("kedaaks-helm-", Path.GetFileName(folder), StringComparison.Ordinal);
            }

            Assert.False(Directory.Exists(folder));
        }
    }
}
