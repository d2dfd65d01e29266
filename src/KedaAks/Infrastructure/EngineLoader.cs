using System.IO;
using System.Reflection;
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
            Assembly engineAssembly = context.LoadFromAssemblyPath(enginePath);
            Type engineType = engineAssembly.GetType(EngineTypeName, throwOnError: true)!;
            return (IKedaAksEngine)Activator.CreateInstance(engineType)!;
        }
    }

    /// <summary>
    /// The private load context. Contracts is shared with the default context (one type identity for the objects that cross).
    /// An assembly of the running .NET itself (System.Text.Json, System.IO.Pipelines, ...) comes from the shared framework when
    /// that is at least the version the engine was built against: the framework's copy is precompiled (ReadyToRun), the NuGet
    /// copy in <c>deps/</c> is IL that the first commands would spend hundreds of milliseconds compiling. Everything else the
    /// engine's deps.json lists comes from <c>deps/</c>, even where PowerShell ships another version, so PowerShell's and other
    /// modules' copies never meet ours; the rest (BCL) falls through to the default context.
    /// </summary>
    internal sealed class KedaAksLoadContext : AssemblyLoadContext
    {
        private static readonly string s_contractsName = typeof(IKedaAksEngine).Assembly.GetName().Name!;
        private static readonly string s_frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;
        private readonly AssemblyDependencyResolver _resolver;

        public KedaAksLoadContext(string enginePath)
            : base("KedaAks", isCollectible: false)
        {
            _resolver = new AssemblyDependencyResolver(enginePath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            return Decide(assemblyName.Name, assemblyName.Version, s_contractsName, FrameworkVersion) switch
            {
                LoadDecision.Shared => typeof(IKedaAksEngine).Assembly,
                LoadDecision.Framework => null,
                _ => _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null,
            };
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

        internal enum LoadDecision
        {
            Shared,
            Framework,
            Resolve,
        }

        /// <summary>Where an assembly the engine asks for comes from; <paramref name="frameworkVersion"/> gives the shared framework's version of a name, or null.</summary>
        internal static LoadDecision Decide(string? name, Version? requested, string contractsName, Func<string, Version?> frameworkVersion)
        {
            if (string.Equals(name, contractsName, StringComparison.Ordinal))
            {
                return LoadDecision.Shared;
            }

            return name is not null && frameworkVersion(name) is { } framework && (requested is null || framework >= requested) ? LoadDecision.Framework : LoadDecision.Resolve;
        }

        /// <summary>The version of the running .NET's own assembly of that name (System.Text.Json in the shared framework folder), or null.</summary>
        private static Version? FrameworkVersion(string name)
        {
            string path = Path.Combine(s_frameworkDirectory, name + ".dll");
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
