using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KedaAks.Generators.Tests
{
    /// <summary>
    /// One run of the parameter-group and request-builder generators over C# sources, compiled as a library against the framework and a small stand-in for
    /// System.Management.Automation's attributes (the generator copies their text; it needs no PowerShell).
    /// </summary>
    internal sealed class GeneratorRun
    {
        /// <summary>The attributes a parameter group's properties carry, as the snippets use them.</summary>
        private const string AutomationStandIn = """
            namespace System.Management.Automation
            {
                [AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
                public sealed class ParameterAttribute : Attribute
                {
                    public bool Mandatory { get; set; }
                    public int Position { get; set; } = int.MinValue;
                    public string? ParameterSetName { get; set; }
                    public bool ValueFromPipelineByPropertyName { get; set; }
                }

                [AttributeUsage(AttributeTargets.Property)]
                public sealed class ValidateNotNullOrEmptyAttribute : Attribute { }

                [AttributeUsage(AttributeTargets.Property)]
                public sealed class ValidateSetAttribute : Attribute
                {
                    public ValidateSetAttribute(params string[] values) => Values = values;
                    public string[] Values { get; }
                }

                [AttributeUsage(AttributeTargets.Property)]
                public sealed class ArgumentCompleterAttribute : Attribute
                {
                    public ArgumentCompleterAttribute(Type type) => Type = type;
                    public Type Type { get; }
                }
            }
            """;

        private GeneratorRun(Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result)
        {
            (Output, GeneratorDiagnostics, Result) = (output, generatorDiagnostics, result);
        }

        /// <summary>The compilation with the generated sources added.</summary>
        public Compilation Output { get; }

        /// <summary>What the generator itself reported (KAG...).</summary>
        public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

        public GeneratorDriverRunResult Result { get; }

        /// <summary>The compiler's errors and warnings on the generated compilation.</summary>
        public ImmutableArray<Diagnostic> CompileProblems =>
            Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

        /// <summary>The generated source for a class (its hint name is the class's full name, type parameters in braces, and an ending), or null.</summary>
        public string? SourceFor(string typeName) =>
            Result.GeneratedTrees.FirstOrDefault(t => Path.GetFileName(t.FilePath) == typeName + ".ParameterGroups.g.cs")?.ToString();

        /// <summary>The NewRequest() generated for a class ([BuildsRequest]), or null.</summary>
        public string? RequestFor(string typeName) =>
            Result.GeneratedTrees.FirstOrDefault(t => Path.GetFileName(t.FilePath) == typeName + ".Request.g.cs")?.ToString();

        /// <summary>The source text a diagnostic points at (the generator reports file, span and lines, without the syntax tree).</summary>
        public string Text(Diagnostic diagnostic)
        {
            FileLinePositionSpan where = diagnostic.Location.GetLineSpan();
            SyntaxTree tree = Output.SyntaxTrees.Single(t => t.FilePath == where.Path);
            return tree.GetText().ToString(diagnostic.Location.SourceSpan);
        }

        public static GeneratorRun Of(params string[] sources)
        {
            CSharpCompilation compilation = Compile(sources);
            GeneratorDriver driver = CSharpGeneratorDriver.Create(new ParameterGroupGenerator(), new RequestBuilderGenerator());
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            return new GeneratorRun(output, diagnostics, driver.GetRunResult());
        }

        public static CSharpCompilation Compile(params string[] sources)
        {
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            string[] framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            return CSharpCompilation.Create(
                "GroupsUnderTest",
                sources.Append(AutomationStandIn).Select((source, i) => CSharpSyntaxTree.ParseText(source, parse, path: $"Source{i}.cs")),
                framework.Select(path => MetadataReference.CreateFromFile(path)),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        }

        /// <summary>The generated compilation built and loaded (in a collectible context), to read its types by reflection.</summary>
        public Assembly Load()
        {
            using var image = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult emitted = Output.Emit(image);
            if (!emitted.Success)
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, emitted.Diagnostics));
            }

            image.Position = 0;
            return new AssemblyLoadContext("GroupsUnderTest", isCollectible: true).LoadFromStream(image);
        }
    }
}
