using System.Diagnostics;

namespace KedaAks.Engine.Helm
{
    /// <summary>
    /// The helm binary: where it is (-HelmPath, $env:KEDAAKS_HELM, PATH) and that it is Helm 3 or 4, and running it
    /// with the cluster's bearer token in its environment (HELM_KUBETOKEN, never argv or disk), its output to Verbose,
    /// killed on cancellation or timeout.
    /// </summary>
    internal static class HelmCli
    {
        public static (string Path, string Version) Locate(string? helmPath)
        {
            string? path = helmPath;
            string from = "-HelmPath";
            if (string.IsNullOrEmpty(path) && Environment.GetEnvironmentVariable("KEDAAKS_HELM") is { Length: > 0 } variable)
            {
                (path, from) = (variable, "$env:KEDAAKS_HELM");
            }

            if (string.IsNullOrEmpty(path))
            {
                string name = OperatingSystem.IsWindows() ? "helm.exe" : "helm";
                path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                    .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);
                from = "PATH";
            }

            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new KedaAksException("HelmNotFound", KedaErrorCategory.NotInstalled,
                    string.IsNullOrEmpty(path) ? "helm was not found: not in -HelmPath, $env:KEDAAKS_HELM or PATH." : $"helm was not found at '{path}' ({from}).", path,
                    "Install Helm 3 or 4 (https://helm.sh/docs/intro/install/, e.g. 'winget install Helm.Helm' or 'brew install helm') and put it on PATH, or pass -HelmPath.");
            }

            (int code, string output, string error) = Run(path, new[] { "version", "--short" }, null, TimeSpan.FromSeconds(30), CancellationToken.None);
            Match version = Regex.Match(output, @"v(\d+)\.(\d+)\.(\d+)");
            if (code != 0 || !version.Success)
            {
                throw new KedaAksException("HelmNotUsable", KedaErrorCategory.NotInstalled, $"'{path} version' failed: {FirstLine(error + output)}", path,
                    "Point -HelmPath or $env:KEDAAKS_HELM at a working Helm 3 or 4 binary.");
            }

            if (int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture) < 3)
            {
                throw new KedaAksException("HelmVersionUnsupported", KedaErrorCategory.NotInstalled, $"{path} is Helm {version.Value}; Helm 3 or 4 is needed.", path,
                    "Install Helm 3 or 4 (https://helm.sh/docs/intro/install/).");
            }

            return (path, version.Value);
        }

        public static string Error(string error, string output)
        {
            string text = string.Join(" ", (error.Length > 0 ? error : output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith("W", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || !Regex.IsMatch(l, @"^[WI]\d{4} ")));
            return Regex.Replace(text, @"^Error:\s*", string.Empty);
        }

        private static string FirstLine(string text) => Boundary.ErrorText.FirstLine(text);

        /// <summary>Runs helm; each output line goes to Verbose (when a host is given). Cancellation and the timeout kill it.</summary>
        public static (int Code, string Output, string Error) Run(string helm, IEnumerable<string> arguments, IKedaAksHost? host, TimeSpan timeout, CancellationToken cancellationToken,
            string? token = null)
        {
            var info = new ProcessStartInfo(helm) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["HELM_DEBUG"] = "false";
            foreach (string secret in new[] { "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD" })
            {
                info.Environment.Remove(secret);  // the module's own sign-in: helm never needs it
            }

            if (token is not null)
            {
                // helm's --kube-token, through the environment (readable by this user only) rather than argv or a file.
                info.Environment["HELM_KUBETOKEN"] = token;
            }
            using var process = new Process { StartInfo = info };
            var output = new StringBuilder();
            var error = new StringBuilder();
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.AppendLine(e.Data); lines.Enqueue(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { error.AppendLine(e.Data); lines.Enqueue(e.Data); } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using (cancellationToken.Register(() => { try { process.Kill(true); } catch (InvalidOperationException) { } }))
            {
                if (!process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
                {
                    process.Kill(true);
                    throw new KedaAksException("HelmTimedOut", KedaErrorCategory.OperationTimeout,
                        $"helm {string.Join(" ", arguments.Take(2))} did not finish in {timeout.TotalSeconds:0} s.", helm, "Raise -Timeout, or look at the cluster's pods.");
                }

                process.WaitForExit();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (host is not null)
            {
                while (lines.TryDequeue(out string? line))
                {
                    host.WriteVerbose("helm: " + line);
                }
            }

            return (process.ExitCode, output.ToString(), error.ToString());
        }
    }
}
