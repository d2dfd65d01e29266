# The sandbox (ARM, Entra, Kubernetes and workspace stand-ins on loopback HTTPS) and the trust of its CA.

function Initialize-Sandbox {
    # Builds tests/KedaAks.Sandbox and makes its CA. Child processes trust the CA the standard way: SSL_CERT_FILE
    # names a bundle of the system's roots plus the sandbox CA.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $project = Join-Path $Context.Root 'tests/KedaAks.Sandbox/KedaAks.Sandbox.csproj'
    Invoke-Native dotnet @('build', $project, '-c', $Context.Configuration, '--nologo', '-v', 'quiet') | Out-Host
    $dll = Join-Path $Context.Root "tests/KedaAks.Sandbox/bin/$($Context.Configuration)/net10.0/KedaAks.Sandbox.dll"
    $sandboxDir = Join-Path $Context.OutDir 'sandbox'
    $caDir = Join-Path $sandboxDir 'ca'
    Invoke-Native dotnet @($dll, 'init-ca', '--ca-dir', $caDir) | Out-Null
    $bundle = Join-Path $sandboxDir 'trust.pem'
    $system = @('/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem') |
        Where-Object { Test-Path $_ } | Select-Object -First 1
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
    finally {
        foreach ($key in $saved.Keys) {
            if ($null -eq $saved[$key]) { Remove-Item "env:$key" -ErrorAction SilentlyContinue }
            else { Set-Item "env:$key" -Value $saved[$key] }
        }
    }
}

function Invoke-Demo {
    # The module's main job against the sandbox (tests/Demo.ps1 in a fresh pwsh); the newest helm fetched for
    # the tests (Helm 4) installs KEDA, and without one the demo runs without helm.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    Write-Step 'Demo (against the local sandbox)'
    if (-not $env:KEDAAKS_HELM) {
        $helm = @(Initialize-Helm -Context $Context)
        if ($helm.Count -gt 0) { $env:KEDAAKS_HELM = $helm[-1] }
    }
    $sandbox = Initialize-Sandbox -Context $Context
    Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Context.Root 'tests/Demo.ps1') -ArgumentList @('-ModuleManifest', $Context.ManifestPath) | Out-Null
    }
}

function Invoke-SandboxSession {
    # build.ps1 -Task Sandbox: the sandbox as a process (scenario presets, with a real Prometheus behind its workspace when prometheus is
    # installed), then the exact lines that use it from another pwsh, then a wait until Ctrl+C, and everything it started stopped.
    # -NoBuild reuses the sandbox build and CA in out/ when they are there (as it reuses the module).
    param([Parameter(Mandatory)][pscustomobject] $Context, [string[]] $Scenario = @('workload-identity'), [int] $Port = 0, [switch] $NoBuild)
    Write-Step "Sandbox ($($Scenario -join ', '))"
    $helm = @(Initialize-Helm -Context $Context) | Select-Object -Last 1
    $dll = Join-Path $Context.Root "tests/KedaAks.Sandbox/bin/$($Context.Configuration)/net10.0/KedaAks.Sandbox.dll"
    $directory = Join-Path $Context.OutDir 'sandbox'
    $sandbox = if ($NoBuild -and (Test-Path $dll) -and (Test-Path (Join-Path $directory 'trust.pem')) -and (Test-Path (Join-Path $directory 'ca'))) {
        [pscustomobject]@{ Dll = $dll; CaDirectory = Join-Path $directory 'ca'; TrustBundle = Join-Path $directory 'trust.pem'; Directory = $directory }
    }
    else { Initialize-Sandbox -Context $Context }
    Invoke-WithSandboxTrust $sandbox {
        Import-Module (Join-Path $Context.Root 'tests/KedaAks.Sandbox/KedaAks.Sandbox.psm1') -Force
        $session = $null
        $prometheus = $null
        try {
            $arguments = @()
            if (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue) {
                $prometheus = Start-KedaPrometheus
                $arguments = @('--prometheus', $prometheus.Url)
            }
            else { Write-Warning 'prometheus is not installed: the workspace query endpoint has no data behind it (apt-get install --no-install-recommends prometheus).' }
            $session = Start-KedaSandbox -Port $Port -Scenario $Scenario -NoPrincipalDelay -ArgumentList $arguments
            # .NET reads SSL_CERT_FILE when a process starts: the environment is set first, then a new pwsh inherits it.
            $pwsh = if (Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue) { 'pwsh' }
                    else { '& ' + ((Get-PwshCommand | ForEach-Object { "'$_'" }) -join ' ') }
            $environment = @(
                "`$env:SSL_CERT_FILE = '$($sandbox.TrustBundle)'"
                "`$env:AZURE_CLIENT_ID = '$($session.clientId)'"
                "`$env:AZURE_CLIENT_SECRET = '$($session.clientSecret)'"
                "`$env:AZURE_TENANT_ID = '$($session.tenantId)'"
                "`$env:AZURE_SUBSCRIPTION_ID = '$($session.subscriptionId)'"
                if ($helm) { "`$env:KEDAAKS_HELM = '$helm'" }
                $pwsh
            )
            $commands = @(
                "Import-Module '$($Context.ManifestPath)'"
                "Connect-KedaAzure -ArmEndpoint $($session.armEndpoint) -TokenSource Environment"
                "Get-KedaAksCluster -ResourceGroupName $($session.resourceGroup) -Name $($session.clusterName)"
            )
            $data = if ($prometheus) { "; a real Prometheus behind workspace $($session.workspaceName), data ending $($prometheus.Time.ToString('u'))" }
            Write-Host "KedaAks sandbox listening on $($session.url) (scenarios: $($Scenario -join ', ')$data)."
            Write-Host '1. In another terminal, in pwsh: the sandbox''s environment, then a new pwsh that starts with it (SSL_CERT_FILE is read at start):'
            Write-Host '----- 8< -----'
            foreach ($line in $environment) { Write-Host $line }
            Write-Host '----- >8 -----'
            Write-Host '2. In that new pwsh:'
            Write-Host '----- 8< -----'
            foreach ($line in $commands) { Write-Host $line }
            Write-Host '----- >8 -----'
            Write-Host 'Press Ctrl+C to stop the sandbox.'
            while (-not $session.Process.HasExited) { Start-Sleep -Milliseconds 250 }
            Write-Warning "The sandbox exited on its own (exit code $($session.Process.ExitCode))."
        }
        finally {
            if ($session) { Stop-KedaSandbox $session }
            if ($prometheus) { Stop-KedaPrometheus $prometheus }
            Write-Host 'Sandbox stopped.'
        }
    }
}
