using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KedaAks.Generators.Tests
{
    public class RequestBuilderGeneratorTests
    {
        /// <summary>A request, a cmdlet base with a parameter group, and a cmdlet that builds the request from its own, inherited and grouped parameters.</summary>
        private const string Sources = """
            using System.Collections;
            using System.Management.Automation;
            using KedaAks.Infrastructure;

            namespace Demo
            {
                public sealed class ThingRequest
                {
                    public string? Name { get; set; }
                    public string Namespace { get; set; } = "default";
                    public int? Replicas { get; set; }
                    public int? Count { get; set; }
                    public bool Force { get; set; }
                    public string? Region { get; set; }
                    public IDictionary? Labels { get; set; }
                    public string? Computed { get; private set; }
                    public string? Unrelated { get; set; }
                }

                public readonly struct Switch
                {
                    public bool IsPresent { get; init; }
                    public static implicit operator bool(Switch value) => value.IsPresent;
                }

                [ParameterGroup]
                internal abstract class NamespaceParameters
                {
                    [Parameter]
                    public string Namespace { get; set; } = "keda";
                }

                [UsesParameters(typeof(NamespaceParameters))]
                public abstract partial class ThingCmdlet
                {
                    [Parameter]
                    public string? Name { get; set; }
                }

                [BuildsRequest(typeof(ThingRequest), nameof(ThingRequest.Replicas))]
                public sealed partial class NewThingCommand : ThingCmdlet
                {
                    [Parameter]
                    public int Replicas { get; set; }

                    [Parameter]
                    public int Count { get; set; }

                    [Parameter]
                    public Switch Force { get; set; }

                    [Parameter]
                    public object? Region { get; set; }

                    [Parameter]
                    public Hashtable? Labels { get; set; }

                    public string? Unrelated { get; set; }

                    public ThingRequest Build() => NewRequest();
                }
            }
            """;

        [Fact]
        public void Each_same_named_parameter_that_converts_is_copied_and_the_named_exceptions_are_not()
        {
            GeneratorRun run = GeneratorRun.Of(Sources);

            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompileProblems);
            string source = run.RequestFor("Demo.NewThingCommand")!;
            // Own, inherited and grouped parameters; a switch through its implicit conversion; a Hashtable into IDictionary.
            Assert.Contains("with the parameters of the same name: Name, Namespace, Force, Labels.", source, StringComparison.Ordinal);
            // Excepted (Replicas), a value into its nullable form (Count: an unset int would become 0), not implicitly convertible (object -> string),
            // not settable (Computed), not a parameter (Unrelated).
            foreach (string left in new[] { "Replicas =", "Count =", "Region =", "Computed =", "Unrelated =" })
            {
                Assert.DoesNotContain(left, source, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void The_built_request_holds_the_parameter_values()
        {
            Assembly assembly = GeneratorRun.Of(Sources).Load();
            Type cmdlet = assembly.GetType("Demo.NewThingCommand")!;
            object command = Activator.CreateInstance(cmdlet)!;
            cmdlet.GetProperty("Name")!.SetValue(command, "web");
            cmdlet.GetProperty("Replicas")!.SetValue(command, 3);
            object forced = Activator.CreateInstance(assembly.GetType("Demo.Switch")!)!;
            forced.GetType().GetProperty("IsPresent")!.SetValue(forced, true);
            cmdlet.GetProperty("Force")!.SetValue(command, forced);

            object request = cmdlet.GetMethod("Build")!.Invoke(command, null)!;

            object? Read(string name) => request.GetType().GetProperty(name)!.GetValue(request);
            Assert.Equal(("web", "keda", true, (object?)null), (Read("Name"), Read("Namespace"), Read("Force"), Read("Replicas")));
            Assert.DoesNotContain(cmdlet.GetCustomAttributesData(), a => a.AttributeType.Name == "BuildsRequestAttribute");
        }

        [Fact]
        public void An_exception_the_request_does_not_have_is_an_error()
        {
            GeneratorRun run = GeneratorRun.Of(Sources.Replace("nameof(ThingRequest.Replicas)", "\"Replica\"", StringComparison.Ordinal));

            Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal(("KAG004", DiagnosticSeverity.Error), (error.Id, error.Severity));
            Assert.Contains("'Replica' is not a settable property of ThingRequest", error.GetMessage(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_class_that_is_not_partial_is_an_error_at_its_name()
        {
            GeneratorRun run = GeneratorRun.Of(Sources.Replace("public sealed partial class NewThingCommand", "public sealed class NewThingCommand", StringComparison.Ordinal)
                .Replace("public ThingRequest Build() => NewRequest();", string.Empty, StringComparison.Ordinal));

            Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
            Assert.Equal(("KAG005", "NewThingCommand"), (error.Id, run.Text(error)));
            Assert.Null(run.RequestFor("Demo.NewThingCommand"));
        }
    }
}
