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
    /// The private load context. Contracts is shared with the default context (one type identity for the
    /// objects that cross); everything the engine's deps.json lists comes from <c>deps/</c>, even where
    /// PowerShell ships another version, so 7.4 and 7.6 behave alike; the rest (BCL) falls through to the
    /// default context.
    /// </summary>
    internal sealed class KedaAksLoadContext : AssemblyLoadContext
    {
        private static readonly string s_contractsName = typeof(IKedaAksEngine).Assembly.GetName().Name!;
        private readonly AssemblyDependencyResolver _resolver;

        public KedaAksLoadContext(string enginePath)
            : base("KedaAks", isCollectible: false)
        {
            _resolver = new AssemblyDependencyResolver(enginePath);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            return Decide(assemblyName.Name, s_contractsName) switch
            {
                LoadDecision.Shared => typeof(IKedaAksEngine).Assembly,
                _ => _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null,
            };
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

        internal enum LoadDecision
        {
            Shared,
            Resolve,
        }

        internal static LoadDecision Decide(string? name, string contractsName) =>
            string.Equals(name, contractsName, StringComparison.Ordinal) ? LoadDecision.Shared : LoadDecision.Resolve;
    }
}
