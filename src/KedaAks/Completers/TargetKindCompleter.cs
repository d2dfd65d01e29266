using System.Management.Automation.Language;

namespace KedaAks.Completers
{
    /// <summary>Completes a list of fixed words (scale target kinds, metric types), honouring wildcards.</summary>
    public abstract class FixedWordsCompleter : IArgumentCompleter
    {
        private readonly string[] _words;

        protected FixedWordsCompleter(params string[] words) => _words = words;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return _words.Where(pattern.IsMatch).Select(w => new CompletionResult(w, w, CompletionResultType.ParameterValue, w));
        }
    }

    public sealed class TargetKindCompleter : FixedWordsCompleter
    {
        public TargetKindCompleter()
            : base("Deployment", "StatefulSet")
        {
        }
    }

    public sealed class MetricTypeCompleter : FixedWordsCompleter
    {
        public MetricTypeCompleter()
            : base("AverageValue", "Value")
        {
        }
    }
}
