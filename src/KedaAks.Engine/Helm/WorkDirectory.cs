using System;
using System.IO;

namespace KedaAks.Engine.Helm
{
/// <summary>An owner-only temporary directory for the kubeconfig (without tokens) and values handed to helm, removed on dispose.</summary>
    internal sealed class WorkDirectory : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("kedaaks-helm-").FullName;

        public string Write(string name, string content)
        {
            string file = Path.Combine(_path, name);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(new FileStream(file, options)))
            {
                writer.Write(content);
            }

            return file;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
