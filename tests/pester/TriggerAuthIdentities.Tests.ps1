# Test-KedaIntegration's TriggerAuthenticationIdentities against the sandbox: a TriggerAuthentication that overrides the
# identity (spec.podIdentity.identityId) needs that identity federated for KEDA's operator service account too.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:SkipReason = if (-not (Test-Path (Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds'))) { 'needs KEDA''s CRDs (../shared/fixtures)' }
}

Describe 'Test-KedaIntegration TriggerAuthenticationIdentities' {
    It 'fails for an override identity without the operator''s federated credential, and passes once it has one' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $sandbox = Start-KedaSandbox -Scenario keda-helm -NoPrincipalDelay
        try {
            Set-SandboxEnvironment $sandbox
            $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
            $cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
            $identity = $cluster | New-KedaWorkloadIdentity
            # The app's own identity, federated for the app's service account only: KEDA's operator cannot use it yet.
            $app = $cluster | New-KedaWorkloadIdentity -IdentityName app-identity -ServiceAccountNamespace app -ServiceAccountName web -InstallMethod Helm
            $null = $cluster | Connect-KedaCluster
            $null = New-KedaServiceAccount -ClientId $identity.ClientId -TenantId $identity.TenantId -Namespace keda -Name keda-operator
            Add-SandboxKedaDeployment $sandbox -Namespace keda -Version 2.20.2 -Image per-component -WorkloadIdentity
            $null = New-KedaServiceAccount -ClientId $app.ClientId -TenantId $app.TenantId -Namespace app -Name web  # the app's namespace and account
            $null = New-KedaTriggerAuthentication -Name app-auth -Namespace app -IdentityId $app.ClientId | Deploy-KedaResource

            $check = $identity | Test-KedaIntegration -Cluster $cluster | Where-Object Check -EQ 'TriggerAuthenticationIdentities'
            $check.Status | Should -Be 'Fail'
            $check.Message | Should -Match ([regex]::Escape("identityId $($app.ClientId) (identity 'app-identity'"))
            $check.Message | Should -Match 'system:serviceaccount:keda:keda-operator'
            $check.Remedy | Should -Match 'New-KedaWorkloadIdentity .*-IdentityName app-identity'

            # The remedy's credential, under a name that does not overwrite the app's own.
            $null = $cluster | New-KedaWorkloadIdentity -IdentityName app-identity -FederatedCredentialName keda-keda-keda-operator -InstallMethod Helm
            $check = $identity | Test-KedaIntegration -Cluster $cluster | Where-Object Check -EQ 'TriggerAuthenticationIdentities'
            $check.Status | Should -Be 'Pass' -Because $check.Message
            $check.Message | Should -Match "'app-identity'"
        }
        finally { Stop-KedaSandbox $sandbox; Clear-SandboxEnvironment }
    }
}
