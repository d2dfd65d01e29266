# Export-KedaGitOpsBundle with the real tools: the bundle's values.yaml rendered by the real helm (Helm 3 and 4, KEDAAKS_TEST_HELM)
# with the real KEDA chart (../shared/fixtures/keda/chart), and its kustomizations built by the real kubectl of the same npm layer
# (KEDAAKS_TEST_KUBECTL, never the machine's). Then the bundle from a cluster against the sandbox: read-only (no ARM or Kubernetes write),
# -WhatIf writes nothing, a non-empty folder is refused without -Force.
BeforeDiscovery {
    $script:Chart = Join-Path "$env:KEDAAKS_TEST_FIXTURES" 'keda/chart'
    $script:FlatChart = Join-Path "$env:KEDAAKS_TEST_FIXTURES" 'keda/chart-flat'
    $script:HelmCases = @(("$env:KEDAAKS_TEST_HELM" -split [IO.Path]::PathSeparator) | Where-Object { $_ -and (Test-Path $_) } |
        ForEach-Object { @{ Helm = $_; Label = (& $_ version --short 2>$null) } })
    $script:HelmSkip = if (-not (Test-Path (Join-Path $Chart 'Chart.yaml'))) { 'the shared fixtures (keda/chart) are absent' }
    elseif ($HelmCases.Count -eq 0) { 'no helm binary was provided (build.ps1 fetches them from the npm registry)' }
    $script:FlatSkip = if (-not (Test-Path (Join-Path $FlatChart 'Chart.yaml'))) { 'no chart fixture with the flat serviceAccount.* layout (a chart before 2.14) is in ../shared/fixtures' }
    $script:KubectlSkip = if (-not $env:KEDAAKS_TEST_KUBECTL -or -not (Test-Path $env:KEDAAKS_TEST_KUBECTL)) {
        'no kubectl was provided (KEDAAKS_TEST_KUBECTL: build.ps1 fetches the npm layer''s kubectl)' }
    if ($HelmSkip) { Write-Warning "GitOps helm tests skipped: $HelmSkip." }
    if ($FlatSkip) { Write-Warning "GitOps flat-layout test skipped: $FlatSkip." }
    if ($KubectlSkip) { Write-Warning "GitOps kustomize tests skipped: $KubectlSkip." }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Chart = Join-Path "$env:KEDAAKS_TEST_FIXTURES" 'keda/chart'
    $script:FlatChart = Join-Path "$env:KEDAAKS_TEST_FIXTURES" 'keda/chart-flat'
    $script:Temp = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-gitops-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $Temp | Out-Null
    foreach ($name in 'CACHE', 'CONFIG', 'DATA') { Set-Item "env:HELM_$($name)_HOME" (Join-Path $Temp "helm-$($name.ToLowerInvariant())") }
    $script:ClientId = '5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d'
    $script:TenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'

    function script:New-BundlePath { Join-Path $Temp "bundle-$([guid]::NewGuid().ToString('N'))" }

    function script:Invoke-Tool([string] $Tool, [string[]] $Arguments) {
        $output = & $Tool @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "$Tool $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join "`n")" }
        $output -join "`n"
    }

    function script:Get-Documents([string] $Yaml) {
        # Each document's kind, name and namespace (helm template and kubectl kustomize print plain YAML with '---' separators).
        foreach ($document in ($Yaml -split "(?m)^---\s*$")) {
            if ($document -match '(?m)^kind:\s*(\S+)') {
                $kind = $Matches[1]
                $name = if ($document -match '(?m)^metadata:\r?\n(?:  .*\r?\n)*?  name:\s*(\S+)') { $Matches[1] }
                $namespace = if ($document -match '(?m)^metadata:\r?\n(?:  .*\r?\n)*?  namespace:\s*(\S+)') { $Matches[1] }
                [pscustomobject]@{ Kind = $kind; Name = $name; Namespace = $namespace; Text = $document }
            }
        }
    }

    function script:Get-Indented([string] $Path, [int] $Spaces) {
        # A file's lines, each indented by $Spaces: how the values file appears inside the HelmRelease and the Application.
        ((Get-Content $Path) | ForEach-Object { (' ' * $Spaces) + $_ }) -join "`n"
    }

    $script:Auth = New-KedaTriggerAuthentication -Name azure-managed-prometheus-trigger-auth -Namespace app -IdentityId $ClientId
    $script:Scaler = New-KedaPrometheusScaler -Name web -Namespace app -TargetName web -ServerAddress https://amw-1234.eastus.prometheus.monitor.azure.com `
        -Query 'sum(rate(http_requests_total{deployment="web"}[2m]))' -Threshold 100 -TriggerAuthentication $Auth
}

AfterAll {
    foreach ($name in 'CACHE', 'CONFIG', 'DATA') { Remove-Item "env:HELM_$($name)_HOME" -ErrorAction SilentlyContinue }
    Remove-Item $Temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The bundle''s values rendered by the real helm (<Label>)' -ForEach $HelmCases -Skip:([bool]$HelmSkip) {
    It 'labels the operator pod for workload identity and leaves exactly one keda-operator ServiceAccount: the bundle''s (nested layout, chart 2.20.2)' {
        $path = New-BundlePath
        $bundle = Export-KedaGitOpsBundle -Path $path -ClientId $ClientId -TenantId $TenantId -ChartPath $Chart
        $bundle.ChartVersion | Should -Be '2.20.2'
        $bundle.ValueLayout | Should -Be 'serviceAccount.operator.*'
        $rendered = @(Get-Documents (Invoke-Tool $Helm @('template', 'keda', $Chart, '--namespace', 'keda', '-f', (Join-Path $path 'values.yaml'))))
        $operator = @($rendered | Where-Object { $_.Kind -eq 'Deployment' -and $_.Name -eq 'keda-operator' })
        $operator.Count | Should -Be 1
        $template = ($operator[0].Text -split '(?m)^  template:')[1]
        $template | Should -Match '(?m)^      labels:(\r?\n        .*)*?\r?\n        azure\.workload\.identity/use:\s*"true"'
        $template | Should -Match '(?m)^      serviceAccountName:\s*keda-operator\s*$'

        $own = @(Get-Documents (Get-Content (Join-Path $path 'serviceaccount.yaml') -Raw))
        $accounts = @(@($rendered) + $own | Where-Object { $_.Kind -eq 'ServiceAccount' -and $_.Name -eq 'keda-operator' })
        $accounts.Count | Should -Be 1 -Because 'the chart must not create the account the bundle brings'
        $accounts[0].Text | Should -Match "azure\.workload\.identity/client-id:\s*`"?$ClientId"
        $accounts[0].Text | Should -Match "azure\.workload\.identity/tenant-id:\s*`"?$TenantId"
        $accounts[0].Namespace | Should -Be 'keda'
    }

    It 'carries the same values in the HelmRelease and the Argo CD Application, pinned to the chart version' {
        $path = New-BundlePath
        $null = Export-KedaGitOpsBundle -Path $path -ClientId $ClientId -TenantId $TenantId -Version 2.20.2 -Set @{ 'operator.replicaCount' = 2 }
        $release = Get-Content (Join-Path $path 'helmrelease.yaml') -Raw
        $release | Should -Match '(?m)^apiVersion: helm\.toolkit\.fluxcd\.io/v2$'
        $release | Should -Match '(?m)^      version: 2\.20\.2$'
        $release.Replace("`r", '') | Should -BeLike "*  values:`n$(Get-Indented (Join-Path $path 'values.yaml') 4)*"
        $application = Get-Content (Join-Path $path 'argocd-application.yaml') -Raw
        $application | Should -Match '(?m)^    targetRevision: 2\.20\.2$'
        $application.Replace("`r", '') | Should -BeLike "*      valuesObject:`n$(Get-Indented (Join-Path $path 'values.yaml') 8)*"
        $rendered = @(Get-Documents (Invoke-Tool $Helm @('template', 'keda', $Chart, '--namespace', 'keda', '-f', (Join-Path $path 'values.yaml'))))
        ($rendered | Where-Object { $_.Kind -eq 'Deployment' -and $_.Name -eq 'keda-operator' }).Text | Should -Match '(?m)^  replicas:\s*2\s*$'
    }

    It 'renders with the flat serviceAccount.* layout of a chart before 2.14' -Skip:([bool]$FlatSkip) {
        $path = New-BundlePath
        $bundle = Export-KedaGitOpsBundle -Path $path -ClientId $ClientId -TenantId $TenantId -ChartPath $FlatChart
        $bundle.ValueLayout | Should -Be 'serviceAccount.*'
        $rendered = @(Get-Documents (Invoke-Tool $Helm @('template', 'keda', $FlatChart, '--namespace', 'keda', '-f', (Join-Path $path 'values.yaml'))))
        @($rendered | Where-Object { $_.Kind -eq 'ServiceAccount' -and $_.Name -eq 'keda-operator' }).Count | Should -Be 0
        ($rendered | Where-Object { $_.Kind -eq 'Deployment' -and $_.Name -eq 'keda-operator' }).Text | Should -Match 'azure\.workload\.identity/use:\s*"true"'
    }
}

Describe 'The bundle built by the real kubectl kustomize' -Skip:([bool]$KubectlSkip) {
    BeforeAll { $script:Kubectl = $env:KEDAAKS_TEST_KUBECTL }

    It 'builds KEDA''s install for Helm and, separately, the KEDA resources' {
        $path = New-BundlePath
        $bundle = $Auth, $Scaler | Export-KedaGitOpsBundle -Path $path -ClientId $ClientId -TenantId $TenantId -Version 2.20.2
        $bundle.ResourceCount | Should -Be 2
        $install = @(Get-Documents (Invoke-Tool $Kubectl @('kustomize', $path)))
        ($install | ForEach-Object { "$($_.Kind)/$($_.Name)" } | Sort-Object) -join ',' | Should -Be 'HelmRelease/keda,HelmRepository/kedacore,Namespace/keda,ServiceAccount/keda-operator'
        ($install | Where-Object Kind -EQ 'HelmRelease').Text | Should -Match 'helm\.toolkit\.fluxcd\.io/v2'
        ($install | Where-Object Kind -EQ 'HelmRepository').Text | Should -Match 'source\.toolkit\.fluxcd\.io/v1'
        $scaling = @(Get-Documents (Invoke-Tool $Kubectl @('kustomize', (Join-Path $path 'scaling'))))
        ($scaling | ForEach-Object { "$($_.Kind)/$($_.Namespace)/$($_.Name)" } | Sort-Object) -join ',' |
            Should -Be 'ScaledObject/app/web,TriggerAuthentication/app/azure-managed-prometheus-trigger-auth'
        $application = @(Get-Documents (Get-Content (Join-Path $path 'argocd-application.yaml') -Raw))
        $application.Kind | Should -Be 'Application'
        $application.Text | Should -Match 'argoproj\.io/v1alpha1'
    }

    It 'builds only the add-on''s ServiceAccount annotation patch for the AKS add-on, with no Helm release' {
        $path = New-BundlePath
        $bundle = $Scaler | Export-KedaGitOpsBundle -Path $path -ClientId $ClientId -TenantId $TenantId -InstallMethod AksAddon
        $bundle.InstallMethod | Should -Be 'AksAddon'
        $bundle.Files | Should -Not -Contain 'helmrelease.yaml'
        $bundle.Files | Should -Not -Contain 'argocd-application.yaml'
        $install = @(Get-Documents (Invoke-Tool $Kubectl @('kustomize', $path)))
        $install.Count | Should -Be 1
        "$($install[0].Kind)/$($install[0].Namespace)/$($install[0].Name)" | Should -Be 'ServiceAccount/kube-system/keda-operator'
        $install[0].Text | Should -Match "azure\.workload\.identity/client-id:\s*`"?$ClientId"
        $install[0].Text | Should -Match 'kustomize\.toolkit\.fluxcd\.io/ssa:\s*merge'
        $install[0].Text | Should -Match 'kustomize\.toolkit\.fluxcd\.io/prune:\s*disabled'
        $install[0].Text | Should -Match 'argocd\.argoproj\.io/sync-options:\s*ServerSideApply=true,Prune=false,Delete=false'
        @(Get-Documents (Invoke-Tool $Kubectl @('kustomize', (Join-Path $path 'scaling')))).Kind | Should -Be 'ScaledObject'
    }
}

Describe 'Export-KedaGitOpsBundle from a cluster, against the sandbox' {
    BeforeAll {
        $script:Sandbox = Start-KedaSandbox -Scenario workload-identity -NoPrincipalDelay
        Set-SandboxEnvironment $Sandbox
        $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        $script:Cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
        $script:Identity = $Cluster | New-KedaWorkloadIdentity
        function script:Get-Stats { Invoke-Sandbox $Sandbox 'stats' }
    }

    AfterAll {
        Stop-KedaSandbox $Sandbox
        Clear-SandboxEnvironment
    }

    It 'reads the identity''s client id and tenant from Azure, and writes nothing to Azure or the cluster' {
        $before = Get-Stats
        $path = New-BundlePath
        $bundle = Export-KedaGitOpsBundle -Path $path -ResourceGroupName keda-rg -ClusterName keda-aks -Version 2.20.2
        $bundle.InstallMethod | Should -Be 'Helm'
        $bundle.ClientId | Should -Be $Identity.ClientId
        $bundle.TenantId | Should -Be $Identity.TenantId
        Get-Content (Join-Path $path 'serviceaccount.yaml') -Raw | Should -Match "azure\.workload\.identity/client-id:\s*`"?$($Identity.ClientId)"
        $after = Get-Stats
        $after.writes | Should -Be $before.writes
        $after.kubernetesWrites | Should -Be $before.kubernetesWrites
    }

    It 'takes a piped WorkloadIdentity without reading Azure' {
        $before = (Get-Stats).requests
        $bundle = $Identity | Export-KedaGitOpsBundle -Path (New-BundlePath) -Version 2.20.2
        $bundle.ClientId | Should -Be $Identity.ClientId
        (Get-Stats).requests | Should -Be $before
    }

    It 'under -WhatIf names every file and writes nothing' {
        $path = New-BundlePath
        $log = Join-Path $Temp "whatif-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -Path $log
        try { $result = Export-KedaGitOpsBundle -Path $path -ResourceGroupName keda-rg -ClusterName keda-aks -Version 2.20.2 -WhatIf } finally { $null = Stop-Transcript }
        $result | Should -BeNullOrEmpty
        Test-Path $path | Should -BeFalse
        $lines = Get-Content $log -Raw
        foreach ($file in 'kustomization.yaml', 'namespace.yaml', 'serviceaccount.yaml', 'helmrepository.yaml', 'helmrelease.yaml', 'values.yaml', 'argocd-application.yaml') {
            $lines | Should -Match ('What if: Performing the operation "Write [^"]+" on target "' + [regex]::Escape((Join-Path $path $file)) + '"')
        }
    }

    It 'refuses a folder that is not empty (PathNotEmpty) unless -Force, and overwrites with -Force' {
        $path = New-BundlePath
        $null = $Identity | Export-KedaGitOpsBundle -Path $path -Version 2.20.2
        Set-Content (Join-Path $path 'helmrelease.yaml') 'stale'
        { $Identity | Export-KedaGitOpsBundle -Path $path -Version 2.20.2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'PathNotEmpty,KedaAks.Commands.ExportKedaGitOpsBundleCommand'
        Get-Content (Join-Path $path 'helmrelease.yaml') -Raw | Should -Match 'stale'
        $null = $Identity | Export-KedaGitOpsBundle -Path $path -Version 2.20.2 -Force
        Get-Content (Join-Path $path 'helmrelease.yaml') -Raw | Should -Match 'kind: HelmRelease'
    }

    It 'says IdentityNotFound, before writing anything, when the named identity does not exist' {
        $path = New-BundlePath
        { Export-KedaGitOpsBundle -Path $path -ResourceGroupName keda-rg -ClusterName keda-aks -IdentityName missing-identity -ErrorAction Stop } |
            Should -Throw -ErrorId 'IdentityNotFound,KedaAks.Commands.ExportKedaGitOpsBundleCommand'
        Test-Path $path | Should -BeFalse
    }

    It 'follows the cluster''s add-on flag with -InstallMethod Auto' {
        $addon = Start-KedaSandbox -Scenario workload-identity, aks-addon -NoPrincipalDelay
        try {
            Set-SandboxEnvironment $addon
            $null = Connect-KedaAzure -ArmEndpoint $addon.armEndpoint -AuthorityHost $addon.authorityHost -TokenSource Environment
            $bundle = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Export-KedaGitOpsBundle -Path (New-BundlePath) -ClientId $ClientId
            $bundle.InstallMethod | Should -Be 'AksAddon'
            "$($bundle.Namespace)/$($bundle.ServiceAccountName)" | Should -Be 'kube-system/keda-operator'
            (Invoke-Sandbox $addon 'stats').writes | Should -Be 0
        }
        finally {
            Stop-KedaSandbox $addon
            Set-SandboxEnvironment $Sandbox
            $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        }
    }
}
