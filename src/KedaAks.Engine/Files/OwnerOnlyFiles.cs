using System.Security.AccessControl;
using System.Security.Principal;

namespace KedaAks.Engine.Files
{
    /// <summary>
    /// Every file the module writes that holds a credential (a kubeconfig from ARM, helm's kubeconfig and values) and the
    /// folders they live in: owner-only from the moment they exist (0600 files and 0700 folders on Unix, created with
    /// that mode; an ACL granting only the current user, inheritance cut, on Windows). A file is written to a new
    /// owner-only sibling and moved over the target, so an existing world-readable file never holds the new content.
    /// </summary>
    internal static class OwnerOnlyFiles
    {
        public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        /// <summary>A new owner-only folder under the temp directory, named with <paramref name="prefix"/>.</summary>
        public static string CreateTempDirectory(string prefix)
        {
            // .NET creates it 0700 on Unix; on Windows the ACL is set before anything is written into it.
            string path = Directory.CreateTempSubdirectory(prefix).FullName;
            if (OperatingSystem.IsWindows())
            {
                var security = new DirectorySecurity();
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(CurrentUser(), FileSystemRights.FullControl,
                    InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit, PropagationFlags.None, AccessControlType.Allow));
                new DirectoryInfo(path).SetAccessControl(security);
            }

            return path;
        }

        /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> (replacing it), owner-only from its first byte.</summary>
        public static void WriteAllText(string path, string content)
        {
            string full = Path.GetFullPath(path);
            string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (FileStream stream = CreateNew(temporary))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(content);
                }

                File.Move(temporary, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>A new file that only the current user can read or write (fails when it exists).</summary>
        public static FileStream CreateNew(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                var security = new FileSecurity();
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(CurrentUser(), FileSystemRights.FullControl, AccessControlType.Allow));
                return new FileInfo(path).Create(System.IO.FileMode.CreateNew, FileSystemRights.FullControl, FileShare.None, 4096, FileOptions.None, security);
            }

            return new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }

        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static SecurityIdentifier CurrentUser()
        {
            using WindowsIdentity identity = WindowsIdentity.GetCurrent();
            return identity.User ?? throw new InvalidOperationException("The current Windows user has no security identifier.");
        }
    }
}
