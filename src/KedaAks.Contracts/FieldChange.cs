namespace KedaAks
{
    /// <summary>One field that changed (or would change) when an object was applied: its path and both values as JSON.</summary>
    public sealed class FieldChange
    {
        public FieldChange(string path, string? oldValue, string? newValue)
        {
            Path = path;
            OldValue = oldValue;
            NewValue = newValue;
        }

        /// <summary>e.g. <c>spec.maxReplicaCount</c>.</summary>
        public string Path { get; }

        /// <summary>The value before, as JSON; null when the field was not set.</summary>
        public string? OldValue { get; }

        /// <summary>The value after, as JSON; null when the field is removed.</summary>
        public string? NewValue { get; }

        public override string ToString() => $"{Path}: {OldValue ?? "(unset)"} -> {NewValue ?? "(unset)"}";
    }
}
