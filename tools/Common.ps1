# Shared by the build tools: the build's paths, progress lines, native commands and fresh pwsh processes.
# Dot-sourced by build.ps1 (after Set-StrictMode and $ErrorActionPreference = 'Stop').

function New-BuildContext {
    # Every path a task needs, derived from the repository root and the manifest's version.
    param([Parameter(Mandatory)][string] $Root, [Parameter(Mandatory)][string] $Configuration, [string] $BuildScript)
    $name = 'KedaAks'
    $version = (Import-PowerShellDataFile (Join-Path $Root "$name.psd1")).ModuleVersion
    $outDir = Join-Path $Root 'out'
    $moduleDir = Join-Path $outDir $name $version
    $nuGetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES }
                 else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    [pscustomobject]@{
        Root          = $Root
        OutDir        = $outDir
        ModuleName    = $name
        Version       = $version
        ModuleDir     = $moduleDir
        ManifestPath  = Join-Path $moduleDir "$name.psd1"
        Configuration = $Configuration
        NuGetRoot     = $nuGetRoot
        BuildScript   = $BuildScript
    }
}

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
