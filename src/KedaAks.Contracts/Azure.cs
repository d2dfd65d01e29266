using System;
using System.Collections.Generic;
using System.Security;

namespace KedaAks
{
    /// <summary>Where the module gets Entra tokens. <see cref="Auto"/> tries AzContext, Environment, WorkloadIdentity, ManagedIdentity (when advertised), AzureCli.</summary>
    public enum TokenSource
    {
        Auto,
        AzContext,
        Environment,
        WorkloadIdentity,
        ManagedIdentity,
        AzureCli,
        DeviceCode,
        AccessToken,
    }

    /// <summary>The Azure cloud to talk to; <see cref="Custom"/> means an explicit ARM endpoint and authority (Azure Stack Hub, a private cloud, the local sandbox).</summary>
    public enum AzureCloudName
    {
        AzureCloud,
        AzureChinaCloud,
        AzureUSGovernment,
        Custom,
    }

    /// <summary>Everything the engine needs to reach ARM for one command: the runspace defaults merged with the command's parameters.</summary>
    public sealed class AzureSettings
    {
        public AzureCloudName Cloud { get; set; } = AzureCloudName.AzureCloud;

        public Uri? ArmEndpoint { get; set; }

        public Uri? AuthorityHost { get; set; }

        public string? TenantId { get; set; }

        public string? SubscriptionId { get; set; }

        public TokenSource TokenSource { get; set; } = TokenSource.Auto;

        public string? ManagedIdentityClientId { get; set; }

        /// <summary>A bearer token for ARM the caller already has (<c>Connect-KedaAzure -AccessToken</c>). Never logged.</summary>
        public SecureString? AccessToken { get; set; }

        public AzureSettings Clone() => (AzureSettings)MemberwiseClone();
    }

    /// <summary>What <c>Connect-KedaAzure</c> set for this runspace, and the token source that answered.</summary>
    public sealed class AzureConnection
    {
        public AzureConnection(AzureCloudName environment, Uri armEndpoint, Uri authorityHost, string? tenantId, string? subscriptionId,
            string? subscriptionName, TokenSource tokenSource, string resolvedTokenSource)
        {
            Environment = environment;
            ArmEndpoint = armEndpoint;
            AuthorityHost = authorityHost;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            SubscriptionName = subscriptionName;
            TokenSource = tokenSource;
            ResolvedTokenSource = resolvedTokenSource;
        }

        public AzureCloudName Environment { get; }

        public Uri ArmEndpoint { get; }

        public Uri AuthorityHost { get; }

        public string? TenantId { get; }

        public string? SubscriptionId { get; }

        public string? SubscriptionName { get; }

        /// <summary>The source asked for (often Auto).</summary>
        public TokenSource TokenSource { get; }

        /// <summary>The source that gave the token, e.g. "Environment (client secret)".</summary>
        public string ResolvedTokenSource { get; }
    }

    /// <summary>Az.Accounts' current context in the caller's runspace, as the host reports it.</summary>
    public sealed class AzContextInfo
    {
        public AzContextInfo(string? account, string? tenantId, string? subscriptionId, string? environment)
        {
            Account = account;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            Environment = environment;
        }

        public string? Account { get; }

        public string? TenantId { get; }

        public string? SubscriptionId { get; }

        public string? Environment { get; }
    }

    /// <summary>An access token handed from the host to the engine. Lives in memory only; never written anywhere.</summary>
    public sealed class HostAccessToken
    {
        public HostAccessToken(string token, DateTimeOffset expiresOn)
        {
            Token = token;
            ExpiresOn = expiresOn;
        }

        public string Token { get; }

        public DateTimeOffset ExpiresOn { get; }

        public override string ToString() => $"access token (expires {ExpiresOn:u})";
    }

    /// <summary>An AKS managed cluster, as far as KEDA's integration cares.</summary>
    public sealed class AksCluster
    {
        public string Name { get; set; } = string.Empty;

        public string ResourceGroupName { get; set; } = string.Empty;

        public string SubscriptionId { get; set; } = string.Empty;

        public string ResourceId { get; set; } = string.Empty;

        public string? Location { get; set; }

        public string? KubernetesVersion { get; set; }

        public string? ProvisioningState { get; set; }

        public bool OidcIssuerEnabled { get; set; }

        /// <summary><c>oidcIssuerProfile.issuerURL</c>, byte for byte (AKS ends it with '/').</summary>
        public string? OidcIssuerUrl { get; set; }

        public bool WorkloadIdentityEnabled { get; set; }

        public bool KedaAddonEnabled { get; set; }

        public bool AadEnabled { get; set; }

        public bool LocalAccountsDisabled { get; set; }

        public string? Fqdn { get; set; }

        public string? AadTenantId { get; set; }

        public override string ToString() => Name;
    }

    /// <summary>A Monitoring Data Reader (or other) role assignment.</summary>
    public sealed class RoleAssignment
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Scope { get; set; } = string.Empty;

        public string RoleDefinitionId { get; set; } = string.Empty;

        public string? RoleName { get; set; }

        public string PrincipalId { get; set; } = string.Empty;

        public string? PrincipalType { get; set; }

        public override string ToString() => $"{RoleName ?? RoleDefinitionId} on {Scope}";
    }

    /// <summary>The user-assigned identity KEDA runs as, its federated credential and its role assignments.</summary>
    public sealed class WorkloadIdentity
    {
        public string IdentityName { get; set; } = string.Empty;

        public string? IdentityResourceId { get; set; }

        public string? ResourceGroupName { get; set; }

        public string? SubscriptionId { get; set; }

        public string? Location { get; set; }

        /// <summary>Null only under -WhatIf for an identity that does not exist yet.</summary>
        public string? ClientId { get; set; }

        public string? TenantId { get; set; }

        public string? PrincipalId { get; set; }

        public string FederatedCredentialName { get; set; } = string.Empty;

        public string? Issuer { get; set; }

        public string Subject { get; set; } = string.Empty;

        public string Audience { get; set; } = string.Empty;

        public string ServiceAccountNamespace { get; set; } = string.Empty;

        public string ServiceAccountName { get; set; } = string.Empty;

        public string? ClusterResourceId { get; set; }

        public IReadOnlyList<RoleAssignment> RoleAssignments { get; set; } = Array.Empty<RoleAssignment>();

        public override string ToString() => IdentityName;
    }

    /// <summary>Input of <c>New-KedaWorkloadIdentity</c>.</summary>
    public sealed class WorkloadIdentityRequest
    {
        public AksCluster? Cluster { get; set; }

        public string? ClusterResourceId { get; set; }

        public string? ClusterResourceGroupName { get; set; }

        public string? ClusterName { get; set; }

        public string IdentityName { get; set; } = "keda-int-identity";

        public string? IdentityResourceGroupName { get; set; }

        public string? Location { get; set; }

        public string FederatedCredentialName { get; set; } = "kedaFedIdentity";

        public string ServiceAccountNamespace { get; set; } = "keda";

        public string ServiceAccountName { get; set; } = "keda-operator";

        public string Audience { get; set; } = "api://AzureADTokenExchange";

        /// <summary>Workspaces (objects or resource ids) that get Monitoring Data Reader.</summary>
        public IReadOnlyList<string> MonitorWorkspaceIds { get; set; } = Array.Empty<string>();
    }

    /// <summary>Input of <c>Remove-KedaWorkloadIdentity</c>.</summary>
    public sealed class RemoveWorkloadIdentityRequest
    {
        public string? IdentityResourceId { get; set; }

        public string? FederatedCredentialName { get; set; }

        public bool KeepIdentity { get; set; }
    }
}
