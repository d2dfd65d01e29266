<#
.SYNOPSIS
    Counts the ARM requests, and the sequential round trips on the critical path, of
    Get-KedaAksCluster | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity -MonitorWorkspace ...
    on a fresh sandbox and on a re-run. Run by 'build.ps1 -Task Benchmark'.
#>
param([Parameter(Mandatory)][string] $ModuleManifest)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
Import-Module (Join-Path $PSScriptRoot 'KedaAks.Sandbox/KedaAks.Sandbox.psm1')

function Measure-Requests($Sandbox) {
    $requests = @(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.Path -notmatch '/oauth2/' })
    # Round trips on the critical path: the most requests that did not overlap in time (greedy interval scheduling).
    $chain = 0; $end = [DateTimeOffset]::MinValue
    foreach ($request in $requests | Sort-Object { [DateTimeOffset]$_.Time }) {
        if ([DateTimeOffset]$request.Start -ge $end) { $chain++; $end = [DateTimeOffset]$request.Time }
    }
    $tokens = @(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.Path -match '/oauth2/' }).Count
    [pscustomobject]@{ ArmRequests = $requests.Count; Writes = @($requests | Where-Object { $_.Method -ne 'GET' }).Count; SequentialRoundTrips = $chain; TokenRequests = $tokens
        Detail = ($requests | ForEach-Object { '{0} {1}' -f $_.Method, (($_.Path -split '\?')[0] -replace '^/subscriptions/[^/]+', '') }) -join "`n" }
}

$sandbox = Start-KedaSandbox -NoPrincipalDelay
try {
    Set-SandboxEnvironment $sandbox
    $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
    $workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
    foreach ($run in 'fresh sandbox', 're-run') {
        $null = Invoke-Sandbox $sandbox 'clear-log'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $null = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity -MonitorWorkspace $workspace
        $clock.Stop()
        $m = Measure-Requests $sandbox
        Write-Host ("{0,-14} ARM requests {1,2} (writes {2}), sequential round trips on the critical path {3,2}, token requests {4}, {5:N2} s (sandbox operation polls wait 1 s each)" -f
            $run, $m.ArmRequests, $m.Writes, $m.SequentialRoundTrips, $m.TokenRequests, $clock.Elapsed.TotalSeconds)
        Write-Host ($m.Detail -replace '(?m)^', '    ')
    }
}
finally {
    Stop-KedaSandbox $sandbox
}

# The whole article in one command, against an ARM stand-in answering in 150 ms: sequential ARM round trips besides the cluster
# operation's polls (Measure-SandboxArmRoundTrip), fresh and converged, next to the single-step pipeline at the same latency.
$chart = Join-Path $PSScriptRoot '../../shared/fixtures/keda/chart'
$helm = @($env:KEDAAKS_TEST_HELM, $env:KEDAAKS_HELM -split [IO.Path]::PathSeparator | Where-Object { $_ -and (Test-Path $_) })[0]
$sandbox = Start-KedaSandbox -Scenario fresh -NoPrincipalDelay
try {
    Set-SandboxEnvironment $sandbox
    $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
    $null = Invoke-Sandbox $sandbox 'faults?rate=0&seed=1&latency=150'
    $install = @{ ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; MonitorWorkspace = 'keda-amw'; SkipProof = $true; Timeout = 120 }
    $install += if ($helm -and (Test-Path (Join-Path $chart 'Chart.yaml'))) { @{ HelmPath = $helm; ChartPath = (Resolve-Path $chart).Path } } else { @{ InstallMethod = 'AksAddon' } }
    foreach ($run in 'fresh', 'converged') {
        $null = Invoke-Sandbox $sandbox 'clear-log'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $null = Install-KedaAksIntegration @install
        $m = Measure-SandboxArmRoundTrip $sandbox
        Write-Host ("Install-KedaAksIntegration {0,-9} ARM round trips (besides polls) {1} (target <= {2}), ARM requests {3}, polls {4}, {5:N2} s at 150 ms per request" -f
            $run, $m.RoundTrips, $(if ($run -eq 'fresh') { 4 } else { 2 }), $m.Requests, $m.Polls, $clock.Elapsed.TotalSeconds)
    }
}
finally {
    Stop-KedaSandbox $sandbox
}
$sandbox = Start-KedaSandbox -Scenario fresh -NoPrincipalDelay
try {
    Set-SandboxEnvironment $sandbox
    $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
    $null = Invoke-Sandbox $sandbox 'faults?rate=0&seed=1&latency=150'
    foreach ($run in 'fresh', 'converged') {
        $null = Invoke-Sandbox $sandbox 'clear-log'
        $null = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity -MonitorWorkspace keda-amw
        $m = Measure-SandboxArmRoundTrip $sandbox
        Write-Host ("The cmdlet pipeline        {0,-9} ARM round trips (besides polls) {1}, ARM requests {2}, polls {3}" -f $run, $m.RoundTrips, $m.Requests, $m.Polls)
    }
}
finally {
    Stop-KedaSandbox $sandbox
}

# Bulk apply: 500 ScaledObjects through Deploy-KedaResource, against the same apply one object at a time.
$crds = Join-Path $PSScriptRoot '../../shared/fixtures/keda/crds'
if (-not (Test-Path $crds)) { Write-Host 'Bulk apply not measured: ../shared/fixtures is absent (no KEDA CRDs for the sandbox).'; return }
$sandbox = Start-KedaSandbox -Scenario keda-crds
try {
    $objects = 1..500 | ForEach-Object {
        New-KedaPrometheusScaler -Name "bulk-$_" -Namespace default -TargetName "web-$_" -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 10 -TriggerAuthentication prom-auth
    }
    $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
    # The targets do not exist (no workloads in this sandbox): their warnings are not what is measured.
    $bulk = Measure-Command { $null = $objects | Deploy-KedaResource -ThrottleLimit 8 -WarningAction SilentlyContinue }
    $rerun = Measure-Command { $null = $objects | Deploy-KedaResource -ThrottleLimit 8 -WarningAction SilentlyContinue }
    $null = Get-KedaScaledObject -Name 'bulk-*' | Remove-KedaScaledObject -Force
    $single = Measure-Command { foreach ($o in $objects) { $null = $o | Deploy-KedaResource -WarningAction SilentlyContinue } }
    Write-Host ('500 ScaledObjects: one Deploy-KedaResource (ThrottleLimit 8) {0:N2} s; its re-run (all Unchanged) {1:N2} s; one object per call {2:N2} s' -f
        $bulk.TotalSeconds, $rerun.TotalSeconds, $single.TotalSeconds)
}
finally {
    Stop-KedaSandbox $sandbox
    Clear-SandboxEnvironment
}
