# The one exception boundary: broken inputs and broken servers give our own errors (a stable ErrorId, a category,
# a fix), never a dependency's exception type or FullyQualifiedErrorId, and nothing is written.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -Scenario workload-identity -NoPrincipalDelay
    Set-SandboxEnvironment $Sandbox
    $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
    $script:Temp = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-boundary-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $Temp | Out-Null

    function script:Get-CommandError([scriptblock] $Action) {
        # The ErrorRecord a command ends with (terminating or not), or $null when it succeeded.
        $ErrorActionPreference = 'Stop'
        try { $null = & $Action 2>$null; $null } catch { $_ }
    }

    function script:Assert-OurError($ErrorRecord, [string] $ErrorId) {
        $ErrorRecord | Should -Not -BeNullOrEmpty -Because 'the broken input must fail'
        $type = $ErrorRecord.Exception.GetType().FullName
        $type | Should -Not -Match '^(System\.(?!Management\.Automation\.)|YamlDotNet|k8s|Azure)' -Because "no dependency type may surface ($($ErrorRecord.Exception.Message))"
        $ErrorRecord.FullyQualifiedErrorId | Should -Not -Match '(^|,)(System|YamlDotNet|k8s|Azure)\.'
        ($ErrorRecord.FullyQualifiedErrorId -split ',')[0] | Should -Match '^[A-Z][A-Za-z0-9]+$'
        if ($ErrorRecord.Exception.InnerException) {
            $ErrorRecord.Exception.InnerException.GetType().FullName | Should -Not -Match '^(YamlDotNet|k8s|Azure)'
        }
        $ErrorRecord.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        if ($ErrorId) { ($ErrorRecord.FullyQualifiedErrorId -split ',')[0] | Should -Be $ErrorId }
    }

    function script:Start-FakeServer([int] $Status, [string] $ContentType, [string] $Body) {
        # A plain-HTTP server on loopback that answers every request the same way (a proxy page, a gateway error).
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $listener = [Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $worker = [powershell]::Create()
        $null = $worker.AddScript({
                param($Listener, $Status, $ContentType, $Body)
                while ($Listener.IsListening) {
                    try { $context = $Listener.GetContext() } catch { break }
                    $bytes = [Text.Encoding]::UTF8.GetBytes($Body)
                    $context.Response.StatusCode = $Status
                    $context.Response.ContentType = $ContentType
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            }).AddArgument($listener).AddArgument($Status).AddArgument($ContentType).AddArgument($Body)
        $null = $worker.BeginInvoke()
        [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; Worker = $worker }
    }

    function script:Stop-FakeServer($Server) {
        $Server.Listener.Stop(); $Server.Listener.Close(); $Server.Worker.Dispose()
    }

    function script:New-Kubeconfig([string] $Server) {
        $path = Join-Path $Temp "kubeconfig-$([guid]::NewGuid().ToString('N')).yaml"
        Set-Content $path @"
apiVersion: v1
kind: Config
clusters:
- name: broken
  cluster:
    server: $Server
contexts:
- name: broken
  context:
    cluster: broken
    user: broken
current-context: broken
users:
- name: broken
  user:
    token: not-a-real-token
"@
        $path
    }

    function script:Get-IdentityCount {
        @(Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities').Count
    }
}

AfterAll {
    Stop-KedaSandbox $Sandbox
    Clear-SandboxEnvironment
    Remove-Item $Temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Broken inputs become our own errors' {
    It 'a kubeconfig that is not YAML' {
        $path = Join-Path $Temp 'malformed.yaml'
        Set-Content $path "apiVersion: v1`nclusters: [ {name: a`n  - : ]]`n"
        $err = Get-CommandError { Connect-KedaCluster -KubeconfigPath $path }
        Assert-OurError $err 'InvalidYaml'
        $err.Exception.Message | Should -Match 'line \d+, column \d+'
    }

    It 'a kubeconfig that is YAML but not a kubeconfig' {
        $path = Join-Path $Temp 'not-a-kubeconfig.yaml'
        Set-Content $path "clusters: 42`ncontexts: hello`n"
        Assert-OurError (Get-CommandError { Connect-KedaCluster -KubeconfigPath $path })
    }

    It 'a kubeconfig whose alias refers to itself (the process survives)' {
        $path = Join-Path $Temp 'self-alias.yaml'
        Set-Content $path "apiVersion: v1`nkind: Config`npreferences: &a`n  x: *a`nclusters: []`n"
        $err = Get-CommandError { Connect-KedaCluster -KubeconfigPath $path }
        Assert-OurError $err 'InvalidYaml'
        $err.Exception.Message | Should -Match 'contains itself'
    }

    It 'a kubeconfig whose client certificate is not a PEM certificate' {
        $path = New-Kubeconfig 'https://127.0.0.1:9'
        (Get-Content $path -Raw) -replace 'token: not-a-real-token', "client-certificate-data: bm90IGEgY2VydA==`n    client-key-data: bm90IGEga2V5" | Set-Content $path
        $err = Get-CommandError { Connect-KedaCluster -KubeconfigPath $path }
        Assert-OurError $err 'InvalidKubeconfig'
        $err.Exception.Message | Should -Match 'certificate data of cluster'
    }

    It 'a kubeconfig file that does not exist' {
        $err = Get-CommandError { Connect-KedaCluster -KubeconfigPath (Join-Path $Temp 'missing.yaml') }
        Assert-OurError $err
        $err.Exception.Message | Should -BeLike '*missing.yaml*'
    }

    It 'a YAML manifest that is not YAML' {
        $path = Join-Path $Temp 'bad-manifest.yaml'
        Set-Content $path "apiVersion: keda.sh/v1alpha1`nkind: ScaledObject`nmetadata: {name: x`nspec: ]`n"
        # One broken manifest is that item's error (the others of the file still apply).
        Assert-OurError (Get-CommandError { Deploy-KedaResource -Path $path -KubeconfigPath $Sandbox.kubeconfig -ErrorAction Stop })
    }

    It '-MonitorWorkspace <value> is refused before anything is written' -ForEach @(
        @{ Label = 'a number'; Value = 42 }
        @{ Label = 'a hashtable'; Value = @{ Name = 'keda-amw' } }
        @{ Label = 'an empty string'; Value = ' ' }
        @{ Label = 'a storage account id'; Value = '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/keda-rg/providers/Microsoft.Storage/storageAccounts/x' }
        @{ Label = 'a name no workspace has'; Value = 'no-such-amw' }
        @{ Label = 'text that is no id and no name'; Value = 'keda amw/../x' }
    ) {
        $before = Get-IdentityCount
        $err = Get-CommandError {
            Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName "id-$([guid]::NewGuid().ToString('N').Substring(0, 8))" -MonitorWorkspace $Value
        }
        Assert-OurError $err 'InvalidMonitorWorkspace'
        Get-IdentityCount | Should -Be $before -Because "nothing may be created for $Label"
    }

    It '-MonitorWorkspace takes a workspace name, looked up in the cluster''s resource group' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName keda-by-name -MonitorWorkspace keda-amw
        $identity.RoleAssignments.Scope | Should -Be $Sandbox.workspaceId
        $role = $identity | Grant-KedaMonitorWorkspaceAccess -MonitorWorkspace keda-amw
        $role.Scope | Should -Be $Sandbox.workspaceId
    }
}

Describe 'Broken servers become our own errors' {
    BeforeAll {
        $script:Gateway = Start-FakeServer -Status 502 -ContentType 'text/html' -Body '<html><body><h1>502 Bad Gateway</h1></body></html>'
        $script:SignIn = Start-FakeServer -Status 200 -ContentType 'text/html' -Body '<!DOCTYPE html><html><head><title>Sign in to your proxy</title></head></html>'
        $script:Truncated = Start-FakeServer -Status 200 -ContentType 'application/json' -Body '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"val'
    }

    AfterAll {
        Stop-FakeServer $Gateway; Stop-FakeServer $SignIn; Stop-FakeServer $Truncated
    }

    It 'an API server that answers 502 with an HTML page' {
        $kubeconfig = New-Kubeconfig $Gateway.Url
        Assert-OurError (Get-CommandError { Get-KedaScaledObject -KubeconfigPath $kubeconfig })
    }

    It 'an API server that answers a sign-in page' {
        $kubeconfig = New-Kubeconfig $SignIn.Url
        Assert-OurError (Get-CommandError { Get-KedaScaledObject -KubeconfigPath $kubeconfig })
    }

    It 'an API server that nothing listens on' {
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        Assert-OurError (Get-CommandError { Get-KedaScaledObject -KubeconfigPath (New-Kubeconfig "http://127.0.0.1:$port") })
    }

    It 'a query endpoint that answers truncated JSON' {
        $err = Get-CommandError { Test-KedaPrometheusQuery -ServerAddress $Truncated.Url -Query 'up' }
        if ($err) { Assert-OurError $err }
        else {
            $result = Test-KedaPrometheusQuery -ServerAddress $Truncated.Url -Query 'up'
            $result.Succeeded | Should -BeFalse
            $result.Message | Should -Not -BeNullOrEmpty
        }
    }

    It 'an ARM endpoint that is not https' {
        $err = Get-CommandError { Connect-KedaAzure -ArmEndpoint $SignIn.Url -AuthorityHost $Sandbox.authorityHost -TokenSource Environment }
        Assert-OurError $err 'InvalidArmEndpoint'
    }

    It 'an ARM endpoint that answers a proxy''s sign-in page' {
        $null = Invoke-Sandbox $Sandbox 'respond?path=/subscriptions/&status=200&contentType=text/html&body=%3Chtml%3ESign%20in%3C/html%3E&count=1'
        $err = Get-CommandError { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks }
        Assert-OurError $err 'InvalidResponse'
        $err.Exception.Message | Should -BeLike '*text/html*'
    }

    It 'an ARM endpoint that answers 502 with an HTML page' {
        $null = Invoke-Sandbox $Sandbox 'respond?path=/subscriptions/&status=502&contentType=text/html&body=%3Chtml%3EBad%20Gateway%3C/html%3E&count=20'
        $err = Get-CommandError { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks }
        $null = Invoke-Sandbox $Sandbox 'respond?clear=true'
        Assert-OurError $err
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }
}

Describe 'A checking cmdlet reports a broken server as a failed check, never as nothing' {
    BeforeAll { $script:Down = Start-FakeServer -Status 502 -ContentType 'text/html' -Body '<html><body><h1>502 Bad Gateway</h1></body></html>' }
    AfterAll { Stop-FakeServer $Down }

    It 'Test-KedaIntegration against an API server that answers 502' {
        $results = @(Test-KedaIntegration -KubeconfigPath (New-Kubeconfig $Down.Url) -WarningAction SilentlyContinue)
        $failed = @($results | Where-Object Status -eq 'Fail')
        $failed.Count | Should -Be 1 -Because 'one cause fails once; the checks that need the cluster after it are Skipped'
        $failed[0].Message | Should -Not -BeNullOrEmpty
        @($results | Where-Object Status -eq 'Pass').Check | Should -Not -Contain 'KedaInstalled'
        @($results | Where-Object { $_.Status -eq 'Skipped' -and $_.Message -like "*see $($failed[0].Check)*" }).Count | Should -BeGreaterThan 0
    }
}
