namespace KedaAks
{
    /// <summary>Input of <c>Remove-KedaWorkloadIdentity</c>.</summary>
    public sealed class RemoveWorkloadIdentityRequest
    {
        public string? IdentityResourceId { get; set; }

        public string? FederatedCredentialName { get; set; }

        public bool KeepIdentity { get; set; }
    }
}
