namespace KedaAks.Engine.Resources
{
    /// <summary>
    /// Collects every rule an input breaks, so one error tells the user all there is to fix (as KEDA
    /// joins its field errors). The first violation names the ErrorId and the target.
    /// </summary>
    internal sealed class Violations
    {
        private readonly List<(string ErrorId, object? Target, string Message, string Fix)> _items = new();

        public bool Any => _items.Count > 0;

        public void Add(string errorId, object? target, string message, string fix) => _items.Add((errorId, target, message, fix));

        public void ThrowIfAny(string subject)
        {
            if (_items.Count == 0)
            {
                return;
            }

            var first = _items[0];
            string message = _items.Count == 1
                ? $"Cannot build {subject}: {first.Message} {first.Fix}"
                : $"Cannot build {subject}; {_items.Count} problems:" + string.Concat(_items.Select((v, i) => $"\n  {i + 1}. {v.Message} {v.Fix}"));
            string fix = string.Join(" ", _items.Select(v => v.Fix).Distinct());
            string display = _items.Count == 1
                ? $"Cannot build {subject}: {first.Message}"
                : $"Cannot build {subject}; {_items.Count} problems:" + string.Concat(_items.Select((v, i) => $"\n  {i + 1}. {v.Message}"));
            throw new KedaAksException(first.ErrorId, KedaErrorCategory.InvalidArgument, message, first.Target, fix) { Display = display };
        }
    }
}
