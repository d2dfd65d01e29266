@{
    # The one version number of KedaAks: build.ps1 stamps it into every assembly and the built manifest.
    ModuleVersion        = '0.1.0'
    RootModule           = 'KedaAks.dll'
    GUID                 = '5d0f3c2e-8a41-4f6b-9c1e-2b7a4d9e6f10'
    Author               = 'KedaAks contributors'
    CompanyName          = 'KedaAks'
    Copyright            = '(c) KedaAks contributors. All rights reserved.'
    Description          = @'
KEDA on AKS, scaling on Azure Managed Prometheus, authenticated with Entra Workload ID, as one composable PowerShell pipeline:
cluster, identity, federated credential, role assignment, service account, Helm install, KEDA resources and diagnosis.
'@
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('KedaAks.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-KedaAzure'
        'Connect-KedaCluster'
        'ConvertTo-KedaYaml'
        'Deploy-KedaResource'
        'Disable-KedaAksAddon'
        'Enable-KedaAksAddon'
        'Enable-KedaAksWorkloadIdentity'
        'Export-KedaGitOpsBundle'
        'Get-KedaAksCluster'
        'Get-KedaInstallation'
        'Get-KedaIntegrationPlan'
        'Get-KedaMonitorWorkspace'
        'Get-KedaOperatorLog'
        'Get-KedaScaledObject'
        'Get-KedaTriggerAuthentication'
        'Grant-KedaMonitorWorkspaceAccess'
        'Install-KedaAksIntegration'
        'Install-KedaHelm'
        'Invoke-KedaScalingReplay'
        'New-KedaPrometheusScaler'
        'New-KedaServiceAccount'
        'New-KedaTriggerAuthentication'
        'New-KedaWorkloadIdentity'
        'Remove-KedaScaledObject'
        'Remove-KedaTriggerAuthentication'
        'Remove-KedaWorkloadIdentity'
        'Resolve-KedaError'
        'Restart-KedaOperator'
        'Search-KedaAksCluster'
        'Test-KedaIntegration'
        'Test-KedaPrometheusQuery'
        'Uninstall-KedaAksIntegration'
        'Uninstall-KedaHelm'
        'Wait-KedaWorkloadIdentity'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('KEDA', 'AKS', 'Azure', 'Kubernetes', 'Prometheus', 'WorkloadIdentity', 'Autoscaling', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri = 'https://github.com/kedaaks/KedaAks'
            LicenseUri = 'https://github.com/kedaaks/KedaAks/blob/main/LICENSE'
        }
    }
}
