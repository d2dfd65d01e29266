namespace KedaAks
{
    /// <summary>One field that changed (or would change) when an object was applied: its path and both values as JSON.</summary>
    public sealed class FieldChange(string path, string? oldValue, string? newValue)
    {
        /// <summary>e.g. <c>spec.maxReplicaCount</c>.</summary>
        public string Path { get; } = path;

        /// <summary>The value before, as JSON; null when the field was not set.</summary>
        public string? OldValue { get; } = oldValue;

        /// <summary>The value after, as JSON; null when the field is removed.</summary>
        public string? NewValue { get; } = newValue;

        public override string ToString() => $"{Path}: {OldValue ?? "(unset)"} -> {NewValue ?? "(unset)"}";
    }
}
