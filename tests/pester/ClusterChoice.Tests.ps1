# Which cluster a cluster cmdlet talks to: a kubeconfig typed on the command line wins over a cluster bound from the
# pipeline (how private clusters are reached: ARM for Azure, a kubeconfig for the API server), and says so in Verbose.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -Scenario workload-identity -NoPrincipalDelay
    $script:Other = Start-KedaSandbox -Scenario fresh
    Set-SandboxEnvironment $Sandbox
    $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
}

AfterAll {
    Stop-KedaSandbox $Sandbox
    Stop-KedaSandbox $Other
    Clear-SandboxEnvironment
}

Describe 'A typed kubeconfig wins over a piped cluster' {
    It 'applies the service account to the typed cluster, not the one the identity names' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity
        $identity.ClusterResourceId | Should -Not -BeNullOrEmpty -Because 'the piped object names a cluster'
        $verbose = $( $account = $identity | New-KedaServiceAccount -KubeconfigPath $Other.kubeconfig -Verbose ) 4>&1
        $account.Action | Should -Be 'Created'
        ($verbose -join "`n") | Should -Match 'kubeconfig named on the command line'
        $typed = Invoke-SandboxCluster $Other '/api/v1/namespaces/keda/serviceaccounts/keda-operator'
        $typed.metadata.annotations.'azure.workload.identity/client-id' | Should -Be $identity.ClientId
        { Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda/serviceaccounts/keda-operator' } | Should -Throw -Because 'the piped cluster was not touched'
    }
}
