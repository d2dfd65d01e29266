# Argument completers (issue #13) through TabExpansion2, as a user's Tab runs them: namespaces, object names and
# kubeconfig contexts against the sandbox's cluster, resource groups from its ARM, chart versions and metric types.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -Scenario keda-crds
    Set-SandboxEnvironment $Sandbox
    $script:Endpoint = 'http://prometheus.monitoring:9090'
    function Complete([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches) }
    function CompletionText([string] $Line) { @(Complete $Line | ForEach-Object CompletionText) }

    # Two contexts in a second kubeconfig (one needs quotes), for -Context completion.
    $script:Kubeconfig2 = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-contexts-$([guid]::NewGuid().ToString('N')).yaml"
    New-UnreachableKubeconfig $Kubeconfig2 -Context 'blue', 'green team'
}

AfterAll {
    Stop-KedaSandbox $Sandbox
    Clear-SandboxEnvironment
    Remove-Item $Kubeconfig2 -ErrorAction SilentlyContinue
}

Describe 'Completers without a connection' {
    It 'completes nothing, quickly and silently, when no cluster can be reached' {
        $saved = $env:KUBECONFIG
        try {
            $env:KUBECONFIG = $Kubeconfig2   # a context whose server is closed
            $elapsed = Measure-Command { $script:found = CompletionText 'Get-KedaScaledObject -Namespace ' }
            $found | Should -BeNullOrEmpty
            $elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally { $env:KUBECONFIG = $saved }
    }

    It 'completes no resource group before Connect-KedaAzure' {
        CompletionText 'Get-KedaAksCluster -ResourceGroupName ' | Should -BeNullOrEmpty
    }
}

Describe 'Completers against the sandbox' {
    BeforeAll {
        $null = Connect-KedaCluster -KubeconfigPath $Sandbox.kubeconfig
        $null = New-KedaPrometheusScaler -Name comp-orders -Namespace default -TargetName orders -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 1 | Deploy-KedaResource
        $null = New-KedaPrometheusScaler -Name comp-billing -Namespace default -TargetName billing -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 1 | Deploy-KedaResource
        $null = New-KedaTriggerAuthentication -Name comp-auth -Namespace default | Deploy-KedaResource
    }

    It 'completes -Namespace from the connected cluster, honouring the typed wildcard' {
        $all = CompletionText 'Get-KedaScaledObject -Namespace '
        $all | Should -Contain 'default'
        $all | Should -Contain 'kube-system'
        CompletionText 'Get-KedaScaledObject -Namespace kube-*' | Should -Not -Contain 'default'
        CompletionText 'Get-KedaScaledObject -Namespace kube-*' | Should -Contain 'kube-system'
        CompletionText 'Remove-KedaScaledObject -Namespace def' | Should -Be @('default')
        CompletionText 'Install-KedaHelm -Namespace def' | Should -Be @('default') -Because 'its completer is declared on the parameter'
    }

    It 'completes -Namespace of the cluster that -KubeconfigPath names' {
        CompletionText "Get-KedaOperatorLog -KubeconfigPath '$($Sandbox.kubeconfig)' -Namespace kube-" | Should -Contain 'kube-system'
    }

    It 'completes ScaledObject and TriggerAuthentication names, by kind' {
        CompletionText 'Get-KedaScaledObject -Name comp-' | Should -Be @('comp-billing', 'comp-orders')
        CompletionText 'Remove-KedaScaledObject -Name comp-o' | Should -Be @('comp-orders')
        CompletionText 'Get-KedaScaledObject comp-*ing' | Should -Be @('comp-billing')
        CompletionText 'Get-KedaTriggerAuthentication -Name comp-' | Should -Be @('comp-auth')
        CompletionText 'Remove-KedaTriggerAuthentication -Name comp-' | Should -Be @('comp-auth')
        CompletionText 'Get-KedaScaledObject -Namespace kube-system -Name comp-' | Should -BeNullOrEmpty
    }

    It 'completes -Context from -KubeconfigPath, quoting a name with a space' {
        $found = Complete "Get-KedaScaledObject -KubeconfigPath '$Kubeconfig2' -Context "
        $found.CompletionText | Should -Be @('blue', "'green team'")
        $found.ListItemText | Should -Be @('blue', 'green team')
        CompletionText "Connect-KedaCluster -KubeconfigPath '$Kubeconfig2' -Context gr" | Should -Be @("'green team'")
    }

    It 'completes -Context from KUBECONFIG when no path is typed' {
        $saved = $env:KUBECONFIG
        try {
            $env:KUBECONFIG = $Sandbox.kubeconfig
            $expected = (Select-String -Path $Sandbox.kubeconfig -Pattern '^current-context:\s*(\S+)').Matches[0].Groups[1].Value.Trim("'", '"')
            CompletionText 'Get-KedaScaledObject -Context ' | Should -Contain $expected
        }
        finally { $env:KUBECONFIG = $saved }
    }

    It 'completes -ResourceGroupName from ARM once signed in' {
        $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        $body = [uri]::EscapeDataString('{"value":[{"name":"keda-rg"},{"name":"other rg"},{"name":"apps-rg"}]}')
        $null = Invoke-Sandbox $Sandbox "respond?path=/subscriptions/$($Sandbox.subscriptionId)/resourcegroups&status=200&contentType=application/json&body=$body&count=1"
        try {
            CompletionText 'Get-KedaAksCluster -ResourceGroupName ' | Should -Be @('apps-rg', 'keda-rg', "'other rg'")
            CompletionText 'Get-KedaScaledObject -ResourceGroupName k' | Should -Be @('keda-rg') -Because 'the answer is cached for a few seconds'
        }
        finally { $null = Invoke-Sandbox $Sandbox 'respond?clear=true' }
    }
}

Describe 'Completers with fixed answers' {
    It 'completes Install-KedaHelm -Version with known chart versions, newest first' {
        $versions = CompletionText 'Install-KedaHelm -Version '
        $versions[0] | Should -Be '2.20.2'
        $versions | Should -Contain '2.19.0'
        CompletionText 'Install-KedaHelm -Version 2.20.*' | Should -Be @('2.20.2', '2.20.1', '2.20.0')
    }

    It 'completes New-KedaPrometheusScaler -MetricType with the types KEDA accepts for external metrics' {
        CompletionText 'New-KedaPrometheusScaler -MetricType ' | Should -Be @('AverageValue', 'Value')
        CompletionText "New-KedaPrometheusScaler -MetricType 'av" | Should -Be @('AverageValue')
    }
}
