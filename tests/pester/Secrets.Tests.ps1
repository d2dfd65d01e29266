# Secrets: canary values for the client secret, the Entra (ARM) token, the Kubernetes token and the service-account
# token go through the whole article flow (Invoke-ArticleFlow) with -Verbose -Debug under a transcript, and a few
# errors. No canary may appear in the transcript, any output object as JSON, any ErrorRecord with all its properties,
# any file the module or helm writes (a private TMPDIR and helm homes, watched while helm runs), helm's command line or
# helm's environment (/proc, read while helm runs; HELM_KUBETOKEN carries the cluster token on purpose). Only the
# -OutFile kubeconfig holds a credential, on purpose, and it is 0600.
BeforeDiscovery {
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $helm = @(($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator) | Where-Object { $_ -and (Test-Path $_) })
    $script:SkipReason = if (-not $IsLinux) { 'it reads helm''s command line from /proc (Linux)' }
    elseif (-not (Test-Path (Join-Path $Chart 'Chart.yaml'))) { 'the shared fixtures (keda/chart) are absent' }
    elseif ($helm.Count -eq 0) { 'no helm binary was provided (build.ps1 fetches them from the npm registry)' }
    elseif (-not (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)) { 'prometheus is not installed (.ci/run installs it)' }
    if ($SkipReason) { Write-Warning "Secrets tests skipped: $SkipReason." }
}

Describe 'No secret reaches any output, error, file or command line' -Skip:([bool]$SkipReason) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
        $script:Helm = Get-TestHelm
        $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
        $suffix = -join ((1..16) | ForEach-Object { [char[]]'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789' | Get-Random })
        $script:Canary = [ordered]@{
            ClientSecret = "CanarySecret$suffix"; ArmToken = "CanaryArmToken$suffix"; KubernetesToken = "CanaryKubeToken$suffix"; ServiceAccountToken = "CanarySaToken$suffix"
        }
        $script:Prometheus = Start-KedaPrometheus
        $script:Sandbox = Start-KedaSandbox -Scenario fresh -NoPrincipalDelay -ArgumentList @('--prometheus', $Prometheus.Url, '--client-secret', $Canary.ClientSecret,
            '--token-canary', $Canary.ArmToken, '--sa-token-canary', $Canary.ServiceAccountToken, '--kube-token', $Canary.KubernetesToken)
        Set-SandboxEnvironment $Sandbox

        # Everything the module and helm may write goes under one private folder: TMPDIR and helm's homes.
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-secrets-$([guid]::NewGuid().ToString('N'))"
        $script:Temp = Join-Path $Work 'tmp'
        New-Item -ItemType Directory $Temp, (Join-Path $Work 'out') -Force | Out-Null
        $script:Saved = @{}
        foreach ($name in 'TMPDIR', 'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME') { $Saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        $env:TMPDIR = $Temp
        foreach ($name in 'CACHE', 'CONFIG', 'DATA') { Set-Item "env:HELM_$($name)_HOME" (Join-Path $Work "helm-$($name.ToLowerInvariant())") }
        $before = @(Get-ChildItem $Work -Recurse -File -Force).FullName

        # While the flow runs: every helm process's command line and environment, and every file in the module's temp folders.
        $script:Watch = [hashtable]::Synchronized(@{ Stop = $false; Seen = [Collections.Concurrent.ConcurrentDictionary[string, string]]::new() })
        $script:Watcher = [powershell]::Create()
        $null = $Watcher.AddScript({
            param($State, $Helm, $Temp)
            while (-not $State.Stop) {
                foreach ($process in [IO.Directory]::GetDirectories('/proc')) {
                    if ([IO.Path]::GetFileName($process) -notmatch '^\d+$') { continue }
                    try { $line = [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes("$process/cmdline")) } catch { continue }
                    if (-not $line.StartsWith($Helm)) { continue }
                    $null = $State.Seen.TryAdd("cmdline:$line", $line)
                    try { $environment = [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes("$process/environ")) } catch { continue }
                    $null = $State.Seen.TryAdd("environ:$($process):$($environment.Length)", $environment)
                }
                foreach ($folder in [IO.Directory]::GetDirectories($Temp, 'kedaaks-*')) {
                    try {
                        $null = $State.Seen.TryAdd("folder:$folder", [IO.File]::GetUnixFileMode($folder).ToString())
                        foreach ($file in [IO.Directory]::GetFiles($folder, '*', [IO.SearchOption]::AllDirectories)) {
                            $null = $State.Seen.TryAdd("file:$file", "$([IO.File]::GetUnixFileMode($file))`n$([IO.File]::ReadAllText($file))")
                        }
                    }
                    catch { }
                }
                Start-Sleep -Milliseconds 20
            }
        }).AddArgument($Watch).AddArgument($Helm).AddArgument($Temp)
        $watching = $Watcher.BeginInvoke()

        $transcript = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-secrets-transcript-$([guid]::NewGuid().ToString('N')).txt"
        $script:OutFile = Join-Path $Work 'out/x.kubeconfig'
        $script:Errors = [Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        $script:Outputs = [Collections.Generic.List[object]]::new()
        # -Debug alone makes a binary cmdlet ask about each warning (WarningPreference Inquire); the answer is given up front.
        $loud = @{ Verbose = $true; Debug = $true; WarningAction = 'Continue' }
        $null = Start-Transcript -Path $transcript
        try {
            $streams = @(Invoke-ArticleFlow -Sandbox $Sandbox -Helm $Helm -Chart $Chart -Common $loud *>&1)
            $streams | Out-Host
            $script:Flow = $streams | Where-Object { $_ -is [pscustomobject] -and $_.PSObject.Properties['Installation'] } | Select-Object -Last 1
            $Outputs.AddRange(@($streams | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] }))
            $Outputs.AddRange(@($Flow.PSObject.Properties.Value | ForEach-Object { $_ }))
            $Outputs.Add((Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks @loud | Connect-KedaCluster -OutFile $OutFile @loud))
            # A few errors while the module holds each credential: ARM (not found), the cluster (a context the kubeconfig lacks),
            # Entra's exchange of the service-account token (a credential for another namespace).
            try { Get-KedaAksCluster -ResourceGroupName keda-rg -Name no-such-cluster @loud -ErrorAction Stop } catch { $Errors.Add($_) }
            try { Connect-KedaCluster -KubeconfigPath $OutFile -Context no-such-context @loud -ErrorAction Stop } catch { $Errors.Add($_) }
            $elsewhere = $Flow.Cluster | New-KedaWorkloadIdentity -IdentityName secrets-elsewhere @loud
            $elsewhere.ServiceAccountNamespace = 'app'   # KEDA in 'app', the credential made for 'keda'
            $Outputs.Add(($elsewhere | New-KedaServiceAccount @loud))
            try { $elsewhere | Wait-KedaWorkloadIdentity -Timeout 3 -RetryIntervalSeconds 1 @loud -ErrorAction Stop } catch { $Errors.Add($_) }
            $Errors | Out-Host
        }
        finally {
            $null = Stop-Transcript
            $Watch.Stop = $true
            $null = $Watcher.EndInvoke($watching)
            $Watcher.Dispose()
        }
        $script:TranscriptText = Get-Content $transcript -Raw
        if ($env:KEDAAKS_TEST_KEEP) { Copy-Item $transcript $env:KEDAAKS_TEST_KEEP }
        Remove-Item $transcript
        $script:Written = @(Get-ChildItem $Work -Recurse -File -Force | Where-Object { $_.FullName -notin $before -and $_.FullName -ne $OutFile })
        $script:Leftovers = @(Get-ChildItem $Temp -Directory -Filter 'kedaaks-*')

        function Get-ErrorText([System.Management.Automation.ErrorRecord] $Record) {
            # The record as a user could see it: every property, the exception chain, the invocation, the target and Get-Error's view.
            $parts = [Collections.Generic.List[string]]::new()
            $parts.Add(($Record | Format-List * -Force | Out-String -Width 4096))
            for ($e = $Record.Exception; $e; $e = $e.InnerException) { $parts.Add(($e | Format-List * -Force | Out-String -Width 4096)); $parts.Add("$e") }
            $parts.Add(($Record.InvocationInfo | Format-List * -Force | Out-String -Width 4096))
            $parts.Add(($Record.CategoryInfo | Format-List * -Force | Out-String -Width 4096))
            $parts.Add(($Record.ErrorDetails | Format-List * -Force | Out-String -Width 4096))
            $parts.Add(($Record.TargetObject | ConvertTo-Json -Depth 8 -WarningAction SilentlyContinue))
            $parts.Add("$($Record.ScriptStackTrace)")
            $parts.Add(($Record | Get-Error | Out-String -Width 4096))
            $parts -join "`n"
        }

        function Find-Canary([string] $Source, [string] $Text, [string[]] $Except = @()) {
            foreach ($name in $Canary.Keys) {
                if ($name -notin $Except -and $Text -and $Text.Contains($Canary[$name])) { "$name in $Source" }
            }
        }
    }

    AfterAll {
        foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
        Stop-KedaSandbox $Sandbox
        Stop-KedaPrometheus $Prometheus
        Clear-SandboxEnvironment
        Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'ran the whole flow with every canary in use' {
        $Flow | Should -Not -BeNullOrEmpty -Because 'the article flow must complete for the search to mean anything'
        $Flow.Installation.Healthy | Should -BeTrue
        $Flow.Proof.TokenExchanged | Should -BeTrue -Because 'the service-account token (with its canary) was exchanged with Entra'
        $Flow.Identity.ClientId | Should -Not -BeNullOrEmpty -Because 'ARM accepted the Entra token with its canary'
        (Get-Content $OutFile -Raw) | Should -Match ([regex]::Escape($Canary.KubernetesToken)) -Because 'the kubeconfig from ARM carries the cluster token'
        $Errors.Count | Should -Be 3
        @($Watch.Seen.Keys | Where-Object { $_ -like 'cmdline:*upgrade*--install*' }).Count | Should -BeGreaterThan 0 -Because 'helm was seen while it ran'
        @($Watch.Seen.Keys | Where-Object { $_ -like 'file:*values.yaml' }).Count | Should -BeGreaterThan 0 -Because 'helm''s values were seen while helm ran'
        $TranscriptText | Should -Match 'Performing the operation "Create" on target "user-assigned identity'
        $TranscriptText | Should -Match 'helm: STATUS: deployed'
    }

    It 'leaves no canary in the transcript (-Verbose -Debug)' {
        @(Find-Canary 'transcript' $TranscriptText) | Should -BeNullOrEmpty
    }

    It 'leaves no canary in any output object as JSON' {
        $Outputs.Count | Should -BeGreaterThan 5
        @(foreach ($object in $Outputs) { Find-Canary "output $($object.GetType().Name)" ($object | ConvertTo-Json -Depth 8 -WarningAction SilentlyContinue) }) |
            Should -BeNullOrEmpty
    }

    It 'leaves no canary in any ErrorRecord, with all its properties' {
        @(foreach ($record in $Errors) { Find-Canary "error $($record.FullyQualifiedErrorId)" (Get-ErrorText $record) }) | Should -BeNullOrEmpty
    }

    It 'leaves no canary in any file the module or helm wrote, and no temp folder behind' {
        @(foreach ($file in $Written) { Find-Canary "file $($file.FullName)" ([IO.File]::ReadAllText($file.FullName)) }) | Should -BeNullOrEmpty
        @(foreach ($key in $Watch.Seen.Keys -like 'file:*') { Find-Canary $key $Watch.Seen[$key] }) | Should -BeNullOrEmpty
        $Leftovers.FullName | Should -BeNullOrEmpty -Because 'helm''s kubeconfig and values folder is removed after each run'
    }

    It 'keeps every temp file holding cluster details owner-only (0700 folders, 0600 files)' {
        @($Watch.Seen.Keys -like 'folder:*').Count | Should -BeGreaterThan 0
        foreach ($key in @($Watch.Seen.Keys -like 'folder:*')) { [IO.UnixFileMode]$Watch.Seen[$key] | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute') -Because $key }
        foreach ($key in @($Watch.Seen.Keys -like 'file:*')) { [IO.UnixFileMode]($Watch.Seen[$key] -split "`n")[0] | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') -Because $key }
    }

    It 'leaves no canary on helm''s command line, and only the cluster token (HELM_KUBETOKEN) in its environment' {
        @(foreach ($key in $Watch.Seen.Keys -like 'cmdline:*') { Find-Canary 'helm command line' $Watch.Seen[$key] }) | Should -BeNullOrEmpty
        @(foreach ($key in $Watch.Seen.Keys -like 'environ:*') { Find-Canary 'helm environment' $Watch.Seen[$key] -Except 'KubernetesToken' }) | Should -BeNullOrEmpty
        @($Watch.Seen.Keys -like 'environ:*' | Where-Object { $Watch.Seen[$_].Contains("HELM_KUBETOKEN=$($Canary.KubernetesToken)") }).Count |
            Should -BeGreaterThan 0 -Because 'helm''s environment was read while it ran, and the cluster token goes there on purpose'
    }

    It 'writes the -OutFile kubeconfig 0600, also over a world-readable file' {
        (Get-Item $OutFile).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $open = Join-Path $Work 'out/open.kubeconfig'
        Set-Content $open 'old'
        & chmod 644 $open
        $null = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Connect-KedaCluster -OutFile $open -WarningAction SilentlyContinue
        (Get-Item $open).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Content $open -Raw) | Should -Match 'current-context'
        @(Get-ChildItem (Split-Path $open) -Force -Filter '.*.tmp').Count | Should -Be 0
    }
}
