# Get-KedaScaledObject / Get-KedaTriggerAuthentication -Name without a wildcard: a name that matches nothing is a
# non-terminating ObjectNotFound error, as Get-Item gives (issue #13); a wildcard that matches nothing stays silent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -Scenario keda-crds
    $null = Connect-KedaCluster -KubeconfigPath $Sandbox.kubeconfig
    $null = New-KedaPrometheusScaler -Name nf-present -Namespace default -TargetName web -ServerAddress 'http://prometheus.monitoring:9090' -Query 'sum(up)' -Threshold 1 |
        Deploy-KedaResource
    $null = New-KedaTriggerAuthentication -Name nf-auth -Namespace default | Deploy-KedaResource
}

AfterAll { Stop-KedaSandbox $Sandbox }

Describe 'Get-KedaScaledObject -Name' {
    It 'writes a non-terminating ScaledObjectNotFound error for a name that does not exist, and goes on' {
        $found = Get-KedaScaledObject -Name nf-missing, nf-present -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'nf-present'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ScaledObjectNotFound,KedaAks.Commands.GetKedaScaledObjectCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nf-missing'
        $problems[0].Exception.Message | Should -BeLike "*'nf-missing'*namespace 'default'*"
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike '*Get-KedaScaledObject -AllNamespaces*'
    }

    It 'is silent when a wildcard matches nothing' {
        Get-KedaScaledObject -Name 'nf-nothing*' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.Count | Should -Be 0
    }

    It 'stops with -ErrorAction Stop' {
        { Get-KedaScaledObject -Name nf-missing -ErrorAction Stop } | Should -Throw -ErrorId 'ScaledObjectNotFound,KedaAks.Commands.GetKedaScaledObjectCommand'
    }
}

Describe 'Get-KedaTriggerAuthentication -Name' {
    It 'writes TriggerAuthenticationNotFound for a name that does not exist' {
        $null = Get-KedaTriggerAuthentication -Name nf-none -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'TriggerAuthenticationNotFound,KedaAks.Commands.GetKedaTriggerAuthenticationCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nf-none'
    }

    It 'finds an existing one without error, and is silent for a wildcard' {
        (Get-KedaTriggerAuthentication -Name nf-auth -ErrorVariable problems).Name | Should -Be 'nf-auth'
        Get-KedaTriggerAuthentication -Name 'nf-zz*' -ErrorVariable more | Should -BeNullOrEmpty
        $problems.Count + $more.Count | Should -Be 0
    }
}
