# Shared by the Pester files: where the built module is, and how to run code in a new pwsh process.

$script:ModuleManifest = $env:KEDAAKS_TEST_MODULE
if (-not $script:ModuleManifest -or -not (Test-Path $script:ModuleManifest)) {
    throw 'KEDAAKS_TEST_MODULE must name the built module manifest (out/KedaAks/<version>/KedaAks.psd1); run build.ps1 -Task Test.'
}
$script:ModuleDirectory = Split-Path $script:ModuleManifest
$script:NuGetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }

function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @($process) }
}

function Invoke-ChildPwsh {
    # Runs $Script in a new pwsh (nothing this test session loaded is there) and returns exit code and streams.
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 120)
    $pwsh = Get-PwshCommand
    $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script)) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $info.Environment['NO_COLOR'] = '1'
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = $Environment[$key] }
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { $process.Kill($true); throw "Child pwsh did not finish in $TimeoutSeconds s." }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
}

# The sandbox's own PowerShell helpers (start, stop, control, sign-in variables).
Import-Module (Join-Path $PSScriptRoot '../KedaAks.Sandbox/KedaAks.Sandbox.psm1') -Force
