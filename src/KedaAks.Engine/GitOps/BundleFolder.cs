namespace KedaAks.Engine.GitOps
{
    /// <summary>
    /// The folder a bundle goes to: refused when it is a file, or not empty without -Force (checked before anything is written, under -WhatIf too);
    /// each file written whole (a temporary file beside it, then moved over the old one), UTF-8 without a BOM.
    /// </summary>
    internal static class BundleFolder
    {
        public static void Check(string path, bool force)
        {
            if (string.IsNullOrWhiteSpace(path) || !System.IO.Path.IsPathFullyQualified(path))
            {
                throw new KedaAksException("InvalidPath", KedaErrorCategory.InvalidArgument, $"'{path}' is not a full folder path.", path, "Pass -Path the folder to write the bundle to.");
            }

            if (File.Exists(path))
            {
                throw new KedaAksException("PathIsFile", KedaErrorCategory.InvalidArgument, $"'{path}' is a file, not a folder.", path,
                    "Pass -Path a folder (new or empty) for the bundle.");
            }

            if (!force && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new KedaAksException("PathNotEmpty", KedaErrorCategory.ResourceExists, $"The folder '{path}' is not empty.", path,
                    "Pass an empty or new folder, or -Force to overwrite the bundle's files in it (other files are left as they are).");
            }
        }

        public static void Write(string folder, BundleFile file)
        {
            string target = System.IO.Path.Combine(folder, file.RelativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));
            string directory = System.IO.Path.GetDirectoryName(target)!;
            Directory.CreateDirectory(directory);
            string temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temporary, file.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
