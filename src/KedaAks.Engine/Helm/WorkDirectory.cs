using KedaAks.Engine.Files;

namespace KedaAks.Engine.Helm
{
    /// <summary>An owner-only temporary directory for the kubeconfig (without tokens) and values handed to helm, removed on dispose.</summary>
    internal sealed class WorkDirectory : IDisposable
    {
        private readonly string _path = OwnerOnlyFiles.CreateTempDirectory("kedaaks-helm-");

        public string Path => _path;

        public string Write(string name, string content)
        {
            string file = System.IO.Path.Combine(_path, name);
            using (var writer = new StreamWriter(OwnerOnlyFiles.CreateNew(file)))
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
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
