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

function Get-TestHelm {
    # The first real helm binary build.ps1 provided (KEDAAKS_TEST_HELM), or $null.
    @(($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator) | Where-Object { $_ -and (Test-Path $_) })[0]
}

function Invoke-ArticleFlow {
    <#
    .SYNOPSIS
        The article's whole flow against a sandbox, as one command: Install-KedaAksIntegration (cluster update, identity,
        federated credential, Monitoring Data Reader, namespace and service account, KEDA by Helm from the local chart, the
        proof of the federation, every integration check), then the cluster connection the other cmdlets use.
        Signs in with the sandbox's app from the environment (Set-SandboxEnvironment first). $Common is splatted
        onto every cmdlet (e.g. @{ Verbose = $true; Debug = $true }). Stops at the first error (-ErrorAction Stop).
    #>
    param([Parameter(Mandatory)][pscustomobject] $Sandbox, [Parameter(Mandatory)][string] $Helm, [Parameter(Mandatory)][string] $Chart,
        [hashtable] $Common = @{}, [int] $Timeout = 120)
    $ErrorActionPreference = 'Stop'
    $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment @Common
    $workspace = Get-KedaMonitorWorkspace -ResourceGroupName $Sandbox.resourceGroup -Name $Sandbox.workspaceName @Common
    $result = Install-KedaAksIntegration -ResourceGroupName $Sandbox.resourceGroup -ClusterName $Sandbox.clusterName -MonitorWorkspace $workspace `
        -ChartPath $Chart -HelmPath $Helm -Timeout $Timeout @Common
    $connection = $result.Cluster | Connect-KedaCluster @Common
    [pscustomobject]@{ Workspace = $workspace; Cluster = $result.Cluster; Identity = $result.WorkloadIdentity; Connection = $connection
        ServiceAccount = $result.ServiceAccount; Installation = $result.Installation; Proof = $result.Proof; Checks = $result.Checks; Result = $result }
}

function Write-TrustFigure {
    # The suites' figures (faults, cancellation, concurrency, bad input), one format, one place: 'TRUST <suite>: key=value ...'.
    param([Parameter(Mandatory)][string] $Suite, [Parameter(Mandatory)][System.Collections.IDictionary] $Figures)
    $text = ($Figures.GetEnumerator() | ForEach-Object { '{0}={1}' -f $_.Key, $(if ($_.Value -is [System.Collections.IDictionary]) {
        '{' + (($_.Value.GetEnumerator() | ForEach-Object { "$($_.Key):$($_.Value)" }) -join ',') + '}' } else { $_.Value }) }) -join ' '
    Write-Host "TRUST $($Suite): $text"
}

function New-UnreachableKubeconfig([string] $Path, [string[]] $Context = @('c')) {
    # A kubeconfig whose contexts (the first one current) name a loopback port nothing listens on, with a static token; in flow style.
    $contexts = @($Context | ForEach-Object { "- { name: '$($_ -replace "'", "''")', context: { cluster: c, user: u } }" }) -join "`n"
    Set-Content $Path ("apiVersion: v1`nkind: Config`ncurrent-context: '$($Context[0] -replace "'", "''")'`n" +
        "clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]`nusers: [{ name: u, user: { token: t } }]`ncontexts:`n$contexts")
}
