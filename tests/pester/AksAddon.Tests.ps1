# KEDA as the AKS managed add-on, against the sandbox: the article on an add-on cluster (identity federated for
# kube-system/keda-operator, the add-on's service account annotated, the operator restarted and the injection proven),
# and every refusal of a second KEDA or a conflicting install happening before any write.
BeforeDiscovery {
    $script:HasPrometheus = [bool](Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'The AKS managed KEDA add-on' -Skip:(-not $HasPrometheus) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
        $script:Prometheus = Start-KedaPrometheus
        $script:Sandbox = Start-KedaSandbox -Scenario workload-identity, aks-addon -NoPrincipalDelay -ArgumentList '--prometheus', $Prometheus.Url
        Set-SandboxEnvironment $Sandbox
        $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        $script:Workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
    }

    AfterAll {
        Stop-KedaSandbox $Sandbox
        Stop-KedaPrometheus $Prometheus
        Clear-SandboxEnvironment
    }

    It 'runs the article on an add-on cluster: kube-system federated, annotated, restarted, injection proven' {
        $cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
        $cluster.KedaAddonEnabled | Should -BeTrue
        $identity = $cluster | New-KedaWorkloadIdentity -MonitorWorkspace $Workspace
        $identity.Subject | Should -Be 'system:serviceaccount:kube-system:keda-operator'

        $account = $identity | New-KedaServiceAccount
        $account.Namespace | Should -Be 'kube-system'
        $account.Name | Should -Be 'keda-operator'
        { Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda' } | Should -Throw -Because 'the add-on path never creates a keda namespace'

        $installation = Restart-KedaOperator -ClusterResourceId $cluster.ResourceId
        $installation.InstallMethod | Should -Be 'AksAddon'
        $installation.Namespace | Should -Be 'kube-system'
        $installation.ClientId | Should -Be $identity.ClientId
        $installation.Healthy | Should -BeTrue -Because ($installation.Problems -join ' ')
        $installation.AddonKedaVersion | Should -Be '2.16.1'

        $proof = $identity | Wait-KedaWorkloadIdentity -Timeout 30 -RetryIntervalSeconds 1
        $proof.TokenExchanged | Should -BeTrue
        $proof.QuerySucceeded | Should -BeTrue

        $checks = Test-KedaIntegration -Cluster $cluster -WorkloadIdentity $identity -MonitorWorkspace $Workspace
        $failed = @($checks | Where-Object Status -in 'Fail', 'Warning')
        $failed | Should -BeNullOrEmpty -Because (($failed | ForEach-Object { "$($_.Check): $($_.Message)" }) -join '; ')
    }

    It 'refuses a Helm install next to the add-on before helm runs' {
        $writes = (Invoke-Sandbox $Sandbox 'stats').writes
        $kubeWrites = (Invoke-Sandbox $Sandbox 'stats').kubernetesWrites
        $record = $null
        $clusterId = (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).ResourceId
        try { Install-KedaHelm -ClientId ([guid]::NewGuid()) -ClusterResourceId $clusterId -HelmPath /nonexistent/helm } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'KedaAlreadyInstalled,KedaAks.Commands.InstallKedaHelmCommand'
        $record.Exception.Message | Should -Match 'add-on'
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be $writes
        (Invoke-Sandbox $Sandbox 'stats').kubernetesWrites | Should -Be $kubeWrites -Because 'nothing may be written to the cluster either'
    }

    It 'refuses -Version below 2.10 from the number alone, and -Set that turns off workload identity' {
        $id = [guid]::NewGuid().ToString()
        { Install-KedaHelm -ClientId $id -Version 2.9.3 -KubeconfigPath $Sandbox.kubeconfig } | Should -Throw -ErrorId 'KedaVersionUnsupported,KedaAks.Commands.InstallKedaHelmCommand'
        { Install-KedaHelm -ClientId $id -Set @{ 'podIdentity.azureWorkload.enabled' = 'false' } -KubeconfigPath $Sandbox.kubeconfig } |
            Should -Throw -ErrorId 'InvalidHelmValue,KedaAks.Commands.InstallKedaHelmCommand'
    }

    It 'refuses a namespace the identity is not federated for' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -InstallMethod Helm
        $identity.Subject | Should -Be 'system:serviceaccount:keda:keda-operator'
        { $identity | Install-KedaHelm -Namespace other -KubeconfigPath $Sandbox.kubeconfig } | Should -Throw -ErrorId 'ServiceAccountNotFederated,KedaAks.Commands.InstallKedaHelmCommand'
        { $identity | New-KedaServiceAccount -Namespace other -InstallMethod Helm -KubeconfigPath $Sandbox.kubeconfig } |
            Should -Throw -ErrorId 'ServiceAccountNotFederated,KedaAks.Commands.NewKedaServiceAccountCommand'
    }
}

Describe 'One KEDA per cluster' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
    }

    It 'Enable-KedaAksAddon refuses while manifests KEDA runs, naming it, and writes nothing' {
        $sandbox = Start-KedaSandbox -Scenario keda-helm -NoPrincipalDelay
        try {
            Set-SandboxEnvironment $sandbox
            $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
            $null = Invoke-SandboxCluster $sandbox '/api/v1/namespaces' -Method Post -Body @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = 'keda' } }
            Add-SandboxKedaDeployment $sandbox -Namespace keda -Version 2.20.2
            $writes = (Invoke-Sandbox $sandbox 'stats').writes
            $kubeWrites = (Invoke-Sandbox $sandbox 'stats').kubernetesWrites
            $record = $null
            try { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksAddon } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'KedaAlreadyInstalled,KedaAks.Commands.EnableKedaAksAddonCommand'
            $record.Exception.Message | Should -Match "manifests in 'keda'"
            (Invoke-Sandbox $sandbox 'stats').writes | Should -Be $writes
            (Invoke-Sandbox $sandbox 'stats').kubernetesWrites | Should -Be $kubeWrites -Because 'nothing may be written to the cluster either'
            (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).KedaAddonEnabled | Should -BeFalse

            $cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksAddon -Force
            $cluster.KedaAddonEnabled | Should -BeTrue
            $cluster.WorkloadIdentityEnabled | Should -BeTrue -Because 'the full PUT keeps every other setting'
            ($cluster | Enable-KedaAksAddon).KedaAddonEnabled | Should -BeTrue
            ($cluster | Disable-KedaAksAddon -Confirm:$false).KedaAddonEnabled | Should -BeFalse
        }
        finally { Stop-KedaSandbox $sandbox; Clear-SandboxEnvironment }
    }

    It 'Install-KedaHelm names the product that serves the external metrics API' {
        $sandbox = Start-KedaSandbox -Scenario keda-helm, external-metrics-datadog -NoPrincipalDelay
        try {
            $record = $null
            try { Install-KedaHelm -ClientId ([guid]::NewGuid()) -KubeconfigPath $sandbox.kubeconfig -HelmPath /nonexistent/helm } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'ExternalMetricsApiInUse,KedaAks.Commands.InstallKedaHelmCommand'
            $record.Exception.Message | Should -Match "datadog-cluster-agent-metrics-api' in namespace 'datadog'"
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'an AKS Automatic cluster is the add-on: Auto federates kube-system/keda-operator' {
        $sandbox = Start-KedaSandbox -Scenario aks-automatic -NoPrincipalDelay
        try {
            Set-SandboxEnvironment $sandbox
            $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
            $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity
            $identity.Subject | Should -Be 'system:serviceaccount:kube-system:keda-operator'
            (Get-KedaInstallation -KubeconfigPath $sandbox.kubeconfig).InstallMethod | Should -Be 'AksAddon'
        }
        finally { Stop-KedaSandbox $sandbox; Clear-SandboxEnvironment }
    }
}
