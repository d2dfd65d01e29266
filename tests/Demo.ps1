<#
.SYNOPSIS
    KedaAks' main job against the local sandbox (ARM, Entra and Kubernetes stand-ins on https://127.0.0.1:44300): the whole
    article as one command. Install-KedaAksIntegration's plan first (-WhatIf and Get-KedaIntegrationPlan, nothing written),
    then the run (cluster update, identity, federated credential, role, service account, KEDA with the real helm, the proof,
    every check), then the re-run that changes nothing; then the KEDA resources of step 13 and the troubleshooting errors.
    Without helm (or without ../shared/fixtures) KEDA comes from the AKS add-on instead. Run by 'build.ps1 -Task Demo' in a fresh pwsh.
#>
param([Parameter(Mandatory)][string] $ModuleManifest)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
Import-Module (Join-Path $PSScriptRoot 'KedaAks.Sandbox/KedaAks.Sandbox.psm1')

# KEDA's real chart, when this clone sits next to ../shared (the project's machines), is installed with the real helm
# (build.ps1 sets KEDAAKS_HELM); without helm the sandbox starts with KEDA's real CRDs instead.
$chart = Join-Path $PSScriptRoot '../../shared/fixtures/keda/chart'
$crds = Join-Path $PSScriptRoot '../../shared/fixtures/keda/crds'
$withHelm = (Test-Path (Join-Path $chart 'Chart.yaml')) -and $env:KEDAAKS_HELM -and (Test-Path $env:KEDAAKS_HELM)
$hasKeda = $withHelm -or (Test-Path $crds)
# A real Prometheus (Debian's package) behind the workspace's query endpoint, when installed.
$prometheus = if (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue) { Start-KedaPrometheus }
$sandbox = Start-KedaSandbox -Port 44300 -Scenario fresh -ArgumentList (@('--principal-delay', '5', '--propagation-delay', '3') +
    $(if ($prometheus) { @('--prometheus', $prometheus.Url) } else { @() }))
try {
    Set-SandboxEnvironment $sandbox
    function Show($Title, $Value) { Write-Host "`n# $Title"; $Value | Format-List | Out-String -Width 160 | Write-Host }

    # Step 1: names (the article's), and the sign-in: a service principal from the environment.
    $connection = Connect-KedaAzure -ArmEndpoint https://127.0.0.1:44300/ -AuthorityHost https://127.0.0.1:44300/
    Show 'Step 1: connected' $connection

    # The whole article in one command: the plan first. Nothing is written.
    $cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
    Show 'Step 2: the cluster as found (no OIDC issuer yet: the article''s starting point)' $cluster
    $workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
    $install = @{ MonitorWorkspace = $workspace; Timeout = 120 }
    if ($withHelm) { $install += @{ InstallMethod = 'Helm'; ChartPath = (Resolve-Path $chart).Path; HelmPath = $env:KEDAAKS_HELM } }
    else { $install += @{ InstallMethod = 'AksAddon' } }
    Write-Host "`n# The plan (Install-KedaAksIntegration -WhatIf): one line per step that would change something"
    $cluster | Install-KedaAksIntegration @install -WhatIf
    Write-Host "`n# The same plan as objects (Get-KedaIntegrationPlan)"
    $cluster | Get-KedaIntegrationPlan @install | Format-Table Step, Action, Target -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host ("# ARM writes so far: {0}" -f (Invoke-Sandbox $sandbox 'stats').writes)

    # The run: every step of the article, the federation proven, every check.
    $result = $cluster | Install-KedaAksIntegration @install
    Show 'Install-KedaAksIntegration: the result' $result
    $result.Steps | Format-Table Step, Outcome, Target -AutoSize | Out-String -Width 200 | Write-Host
    $result.Checks | Format-Table Check, Status, Message -AutoSize | Out-String -Width 200 | Write-Host
    $identity = $result.WorkloadIdentity
    $cluster = $result.Cluster

    # The re-run: converged, so no Azure write and (with Helm) no new revision.
    $before = Invoke-Sandbox $sandbox 'stats'
    $again = $cluster | Install-KedaAksIntegration @install
    $after = Invoke-Sandbox $sandbox 'stats'
    Write-Host ("# Re-run: {0} ARM writes, {1} Kubernetes writes; steps: {2}" -f ($after.writes - $before.writes), ($after.kubernetesWrites - $before.kubernetesWrites),
        (($again.Steps | ForEach-Object { "$($_.Step) $($_.Outcome)" }) -join ', '))
    $null = $result.Cluster | Connect-KedaCluster

    if ($prometheus) {
        Show 'The article''s query, run as KEDA runs it (Prometheus data at 2025-01-01T02:00Z)' (Test-KedaPrometheusQuery -ServerAddress $prometheus.Url `
            -Query 'sum(rate(http_requests_total{deployment="web"}[2m]))' -Threshold 100.50 -ActivationThreshold 5.5 -MinReplicaCount 1 -MaxReplicaCount 20 -CurrentReplicas 1 -Time $prometheus.Time)
    }

    # Step 13: the KEDA resources, with the workspace's query endpoint and the identity's client id.
    $auth = New-KedaTriggerAuthentication -Name azure-managed-prometheus-trigger-auth -Namespace default -IdentityId $identity.ClientId
    $scaler = New-KedaPrometheusScaler -Name azure-managed-prometheus-scaler -Namespace default `
        -TargetName deployment-name-to-be-scaled -MonitorWorkspace $workspace `
        -Query 'sum(rate(http_requests_total{deployment="my-deployment"}[2m]))' `
        -Threshold 100.50 -ActivationThreshold 5.5 -MinReplicaCount 1 -MaxReplicaCount 20 `
        -TriggerAuthentication $auth
    Write-Host "`n# Step 13: TriggerAuthentication and ScaledObject"
    $auth, $scaler | ConvertTo-KedaYaml | Write-Host
    if ($hasKeda) {
        Write-Host '# Step 13: applied to the cluster (server-side apply), then read back'
        $auth, $scaler | Deploy-KedaResource | Format-Table | Out-String -Width 160 | Write-Host
        Get-KedaScaledObject -Namespace default | Format-Table | Out-String -Width 160 | Write-Host
    }
    else {
        Write-Host '# Step 13 not applied: ../shared/fixtures is absent, so the sandbox cluster has no KEDA CRDs.'
    }

    Write-Host '# The article''s troubleshooting errors, diagnosed:'
    @(
        "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '$($cluster.OidcIssuerUrl.TrimEnd('/'))'. " +
            "Assertion Subject: 'system:serviceaccount:keda:keda-operator'. Assertion Audience: 'api://AzureADTokenExchange'."
        'prometheus query api returned error. status: 403 response: {"status":"error","errorType":"Forbidden",' +
            '"error":"The client ''x'' with object id ''y'' does not have authorization to perform action ''microsoft.monitor/accounts/data/metrics/read''"}'
    ) | Resolve-KedaError | Format-List Code, Summary, Issuer, Remedy | Out-String -Width 160 | Write-Host

    Write-Host '# What KEDA would refuse, refused before it reaches the cluster:'
    foreach ($threshold in '1,000', '0.0001') {
        try { New-KedaPrometheusScaler -Name demo -Namespace default -TargetName web -MonitorWorkspace $workspace -Query 'sum(up)' -Threshold $threshold -TriggerAuthentication $auth | Out-Null }
        catch { Write-Host ("  {0}`n    {1}" -f $_.FullyQualifiedErrorId, $_.Exception.Message) }
    }
}
finally {
    Stop-KedaSandbox $sandbox
    Stop-KedaPrometheus $prometheus
    Clear-SandboxEnvironment
}
