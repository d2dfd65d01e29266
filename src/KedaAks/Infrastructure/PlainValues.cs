namespace KedaAks.Infrastructure
{
    /// <summary>A -Set hashtable as plain .NET values (no PSObject wrappers), for the engine's YAML.</summary>
    internal static class PlainValues
    {
        public static Hashtable Of(IDictionary set)
        {
            var plain = new Hashtable(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in set)
            {
                plain[entry.Key.ToString()!] = Unwrap(entry.Value);
            }

            return plain;
        }

        private static object? Unwrap(object? value) => value switch
        {
            PSObject wrapped => Unwrap(wrapped.BaseObject),
            IDictionary map => Of(map),
            string text => text,
            IEnumerable list => list.Cast<object?>().Select(Unwrap).ToList(),
            _ => value,
        };
    }
}
