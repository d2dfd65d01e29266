# Install-KedaHelm's pre-flight refusals that need no real helm: a -Version that disagrees with -ChartPath's chart is
# refused (ChartVersionMismatch) before helm installs anything. A stand-in helm records every call it gets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-helmpre-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $Work | Out-Null
    # The shared fixtures' real chart when present, otherwise a minimal chart folder of the same version.
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    if (-not (Test-Path (Join-Path $Chart 'Chart.yaml'))) {
        $script:Chart = Join-Path $Work 'keda'
        New-Item -ItemType Directory $Chart | Out-Null
        Set-Content (Join-Path $Chart 'Chart.yaml') "apiVersion: v2`nname: keda`nversion: 2.20.2`nappVersion: 2.20.2"
        Set-Content (Join-Path $Chart 'values.yaml') "serviceAccount:`n  operator:`n    create: true`n    name: keda-operator"
    }
    $script:ChartVersion = ((Get-Content (Join-Path $Chart 'Chart.yaml')) -match '^version:' | Select-Object -First 1) -replace '^version:\s*', ''
    $script:Calls = Join-Path $Work 'helm-calls.log'
    $script:Helm = Join-Path $Work 'helm'
    Set-Content $Helm "#!/bin/sh`necho `"`$*`" >> '$Calls'`nif [ `"`$1`" = version ]; then echo v3.17.3+gdeadbee; exit 0; fi`nexit 1"
    if (-not $IsWindows) { chmod +x $Helm }
}

AfterAll { Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue }

Describe 'Install-KedaHelm pre-flight' {
    It 'refuses -Version other than -ChartPath''s chart with ChartVersionMismatch before helm runs' -Skip:$IsWindows {
        $sandbox = Start-KedaSandbox -Scenario keda-helm -NoPrincipalDelay
        try {
            $writes = (Invoke-Sandbox $sandbox 'stats').writes
            $kubeWrites = (Invoke-Sandbox $sandbox 'stats').kubernetesWrites
            $record = $null
            try { Install-KedaHelm -ClientId ([guid]::NewGuid()) -KubeconfigPath $sandbox.kubeconfig -ChartPath $Chart -Version 2.16.1 -HelmPath $Helm } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'ChartVersionMismatch,KedaAks.Commands.InstallKedaHelmCommand'
            $record.Exception.Message | Should -Match "-Version 2\.16\.1 disagrees with the chart .* version $([regex]::Escape($ChartVersion))"
            $record.ErrorDetails.RecommendedAction | Should -Match 'Drop -Version'
            @(Get-Content $Calls -ErrorAction SilentlyContinue | Where-Object { $_ -notmatch '^version' }) | Should -BeNullOrEmpty -Because 'helm only reported its version'
            (Invoke-Sandbox $sandbox 'stats').writes | Should -Be $writes
            (Invoke-Sandbox $sandbox 'stats').kubernetesWrites | Should -Be $kubeWrites -Because 'nothing may be written to the cluster either'
        }
        finally { Stop-KedaSandbox $sandbox }
    }
}
