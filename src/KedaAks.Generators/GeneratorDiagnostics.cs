using Microsoft.CodeAnalysis.Text;

namespace KedaAks.Generators
{
    /// <summary>The errors the parameter-group and request-builder generators report, each at the place to fix.</summary>
    internal static class GeneratorDiagnostics
    {
        private const string Category = "KedaAks.ParameterGroups";

        internal static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NotAGroup = Error("KAG001", "Not a parameter group",
            "'{0}' is not a parameter group: {1}; [UsesParameters] names only classes of this project marked [ParameterGroup]");

        public static readonly DiagnosticDescriptor NotPartial = Error("KAG002", "A class that uses parameter groups must be partial",
            "'{0}' uses parameter groups but is not partial: declare it (and every class it is nested in) 'partial' so the group's parameters can be added");

        public static readonly DiagnosticDescriptor UnsupportedMember = Error("KAG003", "A parameter group holds only properties and constants",
            "'{0}' in parameter group '{1}' is not a property or a constant, and would not be copied: move it to the cmdlet or its base");
    }

    /// <summary>A diagnostic as plain values (no syntax tree kept), so the generator's outputs compare by value and cache.</summary>
    internal sealed class DiagnosticInfo : IEquatable<DiagnosticInfo>
    {
        private readonly string _path;
        private readonly TextSpan _span;
        private readonly LinePositionSpan _lines;
        private readonly ImmutableArray<string> _arguments;

        public DiagnosticInfo(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        {
            Descriptor = descriptor;
            FileLinePositionSpan where = location?.GetLineSpan() ?? default;
            (_path, _span, _lines) = (where.Path ?? string.Empty, location?.SourceSpan ?? default, where.Span);
            _arguments = arguments.ToImmutableArray();
        }

        public DiagnosticDescriptor Descriptor { get; }

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, _path.Length == 0 ? Location.None : Location.Create(_path, _span, _lines), _arguments.ToArray<object>());

        public bool Equals(DiagnosticInfo? other) =>
            other is not null && other.Descriptor.Id == Descriptor.Id && other._path == _path && other._span == _span && other._arguments.SequenceEqual(_arguments);

        public override bool Equals(object? obj) => Equals(obj as DiagnosticInfo);

        public override int GetHashCode() => (Descriptor.Id, _path, _span).GetHashCode();
    }

    /// <summary>What the generator makes of one class that uses parameter groups: its generated source (none when it cannot have one) and the errors.</summary>
    internal sealed class TargetOutput : IEquatable<TargetOutput>
    {
        public TargetOutput(string hintName, string? source, ImmutableArray<DiagnosticInfo> diagnostics)
        {
            (HintName, Source, Diagnostics) = (hintName, source, diagnostics);
        }

        public string HintName { get; }

        public string? Source { get; }

        public ImmutableArray<DiagnosticInfo> Diagnostics { get; }

        public bool Equals(TargetOutput? other) =>
            other is not null && other.HintName == HintName && other.Source == Source && other.Diagnostics.SequenceEqual(Diagnostics);

        public override bool Equals(object? obj) => Equals(obj as TargetOutput);

        public override int GetHashCode() => (HintName, Source).GetHashCode();
    }
}
