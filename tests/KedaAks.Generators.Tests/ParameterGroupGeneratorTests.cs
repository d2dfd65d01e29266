using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KedaAks.Generators.Tests
{
    public class ParameterGroupGeneratorTests
    {
        private const string Groups = """
            using System.Management.Automation;
            using KedaAks.Infrastructure;

            namespace Demo.Infrastructure
            {
                [ParameterGroup]
                internal abstract class IdentityParameters
                {
                    /// <summary>The identity's name.</summary>
                    [Parameter]
                    [ValidateNotNullOrEmpty]
                    public string IdentityName { get; set; } = "keda-int-identity";

                    [Parameter]
                    [ArgumentCompleter(typeof(NameCompleter))]
                    public string? IdentityResourceGroupName { get; set; }
                }

                [ParameterGroup]
                internal abstract class ChartParameters
                {
                    private const string FromPath = "ChartPath";

                    [Parameter(Mandatory = true, ParameterSetName = FromPath)]
                    [ValidateNotNullOrEmpty]
                    public string ChartPath { get; set; } = string.Empty;

                    [Parameter]
                    [ValidateSet("Auto", "Helm", "AksAddon")]
                    public string InstallMethod { get; set; } = "Auto";

                    [Parameter]
                    public string Banner { get; set; } = @"two
                  lines";
                }

                public sealed class NameCompleter
                {
                }
            }
            """;

        private const string Cmdlet = """
            using System.Management.Automation;
            using KedaAks.Infrastructure;
            using Demo.Infrastructure;

            namespace Demo.Commands
            {
                [UsesParameters(typeof(IdentityParameters), typeof(ChartParameters))]
                public sealed partial class NewThingCommand
                {
                    [Parameter(Mandatory = true)]
                    public string Name { get; set; } = string.Empty;

                    public string ChartSet => FromPath;
                }
            }
            """;

        [Fact]
        public void Each_group_member_is_written_into_the_class_after_its_own_in_the_order_named()
        {
            GeneratorRun run = GeneratorRun.Of(Groups, Cmdlet);

            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompileProblems);
            Type type = run.Load().GetType("Demo.Commands.NewThingCommand", throwOnError: true)!;
            Assert.Equal(
                new[] { "Name", "ChartSet", "IdentityName", "IdentityResourceGroupName", "ChartPath", "InstallMethod", "Banner" },
                type.GetProperties().Select(p => p.Name));
        }

        [Fact]
        public void Attributes_initializers_and_constants_are_kept()
        {
            Type type = GeneratorRun.Of(Groups, Cmdlet).Load().GetType("Demo.Commands.NewThingCommand", throwOnError: true)!;
            object instance = Activator.CreateInstance(type)!;

            Assert.Equal("keda-int-identity", type.GetProperty("IdentityName")!.GetValue(instance));
            Assert.Null(type.GetProperty("IdentityResourceGroupName")!.GetValue(instance));
            Assert.Equal(string.Empty, type.GetProperty("ChartPath")!.GetValue(instance));
            Assert.Equal("Auto", type.GetProperty("InstallMethod")!.GetValue(instance));
            Assert.Equal("two\n      lines", type.GetProperty("Banner")!.GetValue(instance));
            Assert.Equal("ChartPath", type.GetProperty("ChartSet")!.GetValue(instance));

            CustomAttributeData parameter = Attribute(type, "ChartPath", "ParameterAttribute");
            Assert.Equal(
                new[] { "Mandatory=True", "ParameterSetName=ChartPath" },
                parameter.NamedArguments.Select(a => $"{a.MemberName}={a.TypedValue.Value}").OrderBy(x => x, StringComparer.Ordinal));
            Assert.Single(type.GetProperty("ChartPath")!.GetCustomAttributesData(), a => a.AttributeType.Name == "ValidateNotNullOrEmptyAttribute");
            Assert.Equal(
                new[] { "Auto", "Helm", "AksAddon" },
                ((System.Collections.Generic.IEnumerable<CustomAttributeTypedArgument>)Attribute(type, "InstallMethod", "ValidateSetAttribute").ConstructorArguments[0].Value!)
                    .Select(a => (string)a.Value!));
            Assert.Equal("Demo.Infrastructure.NameCompleter",
                ((Type)Attribute(type, "IdentityResourceGroupName", "ArgumentCompleterAttribute").ConstructorArguments[0].Value!).FullName);
        }

        [Fact]
        public void Doc_comments_come_along_and_the_group_is_named()
        {
            string source = GeneratorRun.Of(Groups, Cmdlet).SourceFor("Demo.Commands.NewThingCommand")!;

            Assert.Contains("namespace Demo.Commands\n{\n    partial class NewThingCommand\n    {\n", source, StringComparison.Ordinal);
            Assert.Contains(
                "        // Demo.Infrastructure.IdentityParameters\n"
                + "        /// <summary>The identity's name.</summary>\n"
                + "        [Parameter]\n"
                + "        [ValidateNotNullOrEmpty]\n"
                + "        public string IdentityName { get; set; } = \"keda-int-identity\";\n",
                source,
                StringComparison.Ordinal);
            Assert.Contains("        private const string FromPath = \"ChartPath\";\n", source, StringComparison.Ordinal);
        }

        [Fact]
        public void The_attributes_guide_the_generator_and_are_not_compiled_in()
        {
            Assembly assembly = GeneratorRun.Of(Groups, Cmdlet).Load();

            Assert.DoesNotContain(assembly.GetType("Demo.Commands.NewThingCommand")!.GetCustomAttributesData(), a => a.AttributeType.Name == "UsesParametersAttribute");
            Assert.DoesNotContain(assembly.GetType("Demo.Infrastructure.IdentityParameters")!.GetCustomAttributesData(), a => a.AttributeType.Name == "ParameterGroupAttribute");
        }

        [Fact]
        public void A_generic_class_nested_in_a_partial_class_gets_its_groups()
        {
            const string nested = """
                using KedaAks.Infrastructure;

                namespace Demo.Commands
                {
                    public static partial class Outer
                    {
                        [UsesParameters(typeof(Demo.Infrastructure.IdentityParameters))]
                        public abstract partial class ResourceCmdlet<T>
                            where T : class
                        {
                            public T? Last { get; set; }
                        }
                    }
                }
                """;
            GeneratorRun run = GeneratorRun.Of(Groups, nested);

            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompileProblems);
            Assert.Contains("partial class ResourceCmdlet<T>", run.SourceFor("Demo.Commands.Outer.ResourceCmdlet{T}")!, StringComparison.Ordinal);
        }

        [Fact]
        public void A_type_that_is_not_a_group_is_an_error_at_its_typeof()
        {
            GeneratorRun run = GeneratorRun.Of(Groups, Cmdlet.Replace("typeof(ChartParameters)", "typeof(NameCompleter)", StringComparison.Ordinal));

            Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal(("KAG001", DiagnosticSeverity.Error), (error.Id, error.Severity));
            Assert.Equal("typeof(NameCompleter)", run.Text(error));
            Assert.Contains("'Demo.Infrastructure.NameCompleter' is not a parameter group: it is not marked [ParameterGroup]", error.GetMessage(), StringComparison.Ordinal);
            // The groups that are groups are still written.
            Assert.Contains("IdentityName", run.SourceFor("Demo.Commands.NewThingCommand"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("public sealed partial class NewThingCommand", "public sealed class NewThingCommand", "NewThingCommand")]
        [InlineData("namespace Demo.Commands\n{", "namespace Demo.Commands\n{\npublic static class Outer\n{", "NewThingCommand")]
        public void A_class_that_is_not_partial_is_an_error_at_its_name(string find, string replace, string at)
        {
            string source = Cmdlet.Replace(find, replace, StringComparison.Ordinal);
            source = source.Contains("Outer", StringComparison.Ordinal) ? source + "}\n" : source;
            GeneratorRun run = GeneratorRun.Of(Groups, source);

            Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal(("KAG002", DiagnosticSeverity.Error), (error.Id, error.Severity));
            Assert.Equal(at, run.Text(error));
            Assert.Contains("'NewThingCommand' uses parameter groups but is not partial", error.GetMessage(), StringComparison.Ordinal);
            Assert.Null(run.SourceFor("Demo.Commands.NewThingCommand"));
        }

        [Fact]
        public void A_group_member_that_is_neither_a_property_nor_a_constant_is_an_error()
        {
            string groups = Groups.Replace(
                "private const string FromPath = \"ChartPath\";",
                "private const string FromPath = \"ChartPath\";\n        private static string Helper() => FromPath;",
                StringComparison.Ordinal);
            GeneratorRun run = GeneratorRun.Of(groups, Cmdlet);

            Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal(("KAG003", DiagnosticSeverity.Error), (error.Id, error.Severity));
            Assert.Equal("private static string Helper() => FromPath;", run.Text(error));
            Assert.Contains("'Helper' in parameter group 'Demo.Infrastructure.ChartParameters'", error.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_change_elsewhere_leaves_the_generated_source_cached()
        {
            CSharpCompilation compilation = GeneratorRun.Compile(Groups, Cmdlet);
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                new[] { new ParameterGroupGenerator().AsSourceGenerator() }, driverOptions: new GeneratorDriverOptions(default, trackIncrementalGeneratorSteps: true));
            driver = driver.RunGenerators(compilation);
            driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo { internal static class Unrelated { } }")));

            GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
            Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
                output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }

        private static CustomAttributeData Attribute(Type type, string property, string attribute) =>
            Assert.Single(type.GetProperty(property)!.GetCustomAttributesData(), a => a.AttributeType.Name == attribute);
    }
}
