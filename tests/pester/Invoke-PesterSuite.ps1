<#
.SYNOPSIS
    Runs every *.Tests.ps1 here against the built module, in this (fresh) pwsh, and writes the counts
    to a JSON file for build.ps1. Exit code 0 only when tests ran and none failed.
#>
param(
    [Parameter(Mandatory)][string] $PesterPath,
    [Parameter(Mandatory)][string] $ModuleManifest,
    [Parameter(Mandatory)][string] $ResultDirectory,
    [Parameter(Mandatory)][string] $SummaryPath
)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterPath -MinimumVersion 5.7.1

# What the test files read: the module under test, and where the shared fixtures are (absent in a user's clone).
$env:KEDAAKS_TEST_MODULE = (Resolve-Path $ModuleManifest).Path
$env:KEDAAKS_TEST_FIXTURES = Join-Path $PSScriptRoot '../../../shared/fixtures'

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'
try {
    $result = Invoke-Pester -Configuration $configuration
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
}
catch {
    # A crash of Pester itself (e.g. writing the report) fails the run; it never passes as "no failures".
    Write-Host "Pester failed to complete: $_"
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content $SummaryPath
    exit 1
}
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content $SummaryPath
if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
exit 0
