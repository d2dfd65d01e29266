# Fleets, against the sandbox's fleet preset (six more AKS clusters over two more subscriptions: the KEDA add-on, a Helm KEDA, no OIDC issuer,
# AKS Automatic, workload identity off, an API server that is down; Resource Graph pages of 2 and 3 queries per 2 s): Search-KedaAksCluster
# finds them page by page under the quota, and Test-KedaIntegration -ThrottleLimit checks them in parallel, one set of results per cluster,
# a cluster that is down or gone isolated to that cluster.
Describe 'Fleets' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
        $script:Sandbox = Start-KedaSandbox -Scenario fleet -NoPrincipalDelay
        Set-SandboxEnvironment $Sandbox
        $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
        $script:FleetA = ($Sandbox.subscriptions | Where-Object name -EQ 'KedaAks Fleet A').id
        $script:FleetB = ($Sandbox.subscriptions | Where-Object name -EQ 'KedaAks Fleet B').id
        function script:Get-GraphQueries { @(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.Method -eq 'POST' -and $_.Path -like '/providers/Microsoft.ResourceGraph/*' }) }
    }

    AfterAll {
        Stop-KedaSandbox $Sandbox
        Clear-SandboxEnvironment
    }

    It 'finds every cluster the identity can see, in Resource Graph pages, waiting for the quota instead of meeting a 429' {
        $null = Invoke-Sandbox $Sandbox 'clear-log'
        $output = Search-KedaAksCluster -Verbose 4>&1
        $clusters = @($output | Where-Object { $_ -is [KedaAks.AksCluster] })
        $clusters.Count | Should -Be 7 -Because 'the main cluster and the fleet six'
        @($clusters.SubscriptionId | Sort-Object -Unique).Count | Should -Be 3
        $queries = Get-GraphQueries
        $queries.Count | Should -Be 4 -Because '7 clusters in pages of 2'
        $queries.Status | Should -Not -Contain 429
        ($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Contain 'Resource Graph quota used up; waiting 2 s until it resets before the next page.'

        $byName = @{}; $clusters | ForEach-Object { $byName[$_.Name] = $_ }
        $byName['fleet-automatic'].Sku | Should -Be 'Automatic'
        $byName['fleet-addon'].KedaAddonEnabled | Should -BeTrue
        $byName['fleet-no-oidc'].OidcIssuerEnabled | Should -BeFalse
        $byName['fleet-no-oidc'].KubernetesVersion | Should -Be '1.32.6'
        $byName['fleet-wi-off'].WorkloadIdentityEnabled | Should -BeFalse
        $byName['fleet-helm'].OidcIssuerUrl | Should -Match '^https://eastus\.oic\.prod-aks\.azure\.com/.+/$'
        # The same object Get-KedaAksCluster returns, so it pipes into every cluster cmdlet.
        $read = Get-KedaAksCluster -ResourceId $byName['fleet-helm'].ResourceId
        ($read | ConvertTo-Json -Compress) | Should -Be ($byName['fleet-helm'] | ConvertTo-Json -Compress)
    }

    It 'narrows the search by subscription, management group, filter and -First' {
        @(Search-KedaAksCluster -SubscriptionId $FleetA, $FleetB).Count | Should -Be 6
        @(Search-KedaAksCluster -SubscriptionId $FleetB).Name | Sort-Object | Should -Be @('fleet-automatic', 'fleet-down', 'fleet-wi-off')
        @(Search-KedaAksCluster -ManagementGroup kedaaks-fleet).Count | Should -Be 6
        (Search-KedaAksCluster -Filter "tostring(sku.name) =~ 'automatic'").Name | Should -Be 'fleet-automatic'
        @(Search-KedaAksCluster -Filter "isnull(properties.securityProfile.workloadIdentity)").Name | Sort-Object | Should -Be @('fleet-no-oidc', 'fleet-wi-off', 'keda-aks')
        @(Search-KedaAksCluster -First 3).Count | Should -Be 3
    }

    It 'refuses a filter that is not one where-clause before any query' -ForEach @(
        @{ Filter = "name == 'x' | take 1" }, @{ Filter = '' }, @{ Filter = "name == 'open" }
    ) {
        $before = (Get-GraphQueries).Count
        $record = $null
        try { Search-KedaAksCluster -Filter $Filter } catch { $record = $_ }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidFilter,KedaAks.Commands.SearchKedaAksClusterCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be $Filter
        $record.ErrorDetails.RecommendedAction | Should -Match "-Filter"
        (Get-GraphQueries).Count | Should -Be $before
    }

    It 'checks the fleet in parallel: one set of results per cluster, the cluster that is down reported as its own failure' {
        $clusters = Search-KedaAksCluster
        $null = Invoke-Sandbox $Sandbox 'faults?rate=0&latency=40'
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $sequential = @($clusters | Test-KedaIntegration)
            $oneAtATime = $clock.Elapsed
            $null = Invoke-Sandbox $Sandbox 'clear-log'
            $clock.Restart()
            $null = $clusters | Test-KedaIntegration -ThrottleLimit 8
            $parallel = $clock.Elapsed
            $requests = @(Invoke-Sandbox $Sandbox 'requests' | Where-Object Path -Like '/fleet/*')
            $output = $clusters | Test-KedaIntegration -ThrottleLimit 8 -ErrorVariable failures -Verbose 4>&1
        }
        finally { $null = Invoke-Sandbox $Sandbox 'faults?rate=0&latency=0' }

        $failures | Should -BeNullOrEmpty
        $results = @($output | Where-Object { $_ -is [KedaAks.CheckResult] })
        $groups = @($results | Group-Object Cluster)
        $groups.Count | Should -Be 7
        $groups | ForEach-Object { $_.Count | Should -Be 13 -Because "every check once for $($_.Name)" }
        # Each cluster's results are written together (the grouped view reads cleanly).
        $changes = 0; for ($i = 1; $i -lt $results.Count; $i++) { if ($results[$i].Cluster -ne $results[$i - 1].Cluster) { $changes++ } }
        $changes | Should -Be 6
        foreach ($result in $results) { $result.ClusterResourceId | Should -Be ($clusters | Where-Object Name -EQ $result.Cluster).ResourceId }
        $verbose = @($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
        ($verbose | Where-Object { $_ -match '^\[fleet-helm\] ' }).Count | Should -BeGreaterThan 0 -Because 'lines of concurrent clusters name their cluster'

        $check = { param($cluster, $name) $results | Where-Object { $_.Cluster -eq $cluster -and $_.Check -eq $name } }
        $down = & $check 'fleet-down' 'ServiceAccount'
        $down.Status | Should -Be 'Fail'
        $down.Message | Should -Match 'could not be reached.*502'
        @($results | Where-Object { $_.Cluster -eq 'fleet-down' -and $_.Check -in 'KedaInstalled', 'ScaledObjectsReady' }).Status | Should -Be @('Skipped', 'Skipped')
        foreach ($healthy in 'fleet-addon', 'fleet-helm', 'fleet-automatic', 'fleet-wi-off') {
            (& $check $healthy 'KedaInstalled').Status | Should -Be 'Pass' -Because "$healthy runs KEDA (found where its install mode says) although fleet-down is down"
        }
        (& $check 'fleet-addon' 'KedaInstalled').Message | Should -Match 'KEDA 2\.16\.1'
        (& $check 'fleet-no-oidc' 'ClusterOidcIssuer').Status | Should -Be 'Fail'
        (& $check 'fleet-wi-off' 'ClusterWorkloadIdentity').Status | Should -Be 'Fail'

        # Parallel, not one after another: requests to different clusters' API servers overlapped in time, and it was faster.
        $overlap = 0
        foreach ($a in $requests) {
            $cluster = ($a.Path -split '/')[2]
            $at = [DateTimeOffset]$a.Start
            $inFlight = @($requests | Where-Object { ($_.Path -split '/')[2] -ne $cluster -and [DateTimeOffset]$_.Start -le $at -and [DateTimeOffset]$_.Time -gt $at }).Count
            if ($inFlight -gt $overlap) { $overlap = $inFlight }
        }
        $overlap | Should -BeGreaterThan 1 -Because 'several clusters were being checked at once'
        $parallel.TotalSeconds * 2 | Should -BeLessThan $oneAtATime.TotalSeconds -Because "parallel $($parallel.TotalSeconds) s vs one at a time $($oneAtATime.TotalSeconds) s"
        $seconds = { param($span) [math]::Round($span.TotalSeconds, 2) }
        Write-Host "    fleet of 7 with 40 ms latency: -ThrottleLimit 8 $(& $seconds $parallel) s, one at a time $(& $seconds $oneAtATime) s; max overlap $overlap"
        ($sequential | ForEach-Object { "$($_.Cluster)/$($_.Check)=$($_.Status)" } | Sort-Object) -join ',' |
            Should -Be (($results | ForEach-Object { "$($_.Cluster)/$($_.Check)=$($_.Status)" } | Sort-Object) -join ',')
    }

    It 'reports a cluster that cannot be checked at all as its own error, with that cluster as target, and checks the others' {
        $two = Search-KedaAksCluster -SubscriptionId $FleetA -First 2
        $gone = "/subscriptions/$FleetA/resourceGroups/fleet-a/providers/Microsoft.ContainerService/managedClusters/fleet-gone"
        # Shaped like Get-AzAksCluster's output (Name, Id): the Id binds -ClusterResourceId; the cluster was deleted since it was listed.
        $azAks = [pscustomobject]@{ Name = 'fleet-gone'; Id = $gone; KubernetesVersion = '1.33.2' }
        $results = @(@($two[0], $azAks, $two[1]) | Test-KedaIntegration -ThrottleLimit 4 -ErrorVariable failures -ErrorAction SilentlyContinue)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFound,KedaAks.Commands.TestKedaIntegrationCommand'
        $failures[0].TargetObject | Should -Be $gone
        $failures[0].ErrorDetails.Message | Should -BeLike "Cluster 'fleet-gone': *"
        @($results.Cluster | Sort-Object -Unique) | Should -Be @($two.Name | Sort-Object)
        $results.Count | Should -Be 26
    }

    It 'gives one summary row per cluster with -Summary, in a table view, and groups check results by cluster' {
        $clusters = Search-KedaAksCluster -ManagementGroup kedaaks-fleet
        $summary = @($clusters | Test-KedaIntegration -ThrottleLimit 6 -Summary)
        $summary.Count | Should -Be 6
        $summary | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'KedaAks.IntegrationSummary' }
        $noOidc = $summary | Where-Object Cluster -EQ 'fleet-no-oidc'
        $noOidc.Status | Should -Be 'Fail'
        $noOidc.FailedChecks | Should -Contain 'ClusterOidcIssuer'
        $noOidc.ResourceGroupName | Should -Be 'fleet-a'
        ($noOidc.Passed + $noOidc.Warnings + $noOidc.Failed + $noOidc.Skipped) | Should -Be 13
        $noOidc.Checks.Count | Should -Be 13
        $table = $summary | Out-String -Width 200
        $table | Should -Match 'Cluster\s+ResourceGroupName\s+Status\s+Passed\s+Warnings\s+Failed\s+FailedChecks'
        $table | Should -Match 'fleet-no-oidc\s+fleet-a\s+Fail'
        ($clusters | Where-Object Name -In 'fleet-addon', 'fleet-helm' | Test-KedaIntegration -ThrottleLimit 2 | Out-String -Width 200) |
            Should -Match '(?s)Cluster: fleet-\w+.*Check\s+Status.*Cluster: fleet-\w+'
    }

    It 'without -ThrottleLimit checks each cluster as it arrives, as before' {
        $clusters = Search-KedaAksCluster -SubscriptionId $FleetA
        $null = Invoke-Sandbox $Sandbox 'clear-log'
        $first = $clusters | Test-KedaIntegration | Select-Object -First 1
        $first.Cluster | Should -Be $clusters[0].Name
        $reached = @(Invoke-Sandbox $Sandbox 'requests' | Where-Object Path -Like '/fleet/*' | ForEach-Object { ($_.Path -split '/')[2] } | Sort-Object -Unique)
        $reached | Should -Be @($clusters[0].Name) -Because 'the pipeline stopped before the next cluster arrived'

        # In parallel, a downstream Select-Object -First stops the other clusters' work cleanly.
        $parallelFirst = @($clusters | Test-KedaIntegration -ThrottleLimit 3 -ErrorVariable stopped | Select-Object -First 1)
        $parallelFirst.Count | Should -Be 1
        $parallelFirst[0].Cluster | Should -BeIn $clusters.Name
        $stopped | Should -BeNullOrEmpty
    }

    It 'checks the cluster of the current Connect-KedaCluster connection when none is named, KEDA where its install mode says' {
        $null = Search-KedaAksCluster -SubscriptionId $FleetA -Filter "name == 'fleet-addon'" | Connect-KedaCluster
        $results = @(Test-KedaIntegration)
        $results.Cluster | Sort-Object -Unique | Should -Be 'fleet-addon'
        ($results | Where-Object Check -EQ 'ClusterOidcIssuer').Status | Should -Be 'Pass' -Because 'the connection''s AKS cluster was read from Azure'
        ($results | Where-Object Check -EQ 'KedaInstalled').Message | Should -Match 'KEDA 2\.16\.1' -Because 'the add-on runs in kube-system'
    }
}
