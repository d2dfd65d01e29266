# The Azure-side cmdlets against the standalone sandbox (ARM + Entra on loopback HTTPS, trusted through SSL_CERT_FILE).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -NoPrincipalDelay
    Set-SandboxEnvironment $Sandbox
    $script:Arm = $Sandbox.armEndpoint
    $script:Connection = Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
    function Get-Writes { (Invoke-Sandbox $Sandbox 'stats').writes }
}

AfterAll {
    Stop-KedaSandbox $Sandbox
    Clear-SandboxEnvironment
}

Describe 'Connect-KedaAzure' {
    It 'proves the sign-in, reads the subscription and names the source' {
        $Connection | Should -BeOfType ([KedaAks.AzureConnection])
        $Connection.SubscriptionName | Should -Be 'KedaAks Sandbox'
        $Connection.ResolvedTokenSource | Should -Be 'Environment (client secret)'
        $Connection.Environment | Should -Be 'Custom'
    }

    It 'never lets a secret or token reach any stream' {
        $all = Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost -Verbose -Debug 5>&1 4>&1 3>&1 2>&1 6>&1 | Out-String
        $all | Should -Match 'token source Environment'
        $all | Should -Not -Match ([regex]::Escape($Sandbox.clientSecret))
        $all | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}'
    }

    It 'refuses a wrong secret with an authentication error that lists what it tried' {
        $saved = $env:AZURE_CLIENT_SECRET
        try {
            $env:AZURE_CLIENT_SECRET = 'not-the-secret'
            $record = $null
            try { Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost -TokenSource Environment } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'AzureAuthenticationFailed,KedaAks.Commands.ConnectKedaAzureCommand'
            $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $record.Exception.Message | Should -Match 'AADSTS7000215'
            $record.Exception.Message | Should -Not -Match 'not-the-secret'
        }
        finally { $env:AZURE_CLIENT_SECRET = $saved }
    }

    It 'uses the Az.Accounts context of the runspace when there is one' {
        $tokenResponse = Invoke-RestMethod -Method Post -Uri "$($Sandbox.url)/$($Sandbox.tenantId)/oauth2/v2.0/token" -Body @{
            grant_type = 'client_credentials'; client_id = $Sandbox.clientId; client_secret = $Sandbox.clientSecret; scope = "$($Arm).default" }
        $secure = ConvertTo-SecureString $tokenResponse.access_token -AsPlainText -Force
        # Stand-ins for Az.Accounts 5's commands (Token as SecureString), as an AzurePowerShell task would have them.
        function global:Get-AzContext {
            [pscustomobject]@{
                Account = [pscustomobject]@{ Id = 'pipeline@contoso.com' }; Tenant = [pscustomobject]@{ Id = $Sandbox.tenantId }
                Subscription = [pscustomobject]@{ Id = $Sandbox.subscriptionId }; Environment = [pscustomobject]@{ Name = 'AzureCloud' }
            }
        }
        function global:Get-AzAccessToken { param($ResourceUrl, $TenantId) [pscustomobject]@{ Token = $secure; ExpiresOn = [DateTimeOffset]::UtcNow.AddMinutes(30) } }
        $saved = $env:AZURE_CLIENT_SECRET
        try {
            Remove-Item env:AZURE_CLIENT_SECRET
            $connection = Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost
            $connection.ResolvedTokenSource | Should -BeLike 'AzContext*'
            (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).Name | Should -Be 'keda-aks'
        }
        finally {
            $env:AZURE_CLIENT_SECRET = $saved
            Remove-Item function:global:Get-AzContext, function:global:Get-AzAccessToken -ErrorAction SilentlyContinue
            $null = Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        }
    }

    It 'takes a bearer token the caller already has' {
        $tokenResponse = Invoke-RestMethod -Method Post -Uri "$($Sandbox.url)/$($Sandbox.tenantId)/oauth2/v2.0/token" -Body @{
            grant_type = 'client_credentials'; client_id = $Sandbox.clientId; client_secret = $Sandbox.clientSecret; scope = "$($Arm).default" }
        try {
            $connection = Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost -AccessToken (
                ConvertTo-SecureString $tokenResponse.access_token -AsPlainText -Force) -SubscriptionId $Sandbox.subscriptionId
            $connection.ResolvedTokenSource | Should -BeLike 'AccessToken*'
            (Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw).Name | Should -Be 'keda-amw'
        }
        finally { $null = Connect-KedaAzure -ArmEndpoint $Arm -AuthorityHost $Sandbox.authorityHost -TokenSource Environment }
    }

    It 'keeps its defaults per runspace' {
        $token = ConvertTo-SecureString 'x' -AsPlainText -Force
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript(
                "Import-Module '$ModuleManifest'; try { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks -TokenSource AccessToken } catch { `$_.FullyQualifiedErrorId }")
            $result = $other.Invoke()
            $result | Should -Be 'NoAccessToken,KedaAks.Commands.GetKedaAksClusterCommand' -Because 'a new runspace starts without this runspace''s Connect-KedaAzure'
        }
        finally { $other.Dispose() }
    }
}

Describe 'The article''s Azure steps as a pipeline' {
    It 'enables workload identity, creates the identity, credential and role, and a re-run writes nothing' {
        $workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
        $workspace.PrometheusQueryEndpoint | Should -Match '^https://keda-amw-.+\.prometheus\.monitor\.azure\.com$'
        $before = Get-Writes
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity -MonitorWorkspace $workspace
        (Get-Writes) - $before | Should -Be 4 -Because 'one cluster update, one identity, one credential, one role assignment'
        $identity | Should -BeOfType ([KedaAks.WorkloadIdentity])
        $identity.ClientId | Should -Match '^[0-9a-f-]{36}$'
        $identity.Subject | Should -Be 'system:serviceaccount:keda:keda-operator'
        $identity.Issuer | Should -BeLike 'https://*/'
        $identity.RoleAssignments[0].RoleName | Should -Be 'Monitoring Data Reader'
        $identity.RoleAssignments[0].Scope | Should -Be $workspace.ResourceId

        $before = Get-Writes
        $again = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity -MonitorWorkspace $workspace
        (Get-Writes) - $before | Should -Be 0
        $again.ClientId | Should -Be $identity.ClientId
    }

    It 'binds Get-AzAksCluster-shaped objects by property name' {
        $azAks = [pscustomobject]@{ Id = "/subscriptions/$($Sandbox.subscriptionId)/resourceGroups/keda-rg/providers/Microsoft.ContainerService/managedClusters/keda-aks"; Name = 'keda-aks' }
        ($azAks | Get-KedaAksCluster).OidcIssuerEnabled | Should -BeTrue
        ($azAks | New-KedaWorkloadIdentity -WhatIf).IdentityName | Should -Be 'keda-int-identity'
    }

    It 'makes no write at all under -WhatIf' {
        $before = Get-Writes
        $preview = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName keda-whatif -MonitorWorkspace $Sandbox.workspaceId -WhatIf
        Remove-KedaWorkloadIdentity -IdentityName keda-int-identity -ResourceGroupName keda-rg -WhatIf
        (Get-Writes) - $before | Should -Be 0
        $preview.ClientId | Should -BeNullOrEmpty
        @(Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities').name | Should -Not -Contain 'keda-whatif'
    }

    It 'grants access idempotently and warns about a scope broader than the workspace' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity
        $before = Get-Writes
        $role = $identity | Grant-KedaMonitorWorkspaceAccess -MonitorWorkspace $Sandbox.workspaceId
        (Get-Writes) - $before | Should -Be 0
        $role | Should -BeOfType ([KedaAks.RoleAssignment])
        $warnings = Grant-KedaMonitorWorkspaceAccess -PrincipalId $identity.PrincipalId -MonitorWorkspace "/subscriptions/$($Sandbox.subscriptionId)/resourceGroups/keda-rg" -WhatIf 3>&1 |
            Where-Object { $_ -is [Management.Automation.WarningRecord] }
        ($warnings.Message -join ' ') | Should -Match 'not an Azure Monitor workspace'
    }

    It 'converges under 20 % injected 429/500/503 answers, without duplicates' {
        $null = Invoke-Sandbox $Sandbox 'faults?rate=0.2&seed=11'
        try {
            $first = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks |
                New-KedaWorkloadIdentity -IdentityName keda-faults -FederatedCredentialName faultsFed -MonitorWorkspace $Sandbox.workspaceId
            $second = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks |
                New-KedaWorkloadIdentity -IdentityName keda-faults -FederatedCredentialName faultsFed -MonitorWorkspace $Sandbox.workspaceId
        }
        finally { $null = Invoke-Sandbox $Sandbox 'faults?rate=0&seed=1' }
        (Invoke-Sandbox $Sandbox 'stats').faults | Should -BeGreaterThan 0
        $second.ClientId | Should -Be $first.ClientId
        @(Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities' | Where-Object name -EQ 'keda-faults').Count | Should -Be 1
        @(Invoke-Sandbox $Sandbox 'resources?type=federatedIdentityCredentials' | Where-Object name -EQ 'faultsFed').Count | Should -Be 1
        @(Invoke-Sandbox $Sandbox 'resources?type=roleAssignments' | Where-Object { $_.properties.principalId -eq $first.PrincipalId }).Count | Should -Be 1
    }

    It 'removes the identity with its credential and role assignments' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName keda-remove -MonitorWorkspace $Sandbox.workspaceId
        $identity | Remove-KedaWorkloadIdentity -Force
        @(Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities').name | Should -Not -Contain 'keda-remove'
        @(Invoke-Sandbox $Sandbox 'resources?type=roleAssignments' | Where-Object { $_.properties.principalId -eq $identity.PrincipalId }).Count | Should -Be 0
    }
}

Describe 'ARM errors' {
    It 'become ErrorRecords with ARM''s code, category and target' {
        $record = $null
        try { Get-KedaAksCluster -ResourceGroupName keda-rg -Name missing-aks } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'ResourceNotFound,KedaAks.Commands.GetKedaAksClusterCommand'
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.TargetObject | Should -BeLike '*/managedClusters/missing-aks'
        $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'refuses a cluster without OIDC issuer before any write' {
        $cluster = [KedaAks.AksCluster]@{
            Name = 'x'; ResourceId = "/subscriptions/$($Sandbox.subscriptionId)/resourceGroups/keda-rg/providers/Microsoft.ContainerService/managedClusters/x"
            SubscriptionId = $Sandbox.subscriptionId; ResourceGroupName = 'keda-rg'
        }
        { $cluster | New-KedaWorkloadIdentity } | Should -Throw -ErrorId 'OidcIssuerNotEnabled,KedaAks.Commands.NewKedaWorkloadIdentityCommand'
    }

    It 'refuses an invalid federated credential name with the rule' {
        { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -FederatedCredentialName 'no spaces' } |
            Should -Throw -ErrorId 'InvalidFederatedCredentialName,KedaAks.Commands.NewKedaWorkloadIdentityCommand'
    }
}
