# The benchmark: start-up cost of Import-Module plus the first cmdlet against a bare pwsh, then the ARM requests
# of the main pipeline (tests/Measure-ArmRequests.ps1 against the sandbox).

function Measure-PwshCommand([string] $Command, [int] $Runs = 7) {
    # Median wall-clock seconds of a new pwsh running $Command.
    $pwsh = Get-PwshCommand
    $prefix = @($pwsh | Select-Object -Skip 1)
    $times = foreach ($i in 1..$Runs) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & $pwsh[0] @($prefix + @('-NoProfile', '-NonInteractive', '-Command', $Command)) | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Benchmark command failed: $Command" }
        $sw.Elapsed.TotalSeconds
    }
    $sorted = $times | Sort-Object
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

function Invoke-Benchmark {
    param([Parameter(Mandatory)][pscustomobject] $Context)
    Write-Step 'Benchmark: Import-Module + first New-KedaPrometheusScaler in a new pwsh, against pwsh -NoProfile -c 1'
    $work = "Import-Module '$($Context.ManifestPath)'; `$null = New-KedaPrometheusScaler -Name s -TargetName d " +
        "-ServerAddress https://ws.eastus.prometheus.monitor.azure.com -Query 'sum(up)' -Threshold 10 -TriggerAuthentication a"
    Measure-PwshCommand '1' | Out-Null  # warm the disk cache
    $bare = Measure-PwshCommand '1'
    $module = Measure-PwshCommand $work
    $delta = $module - $bare
    Write-Host ('pwsh -NoProfile -c 1 (median of 7):           {0:N3} s' -f $bare)
    Write-Host ('Import-Module + first cmdlet (median of 7):   {0:N3} s' -f $module)
    $verdict = if ($delta -le 0.4) { 'OK' } else { 'OVER TARGET' }
    Write-Host ('Cost of KedaAks:                              {0:N3} s (target <= 0.400 s) {1}' -f $delta, $verdict)

    Write-Step 'Benchmark: ARM requests of Get-KedaAksCluster | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity'
    $sandbox = Initialize-Sandbox -Context $Context
    Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Context.Root 'tests/Measure-ArmRequests.ps1') -ArgumentList @('-ModuleManifest', $Context.ManifestPath) |
            Out-Null
    }
}
