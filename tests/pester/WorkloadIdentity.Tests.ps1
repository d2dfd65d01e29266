# Wait-KedaWorkloadIdentity against the sandbox: a cluster that signs service-account tokens with its OIDC issuer,
# Entra that checks them against the federated credentials (with propagation delay), and a workspace query
# endpoint that checks Monitoring Data Reader and forwards to a real Prometheus.
BeforeDiscovery {
    $script:HasPrometheus = [bool](Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'Wait-KedaWorkloadIdentity' -Skip:(-not $HasPrometheus) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
        $script:Prometheus = Start-KedaPrometheus
        $script:Sandbox = Start-KedaSandbox -Scenario workload-identity -NoPrincipalDelay -ArgumentList '--propagation-delay', '2', '--prometheus', $Prometheus.Url
        Set-SandboxEnvironment $Sandbox
        $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        $script:Workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
    }

    AfterAll {
        Stop-KedaSandbox $Sandbox
        Stop-KedaPrometheus $Prometheus
        Clear-SandboxEnvironment
    }

    It 'waits out the credential''s propagation, then proves the exchange and the role' {
        # A sandbox of its own whose Entra refuses new credentials for 10 s, so the first attempt is refused however slow the machine is.
        $slow = Start-KedaSandbox -Scenario workload-identity -NoPrincipalDelay -ArgumentList '--propagation-delay', '10', '--prometheus', $Prometheus.Url
        try {
            $null = Connect-KedaAzure -ArmEndpoint $slow.armEndpoint -AuthorityHost $slow.authorityHost -TokenSource Environment
            $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -MonitorWorkspace keda-amw
            $null = $identity | New-KedaServiceAccount
            $proof = $identity | Wait-KedaWorkloadIdentity -Timeout 40 -RetryIntervalSeconds 1
            $proof | Should -BeOfType ([KedaAks.WorkloadIdentityProof])
            $proof.TokenExchanged | Should -BeTrue
            $proof.ExchangeAttempts | Should -BeGreaterThan 1 -Because 'the sandbox refuses the credential for 10 s after it is written'
            $proof.QuerySucceeded | Should -BeTrue
            $proof.Issuer | Should -Be $identity.Issuer
            $proof.Subject | Should -Be 'system:serviceaccount:keda:keda-operator'
            ($proof | Out-String) | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}'
        }
        finally {
            Stop-KedaSandbox $slow
            $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        }
    }

    It 'queries the workspace as KEDA''s identity with -AsWorkloadIdentity' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -MonitorWorkspace $Workspace
        $null = $identity | New-KedaServiceAccount
        $null = $identity | Wait-KedaWorkloadIdentity -Timeout 30 -RetryIntervalSeconds 1
        $result = Test-KedaPrometheusQuery -ServerAddress $Workspace.PrometheusQueryEndpoint -Query 'sum(rate(http_requests_total{deployment="web"}[2m]))' `
            -Threshold 4 -Time $Prometheus.Time -AsWorkloadIdentity -WorkloadIdentity $identity -ClusterResourceId $identity.ClusterResourceId
        $result.Succeeded | Should -BeTrue -Because $result.Message
        [math]::Round($result.Value, 6) | Should -Be 10
        $result.DesiredReplicas | Should -Be 3

        # The module's own sign-in has no role on the workspace: the same query answers 403, diagnosed.
        $own = Test-KedaPrometheusQuery -ServerAddress $Workspace.PrometheusQueryEndpoint -Query 'up' -Time $Prometheus.Time
        $own.StatusCode | Should -Be 401 -Because 'without -AsWorkloadIdentity no Azure token is sent to a non-Azure host name'
    }

    It 'replays a query''s history through the workspace endpoint as KEDA''s identity' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -MonitorWorkspace $Workspace
        $null = $identity | New-KedaServiceAccount
        $null = $identity | Wait-KedaWorkloadIdentity -Timeout 30 -RetryIntervalSeconds 1
        $summary = Invoke-KedaScalingReplay -ServerAddress $Workspace.PrometheusQueryEndpoint -Query 'sum(queue_messages{cluster="aks-prod",queue="orders"})' -Threshold 10 `
            -ActivationThreshold 5 -MaxReplicaCount 20 -Start $Prometheus.Time.AddHours(-2) -End $Prometheus.Time -Summary -AsWorkloadIdentity -WorkloadIdentity $identity `
            -ClusterResourceId $identity.ClusterResourceId -WarningAction SilentlyContinue 6>$null
        ($summary.Samples, $summary.PeakValue, $summary.PeakReplicas) | Should -Be @(481, 300, 20)
        # Without KEDA's identity no Azure token goes to a non-Azure host name: the workspace answers 401, diagnosed.
        $record = $null
        try { $null = Invoke-KedaScalingReplay -ServerAddress $Workspace.PrometheusQueryEndpoint -Query 'sum(queue_messages)' -Threshold 10 -End $Prometheus.Time 6>$null }
        catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'PrometheusRangeQueryFailed,KedaAks.Commands.InvokeKedaScalingReplayCommand'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception.Message | Should -Match 'status: 401'
        $record.ErrorDetails.RecommendedAction | Should -Match '-AsWorkloadIdentity'
    }

    It 'keeps trying for the whole timeout, then says the credential matches but is not propagated yet' {
        $slow = Start-KedaSandbox -Scenario workload-identity -NoPrincipalDelay -ArgumentList '--propagation-delay', '60', '--prometheus', $Prometheus.Url
        try {
            $null = Connect-KedaAzure -ArmEndpoint $slow.armEndpoint -AuthorityHost $slow.authorityHost -TokenSource Environment
            $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -MonitorWorkspace keda-amw
            $null = $identity | New-KedaServiceAccount
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $record = $null
            try { $identity | Wait-KedaWorkloadIdentity -Timeout 3 } catch { $record = $_ }
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3 -Because 'the command waits out its whole -Timeout'
            $record.FullyQualifiedErrorId | Should -Be 'FederatedCredentialNotPropagated,KedaAks.Commands.WaitKedaWorkloadIdentityCommand'
            $record.Exception.Message | Should -Match 'match it exactly'
            $record.Exception.Message | Should -Not -Match 'expects'
        }
        finally {
            Stop-KedaSandbox $slow
            $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        }
    }

    It 'names the differing subject when the service account lives in another namespace' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName wrong-ns -MonitorWorkspace $Workspace
        $identity.ServiceAccountNamespace = 'app'   # KEDA installed in 'app', credential made for 'keda'
        $null = $identity | New-KedaServiceAccount
        $record = $null
        try { $identity | Wait-KedaWorkloadIdentity -Timeout 4 -RetryIntervalSeconds 1 } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'FederatedCredentialMismatch,KedaAks.Commands.WaitKedaWorkloadIdentityCommand'
        $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $record.Exception.Message | Should -Match "subject 'system:serviceaccount:app:keda-operator'"
        $record.Exception.Message | Should -Match "expects .*subject 'system:serviceaccount:keda:keda-operator'"
        $record.ErrorDetails.RecommendedAction | Should -Match 'trailing slash'
    }

    It 'reports a missing Monitoring Data Reader assignment' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName no-role -ServiceAccountName no-role
        $null = $identity | New-KedaServiceAccount
        $record = $null
        try { $identity | Wait-KedaWorkloadIdentity -MonitorWorkspace $Workspace -Timeout 6 -RetryIntervalSeconds 1 } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'MonitoringDataReaderMissing,KedaAks.Commands.WaitKedaWorkloadIdentityCommand'
        $record.ErrorDetails.RecommendedAction | Should -Match 'Grant-KedaMonitorWorkspaceAccess'
    }

    It 'stops at once on an identity Entra does not know' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName ghost -ServiceAccountName ghost -MonitorWorkspace $Workspace
        $null = $identity | New-KedaServiceAccount
        $identity.ClientId = [guid]::NewGuid().ToString()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { $identity | Wait-KedaWorkloadIdentity -Timeout 30 -RetryIntervalSeconds 1 } | Should -Throw -ErrorId 'IdentityNotFound,KedaAks.Commands.WaitKedaWorkloadIdentityCommand'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'an unknown identity is not a propagation delay'
    }
}
