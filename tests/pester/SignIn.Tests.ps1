# Each way an Azure sign-in fails has its own ErrorId, says its root cause once (no SDK retry advice) and a fix that fits:
# a secret Entra rejects, an endpoint whose certificate is not trusted, a host name that does not resolve.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -Scenario fresh

    function script:Invoke-SignIn([string] $Arm, [string] $Authority, [hashtable] $Environment, [string[]] $Prefix = @()) {
        # Connect-KedaAzure in a new pwsh (optionally under a prefix such as 'unshare -n'); returns its error as an object.
        $script = @"
Import-Module '$ModuleManifest'
try { `$null = Connect-KedaAzure -ArmEndpoint '$Arm' -AuthorityHost '$Authority' -TokenSource Environment -ErrorAction Stop; 'no error' }
catch { [pscustomobject]@{ Id = `$_.FullyQualifiedErrorId; Category = "`$(`$_.CategoryInfo.Category)"; Message = `$_.Exception.Message;
    Fix = `$_.ErrorDetails.RecommendedAction; Target = "`$(`$_.TargetObject)" } | ConvertTo-Json -Compress }
"@
        $pwsh = Get-PwshCommand
        $file = $Prefix.Count -gt 0 ? $Prefix[0] : $pwsh[0]
        $info = [Diagnostics.ProcessStartInfo]::new($file)
        $arguments = @($Prefix | Select-Object -Skip 1) + $(if ($Prefix.Count -gt 0) { @($pwsh) } else { @($pwsh | Select-Object -Skip 1) })
        foreach ($argument in $arguments + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
        $info.Environment['NO_COLOR'] = '1'
        foreach ($key in $Environment.Keys) { $info.Environment[$key] = $Environment[$key] }
        $process = [Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'the child pwsh did not finish' }
        $line = ($stdout.Result -split "`n" | Where-Object { $_ -match '^\{' } | Select-Object -Last 1)
        if (-not $line) { throw "no error came back: $($stdout.Result) $($stderr.Result)" }
        $line | ConvertFrom-Json
    }

    $script:SignInEnvironment = @{
        AZURE_CLIENT_ID = $Sandbox.clientId; AZURE_CLIENT_SECRET = $Sandbox.clientSecret; AZURE_TENANT_ID = $Sandbox.tenantId
        AZURE_SUBSCRIPTION_ID = $Sandbox.subscriptionId
    }
}

AfterAll { Stop-KedaSandbox $Sandbox }

Describe 'Sign-in failures' {
    It 'a rejected secret: Entra''s code, what it means, and no SDK noise' {
        $environment = $SignInEnvironment.Clone(); $environment.AZURE_CLIENT_SECRET = 'not-the-secret'
        $err = Invoke-SignIn $Sandbox.armEndpoint $Sandbox.authorityHost $environment
        $err.Id | Should -Be 'AzureAuthenticationFailed,KedaAks.Commands.ConnectKedaAzureCommand'
        $err.Category | Should -Be 'AuthenticationError'
        $err.Message | Should -Match 'AADSTS7000215'
        $err.Message | Should -Match 'Secret ID'
        $err.Message | Should -Not -Match 'Retry settings|see inner exception|not-the-secret'
        $err.Target | Should -Be 'AADSTS7000215'
    }

    It 'an untrusted certificate: names the endpoint and how to trust its CA' {
        $roots = @('/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt') | Where-Object { Test-Path $_ } | Select-Object -First 1
        if (-not $roots) { Set-ItResult -Skipped -Because 'no system CA bundle to trust instead of the sandbox CA'; return }
        $environment = $SignInEnvironment.Clone(); $environment.SSL_CERT_FILE = $roots
        $err = Invoke-SignIn $Sandbox.armEndpoint $Sandbox.authorityHost $environment
        $err.Id | Should -Be 'AzureSignInCertificateUntrusted,KedaAks.Commands.ConnectKedaAzureCommand'
        $err.Category | Should -Be 'SecurityError'
        $err.Message | Should -Match 'not trusted'
        $err.Message | Should -Match '127\.0\.0\.1'
        $err.Fix | Should -Match 'SSL_CERT_FILE'
        $err.Message | Should -Not -Match 'Retry settings'
    }

    It 'a host name that does not resolve: names the host (in a network namespace of its own, so no query leaves the machine)' {
        $unshare = Get-Command unshare -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        $root = $IsLinux -and ((& id -u) -eq '0')
        if (-not $unshare -or -not $root) { Set-ItResult -Skipped -Because 'needs Linux, root and unshare for an isolated network namespace'; return }
        $err = Invoke-SignIn 'https://management.kedaaks.invalid/' 'https://login.kedaaks.invalid/' $SignInEnvironment -Prefix @($unshare.Source, '-n')
        $err.Id | Should -Be 'AzureSignInUnreachable,KedaAks.Commands.ConnectKedaAzureCommand'
        $err.Category | Should -Be 'ConnectionError'
        $err.Message | Should -Match 'login\.kedaaks\.invalid'
        $err.Message | Should -Match 'does not resolve|could not be reached'
        $err.Fix | Should -Match 'DNS'
    }
}
