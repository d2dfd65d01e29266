namespace KedaAks
{
    /// <summary>
    /// A trigger's <c>authenticationRef</c>. PowerShell converts a name (<c>'my-auth'</c>,
    /// <c>'ClusterTriggerAuthentication/my-auth'</c>) or a <see cref="TriggerAuthentication"/> into it,
    /// so <c>-TriggerAuthentication</c> takes either.
    /// </summary>
    public sealed class TriggerAuthenticationReference
    {
        public TriggerAuthenticationReference(string name)
        {
            if (name is null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            int slash = name.IndexOf('/');
            if (slash > 0 && string.Equals(name.Substring(0, slash), TriggerAuthentication.ClusterKind, StringComparison.OrdinalIgnoreCase))
            {
                Kind = TriggerAuthentication.ClusterKind;
                Name = name.Substring(slash + 1);
            }
            else if (slash > 0 && string.Equals(name.Substring(0, slash), TriggerAuthentication.NamespacedKind, StringComparison.OrdinalIgnoreCase))
            {
                Kind = TriggerAuthentication.NamespacedKind;
                Name = name.Substring(slash + 1);
            }
            else
            {
                Kind = TriggerAuthentication.NamespacedKind;
                Name = name;
            }
        }

        public TriggerAuthenticationReference(TriggerAuthentication resource)
        {
            Resource = resource ?? throw new ArgumentNullException(nameof(resource));
            Name = resource.Name;
            Kind = resource.Kind;
        }

        public string Name { get; }

        /// <summary><c>TriggerAuthentication</c> or <c>ClusterTriggerAuthentication</c>.</summary>
        public string Kind { get; }

        /// <summary>The referenced object when it was given, so its namespace and provider can be checked; null for a bare name.</summary>
        public TriggerAuthentication? Resource { get; }

        public override string ToString() => Kind == TriggerAuthentication.NamespacedKind ? Name : $"{Kind}/{Name}";
    }
}
