#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages KedaAks.
.DESCRIPTION
    Clean     removes out/ and every bin/ and obj/.
    Build     publishes an importable module to out/KedaAks/<version>/ (cmdlets and contracts at the root,
              the engine and every third-party DLL under deps/, format file, MAML help, about topic) and
              verifies its layout.
    Help      converts module/help/en-US/*.md and the built cmdlets' metadata into MAML (part of Build).
    Test      Build + Package, then the xunit projects and the Pester suite against the built module in a
              fresh pwsh; prints both summaries and one final 'N passed, N failed, N skipped' line.
              Without prometheus on PATH (.ci/run installs Debian's package) its tests are skipped.
    Demo      Build, then the module's main job on what exists.
    Sandbox   Build, then start the sandbox (-Scenario presets, default workload-identity; a real Prometheus when installed) on
              -Port (default: any free one), print the environment and Connect-KedaAzure lines to paste into another pwsh,
              and wait until Ctrl+C; stops the sandbox and Prometheus cleanly.
    Package   out/KedaAks.zip (Azure Automation layout) and a .nupkg in the local repository out/repository.
    Benchmark start-up cost of Import-Module plus the first cmdlet, against a bare pwsh.
    Lint      lists tracked code files' lines longer than .editorconfig's max_line_length; fails when any.
              Not part of Test or All yet.
    All       Clean, Build, Test, Package.

    The work is in tools/: Common.ps1 (paths, native commands, fresh pwsh), Module.ps1 (clean, build,
    layout check, help), MamlHelp.ps1 (markdown to MAML), Helm.ps1 (helm and kubectl fetchers), Sandbox.ps1 (sandbox,
    trust, demo), Test.ps1 (xunit, Pester, summary), Package.ps1, Benchmark.ps1 and Test-LineLength.ps1.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Lint
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Sandbox -Scenario fresh
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Help', 'Test', 'Demo', 'Sandbox', 'Package', 'Benchmark', 'Lint', 'All')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Skip the Build step of Test, Demo, Sandbox, Package and Benchmark (use what is in out/).
    [switch] $NoBuild,

    # Sandbox: the scenario presets to start with (fresh, oidc, workload-identity, keda-crds, keda-helm, aks-addon; tests/KedaAks.Sandbox/README.md).
    [string[]] $Scenario = @('workload-identity'),

    # Sandbox: the loopback port (0: any free one).
    [ValidateRange(0, 65535)]
    [int] $Port = 0
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if ($env:CI) { $PSStyle.OutputRendering = 'PlainText' }
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$tools = Join-Path $PSScriptRoot 'tools'
foreach ($file in 'Common', 'Module', 'MamlHelp', 'Helm', 'Sandbox', 'Test', 'Package', 'Benchmark') {
    . (Join-Path $tools "$file.ps1")
}
$context = New-BuildContext -Root $PSScriptRoot -Configuration $Configuration -BuildScript $PSCommandPath

function Invoke-Lint {
    $limit = Join-Path $tools 'Test-LineLength.ps1'
    Write-Step 'Lint: lines longer than .editorconfig''s max_line_length'
    $long = @(& $limit -Root $context.Root)
    foreach ($group in $long | Group-Object Path) {
        Write-Host ("{0}: {1} line(s), longest {2}, at {3}" -f $group.Name, $group.Count,
            ($group.Group.Length | Measure-Object -Maximum).Maximum, ($group.Group.Line -join ', '))
    }
    if ($long.Count) { throw "$($long.Count) line(s) in $(@($long.Path | Sort-Object -Unique).Count) file(s) are too long." }
    Write-Step 'No line is too long.'
}

switch ($Task) {
    'Clean' { Invoke-ModuleClean -Context $context }
    'Build' { Invoke-ModuleBuild -Context $context }
    'Help' { Invoke-ModuleHelp -Context $context }
    'Test' { if (-not $NoBuild) { Invoke-ModuleBuild -Context $context; New-ModulePackage -Context $context }; Invoke-TestSuite -Context $context }
    'Demo' { if (-not $NoBuild) { Invoke-ModuleBuild -Context $context }; Invoke-Demo -Context $context }
    'Sandbox' { if (-not $NoBuild) { Invoke-ModuleBuild -Context $context }; Invoke-SandboxSession -Context $context -Scenario $Scenario -Port $Port -NoBuild:$NoBuild }
    'Package' { if (-not $NoBuild) { Invoke-ModuleBuild -Context $context }; New-ModulePackage -Context $context }
    'Benchmark' { if (-not $NoBuild) { Invoke-ModuleBuild -Context $context }; Invoke-Benchmark -Context $context }
    'Lint' { Invoke-Lint }
    'All' {
        Invoke-ModuleClean -Context $context; Invoke-ModuleBuild -Context $context
        New-ModulePackage -Context $context; Invoke-TestSuite -Context $context
    }
}
