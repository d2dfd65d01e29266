<#
.SYNOPSIS
    KedaAks' main job on what exists today, against the local sandbox (ARM and Entra stand-ins on
    https://127.0.0.1:44300): the article's Azure steps 1-10, KEDA installed with the real helm (steps 11-12),
    then its KEDA resources (step 13), built, validated, printed as YAML and applied. Run by 'build.ps1 -Task Demo' in a fresh pwsh.
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
$sandbox = Start-KedaSandbox -Port 44300 -Scenario $(if ($hasKeda -and -not $withHelm) { 'keda-crds' } else { 'fresh' }) -ArgumentList (@('--principal-delay', '5', '--propagation-delay', '3') +
    $(if ($prometheus) { @('--prometheus', $prometheus.Url) } else { @() }))
try {
    Set-SandboxEnvironment $sandbox
    function Show($Title, $Value) { Write-Host "`n# $Title"; $Value | Format-List | Out-String -Width 160 | Write-Host }

    # Step 1: names (the article's), and the sign-in: a service principal from the environment.
    $connection = Connect-KedaAzure -ArmEndpoint https://127.0.0.1:44300/ -AuthorityHost https://127.0.0.1:44300/
    Show 'Step 1: connected' $connection

    # Steps 2-4: check the cluster, enable OIDC issuer + workload identity, read the issuer.
    $cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
    Show 'Step 2: the cluster as found' $cluster
    $cluster = $cluster | Enable-KedaAksWorkloadIdentity
    Show 'Steps 3-4: OIDC issuer and workload identity enabled' $cluster

    # Steps 5-7 and 10: identity, federated credential, Monitoring Data Reader on the workspace.
    $workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
    Show 'The Azure Monitor workspace' $workspace
    $identity = $cluster | New-KedaWorkloadIdentity -MonitorWorkspace $workspace
    Show 'Steps 5-7, 10: identity, federated credential, role assignment' $identity

    $before = (Invoke-Sandbox $sandbox 'stats').writes
    $null = $cluster | New-KedaWorkloadIdentity -MonitorWorkspace $workspace
    Write-Host ("# Re-run of steps 5-7, 10: {0} ARM writes (converged)" -f ((Invoke-Sandbox $sandbox 'stats').writes - $before))

    # Steps 8-9: the cluster connection (credentials from ARM, in memory) and KEDA's service account.
    $connection = $cluster | Connect-KedaCluster
    Show 'Step 8: connected to the cluster' $connection
    $account = $identity | New-KedaServiceAccount
    Show 'Steps 8-9: namespace and annotated service account' $account

    if ($withHelm) {
        # Steps 11-12: helm upgrade --install of the real chart, keeping the service account above (the chart's nested keys).
        $installation = $account | Install-KedaHelm -ChartPath (Resolve-Path $chart).Path -Timeout 120
        Show 'Steps 11-12: KEDA installed with Helm, workload identity injected' $installation
    }

    if ($prometheus) {
        # Instead of "add a delay": proof that Entra accepts the federated credential and the role works.
        Show 'Step 10, proven: Wait-KedaWorkloadIdentity' ($identity | Wait-KedaWorkloadIdentity -Timeout 60 -RetryIntervalSeconds 1)
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
