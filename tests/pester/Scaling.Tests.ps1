# Scaling safely: Invoke-KedaScalingReplay against a real Prometheus backfilled with promtool (the queue gauge of
# Start-KedaPrometheus: zero, a one-minute ramp to 300, a plateau, twenty minutes without samples, the plateau again, a
# one-minute drain), its HTML report in a real headless Chromium, and Deploy-KedaResource's scale-target pre-flight, the HPA
# takeover and Remove-KedaTriggerAuthentication's in-use refusal against the sandbox (with KEDA's webhook and operator).
BeforeDiscovery {
    $script:HasPrometheus = [bool](Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $script:Crds = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds'
    function At([string] $Time) { [DateTimeOffset]::Parse("2025-01-01T$($Time)Z", [Globalization.CultureInfo]::InvariantCulture) }
}

Describe 'Invoke-KedaScalingReplay against a real Prometheus' -Skip:(-not $HasPrometheus) {
    BeforeAll {
        $script:Prometheus = Start-KedaPrometheus
        $script:Queue = 'sum(queue_messages{cluster="aks-prod",queue="orders"})'
        $script:Window = @{ Start = (At '00:00:00'); End = (At '02:00:00') }
        $script:Samples = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10 -ActivationThreshold 5 -MaxReplicaCount 20 @Window `
            -WarningVariable warned -WarningAction SilentlyContinue 6>$null
        $script:ReplayWarnings = $warned
        function Sample([string] $Time) { $Samples | Where-Object { $_.Time -eq (At $Time) } }
    }

    AfterAll { Stop-KedaPrometheus $Prometheus }

    It 'has one sample per 15 s step' {
        $Samples.Count | Should -Be 481
        $Samples[0] | Should -BeOfType ([KedaAks.ScalingSample])
        $Samples[1].Time - $Samples[0].Time | Should -Be ([TimeSpan]::FromSeconds(15))
    }

    It 'is zero before activation' {
        $before = @($Samples | Where-Object { $_.Time -lt (At '00:20:30') })
        $before.Count | Should -Be 82
        @($before | Where-Object Replicas -NE 0).Count | Should -Be 0
        @($before | Where-Object IsActive).Count | Should -Be 0
        # 00:20:15 reads 75, above the activation threshold, but KEDA's next poll (every 30 s from the start) is at 00:20:30.
        (Sample '00:20:15').Value | Should -Be 75
        (Sample '00:20:30').Reason | Should -Be 'Activated'
    }

    It 'rate-limits the scale-up to max(2 x replicas, 4) per sync, then caps at maxReplicaCount' {
        (('00:20:30', '00:20:45', '00:21:00', '00:21:15') | ForEach-Object { (Sample $_).Replicas }) | Should -Be @(4, 8, 16, 20)
        (Sample '00:20:45').Reason | Should -Be 'ScaleUpLimit'
        $plateau = Sample '00:30:00'
        ($plateau.Replicas, $plateau.DesiredReplicas, $plateau.Reason) | Should -Be @(20, 30, 'TooManyReplicas')
        ($Samples | Measure-Object Replicas -Maximum).Maximum | Should -Be 20
        for ($i = 1; $i -lt $Samples.Count; $i++) {
            if ($Samples[$i - 1].Replicas -gt 0) { $Samples[$i].Replicas | Should -BeLessOrEqual ([math]::Max(2 * $Samples[$i - 1].Replicas, 4)) }
        }
    }

    It 'goes back to zero only after the cooldown since the last active poll' {
        # IsActive is KEDA's last poll: the drain reads 150 at the 01:20:30 poll (shown until 01:20:45) and 0 at 01:21:00.
        $lastActive = $Samples | Where-Object { $_.IsActive -and $_.Time -lt (At '01:30:00') } | Select-Object -Last 1
        $lastActive.Time | Should -Be (At '01:20:45')
        $zero = $Samples | Where-Object { $_.Time -gt $lastActive.Time -and $_.Replicas -eq 0 } | Select-Object -First 1
        $zero.Time | Should -Be (At '01:26:00')         # the first poll after the last active poll + 300 s (01:25:30 is not after it)
        $zero.Reason | Should -Be 'ScaledToZero'
        @($Samples | Where-Object { $_.Time -gt $lastActive.Time -and $_.Time -lt $zero.Time -and $_.Replicas -eq 0 }).Count | Should -Be 0
        @($Samples | Where-Object { $_.Time -ge $zero.Time -and $_.Replicas -ne 0 }).Count | Should -Be 0
    }

    It 'shows the silent zero of the lost metric and warns about ignoreNullValues' {
        # No samples from 00:40; Prometheus' 5-minute lookback keeps 300 until 00:44:45, then the result is empty until 01:00.
        (Sample '00:44:45').Value | Should -Be 300
        (Sample '00:45:00').Value | Should -BeNullOrEmpty
        (Sample '00:55:00').Replicas | Should -Be 0 -Because 'empty reads as 0 with ignoreNullValues, so KEDA cools down to zero'
        ($ReplayWarnings -join ' ') | Should -Match 'ignoreNullValues: "false"'
        ($ReplayWarnings -join ' ') | Should -Match 'fallback'
        $summary = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10 -ActivationThreshold 5 -MaxReplicaCount 20 @Window `
            -Summary -WarningAction SilentlyContinue 6>$null
        $summary.EmptySamples | Should -Be 60
        ($summary.Warnings -join ' ') | Should -Match 'went to zero while the metric was missing'
    }

    It 'holds the workload at the fallback with ignoreNullValues false' {
        $held = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10 -ActivationThreshold 5 -MaxReplicaCount 20 @Window `
            -NoIgnoreNullValues -FallbackReplicas 6 -WarningAction SilentlyContinue 6>$null
        $gap = @($held | Where-Object { $_.Time -ge (At '00:45:00') -and $_.Time -lt (At '01:00:00') })
        @($gap | Where-Object Replicas -EQ 0).Count | Should -Be 0
        ($held | Where-Object { $_.Time -eq (At '00:55:00') }).Replicas | Should -Be 6
        ($held | Where-Object { $_.Time -eq (At '00:55:00') }).Reason | Should -Be 'TriggerError'
    }

    It 'compares thresholds side by side and suggests one for the peak' {
        $summaries = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10, 15, 25 -ActivationThreshold 5 -MaxReplicaCount 20 @Window `
            -Summary -WarningAction SilentlyContinue 6>$null
        $summaries | Should -HaveCount 3
        $summaries[0] | Should -BeOfType ([KedaAks.ScalingReplaySummary])
        $summaries.Threshold | Should -Be @('10', '15', '25')
        $summaries.PeakReplicas | Should -Be @(20, 20, 12)
        $summaries[0].SuggestedThreshold | Should -Be '15'
        $summaries[0].PeakValue | Should -Be 300
        $summaries[2].TimeAtMax | Should -Be ([TimeSpan]::Zero)
        $summaries[0].TimeAtZero | Should -BeGreaterThan ([TimeSpan]::FromMinutes(40))
    }

    It 'draws the chart on the information stream' {
        $info = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10 -MaxReplicaCount 20 @Window -Step 1m -WarningAction SilentlyContinue 6>&1 |
            Where-Object { $_ -is [Management.Automation.InformationRecord] }
        $chart = "$($info.MessageData)"
        $chart | Should -Match 'Replicas, threshold 10 \(max 20\)'
        $chart | Should -Match '█'
        $info.Tags | Should -Contain 'PSHOST'
    }

    It 'flags a query that sums the series of two clusters' {
        $summary = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query 'sum(queue_messages{queue="orders"})' -Threshold 10 @Window -Summary `
            -WarningAction SilentlyContinue 6>$null
        ($summary.Warnings -join ' ') | Should -Match 'come from 2 clusters \(aks-dev, aks-prod\)'
        (Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10 @Window -Summary -WarningAction SilentlyContinue 6>$null).Warnings |
            Should -Not -Match 'clusters'
        $query = Test-KedaPrometheusQuery -ServerAddress $Prometheus.Url -Query 'sum(queue_messages{queue="orders"})' -Threshold 10 -Time (At '01:10:00') -WarningAction SilentlyContinue
        ($query.Warnings -join ' ') | Should -Match 'cluster="<this cluster>"'
    }

    It 'replays each prometheus trigger of a piped ScaledObject with its own metadata' {
        $so = New-KedaPrometheusScaler -Name orders -TargetName orders -ServerAddress $Prometheus.Url -Query $Queue -Threshold 25 -ActivationThreshold 5 -MaxReplicaCount 20 `
            -Metadata @{ ignoreNullValues = 'false' }
        $samples = $so | Invoke-KedaScalingReplay @Window -WarningAction SilentlyContinue 6>$null
        $samples[0].ScaledObjectName | Should -Be 'orders'
        $samples[0].Threshold | Should -Be '25'
        ($samples | Where-Object { $_.Time -eq (At '00:55:00') }).Reason | Should -Be 'TriggerError' -Because 'the trigger says ignoreNullValues false'
    }

    It 'writes an HTML report whose SVG renders every sample in a real browser' {
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'chromium is not installed (.ci/run installs Debian''s chromium)'; return }
        $dir = Join-Path ([IO.Path]::GetTempPath()) "replay-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $dir | Out-Null
        try {
            $report = Join-Path $dir 'report.html'
            $null = Invoke-KedaScalingReplay -ServerAddress $Prometheus.Url -Query $Queue -Threshold 10, 25 -ActivationThreshold 5 -MaxReplicaCount 20 @Window `
                -OutFile $report -Summary -WarningAction SilentlyContinue 6>$null
            $report | Should -Exist
            $arguments = '--headless', '--no-sandbox', '--disable-gpu', "--user-data-dir=$dir/profile", '--window-size=1200,900'
            $dom = (& $Chromium.Source @arguments --dump-dom "file://$report" 2>$null) -join "`n"
            $dom | Should -Match '<svg'
            $replicas = [regex]::Matches($dom, '<polyline[^>]*data-series="replicas"[^>]*data-threshold="([^"]+)"[^>]*points="([^"]*)"')
            $replicas.Count | Should -Be 2
            $replicas.ForEach({ $_.Groups[1].Value }) | Should -Be @('10', '25')
            $replicas.ForEach({ ($_.Groups[2].Value -split ' ').Count }) | Should -Be @(481, 481)
            $metric = [regex]::Matches($dom, '<polyline[^>]*data-series="metric"[^>]*points="([^"]*)"')
            $metric.Count | Should -Be 2 -Because 'the lost metric breaks the line'
            ($metric.ForEach({ ($_.Groups[1].Value -split ' ').Count }) | Measure-Object -Sum).Sum | Should -Be (481 - 60)
            [regex]::Matches($dom, '<line[^>]*class="threshold"').Count | Should -Be 2
            $png = Join-Path $dir 'report.png'
            $null = & $Chromium.Source @arguments "--screenshot=$png" "file://$report" 2>$null
            (Get-Item $png).Length | Should -BeGreaterThan 20KB
        }
        finally { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Scale-target pre-flight, HPA takeover and in-use refusal against the sandbox' {
    BeforeAll {
        $script:SkipReason = if (-not (Test-Path $Crds)) { 'needs KEDA''s CRDs (../shared/fixtures)' }
        if (-not $SkipReason) {
            $script:Sandbox = Start-KedaSandbox -Scenario keda-crds
            $null = Connect-KedaCluster -KubeconfigPath $Sandbox.kubeconfig
            $null = Invoke-SandboxCluster $Sandbox '/api/v1/namespaces' -Method Post -Body @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = 'keda' } }
            Add-SandboxKedaDeployment $Sandbox -Namespace keda   # KEDA's operator and its admission webhook
            foreach ($name in 'web', 'api') {
                $null = Invoke-SandboxCluster $Sandbox '/apis/apps/v1/namespaces/default/deployments' -Method Post -Body @{
                    apiVersion = 'apps/v1'; kind = 'Deployment'; metadata = @{ name = $name; namespace = 'default' }
                    spec = @{
                        replicas = 1; selector = @{ matchLabels = @{ app = $name } }
                        template = @{ metadata = @{ labels = @{ app = $name } }; spec = @{ containers = @(@{ name = 'c'; image = 'i' }) } }
                    }
                }
            }
            function New-Hpa([string] $Name, [string] $Target) {
                $null = Invoke-SandboxCluster $Sandbox '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers' -Method Post -Body @{
                    apiVersion = 'autoscaling/v2'; kind = 'HorizontalPodAutoscaler'; metadata = @{ name = $Name; namespace = 'default' }
                    spec = @{ scaleTargetRef = @{ apiVersion = 'apps/v1'; kind = 'Deployment'; name = $Target }; minReplicas = 1; maxReplicas = 4 }
                }
            }
            function New-Scaler([string] $Name, [string] $Target, [string] $Auth) {
                $extra = if ($Auth) { @{ TriggerAuthentication = $Auth } } else { @{} }
                New-KedaPrometheusScaler -Name $Name -Namespace default -TargetName $Target -ServerAddress http://prometheus.monitoring:9090 -Query 'sum(up)' -Threshold 10 @extra
            }
            New-Hpa web-cpu web
        }
    }

    AfterAll { if ($Sandbox) { Stop-KedaSandbox $Sandbox } }

    BeforeEach { if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason } }

    It 'warns naming a missing target, and still applies' {
        if ($SkipReason) { return }
        $result = New-Scaler lonely not-there | Deploy-KedaResource -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Action | Should -Be 'Created'
        ($warnings -join ' ') | Should -Match "scale target Deployment 'not-there' \(apps/v1\) does not exist"
    }

    It 'refuses a target another HPA scales, naming the HPA, and writes nothing' {
        if ($SkipReason) { return }
        $writes = (Invoke-Sandbox $Sandbox 'stats').kubernetesWrites
        $result = New-Scaler web web | Deploy-KedaResource -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'ScaleTargetHasHpa,KedaAks.Commands.DeployKedaResourceCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $problems[0].TargetObject | Should -Be 'HorizontalPodAutoscaler/default/web-cpu'
        $problems[0].Exception.Message | Should -Match "already scaled by HPA 'web-cpu'"
        $problems[0].ErrorDetails.RecommendedAction | Should -Match '-TakeOverHpa'
        (Invoke-Sandbox $Sandbox 'stats').kubernetesWrites | Should -Be $writes
    }

    It 'takes the HPA over with -TakeOverHpa: a dry run first, then KEDA owns it' {
        if ($SkipReason) { return }
        $preview = New-Scaler web web | Deploy-KedaResource -TakeOverHpa -WhatIf
        $preview.Action | Should -Be 'WouldCreate'
        $preview.Resource.HorizontalPodAutoscalerName | Should -Be 'web-cpu'
        Get-KedaScaledObject -Name web -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $result = New-Scaler web web | Deploy-KedaResource -TakeOverHpa
        $result.Action | Should -Be 'Created'
        $stored = Invoke-SandboxCluster $Sandbox '/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/web'
        $stored.metadata.annotations.'scaledobject.keda.sh/transfer-hpa-ownership' | Should -Be 'true'
        $stored.spec.advanced.horizontalPodAutoscalerConfig.name | Should -Be 'web-cpu'
        $hpa = Invoke-SandboxCluster $Sandbox '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web-cpu'
        $hpa.metadata.ownerReferences[0].kind | Should -Be 'ScaledObject'
        $hpa.metadata.ownerReferences[0].name | Should -Be 'web'
        (New-Scaler web web | Deploy-KedaResource).Action | Should -Be 'Unchanged' -Because 'the object keeps the HPA it took over'
    }

    It 'refuses a second ScaledObject on the same target' {
        if ($SkipReason) { return }
        $null = New-Scaler web-two web | Deploy-KedaResource -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'ScaleTargetHasScaledObject,KedaAks.Commands.DeployKedaResourceCommand'
        $problems[0].Exception.Message | Should -Match "already managed by the ScaledObject 'web'"
    }

    It 'resolves KEDA''s webhook refusal to ScaleTargetHasHpa with and without the webhook prefix' {
        $text = "the workload 'web' of type 'apps/v1.Deployment' is already managed by the hpa 'web-cpu'"
        foreach ($message in $text, "admission webhook `"vscaledobject.kb.io`" denied the request: $text") {
            $diagnosis = Resolve-KedaError -Message $message
            $diagnosis.Code | Should -Be 'ScaleTargetHasHpa'
            $diagnosis.Remedy | Should -Match '-TakeOverHpa'
        }
    }

    It 'refuses to remove a TriggerAuthentication that a ScaledObject uses, unless -Force' {
        if ($SkipReason) { return }
        $null = New-KedaTriggerAuthentication -Name used-auth -Namespace default | Deploy-KedaResource
        $null = New-Scaler api api used-auth | Deploy-KedaResource
        Remove-KedaTriggerAuthentication -Name used-auth -Namespace default -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'TriggerAuthenticationInUse,KedaAks.Commands.RemoveKedaTriggerAuthenticationCommand'
        $problems[0].Exception.Message | Should -Match 'ScaledObject default/api'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-KedaTriggerAuthentication -Name used-auth -Namespace default | Should -Not -BeNullOrEmpty
        Remove-KedaTriggerAuthentication -Name used-auth -Namespace default -Force
        Get-KedaTriggerAuthentication -Name used-auth -Namespace default -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Test-KedaIntegration fails CompetingHpas for an HPA created after a ScaledObject, and warns about ScaledObjects without status' {
        if ($SkipReason) { return }
        (Invoke-SandboxCluster $Sandbox '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/keda-hpa-api').metadata.ownerReferences[0].name | Should -Be 'api'
        $before = Test-KedaIntegration -KubeconfigPath $Sandbox.kubeconfig
        ($before | Where-Object Check -EQ 'CompetingHpas').Status | Should -Be 'Pass'
        ($before | Where-Object Check -EQ 'ScaledObjectsReady').Status | Should -Be 'Warning' -Because 'the sandbox''s KEDA sets no status'
        Start-Sleep -Milliseconds 1100   # creation timestamps have whole seconds
        New-Hpa api-late api
        $check = Test-KedaIntegration -KubeconfigPath $Sandbox.kubeconfig | Where-Object Check -EQ 'CompetingHpas'
        $check.Status | Should -Be 'Fail'
        $check.Message | Should -Match 'HPA default/api-late also scales Deployment ''api'', created .* after the ScaledObject'
        $check.Remedy | Should -Not -BeNullOrEmpty
    }
}
