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
