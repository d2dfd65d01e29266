# The test runner: the xunit projects, then the Pester suite in a fresh pwsh against the built module and the
# sandbox, and one plain 'N passed, N failed, N skipped' line with the totals (CI parses it).

function Initialize-TestTools {
    # Returns the path of Pester's manifest. Installs nothing system-wide: .ci/run installs Debian's prometheus.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    if (-not (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)) {
        Write-Warning ('prometheus is not installed (.ci/run installs Debian''s package): ' +
            'the Test-KedaPrometheusQuery tests will be skipped.')
    }

    # Real helm binaries (Helm 3 and Helm 4) for the chart tests; KEDAAKS_TEST_HELM lists them for the suite.
    $env:KEDAAKS_TEST_HELM = (Initialize-Helm -Context $Context) -join [IO.Path]::PathSeparator
    # The real kubectl of the same npm layer (not the machine's) for the kustomize builds of GitOps bundles.
    $env:KEDAAKS_TEST_KUBECTL = @(Initialize-Kubectl -Context $Context) | Select-Object -First 1

    # Pester and the isolation-test libraries come from NuGet into the NuGet cache (NUGET_PACKAGES honoured).
    $project = Join-Path $Context.Root 'tests/pester/Pester.Dependencies.csproj'
    Invoke-Native dotnet @('restore', $project, '--nologo', '-v', 'quiet')
    $pester = Join-Path $Context.NuGetRoot 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored to $pester." }
    $pester
}

function Get-TrxCounts([string] $Directory) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $Directory -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Write-TestSummary([string] $Name, [pscustomobject] $Counts) {
    $total = $Counts.Passed + $Counts.Failed + $Counts.Skipped
    Write-Host ("{0,-15} total {1}, passed {2}, failed {3}, skipped {4}" -f "${Name}:", $total, $Counts.Passed, $Counts.Failed, $Counts.Skipped)
}

function Invoke-TestSuite {
    # Throws (build.ps1 exits non-zero) when any test failed or none ran.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $pester = Initialize-TestTools -Context $Context
    $results = Join-Path $Context.OutDir 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results -Force | Out-Null

    Write-Step 'xunit'
    $xunitFailed = $false
    foreach ($project in Get-ChildItem (Join-Path $Context.Root 'tests') -Recurse -Filter *.Tests.csproj) {
        & dotnet test $project.FullName -c $Context.Configuration --nologo --logger "trx;LogFileName=$($project.BaseName).trx" `
            --results-directory (Join-Path $results 'xunit') --logger 'console;verbosity=minimal'
        if ($LASTEXITCODE -ne 0) { $xunitFailed = $true }
    }
    $xunit = Get-TrxCounts (Join-Path $results 'xunit')
    if ($xunitFailed -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }  # a build or runner failure counts

    Write-Step 'Pester (fresh pwsh, built module, sandbox)'
    $sandbox = Initialize-Sandbox -Context $Context
    $summaryFile = Join-Path $results 'pester-summary.json'
    $suite = Join-Path $Context.Root 'tests/pester/Invoke-PesterSuite.ps1'
    $pesterExit = Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File $suite -AllowFailure -ArgumentList @(
            '-PesterPath', $pester, '-ModuleManifest', $Context.ManifestPath, '-ResultDirectory', $results, '-SummaryPath', $summaryFile)
    }
    $pesterCounts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }  # unless the suite reports otherwise
    if (Test-Path $summaryFile) {
        $reported = Get-Content $summaryFile -Raw | ConvertFrom-Json
        if ($null -ne $reported.Passed -and $null -ne $reported.Failed) { $pesterCounts = $reported }
    }

    Write-Host ''
    Write-TestSummary 'xunit summary' $xunit
    Write-TestSummary 'Pester summary' $pesterCounts
    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { $failed++ }
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0) { throw "$failed test(s) failed." }
    if ($passed -eq 0) { throw 'No test ran.' }
}
