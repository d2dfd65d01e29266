<#
.SYNOPSIS
    Start-up and apply speed, each a median of alternating runs: Import-Module plus the first New-KedaPrometheusScaler
    in a new pwsh against a bare pwsh; the first Deploy-KedaResource in a process against the second; and
    Deploy-KedaResource -Path of 500 unchanged ScaledObjects in a new pwsh (beyond the bare pwsh start) against the
    real kubectl's whole-process 'apply --server-side -f' of the same file against the same sandbox API server.
    Run by 'build.ps1 -Task Benchmark'; -Json prints one JSON line of the figures last.
#>
param([Parameter(Mandatory)][string] $ModuleManifest, [string] $Kubectl, [int] $Runs = 5, [int] $Objects = 500, [switch] $Json)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'KedaAks.Sandbox/KedaAks.Sandbox.psm1')

function Get-Pwsh {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { , @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { , @($process) }
}

function Measure-Process([string] $File, [string[]] $Arguments) {
    # Wall-clock seconds of one whole process, its output discarded; a failure stops the benchmark.
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed ($LASTEXITCODE): $($output | Select-Object -Last 5)" }
    $clock.Elapsed.TotalSeconds
}

function Get-Median([double[]] $Values) { ($Values | Sort-Object)[[int][math]::Floor($Values.Count / 2)] }

function Measure-FirstAndSecond([string] $Script, [string[]] $Names) {
    # $Runs new processes of $Script, whose last line is 'first-ms second-ms jit-methods-of-the-first'; the ScaledObjects $Names it
    # made in the sandbox's default namespace are deleted after each run. Medians of the times, of first/second and of the JIT count.
    $runs = foreach ($i in 1..$Runs) {
        $line = (& $pwsh[0] @($prefix + $Script)) | Select-Object -Last 1
        $ms = $line -split ' ' | ForEach-Object { [double]$_ }
        foreach ($n in $Names) { $null = Invoke-SandboxCluster $sandbox "/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/$n" -Method Delete }
        [pscustomobject]@{ First = $ms[0]; Second = $ms[1]; Ratio = $ms[0] / [math]::Max(1, $ms[1]); Jit = $ms[2] }
    }
    [pscustomobject]@{
        First = [math]::Round((Get-Median $runs.First)); Second = [math]::Round((Get-Median $runs.Second))
        Ratio = [math]::Round((Get-Median $runs.Ratio), 2); Jit = Get-Median $runs.Jit
    }
}

$pwsh = Get-Pwsh
$prefix = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command')
$figures = [ordered]@{}

# 1. Start-up: Import-Module + the first New-KedaPrometheusScaler, against pwsh -NoProfile -c 1 (alternating).
$scaler = "Import-Module '$ModuleManifest'; `$null = New-KedaPrometheusScaler -Name s -TargetName d " +
    "-ServerAddress https://ws.eastus.prometheus.monitor.azure.com -Query 'sum(up)' -Threshold 10 -TriggerAuthentication a"
$null = Measure-Process $pwsh[0] ($prefix + '1')   # disk cache
# The floor any binary module meets in this PowerShell: importing one that ships with it (Microsoft.PowerShell.Security).
$builtin = 'Import-Module Microsoft.PowerShell.Security'
$bare = [Collections.Generic.List[double]]::new(); $import = [Collections.Generic.List[double]]::new(); $floor = [Collections.Generic.List[double]]::new()
foreach ($i in 1..$Runs) {
    $bare.Add((Measure-Process $pwsh[0] ($prefix + '1')))
    $import.Add((Measure-Process $pwsh[0] ($prefix + $scaler)))
    $floor.Add((Measure-Process $pwsh[0] ($prefix + $builtin)))
}
$figures.barePwsh = [math]::Round((Get-Median $bare), 3)
$figures.importAndFirstCmdlet = [math]::Round((Get-Median $import), 3)
$figures.importCostMs = [math]::Round(((Get-Median $import) - (Get-Median $bare)) * 1000)
$figures.builtinImportCostMs = [math]::Round(((Get-Median $floor) - (Get-Median $bare)) * 1000)

# What each of those start-ups compiles: this PowerShell is IL, so its own code is JIT-compiled as it first runs. The methods the
# whole process JIT-compiled (JitInfo), median of 3, in runs not timed above; ours and Security's are counted beyond the bare pwsh's.
function Get-JitMethods([string] $Command) {
    $counts = foreach ($i in 1..3) {
        $line = (& $pwsh[0] @($prefix + "$Command; 'jit ' + [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)")) | Select-Object -Last 1
        if ($line -notmatch '^jit (\d+)$') { throw "No JIT count from '$Command': $line" }
        [double]$Matches[1]
    }
    Get-Median $counts
}
$figures.barePwshJitMethods = Get-JitMethods '$null = 1'
$figures.importJitMethods = (Get-JitMethods $scaler) - $figures.barePwshJitMethods
$figures.builtinImportJitMethods = (Get-JitMethods $builtin) - $figures.barePwshJitMethods

$crds = Join-Path $PSScriptRoot '../../shared/fixtures/keda/crds'
if (-not (Test-Path $crds) -and $env:KEDAAKS_TEST_FIXTURES) { $crds = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds' }
if (-not (Test-Path $crds)) {
    Write-Host 'Apply speed not measured: ../shared/fixtures is absent (no KEDA CRDs for the sandbox).'
}
else {
    $sandbox = Start-KedaSandbox -Scenario keda-crds
    $work = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-bench-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $work | Out-Null
    try {
        # 2. The first Deploy-KedaResource in a process against the second (one new ScaledObject each).
        $firstSecond = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$a = New-KedaPrometheusScaler -Name first -Namespace default -TargetName web-first -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 10
`$b = New-KedaPrometheusScaler -Name second -Namespace default -TargetName web-second -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 10
`$null = Connect-KedaCluster -KubeconfigPath '$($sandbox.kubeconfig)'
`$jit = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)
`$one = Measure-Command { `$null = `$a | Deploy-KedaResource }
`$jit = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false) - `$jit
`$two = Measure-Command { `$null = `$b | Deploy-KedaResource }
'{0} {1} {2}' -f `$one.TotalMilliseconds, `$two.TotalMilliseconds, `$jit
"@
        $deploys = Measure-FirstAndSecond $firstSecond 'first', 'second'
        $figures.firstDeployJitMethods = $deploys.Jit
        $figures.firstDeployMs = $deploys.First
        $figures.secondDeployMs = $deploys.Second
        $figures.firstToSecond = $deploys.Ratio

        # The same shape done by PowerShell's own Invoke-RestMethod: after one GET (the connection proven), the first
        # server-side apply of a ScaledObject in a process against the second: what any command pays here for its first call.
        $token = Get-SandboxKubeToken $sandbox
        $restFirstSecond = @"
`$ErrorActionPreference = 'Stop'
`$headers = @{ Authorization = 'Bearer $token' }
`$null = Invoke-RestMethod -Uri '$($sandbox.url)/version' -Headers `$headers
`$apply = { param(`$n) Invoke-RestMethod -Method Patch -Uri "$($sandbox.url)/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/`$n``?fieldManager=bench" -Headers `$headers ``
    -ContentType 'application/apply-patch+yaml' -Body (@{ apiVersion = 'keda.sh/v1alpha1'; kind = 'ScaledObject'; metadata = @{ name = `$n; namespace = 'default' }
        spec = @{ scaleTargetRef = @{ name = "web-`$n" }
            triggers = @(@{ type = 'prometheus'; metadata = @{ serverAddress = 'http://prometheus:9090'; query = 'sum(up)'; threshold = '10' } }) } } | ConvertTo-Json -Depth 9) }
`$jit = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)
`$one = Measure-Command { `$null = & `$apply rest-first }
`$jit = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false) - `$jit
`$two = Measure-Command { `$null = & `$apply rest-second }
'{0} {1} {2}' -f `$one.TotalMilliseconds, `$two.TotalMilliseconds, `$jit
"@
        $rest = Measure-FirstAndSecond $restFirstSecond 'rest-first', 'rest-second'
        $figures.restFirstJitMethods = $rest.Jit
        $figures.restFirstMs = $rest.First
        $figures.restSecondMs = $rest.Second
        $figures.restFirstToSecond = $rest.Ratio

        # 3. 500 unchanged ScaledObjects from one file: Deploy-KedaResource -Path in a new pwsh against kubectl apply --server-side.
        $file = Join-Path $work 'scaledobjects.yaml'
        $documents = foreach ($n in 1..$Objects) {
            "apiVersion: keda.sh/v1alpha1`nkind: ScaledObject`nmetadata:`n  name: bulk-$n`n  namespace: default`nspec:`n  scaleTargetRef:`n    name: web-$n`n" +
            "  triggers:`n  - type: prometheus`n    metadata:`n      serverAddress: http://prometheus.monitoring:9090`n      query: sum(up)`n      threshold: '10'"
        }
        Set-Content $file ($documents -join "`n---`n")
        $deploy = "Import-Module '$ModuleManifest'; `$null = Deploy-KedaResource -Path '$file' -KubeconfigPath '$($sandbox.kubeconfig)' -ErrorAction Stop"
        $null = Measure-Process $pwsh[0] ($prefix + $deploy)   # creates them; every later run finds them unchanged
        $kubectlArguments = @('apply', '--server-side', '-f', $file, '--kubeconfig', $sandbox.kubeconfig)
        if ($Kubectl) { $null = Measure-Process $Kubectl $kubectlArguments }   # its discovery cache, as a user's would be warm
        $bareRuns = [Collections.Generic.List[double]]::new(); $moduleRuns = [Collections.Generic.List[double]]::new(); $kubectlRuns = [Collections.Generic.List[double]]::new()
        # The three run as on a user's machine: the kubeconfig names the API server's CA, and SSL_CERT_FILE (the sandbox's extra bundle, which
        # only its ARM and Entra stand-ins need) is unset, so .NET reads the machine's roots once, from /etc/ssl/certs, and not that bundle too.
        $bundle = $env:SSL_CERT_FILE
        Remove-Item Env:SSL_CERT_FILE -ErrorAction Ignore
        try {
            foreach ($i in 1..$Runs) {
                $bareRuns.Add((Measure-Process $pwsh[0] ($prefix + '1')))
                $moduleRuns.Add((Measure-Process $pwsh[0] ($prefix + $deploy)))
                if ($Kubectl) { $kubectlRuns.Add((Measure-Process $Kubectl $kubectlArguments)) }
            }
        }
        finally {
            $env:SSL_CERT_FILE = $bundle
        }
        $figures.applyObjects = $Objects
        $figures.applyModuleBeyondPwsh = [math]::Round((Get-Median $moduleRuns) - (Get-Median $bareRuns), 3)
        if ($Kubectl) {
            $figures.applyKubectl = [math]::Round((Get-Median $kubectlRuns), 3)
            $figures.applyRatio = [math]::Round($figures.applyModuleBeyondPwsh / $figures.applyKubectl, 2)
        }
        $stats = Invoke-Sandbox $sandbox 'stats'
        $figures.sandboxRequests = $stats.requests
    }
    finally {
        Stop-KedaSandbox $sandbox
        Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Write-Host ('Start-up (median of {0} alternating runs): bare pwsh {1:N3} s; Import-Module + first New-KedaPrometheusScaler {2:N3} s; cost {3} ms (target <= 60 ms) {4}' -f
    $Runs, $figures.barePwsh, $figures.importAndFirstCmdlet, $figures.importCostMs, $(if ($figures.importCostMs -le 60) { 'OK' } else { 'OVER TARGET' }))
Write-Host ('  for comparison, Import-Module Microsoft.PowerShell.Security (a binary module PowerShell ships) costs {0} ms over bare pwsh' -f $figures.builtinImportCostMs)
Write-Host ('  JIT-compiled methods (this PowerShell is IL): bare pwsh {0}; Import-Module KedaAks + first cmdlet {1} more; Import-Module Security {2} more' -f
    $figures.barePwshJitMethods, $figures.importJitMethods, $figures.builtinImportJitMethods)
if ($figures.Contains('firstToSecond')) {
    Write-Host ('First Deploy-KedaResource in a process {0} ms, the second {1} ms: {2}x (target <= 1.5x) {3}' -f
        $figures.firstDeployMs, $figures.secondDeployMs, $figures.firstToSecond, $(if ($figures.firstToSecond -le 1.5) { 'OK' } else { 'OVER TARGET' }))
    Write-Host ('  for comparison, Invoke-RestMethod''s first server-side apply in a process {0} ms, its second {1} ms: {2}x' -f
        $figures.restFirstMs, $figures.restSecondMs, $figures.restFirstToSecond)
    Write-Host ('  JIT-compiled methods during the first call: Deploy-KedaResource {0}, Invoke-RestMethod {1}' -f
        $figures.firstDeployJitMethods, $figures.restFirstJitMethods)
}
if ($figures.Contains('applyModuleBeyondPwsh')) {
    $kubectlText = if ($figures.Contains('applyKubectl')) { '{0:N3} s' -f $figures.applyKubectl } else { 'not measured (no kubectl from the npm layer)' }
    Write-Host ('{0} unchanged ScaledObjects from a file: Deploy-KedaResource -Path {1:N3} s beyond the bare pwsh start; kubectl apply --server-side (whole process) {2}' -f
        $Objects, $figures.applyModuleBeyondPwsh, $kubectlText)
    Write-Host '  (both trust the kubeconfig''s CA; SSL_CERT_FILE, the sandbox bundle only its ARM and Entra stand-ins need, is unset, as on a user''s machine)'
    if ($figures.Contains('applyRatio')) {
        Write-Host ('  ratio {0}x kubectl (target <= 1.0x) {1}' -f $figures.applyRatio, $(if ($figures.applyRatio -le 1.0) { 'OK' } else { 'OVER TARGET' }))
    }
}
if ($Json) { $figures | ConvertTo-Json -Compress }
