using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace KedaAks.Infrastructure
{
    /// <summary>
    /// Loads the engine once per process into a private, non-collectible AssemblyLoadContext named
    /// "KedaAks", by path, and hands it out through the Contracts interface. No process-wide resolve
    /// hook: nothing races Az.Accounts' handler, and re-imports and new runspaces reuse the same engine.
    /// </summary>
    internal static class EngineLoader
    {
        internal const string EngineAssemblyName = "KedaAks.Engine";
        internal const string EngineTypeName = "KedaAks.Engine.KedaAksEngine";
        internal const string DependencyFolder = "deps";

        private static readonly object s_lock = new();
        private static volatile IKedaAksEngine? s_engine;

        public static IKedaAksEngine Engine
        {
            get
            {
                IKedaAksEngine? engine = s_engine;
                if (engine is not null)
                {
                    return engine;
                }

                lock (s_lock)
                {
                    return s_engine ??= Load();
                }
            }
        }

        private static IKedaAksEngine Load()
        {
            string moduleDirectory = Path.GetDirectoryName(typeof(EngineLoader).Assembly.Location) ?? AppContext.BaseDirectory;
            string enginePath = Path.Combine(moduleDirectory, DependencyFolder, EngineAssemblyName + ".dll");
            if (!File.Exists(enginePath))
            {
                throw new KedaAksException("EngineNotFound", KedaErrorCategory.ResourceUnavailable,
                    $"The KedaAks engine was not found at '{enginePath}'. The module folder is incomplete.", enginePath,
                    "Reinstall KedaAks (Install-PSResource KedaAks -Reinstall), or import the module from the folder that build.ps1 -Task Build produced (out/KedaAks/<version>).");
            }

            var context = new KedaAksLoadContext(enginePath);
            Assembly engineAssembly = context.LoadFromAssemblyPath(context.Precompiled(enginePath));
            Type engineType = engineAssembly.GetType(EngineTypeName, throwOnError: true)!;
            return (IKedaAksEngine)Activator.CreateInstance(engineType)!;
        }
    }

    /// <summary>
    /// The private load context. Contracts is shared with the default context (one type identity for the objects that cross).
    /// An assembly of the running .NET itself (System.Text.Json, System.IO.Pipelines, ...) comes from the shared framework when
    /// the framework's copy is at least as new as the one in <c>deps/</c>: the framework's is precompiled (ReadyToRun), the NuGet
    /// copy is IL that the first commands would spend hundreds of milliseconds compiling. The choice is made once per assembly
    /// name, whatever version a reference asks for, so every library in the context binds the same copy (KubernetesClient refers
    /// to System.Text.Json 8.0, the engine to 10.0: on .NET 8 both get the 10.0 in <c>deps/</c>, on .NET 10 both the framework's).
    /// Everything else the engine's deps.json lists comes from <c>deps/</c>, even where PowerShell ships another version, so
    /// PowerShell's and other modules' copies never meet ours; the rest (BCL) falls through to the default context.
    /// </summary>
    internal sealed class KedaAksLoadContext : AssemblyLoadContext
    {
        private static readonly string s_contractsName = typeof(IKedaAksEngine).Assembly.GetName().Name!;
        private static readonly string s_frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;
        private readonly AssemblyDependencyResolver _resolver;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LoadDecision> _decisions = new(StringComparer.OrdinalIgnoreCase);

        public KedaAksLoadContext(string enginePath)
            : base("KedaAks", isCollectible: false)
        {
            _resolver = new AssemblyDependencyResolver(enginePath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string? shipped = _resolver.ResolveAssemblyToPath(assemblyName);
            LoadDecision decision = assemblyName.Name is not { } name ? LoadDecision.Resolve
                : _decisions.GetOrAdd(name, n => Decide(n, shipped is null ? null : VersionOf(shipped), s_contractsName, FrameworkVersion));
            return decision switch
            {
                LoadDecision.Shared => typeof(IKedaAksEngine).Assembly,
                LoadDecision.Framework => null,
                _ => shipped is null ? null : LoadFromAssemblyPath(Precompiled(shipped)),
            };
        }

        /// <summary>
        /// The ReadyToRun image of a <c>deps/</c> assembly made for this runtime major, OS and architecture (<c>deps/r2r/net10-linux-x64/</c>,
        /// written by the build), when there is one; else the portable IL. A runtime ignores images of another major version, so only the
        /// matching folder is looked in.
        /// </summary>
        internal string Precompiled(string path) =>
            s_precompiledFolder is { } folder && Path.GetDirectoryName(path) is { } deps && Path.Combine(deps, folder, Path.GetFileName(path)) is var image && File.Exists(image)
                ? image : path;

        private static readonly string? s_precompiledFolder = PrecompiledFolder();

        private static string? PrecompiledFolder()
        {
            string? os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : null;
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            return os is null ? null : Path.Combine("r2r", $"net{Environment.Version.Major}-{os}-{arch}");
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

        internal enum LoadDecision
        {
            Shared,
            Framework,
            Resolve,
        }

        /// <summary>
        /// Where an assembly the engine asks for comes from: <paramref name="shipped"/> is the version of the copy in <c>deps/</c> (null when
        /// none ships), <paramref name="frameworkVersion"/> gives the shared framework's version of a name, or null.
        /// </summary>
        internal static LoadDecision Decide(string name, Version? shipped, string contractsName, Func<string, Version?> frameworkVersion)
        {
            if (string.Equals(name, contractsName, StringComparison.Ordinal))
            {
                return LoadDecision.Shared;
            }

            return frameworkVersion(name) is { } framework && (shipped is null || framework >= shipped) ? LoadDecision.Framework : LoadDecision.Resolve;
        }

        /// <summary>The version of the running .NET's own assembly of that name (System.Text.Json in the shared framework folder), or null.</summary>
        private static Version? FrameworkVersion(string name) => VersionOf(Path.Combine(s_frameworkDirectory, name + ".dll"));

        private static Version? VersionOf(string path)
        {
            try
            {
                return File.Exists(path) ? AssemblyName.GetAssemblyName(path).Version : null;
            }
            catch (Exception exception) when (exception is IOException or BadImageFormatException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
