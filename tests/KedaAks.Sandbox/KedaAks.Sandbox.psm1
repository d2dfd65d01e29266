# PowerShell side of the sandbox: start the standalone process (KEDAAKS_SANDBOX names KedaAks.Sandbox.dll,
# KEDAAKS_SANDBOX_CA its CA folder; build.ps1 sets both), talk to its control endpoints, and set the
# environment the module signs in with. Used by the Pester suite and by the demo.

function Start-KedaSandbox {
    # Starts the standalone sandbox (tests/KedaAks.Sandbox) and waits for its description file.
    # -Scenario names presets (fresh, oidc, workload-identity, keda-crds, keda-helm; see README.md), applied in order;
    # -ArgumentList flags then override them. -NoPrincipalDelay: new identities are known to role assignments at once.
    param([int] $Port = 0, [string[]] $Scenario = @(), [switch] $NoPrincipalDelay, [string[]] $ArgumentList = @())
    # An empty -ArgumentList $(...) arrives as $null: no argument, not an empty one.
    $ArgumentList = @(foreach ($name in $Scenario) { '--scenario', $name }) + $(if ($NoPrincipalDelay) { @('--principal-delay', '0') } else { @() }) + @($ArgumentList | Where-Object { $null -ne $_ })
    if (-not $env:KEDAAKS_SANDBOX -or -not (Test-Path $env:KEDAAKS_SANDBOX)) { throw 'KEDAAKS_SANDBOX must name KedaAks.Sandbox.dll; run build.ps1 -Task Test.' }
    $state = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-sandbox-$([guid]::NewGuid().ToString('N'))"
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($env:KEDAAKS_SANDBOX, '--ca-dir', $env:KEDAAKS_SANDBOX_CA, '--state-dir', $state, '--port', "$Port") + $ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $null = $process.StandardOutput.ReadLineAsync()
    $description = Join-Path $state 'sandbox.json'
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Test-Path $description)) {
        if ($process.HasExited) { throw "The sandbox exited: $($process.StandardError.ReadToEnd())" }
        if ([DateTime]::UtcNow -gt $deadline) { $process.Kill($true); throw 'The sandbox did not start within 30 s.' }
        Start-Sleep -Milliseconds 50
    }
    $sandbox = Get-Content $description -Raw | ConvertFrom-Json
    $sandbox | Add-Member -NotePropertyName Process -NotePropertyValue $process
    $sandbox | Add-Member -NotePropertyName StateDirectory -NotePropertyValue $state
    $sandbox
}

function Stop-KedaSandbox($Sandbox) {
    # SIGTERM first (the sandbox shuts down cleanly on it), then a kill if it lingers.
    if ($Sandbox -and -not $Sandbox.Process.HasExited) {
        if ($IsLinux -or $IsMacOS) { & kill -TERM $Sandbox.Process.Id 2>$null }
        if (-not $Sandbox.Process.WaitForExit(5000)) { $Sandbox.Process.Kill($true); $Sandbox.Process.WaitForExit() }
    }
    if ($Sandbox) { Remove-Item $Sandbox.StateDirectory -Recurse -Force -ErrorAction SilentlyContinue }
}

function Invoke-Sandbox($Sandbox, [string] $Control) {
    # The sandbox's control endpoints: stats, resources?type=..., clear-log, faults?rate=..&seed=..
    $result = Invoke-RestMethod -Uri "$($Sandbox.url)/_sandbox/$Control" -Method Get
    $result  # a JSON array is written item by item
}

function Get-SandboxKubeToken($Sandbox) {
    # The bearer token of the sandbox's kubeconfig (a local account).
    (Select-String -Path $Sandbox.kubeconfig -Pattern 'token:\s*(\S+)').Matches[0].Groups[1].Value
}

function Invoke-SandboxCluster([pscustomobject] $Sandbox, [string] $Path, [string] $Method = 'Get', [object] $Body) {
    # A request to the sandbox's Kubernetes API with the kubeconfig's token; -Body is sent as JSON.
    $request = @{ Uri = "$($Sandbox.url)$Path"; Method = $Method; Headers = @{ Authorization = "Bearer $(Get-SandboxKubeToken $Sandbox)" } }
    if ($Body) { $request.Body = ($Body | ConvertTo-Json -Depth 20); $request.ContentType = 'application/json' }
    Invoke-RestMethod @request
}

function New-SandboxKedaDeployment {
    <#
    .SYNOPSIS
        KEDA's three Deployments (operator, metrics apiserver, admission webhooks) as plain manifests install them,
        for -Version, one replica each, labelled app=<name>. -Image 'per-component' gives each its own image
        (keda, keda-metrics-apiserver, keda-admission-webhooks); -WorkloadIdentity runs the operator as the
        keda-operator service account with the azure.workload.identity/use label (the others as default).
    #>
    param([string] $Namespace, [string] $Version = '2.20.2', [ValidateSet('operator', 'per-component')][string] $Image = 'operator', [switch] $WorkloadIdentity)
    foreach ($name in 'keda-operator', 'keda-operator-metrics-apiserver', 'keda-admission-webhooks') {
        $labels = @{ app = $name }
        if ($WorkloadIdentity -and $name -eq 'keda-operator') { $labels['azure.workload.identity/use'] = 'true' }
        $repository = if ($Image -eq 'per-component') { $name -replace 'keda-operator-metrics-apiserver', 'keda-metrics-apiserver' } else { 'keda' }
        $pod = @{ containers = @(@{ name = $name; image = "ghcr.io/kedacore/$($repository):$Version" }) }
        if ($WorkloadIdentity) { $pod.serviceAccountName = $(if ($name -eq 'keda-operator') { 'keda-operator' } else { 'default' }) }
        $metadata = @{ name = $name; labels = @{ app = $name } }
        if ($Namespace) { $metadata.namespace = $Namespace }
        @{ apiVersion = 'apps/v1'; kind = 'Deployment'; metadata = $metadata
            spec = @{ replicas = 1; selector = @{ matchLabels = @{ app = $name } }; template = @{ metadata = @{ labels = $labels }; spec = $pod } } }
    }
}

function Add-SandboxKedaDeployment {
    # Creates KEDA's three Deployments (see New-SandboxKedaDeployment) in the sandbox cluster's namespace.
    param([Parameter(Mandatory)][pscustomobject] $Sandbox, [string] $Namespace = 'keda', [string] $Version = '2.20.2',
        [ValidateSet('operator', 'per-component')][string] $Image = 'operator', [switch] $WorkloadIdentity)
    foreach ($deployment in New-SandboxKedaDeployment -Namespace $Namespace -Version $Version -Image $Image -WorkloadIdentity:$WorkloadIdentity) {
        $null = Invoke-SandboxCluster $Sandbox "/apis/apps/v1/namespaces/$Namespace/deployments" -Method Post -Body $deployment
    }
}

function Set-SandboxEnvironment($Sandbox) {
    # The sign-in the module finds with -TokenSource Environment / Auto.
    $env:AZURE_CLIENT_ID = $Sandbox.clientId
    $env:AZURE_CLIENT_SECRET = $Sandbox.clientSecret
    $env:AZURE_TENANT_ID = $Sandbox.tenantId
    $env:AZURE_SUBSCRIPTION_ID = $Sandbox.subscriptionId
}

function Clear-SandboxEnvironment {
    foreach ($name in 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID') { Remove-Item "env:$name" -ErrorAction SilentlyContinue }
}

function Start-KedaPrometheus {
    <#
    .SYNOPSIS
        A real Prometheus (Debian's package) on a loopback port, backfilled with promtool with two hours of fixed
        data ending at 2025-01-01T02:00:00Z (query it with that time). Per deployment in namespace app,
        sum(rate(http_requests_total[2m])) is 10 (web), 5 (api) and 1 (worker) per second.
        A gauge queue_messages{namespace="app",queue="orders"} for scaling replays, from two clusters writing to one store:
        cluster="aks-prod" is 0 until 00:20, ramps to 300 by 00:21, holds 300 to 00:40, has no samples from 00:40 to 01:00
        (a lost metric), is 300 again from 01:00 to 01:20, drains to 0 by 01:21 and stays 0; cluster="aks-dev" is always 5.
    #>
    param([int] $Port = 0)
    $prometheus = Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $promtool = Get-Command promtool -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $prometheus -or -not $promtool) { throw 'prometheus and promtool are not installed (apt-get install --no-install-recommends prometheus; .ci/run does).' }
    $end = 1735696800
    $dir = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-prometheus-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $dir | Out-Null
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('# TYPE http_requests counter')
    $series = @(@('web', 10), @('api', 5), @('worker', 1))
    foreach ($s in $series) {
        foreach ($pod in 1, 2) {
            for ($t = $end - 7200; $t -le $end; $t += 15) {
                $value = ($t - ($end - 7200)) * $s[1] / 2
                $lines.Add(('http_requests_total{{namespace="app",deployment="{0}",pod="{0}-{1}"}} {2} {3}' -f $s[0], $pod, $value, $t))
            }
        }
    }
    $lines.Add('# TYPE queue_messages gauge')
    foreach ($cluster in 'aks-prod', 'aks-dev') {
        for ($t = $end - 7200; $t -le $end; $t += 15) {
            $minute = ($t - ($end - 7200)) / 60
            $value = if ($cluster -eq 'aks-dev') { 5 } elseif ($minute -lt 20) { 0 } elseif ($minute -lt 21) { 300 * ($minute - 20) } elseif ($minute -lt 40) { 300 }
                elseif ($minute -lt 60) { $null } elseif ($minute -lt 80) { 300 } elseif ($minute -lt 81) { 300 * (81 - $minute) } else { 0 }
            if ($null -ne $value) { $lines.Add(('queue_messages{{namespace="app",queue="orders",cluster="{0}"}} {1} {2}' -f $cluster, $value, $t)) }
        }
    }
    $lines.Add('# EOF')
    [IO.File]::WriteAllLines((Join-Path $dir 'data.om'), $lines)
    & $promtool.Source tsdb create-blocks-from openmetrics -q (Join-Path $dir 'data.om') (Join-Path $dir 'data') | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "promtool backfill failed ($LASTEXITCODE)." }
    Set-Content (Join-Path $dir 'prometheus.yml') "global:`n  scrape_interval: 15s`nscrape_configs: []`n"
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, $Port); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $info = [Diagnostics.ProcessStartInfo]::new($prometheus.Source)
    foreach ($argument in "--config.file=$dir/prometheus.yml", "--storage.tsdb.path=$dir/data", '--storage.tsdb.retention.time=100y',
        "--web.listen-address=127.0.0.1:$port") { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $null = $process.StandardError.ReadToEndAsync(); $null = $process.StandardOutput.ReadToEndAsync()
    $url = "http://127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($true) {
        try { $null = Invoke-WebRequest "$url/-/ready" -TimeoutSec 2; break } catch { }
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw 'Prometheus did not become ready.' }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Url = $url; Time = [DateTimeOffset]::FromUnixTimeSeconds($end); Process = $process; Directory = $dir }
}

function Stop-KedaPrometheus($Prometheus) {
    if ($Prometheus -and -not $Prometheus.Process.HasExited) {
        if ($IsLinux -or $IsMacOS) { & kill -TERM $Prometheus.Process.Id 2>$null }
        if (-not $Prometheus.Process.WaitForExit(5000)) { $Prometheus.Process.Kill($true) }
    }
    if ($Prometheus) { Remove-Item $Prometheus.Directory -Recurse -Force -ErrorAction SilentlyContinue }
}

function Measure-SandboxArmRoundTrip {
    # The ARM round trips a command made one after another: the longest chain of ARM requests in which each starts only after the
    # one before it ended (requests that overlap ran side by side and count once). The long-running operation's status polls, and
    # the read of the resource that ends it, are left out. -Skip: the requests before the command (the 'requests' count of 'stats').
    param([Parameter(Mandatory)] $Sandbox, [int] $Skip = 0)
    $arm = @(Invoke-Sandbox $Sandbox 'requests' | Select-Object -Skip $Skip | Where-Object { $_.Path -match '^/(subscriptions|providers)/' } |
        ForEach-Object { [pscustomobject]@{ Method = $_.Method; Path = ($_.Path -split '\?')[0]; Start = [datetimeoffset]$_.Start; End = [datetimeoffset]$_.Time } })
    $polls = @($arm | Where-Object Path -Match '/operations/')
    $counted = [Collections.Generic.List[object]]::new()
    $counted.AddRange(@($arm | Where-Object Path -NotMatch '/operations/'))
    if ($polls) {
        $lastPoll = ($polls | Sort-Object End)[-1]
        $final = $counted | Where-Object { $_.Method -eq 'GET' -and $_.Start -ge $lastPoll.End } | Sort-Object Start | Select-Object -First 1
        if ($final) { [void]$counted.Remove($final) }
    }
    $sorted = @($counted | Sort-Object End)
    $chain = @{}
    $longest = 0
    for ($i = 0; $i -lt $sorted.Count; $i++) {
        $before = 0
        for ($j = 0; $j -lt $i; $j++) { if ($sorted[$j].End -le $sorted[$i].Start -and $chain[$j] -gt $before) { $before = $chain[$j] } }
        $chain[$i] = $before + 1
        if ($chain[$i] -gt $longest) { $longest = $chain[$i] }
    }
    [pscustomobject]@{ RoundTrips = $longest; Requests = $counted.Count; Polls = $polls.Count }
}

Export-ModuleMember -Function Measure-SandboxArmRoundTrip
Export-ModuleMember -Function Start-KedaSandbox, Stop-KedaSandbox, Invoke-Sandbox, Get-SandboxKubeToken, Invoke-SandboxCluster, New-SandboxKedaDeployment, Add-SandboxKedaDeployment,
    Set-SandboxEnvironment, Clear-SandboxEnvironment, Start-KedaPrometheus, Stop-KedaPrometheus
