# PowerShell side of the sandbox: start the standalone process (KEDAAKS_SANDBOX names KedaAks.Sandbox.dll,
# KEDAAKS_SANDBOX_CA its CA folder; build.ps1 sets both), talk to its control endpoints, and set the
# environment the module signs in with. Used by the Pester suite and by the demo.

function Start-KedaSandbox {
    # Starts the standalone sandbox (tests/KedaAks.Sandbox) and waits for its description file.
    param([int] $Port = 0, [string[]] $ArgumentList = @())
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

Export-ModuleMember -Function Start-KedaSandbox, Stop-KedaSandbox, Invoke-Sandbox, Set-SandboxEnvironment, Clear-SandboxEnvironment
