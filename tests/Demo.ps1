<#
.SYNOPSIS
    KedaAks' main job on what exists today: the article's KEDA resources, built and validated offline,
    printed as the YAML you would apply or commit. Run by 'build.ps1 -Task Demo' in a fresh pwsh.
#>
param([Parameter(Mandatory)][string] $ModuleManifest)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest

Write-Host '# Step 13: TriggerAuthentication (azure-workload) and ScaledObject (prometheus trigger)'
$auth = New-KedaTriggerAuthentication -Name azure-managed-prometheus-trigger-auth -Namespace default
$scaler = New-KedaPrometheusScaler -Name azure-managed-prometheus-scaler -Namespace default `
    -TargetName deployment-name-to-be-scaled `
    -ServerAddress https://test-azure-monitor-workspace-name-1234.eastus.prometheus.monitor.azure.com `
    -Query 'sum(rate(http_requests_total{deployment="my-deployment"}[2m]))' `
    -Threshold 100.50 -ActivationThreshold 5.5 -MinReplicaCount 1 -MaxReplicaCount 20 `
    -TriggerAuthentication $auth
$auth, $scaler | Format-Table | Out-String | Write-Host
$auth, $scaler | ConvertTo-KedaYaml | Write-Host

Write-Host '# What KEDA would refuse, refused before it reaches the cluster:'
foreach ($case in @(
        @{ Threshold = '1,000' }
        @{ Threshold = '0.0001' }
        @{ Threshold = '10'; Metadata = @{ ignoreNullValues = 'yes' } }
    )) {
    try {
        $metadata = if ($case.ContainsKey('Metadata')) { $case.Metadata } else { @{} }
        New-KedaPrometheusScaler -Name demo -TargetName web -ServerAddress http://prometheus.monitoring:9090 -Query 'sum(up)' `
            -Threshold $case.Threshold -Metadata $metadata | Out-Null
    }
    catch {
        Write-Host ("  {0}`n    {1}" -f $_.FullyQualifiedErrorId, $_.Exception.Message)
    }
}
