# Bad input: every parameter of every cmdlet (a table generated from Get-Command's metadata) with empty, whitespace,
# very long (100,000 characters), non-ASCII, control-character and wrong-type values, run for real against one sandbox
# in one reused runspace, each call with a deadline. No raw .NET exception may come out, nothing may hang, and a
# refused input writes nothing (the sandbox's ARM and Kubernetes write counters); what is accepted is listed.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $script:Commands = @(Get-Command -Module (Import-Module $ModuleManifest -PassThru -Force) -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
        @{ Command = $_.Name; Parameters = @($_.Parameters.Values | Where-Object { $_.Name -notin $common -and $_.ParameterType -ne [switch] } | ForEach-Object Name) }
    })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    # Loopback only: any request to another host goes to a proxy on a closed loopback port and fails at once (no DNS lookup either).
    $script:SavedProxy = @{}
    foreach ($name in 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY') { $SavedProxy[$name] = [Environment]::GetEnvironmentVariable($name) }
    $env:HTTPS_PROXY = 'http://127.0.0.1:9'; $env:HTTP_PROXY = 'http://127.0.0.1:9'; $env:NO_PROXY = '127.0.0.1,localhost'
    $script:Sandbox = Start-KedaSandbox -Scenario keda-helm -NoPrincipalDelay
    Set-SandboxEnvironment $Sandbox
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-badinput-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $Work | Out-Null
    # A stand-in helm: answers 'version', fails everything else at once (no real install, no network).
    $script:Helm = Join-Path $Work 'helm'
    Set-Content $Helm "#!/bin/sh`nif [ `"`$1`" = version ]; then echo v3.18.0+gdeadbee; exit 0; fi`necho 'Error: stand-in helm' >&2`nexit 1"
    if (-not $IsWindows) { chmod +x $Helm }
    $script:Chart = Join-Path $Work 'keda'
    New-Item -ItemType Directory $Chart | Out-Null
    Set-Content (Join-Path $Chart 'Chart.yaml') "apiVersion: v2`nname: keda`nversion: 2.20.2`nappVersion: 2.20.2"
    Set-Content (Join-Path $Chart 'values.yaml') "serviceAccount:`n  operator:`n    create: true`n    name: keda-operator"
    $script:Manifest = Join-Path $Work 'auth.yaml'
    Set-Content $Manifest "apiVersion: keda.sh/v1alpha1`nkind: TriggerAuthentication`nmetadata:`n  name: bad-input-file`n  namespace: default`nspec:`n  podIdentity:`n    provider: azure-workload"

    # The runspace every call runs in, signed in and connected once (reconnected after Connect-* calls).
    $script:Runspace = [runspacefactory]::CreateRunspace()
    $Runspace.Open()
    $script:Connect = @"
Import-Module '$ModuleManifest'
`$null = Connect-KedaAzure -ArmEndpoint '$($Sandbox.armEndpoint)' -AuthorityHost '$($Sandbox.authorityHost)' -TokenSource Environment
`$null = Connect-KedaCluster -KubeconfigPath '$($Sandbox.kubeconfig)'
"@
    function Invoke-InRunspace([string] $Script) {
        $ps = [powershell]::Create(); $ps.Runspace = $Runspace
        try { $ps.AddScript($Script).Invoke() } finally { $ps.Dispose() }
    }
    $null = Invoke-InRunspace $Connect
    $null = Invoke-InRunspace 'Add-Type -AssemblyName System.Security'
    $objects = Invoke-InRunspace @'
$cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
$workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
$identity = $cluster | New-KedaWorkloadIdentity -IdentityName bad-input-identity -MonitorWorkspace $workspace
$auth = New-KedaTriggerAuthentication -Name bad-input-auth -Namespace default
$scaler = New-KedaPrometheusScaler -Name bad-input -Namespace default -TargetName web -ServerAddress http://127.0.0.1:9 -Query 'sum(up)' -Threshold 10 -TriggerAuthentication $auth
@{ Cluster = $cluster; Workspace = $workspace; Identity = $identity; Auth = $auth; Scaler = $scaler }
'@
    $script:Objects = $objects[0]

    # A valid value for each parameter a call needs besides the one under test (by cmdlet, then by parameter name).
    $script:Valid = @{
        ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; Name = 'bad-input'; Namespace = 'default'; TargetName = 'web'
        ServerAddress = 'http://127.0.0.1:9'; Query = 'sum(up)'; Threshold = '10'; ClientId = $Objects.Identity.ClientId; TenantId = $Sandbox.tenantId
        Message = 'AADSTS70021: No matching federated identity record found'; InputObject = $Objects.Auth; Path = $Manifest; ChartPath = $Chart
        WorkloadIdentity = $Objects.Identity; PrincipalId = $Objects.Identity.PrincipalId; MonitorWorkspace = $Objects.Workspace
        ScaledObject = $Objects.Scaler; IdentityName = 'no-such-identity'; ResourceId = $Objects.Cluster.ResourceId; ClusterResourceId = $Objects.Cluster.ResourceId
    }
    $script:ValidFor = @{
        'Get-KedaAksCluster' = @{ Name = 'keda-aks' }; 'Get-KedaMonitorWorkspace' = @{ Name = 'keda-amw'; ResourceId = $Objects.Workspace.ResourceId }
        'Enable-KedaAksAddon' = @{ InputObject = $Objects.Cluster }; 'Disable-KedaAksAddon' = @{ InputObject = $Objects.Cluster }
        'Enable-KedaAksWorkloadIdentity' = @{ InputObject = $Objects.Cluster }; 'New-KedaWorkloadIdentity' = @{ InputObject = $Objects.Cluster }
        'Remove-KedaWorkloadIdentity' = @{ InputObject = $Objects.Identity }; 'ConvertTo-KedaYaml' = @{ InputObject = $Objects.Scaler }
        'Deploy-KedaResource' = @{ InputObject = $Objects.Auth }; 'New-KedaServiceAccount' = @{ Name = 'bad-input-sa' }
    }
    # Connect-KedaAzure always names the sandbox as its cloud (unless that parameter is the one under test).
    $script:AlwaysFor = @{ 'Connect-KedaAzure' = @{ ArmEndpoint = $Sandbox.armEndpoint; AuthorityHost = $Sandbox.authorityHost } }
    # Added to every call of a cmdlet that has them: no prompt, short waits, the stand-in helm, the sandbox's sign-in.
    $script:Always = @{ Confirm = $false; Force = $true; Timeout = 3; RetryIntervalSeconds = 1; HelmPath = $Helm; TokenSource = 'Environment' }

    $script:Bad = [ordered]@{
        Empty = ''; Whitespace = '   '; Long = ('a' * 100000); NonAscii = 'ñämé-名前'; Control = "a`0b`r`nc`t`e"; WrongType = @{ wrong = 'type' }
    }
    # Errors that are PowerShell's own refusal of an argument, before the cmdlet runs.
    $script:BindingErrors = 'System.Management.Automation.ParameterBindingException', 'System.Management.Automation.ParameterBindingValidationException',
        'System.Management.Automation.ParameterBindingArgumentTransformationException', 'System.Management.Automation.ValidationMetadataException'
    $script:Totals = [ordered]@{ tried = 0; refusedByBinding = 0; refusedByModule = 0; accepted = 0; hangs = 0; rawExceptions = 0; writesOnRefusal = 0 }
    $script:Accepted = [Collections.Generic.List[string]]::new()

    function Get-Call([System.Management.Automation.CommandInfo] $Command, [string] $Parameter) {
        # The parameter set to use (the default one when it has the parameter), and valid values for its other mandatory parameters.
        $sets = @($Command.ParameterSets | Where-Object { $_.Parameters.Name -contains $Parameter })
        $set = @($sets | Where-Object IsDefault) + $sets | Select-Object -First 1
        $arguments = @{}
        foreach ($p in $set.Parameters | Where-Object { $_.IsMandatory -and $_.Name -ne $Parameter }) {
            $value = if ($ValidFor[$Command.Name] -and $ValidFor[$Command.Name].ContainsKey($p.Name)) { $ValidFor[$Command.Name][$p.Name] } else { $Valid[$p.Name] }
            if ($null -eq $value) { throw "No valid value for $($Command.Name) -$($p.Name) (set $($set.Name))." }
            $arguments[$p.Name] = $value
        }
        foreach ($key in @($AlwaysFor[$Command.Name].Keys)) { if ($key -and $key -ne $Parameter) { $arguments[$key] = $AlwaysFor[$Command.Name][$key] } }
        foreach ($key in $Always.Keys) {
            if ($key -ne $Parameter -and $Command.Parameters.ContainsKey($key) -and ($key -ne 'Force' -or $Command.Name -like 'Remove-*' -or $Command.Name -like 'Uninstall-*')) {
                if ($set.Parameters.Name -contains $key -or $Command.Parameters[$key].ParameterSets.ContainsKey('__AllParameterSets')) { $arguments[$key] = $Always[$key] }
            }
        }
        $arguments
    }

    function Invoke-BadCall([string] $Command, [hashtable] $Arguments, [int] $DeadlineSeconds = 20) {
        $before = Invoke-Sandbox $Sandbox 'stats'
        $ps = [powershell]::Create(); $ps.Runspace = $Runspace
        $null = $ps.AddCommand($Command).AddParameters($Arguments)
        $errors = [Collections.Generic.List[object]]::new()
        $hung = $false
        try {
            $async = $ps.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($DeadlineSeconds))) { $hung = $true; $ps.Stop() }
            else {
                try { $null = $ps.EndInvoke($async) }
                catch {
                    # The first exception of the chain that carries a record; its own type when the record only holds a placeholder.
                    $carrier = $_.Exception
                    while ($carrier -and $carrier -isnot [System.Management.Automation.IContainsErrorRecord]) { $carrier = $carrier.InnerException }
                    if ($carrier -is [System.Management.Automation.MethodInvocationException] -and $carrier.InnerException -is [System.Management.Automation.IContainsErrorRecord]) {
                        $carrier = $carrier.InnerException
                    }
                    $errors.Add($(if ($carrier) { Get-Failure $carrier.ErrorRecord $carrier } else { Get-Failure $null $_.Exception }))
                }
            }
            foreach ($record in $ps.Streams.Error) { $errors.Add((Get-Failure $record $record.Exception)) }
        }
        finally { $ps.Dispose() }
        $after = Invoke-Sandbox $Sandbox 'stats'
        $writes = ($after.writes - $before.writes) + ($after.kubernetesWrites - $before.kubernetesWrites)
        $what = if ($writes -gt 0) {
            (@(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.method -ne 'GET' -and $_.status -lt 400 } | Select-Object -Last $writes |
                ForEach-Object { "$($_.method) $(($_.path -split '\?')[0])" }) -join ', ')
        }
        [pscustomobject]@{ Hung = $hung; Errors = $errors; Writes = $writes; What = $what }
    }

    # Values a cmdlet is right to accept, with the reason (free text that is read, not named or stored).
    $script:AcceptedReasons = @(
        , @('New-KedaServiceAccount', 'FederatedSubject', 'Empty', 'an empty subject is no subject to compare with')
        , @('New-KedaServiceAccount', 'FederatedSubject', '*', 'the subject is only compared with the account''s, never stored')
        , @('New-KedaWorkloadIdentity', 'Audience', 'NonAscii', 'any text without spaces is an audience Entra stores')
        # The runspace's kubeconfig connection is used: Azure settings do not take part, and -ResourceGroupName names a cluster only with -ClusterName.
        , @('Deploy-KedaResource', 'TenantId', '*', 'a kubeconfig connection signs in to no Azure tenant')
        , @('Deploy-KedaResource', 'SubscriptionId', '*', 'a kubeconfig connection uses no subscription')
        , @('Deploy-KedaResource', 'ManagedIdentityClientId', '*', 'a kubeconfig connection signs in with no managed identity')
        , @('New-KedaServiceAccount', 'SubscriptionId', '*', 'a kubeconfig connection uses no subscription')
        , @('New-KedaServiceAccount', 'ManagedIdentityClientId', '*', 'a kubeconfig connection signs in with no managed identity')
        , @('Deploy-KedaResource', 'ResourceGroupName', '*', 'without -ClusterName it names no cluster; the runspace''s connection is used')
        , @('New-KedaServiceAccount', 'ResourceGroupName', '*', 'without -ClusterName it names no cluster; the runspace''s connection is used')
        , @('New-KedaWorkloadIdentity', 'Audience', 'WrongType', 'the hashtable became the text System.Collections.Hashtable, a valid audience')
    )
    function Get-AcceptedReason([string] $Command, [string] $Parameter, [string] $Kind) {
        foreach ($rule in $AcceptedReasons) {
            if ($Command -like $rule[0] -and $Parameter -like $rule[1] -and $Kind -like $rule[2]) { return $rule[3] }
        }
    }

    function Get-Failure($Record, [Exception] $Exception) {
        # What a failed call shows: the exception's type (the carrier's when the record holds PowerShell's placeholder), the error id, the message.
        $type = if ($Record -and $Record.Exception -isnot [System.Management.Automation.ParentContainsErrorRecordException]) { $Record.Exception.GetType().FullName }
        else { $Exception.GetType().FullName }
        [pscustomobject]@{ Type = $type; Id = "$($Record.FullyQualifiedErrorId)"; Message = $(if ($Record) { $Record.Exception.Message } else { $Exception.Message }) }
    }

    function Test-Raw($Failure) {
        # A raw .NET exception: anything but our KedaAksException and PowerShell's own binding refusals (or an UnexpectedError wrapping one).
        if ($Failure.Type -eq 'KedaAks.KedaAksException') {
            if ($Failure.Id -like 'UnexpectedError,*') { return "UnexpectedError: $($Failure.Message)" }
            return $null
        }
        if ($Failure.Type -in $BindingErrors) { return $null }
        "raw $($Failure.Type) ($($Failure.Id)): $($Failure.Message)"
    }
}

AfterAll {
    Write-TrustFigure 'badinput' $Totals
    if ($Accepted.Count) { Write-Host ("Accepted without an error: " + ($Accepted -join '; ')) }
    if ($Runspace) { $Runspace.Dispose() }
    Stop-KedaSandbox $Sandbox
    Clear-SandboxEnvironment
    foreach ($name in $SavedProxy.Keys) { [Environment]::SetEnvironmentVariable($name, $SavedProxy[$name]) }
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Bad input to <Command>' -ForEach @($Commands | Where-Object { -not $env:KEDAAKS_BADINPUT_ONLY -or $_.Command -like $env:KEDAAKS_BADINPUT_ONLY }) {
    It 'refuses every bad value of every parameter cleanly, in time, writing nothing' {
        $info = Get-Command $Command -Module KedaAks
        $problems = [Collections.Generic.List[string]]::new()
        foreach ($parameter in $Parameters) {
            foreach ($kind in $Bad.Keys) {
                $arguments = Get-Call $info $parameter
                $arguments[$parameter] = $Bad[$kind]
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $result = Invoke-BadCall $Command $arguments
                $Totals.tried++
                if ($env:KEDAAKS_BADINPUT_TRACE) { Add-Content $env:KEDAAKS_BADINPUT_TRACE ('{0} -{1} {2}: {3:N3}s' -f $Command, $parameter, $kind, $clock.Elapsed.TotalSeconds) }
                if ($clock.Elapsed.TotalSeconds -gt 10) { $problems.Add("-$parameter $kind took $([int]$clock.Elapsed.TotalSeconds) s") }
                $where = "-$parameter $kind"
                if ($result.Hung) { $Totals.hangs++; $problems.Add("$where hung"); continue }
                foreach ($failure in $result.Errors) {
                    if ($raw = Test-Raw $failure) { $Totals.rawExceptions++; $problems.Add("$where $raw") }
                }
                if ($result.Errors.Count -eq 0) {
                    # Accepted: fine when nothing was written (a read that finds nothing, a parameter the call does not use);
                    # a write with such a value must be one the table below says is right.
                    $Totals.accepted++
                    $Accepted.Add("$Command $where")
                    if ($result.Writes -gt 0 -and -not (Get-AcceptedReason $Command $parameter $kind)) { $problems.Add("$where was accepted and wrote $($result.Writes) time(s): $($result.What)") }
                }
                elseif (@($result.Errors | Where-Object { $_.Type -in $BindingErrors }).Count) {
                    $Totals.refusedByBinding++
                }
                else { $Totals.refusedByModule++ }
                if ($result.Errors.Count -gt 0 -and $result.Writes -gt 0) { $Totals.writesOnRefusal++; $problems.Add("$where was refused but wrote $($result.Writes) time(s): $($result.What)") }
                if ($Command -in 'Connect-KedaAzure', 'Connect-KedaCluster') { $null = Invoke-InRunspace $Connect }
                if ($env:KEDAAKS_BADINPUT_TRACE) { Add-Content $env:KEDAAKS_BADINPUT_TRACE ('  iteration {0:N3}s at {1:HH:mm:ss.fff}' -f $clock.Elapsed.TotalSeconds, [DateTime]::Now) }
            }
        }
        # Shown without control characters (the bad values echo in messages).
        @($problems | ForEach-Object { [regex]::Replace($_, '[\x00-\x08\x0b-\x1f]', '?') -replace '(.{300}).+', '$1...' }) | Should -BeNullOrEmpty
    }
}
