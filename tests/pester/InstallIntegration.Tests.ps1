# Install-KedaAksIntegration, Get-KedaIntegrationPlan and Uninstall-KedaAksIntegration against the sandbox, with the real helm and
# the real KEDA chart (../shared/fixtures/keda/chart) and a real Prometheus behind the workspace: the article from its own starting
# point (a cluster without the OIDC issuer), on both install paths.

BeforeDiscovery {
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $script:Helm = @($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator | Where-Object { $_ -and (Test-Path $_) })[0]
    $script:SkipReason = if (-not (Test-Path (Join-Path $Chart 'Chart.yaml'))) { 'the shared fixtures (keda/chart) are absent' }
    elseif (-not $Helm) { 'no helm binary (KEDAAKS_TEST_HELM; build.ps1 -Task Test fetches it)' }
    elseif (-not (Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)) { 'prometheus is not installed (.ci/run installs it)' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Chart = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/chart'
    $script:Helm = @($env:KEDAAKS_TEST_HELM -split [IO.Path]::PathSeparator | Where-Object { $_ -and (Test-Path $_) })[0]

    function Start-TestWorld([string] $Scenario = 'fresh') {
        # A Prometheus and a sandbox of its own for one Describe, signed in from the environment as the module's cmdlets are.
        $script:Prometheus = Start-KedaPrometheus
        $script:Sandbox = Start-KedaSandbox -Scenario $Scenario -NoPrincipalDelay -ArgumentList '--prometheus', $Prometheus.Url
        Set-SandboxEnvironment $Sandbox
        $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
    }

    function Stop-TestWorld {
        Stop-KedaSandbox $Sandbox
        Stop-KedaPrometheus $Prometheus
        Clear-SandboxEnvironment
    }

    function Get-SandboxCount($Sandbox, [string] $Type) { @(Invoke-Sandbox $Sandbox "resources?type=$Type").Count }

    function Get-HelmRevision($Sandbox) {
        $secrets = Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda/secrets?labelSelector=owner%3Dhelm%2Cname%3Dkeda'
        @($secrets.items | ForEach-Object { [int]$_.metadata.labels.version }) | Sort-Object | Select-Object -Last 1
    }

    function Get-WhatIfLine([scriptblock] $Command) {
        # "What if:" lines go to the host, not to a stream: a transcript sees them.
        $log = Join-Path ([IO.Path]::GetTempPath()) "whatif-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -Path $log
        try { . $Command } finally { $null = Stop-Transcript }
        @(Get-Content $log | Where-Object { $_ -like 'What if:*' })
        Remove-Item $log
    }

    function Start-Integration($Sandbox, [hashtable] $Parameters) {
        # Install-KedaAksIntegration in a runspace of its own, so the test can stop it (PowerShell.Stop, as Ctrl+C does).
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript({
                param($Manifest, $Sandbox, $Parameters)
                Import-Module $Manifest
                $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
                Install-KedaAksIntegration @Parameters
            }).AddArgument($ModuleManifest).AddArgument($Sandbox).AddArgument($Parameters)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }
}

Describe 'Install-KedaAksIntegration on the Helm path, from a cluster without the OIDC issuer' -Skip:([bool]$SkipReason) {
    BeforeAll {
        Start-TestWorld fresh
        $script:Install = @{ ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; MonitorWorkspace = 'keda-amw'; HelmPath = $Helm; ChartPath = $Chart; Timeout = 120 }
    }

    AfterAll { Stop-TestWorld }

    It '-WhatIf prints one line per step, with values not known yet shown as such, and writes nothing anywhere' {
        $before = Invoke-Sandbox $Sandbox 'stats'
        $lines = Get-WhatIfLine { $script:whatIf = Install-KedaAksIntegration @Install -WhatIf }
        $script:whatIf | Should -BeNullOrEmpty
        $after = Invoke-Sandbox $Sandbox 'stats'
        $after.writes | Should -Be $before.writes
        $after.kubernetesWrites | Should -Be $before.kubernetesWrites
        Get-HelmRevision $Sandbox | Should -BeNullOrEmpty -Because 'helm never ran'
        $text = $lines -join "`n"
        $text | Should -Match "enable the OIDC issuer, enable workload identity.*AKS cluster 'keda-aks'"
        $text | Should -Match "Create: location eastus.*user-assigned identity 'keda-int-identity'"
        $text | Should -Match "issuer <assigned by the cluster update>, subject system:serviceaccount:keda:keda-operator.*federated credential 'kedaFedIdentity'"
        $text | Should -Match "principal <assigned when the identity is created>.*Monitoring Data Reader on '.*/accounts/keda-amw'"
        $text | Should -Match "client-id=<client id of the new identity>.*ServiceAccount 'keda/keda-operator'"
        $text | Should -Match 'helm upgrade --install keda keda 2\.\d+\.\d+.*value layout nested serviceAccount\.operator\.\*'
        @($lines).Count | Should -Be 7
    }

    It 'the single-step pipeline plans under -WhatIf too: no OidcIssuerNotEnabled, and the credential and role lines without -Verbose' {
        $lines = Get-WhatIfLine {
            $script:planned = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Enable-KedaAksWorkloadIdentity -WhatIf |
                New-KedaWorkloadIdentity -MonitorWorkspace keda-amw -WhatIf
        }
        $text = $lines -join "`n"
        $text | Should -Match "Enable the OIDC issuer.*AKS cluster 'keda-aks'"
        $text | Should -Match "user-assigned identity 'keda-int-identity'"
        $text | Should -Match "issuer <assigned when Enable-KedaAksWorkloadIdentity runs>.*federated credential 'kedaFedIdentity'"
        $text | Should -Match "Monitoring Data Reader on '.*/accounts/keda-amw' for principal <assigned when the identity is created>"
        $script:planned.ClientId | Should -BeNullOrEmpty
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be 0
        { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -ErrorAction Stop } |
            Should -Throw -ErrorId 'OidcIssuerNotEnabled,KedaAks.Commands.NewKedaWorkloadIdentityCommand'
        Get-SandboxCount $Sandbox userAssignedIdentities | Should -Be 0 -Because 'a real run refuses before any write'
    }

    It 'Get-KedaIntegrationPlan returns the same plan as objects, and prints nothing' {
        $lines = Get-WhatIfLine { $script:plan = Get-KedaIntegrationPlan @Install }
        @($lines).Count | Should -Be 0 -Because 'a plan is data, not What if: lines'
        ($plan.Step -join ',') | Should -Be 'Cluster,Identity,RoleAssignment,FederatedCredential,Namespace,ServiceAccount,Keda'
        ($plan | Where-Object Step -EQ FederatedCredential).Detail | Should -Match 'subject system:serviceaccount:keda:keda-operator'
        @($plan | Where-Object Action -NE Create).Step | Should -Be @('Cluster') -Because 'the cluster is updated, everything else is new'
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be 0
    }

    It 'installs: every step done, every check passes, and the federation is proven' {
        $result = Install-KedaAksIntegration @Install
        $result | Should -BeOfType KedaAks.IntegrationResult
        $result.Succeeded | Should -BeTrue
        $result.InstallMethod | Should -Be 'Helm'
        $result.Cluster.OidcIssuerEnabled | Should -BeTrue
        $result.WorkloadIdentity.ClientId | Should -Match '^[0-9a-f-]{36}$'
        $result.Installation.ClientId | Should -Be $result.WorkloadIdentity.ClientId
        $result.Proof.TokenExchanged | Should -BeTrue
        @($result.Checks | Where-Object Status -NE Pass).Count | Should -Be 0
        ($result.Steps | Where-Object Step -EQ Identity).Outcome | Should -Be 'Created'
        ($result.Steps | Where-Object Step -EQ Namespace).Outcome | Should -Be 'Created'
        ($result.Steps | Where-Object Step -EQ Keda).Outcome | Should -Be 'Created'
        Get-HelmRevision $Sandbox | Should -Be 1
        $account = Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda/serviceaccounts/keda-operator'
        $account.metadata.annotations.'azure.workload.identity/client-id' | Should -Be $result.WorkloadIdentity.ClientId
        $account.metadata.annotations.'kedaaks.io/created-by' | Should -Be 'Install-KedaAksIntegration'
        $identity = Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities' | Where-Object name -EQ 'keda-int-identity'
        $identity.tags.'kedaaks-owns' | Should -Be 'identity;credential=kedaFedIdentity'
    }

    It 're-runs with no ARM write, no Kubernetes write and the same Helm revision' {
        $before = Invoke-Sandbox $Sandbox 'stats'
        $result = Install-KedaAksIntegration @Install
        $after = Invoke-Sandbox $Sandbox 'stats'
        $after.writes | Should -Be $before.writes
        $after.kubernetesWrites | Should -Be $before.kubernetesWrites
        Get-HelmRevision $Sandbox | Should -Be 1
        @($result.Steps | Where-Object { $_.Outcome -notin 'Unchanged', 'Proved', 'Passed' }).Step | Should -BeNullOrEmpty
        $result.Succeeded | Should -BeTrue
    }

    It 'Install-KedaHelm re-run with the same values makes no new revision either' {
        $identity = Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities' | Where-Object name -EQ 'keda-int-identity'
        $null = Install-KedaHelm -ClientId $identity.properties.clientId -TenantId $identity.properties.tenantId -ChartPath $Chart -HelmPath $Helm `
            -Cluster (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks) -Timeout 120
        Get-HelmRevision $Sandbox | Should -Be 1
    }

    It 'uninstalls what it made in reverse order, keeps the cluster''s OIDC issuer, and converges when run again' {
        $steps = Uninstall-KedaAksIntegration -ResourceGroupName keda-rg -ClusterName keda-aks -HelmPath $Helm -Confirm:$false
        ($steps.Step -join ',') | Should -Be 'Keda,ServiceAccount,Namespace,RoleAssignment,FederatedCredential,Identity'
        @($steps | Where-Object Outcome -NE Removed).Count | Should -Be 0
        Get-SandboxCount $Sandbox userAssignedIdentities | Should -Be 0
        Get-SandboxCount $Sandbox federatedIdentityCredentials | Should -Be 0
        Get-SandboxCount $Sandbox roleAssignments | Should -Be 0
        { Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda/serviceaccounts/keda-operator' } | Should -Throw
        (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).OidcIssuerEnabled | Should -BeTrue

        $before = Invoke-Sandbox $Sandbox 'stats'
        $again = Uninstall-KedaAksIntegration -ResourceGroupName keda-rg -ClusterName keda-aks -HelmPath $Helm -Confirm:$false
        @($again | Where-Object Outcome -NE Absent).Count | Should -Be 0
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be $before.writes
        (Invoke-Sandbox $Sandbox 'stats').kubernetesWrites | Should -Be $before.kubernetesWrites
    }

    It 'keeps what it did not make: an identity and a namespace that existed before' {
        $null = Invoke-SandboxCluster $Sandbox '/api/v1/namespaces' -Method Post -Body @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = 'keda' } }
        $mine = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity -IdentityName keda-own-identity -FederatedCredentialName ownFed -ServiceAccountName other-app
        $result = Install-KedaAksIntegration @Install -IdentityName keda-own-identity -FederatedCredentialName integrationFed -SkipProof
        $result.WorkloadIdentity.ClientId | Should -Be $mine.ClientId
        ($result.Steps | Where-Object Step -EQ Identity).Outcome | Should -Be 'Unchanged'
        ($result.Steps | Where-Object Step -EQ Namespace).Outcome | Should -Be 'Unchanged'
        ($result.Steps | Where-Object Step -EQ FederatedCredential).Outcome | Should -Be 'Created'
        (Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities' | Where-Object name -EQ 'keda-own-identity').tags.'kedaaks-owns' |
            Should -Be 'credential=integrationFed' -Because 'the identity is not the integration''s, only the credential it added'

        $steps = Uninstall-KedaAksIntegration -ResourceGroupName keda-rg -ClusterName keda-aks -IdentityName keda-own-identity -FederatedCredentialName integrationFed `
            -HelmPath $Helm -Confirm:$false
        ($steps | Where-Object Step -EQ Identity).Outcome | Should -Be 'Kept'
        ($steps | Where-Object Step -EQ Namespace).Outcome | Should -Be 'Kept'
        ($steps | Where-Object Step -EQ FederatedCredential).Outcome | Should -Be 'Removed'
        $left = Invoke-Sandbox $Sandbox 'resources?type=federatedIdentityCredentials'
        @($left.name) | Should -Be @('ownFed') -Because 'the credential the user made stays, the integration''s goes'
        Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda' | Should -Not -BeNullOrEmpty
        $identity = Invoke-Sandbox $Sandbox 'resources?type=userAssignedIdentities' | Where-Object name -EQ 'keda-own-identity'
        $identity.tags.'kedaaks-owns' | Should -BeNullOrEmpty -Because 'the integration''s mark goes with its credential'
    }
}

Describe 'Install-KedaAksIntegration stopped mid-run, then resumed' -Skip:([bool]$SkipReason) {
    BeforeAll {
        Start-TestWorld fresh
        $script:Install = @{ ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; MonitorWorkspace = 'keda-amw'; HelmPath = $Helm; ChartPath = $Chart; Timeout = 20 }
    }

    AfterAll { Stop-TestWorld }

    It 'a stop during the cluster update is finished by the next run, with nothing duplicated' {
        $run = Start-Integration $Sandbox $Install
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and -not (@(Invoke-Sandbox $Sandbox 'requests') | Where-Object { $_.Method -eq 'PUT' -and $_.Path -match 'managedClusters' })) {
            Start-Sleep -Milliseconds 50
        }
        $run.PowerShell.Stop()
        $run.PowerShell.Dispose()
        (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).OidcIssuerEnabled | Should -BeTrue -Because 'the update was sent before the stop'

        $result = Install-KedaAksIntegration @Install
        $result.Succeeded | Should -BeTrue
        Get-SandboxCount $Sandbox userAssignedIdentities | Should -Be 1
        Get-SandboxCount $Sandbox federatedIdentityCredentials | Should -Be 1
        Get-SandboxCount $Sandbox roleAssignments | Should -Be 1
    }

    It 'a stop while helm runs leaves a pending release that the next run recovers' {
        $null = Uninstall-KedaAksIntegration -ResourceGroupName keda-rg -ClusterName keda-aks -HelmPath $Helm -Confirm:$false
        $run = Start-Integration $Sandbox $Install
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while ([DateTime]::UtcNow -lt $deadline -and -not (Get-HelmRevision $Sandbox)) { Start-Sleep -Milliseconds 50 }
        $run.PowerShell.Stop()
        $run.PowerShell.Dispose()
        Get-HelmRevision $Sandbox | Should -Be 1 -Because 'helm had written its release before the stop'
        @(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'kedaaks-helm-*' -Directory -ErrorAction SilentlyContinue |
            Where-Object LastWriteTimeUtc -GT ([DateTime]::UtcNow.AddMinutes(-2))).Count | Should -Be 0 -Because 'the values and kubeconfig folder goes with the stop'

        $result = Install-KedaAksIntegration @Install -WarningVariable warned
        $result.Succeeded | Should -BeTrue
        $result.Installation.Healthy | Should -BeTrue
        Get-SandboxCount $Sandbox userAssignedIdentities | Should -Be 1
        Get-SandboxCount $Sandbox federatedIdentityCredentials | Should -Be 1
    }
}

Describe 'Two Install-KedaAksIntegration runs on one cluster at the same time' -Skip:([bool]$SkipReason) {
    BeforeAll {
        Start-TestWorld fresh
        $script:Install = @{ ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; MonitorWorkspace = 'keda-amw'; HelmPath = $Helm; ChartPath = $Chart; Timeout = 120 }
    }

    AfterAll { Stop-TestWorld }

    It 'both succeed, and the cluster ends with one of everything' {
        $runs = 1..2 | ForEach-Object { Start-Integration $Sandbox $Install }
        $results = foreach ($run in $runs) {
            try { $run.PowerShell.EndInvoke($run.Handle) } finally { $run.PowerShell.Dispose() }
        }
        @($results).Count | Should -Be 2
        @($results | Where-Object Succeeded).Count | Should -Be 2
        Get-SandboxCount $Sandbox userAssignedIdentities | Should -Be 1
        Get-SandboxCount $Sandbox federatedIdentityCredentials | Should -Be 1
        Get-SandboxCount $Sandbox roleAssignments | Should -Be 1
        @((Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda/secrets?labelSelector=owner%3Dhelm').items |
            ForEach-Object { $_.metadata.labels.name } | Sort-Object -Unique) | Should -Be @('keda')

        $before = Invoke-Sandbox $Sandbox 'stats'
        $null = Install-KedaAksIntegration @Install
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be $before.writes -Because 'the two runs converged'
    }
}

Describe 'Install-KedaAksIntegration on the AKS add-on path' -Skip:([bool]$SkipReason) {
    BeforeAll {
        Start-TestWorld fresh
        $script:Install = @{ ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; MonitorWorkspace = 'keda-amw'; InstallMethod = 'AksAddon'; Timeout = 120 }
    }

    AfterAll { Stop-TestWorld }

    It 'turns the add-on on with workload identity in one cluster update, federates kube-system, and proves it, without helm' {
        $before = Invoke-Sandbox $Sandbox 'stats'
        $null = Install-KedaAksIntegration @Install -WhatIf
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be $before.writes

        $null = Invoke-Sandbox $Sandbox 'clear-log'
        $result = Install-KedaAksIntegration @Install -HelmPath /nonexistent/helm
        $result.Succeeded | Should -BeTrue
        $result.InstallMethod | Should -Be 'AksAddon'
        # The run reads the cluster, the connection reads it for its credentials, the operation's end is read once; the add-on's
        # restarted operator is confirmed from the cluster the run already holds, not by reading ARM again.
        @(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.Method -eq 'GET' -and $_.Path -match 'managedClusters/keda-aks\?' }).Count | Should -BeLessOrEqual 3
        $result.Cluster.KedaAddonEnabled | Should -BeTrue
        $result.WorkloadIdentity.Subject | Should -Be 'system:serviceaccount:kube-system:keda-operator'
        $result.Installation.ClientId | Should -Be $result.WorkloadIdentity.ClientId
        @(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.Method -eq 'PUT' -and $_.Path -match 'managedClusters/keda-aks\?' }).Count | Should -Be 1
        { Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/keda' } | Should -Throw -Because 'the add-on path makes no keda namespace'
    }

    It 're-runs with no write, and uninstall removes only the annotations on the add-on''s account' {
        $before = Invoke-Sandbox $Sandbox 'stats'
        $null = Install-KedaAksIntegration @Install
        (Invoke-Sandbox $Sandbox 'stats').writes | Should -Be $before.writes
        (Invoke-Sandbox $Sandbox 'stats').kubernetesWrites | Should -Be $before.kubernetesWrites

        $steps = Uninstall-KedaAksIntegration -ResourceGroupName keda-rg -ClusterName keda-aks -Confirm:$false
        ($steps | Where-Object Step -EQ ServiceAccount).Outcome | Should -Be 'Updated'
        $account = Invoke-SandboxCluster $Sandbox '/api/v1/namespaces/kube-system/serviceaccounts/keda-operator'
        $account.metadata.annotations.'azure.workload.identity/client-id' | Should -BeNullOrEmpty
        (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).KedaAddonEnabled | Should -BeTrue -Because 'cluster settings are never turned off'
        Get-SandboxCount $Sandbox userAssignedIdentities | Should -Be 0
    }
}

Describe 'Install-KedaAksIntegration round trips to ARM (150 ms per request)' -Skip:([bool]$SkipReason) {
    BeforeAll {
        Start-TestWorld fresh
        $null = Invoke-Sandbox $Sandbox 'faults?rate=0&seed=1&latency=150'
        $script:Install = @{ ResourceGroupName = 'keda-rg'; ClusterName = 'keda-aks'; MonitorWorkspace = 'keda-amw'; HelmPath = $Helm; ChartPath = $Chart; Timeout = 120 }
    }

    AfterAll { Stop-TestWorld }

    It 'a fresh run makes at most 4 sequential ARM round trips besides the operation''s polls, a converged re-run at most 2' {
        $null = Invoke-Sandbox $Sandbox 'clear-log'
        $null = Install-KedaAksIntegration @Install
        $fresh = Measure-SandboxArmRoundTrip $Sandbox
        $null = Invoke-Sandbox $Sandbox 'clear-log'
        $null = Install-KedaAksIntegration @Install
        $converged = Measure-SandboxArmRoundTrip $Sandbox
        Write-Host "ARM round trips at 150 ms: fresh $($fresh.RoundTrips) ($($fresh.Requests) requests, $($fresh.Polls) polls), converged $($converged.RoundTrips) ($($converged.Requests) requests)"
        $fresh.RoundTrips | Should -BeLessOrEqual 4
        $fresh.Polls | Should -BeGreaterThan 0 -Because 'the cluster update is a long-running operation'
        $converged.RoundTrips | Should -BeLessOrEqual 2
    }
}

Describe 'Install-KedaAksIntegration -ThrottleLimit over a fleet' -Skip:([bool]$SkipReason) {
    BeforeAll {
        Start-TestWorld fleet
    }

    AfterAll { Stop-TestWorld }

    It 'integrates the fleet in parallel, each cluster on its own install path, and isolates the one whose API server is down' {
        $clusters = @(Search-KedaAksCluster -SubscriptionId (($Sandbox.subscriptions | Where-Object name -Like 'KedaAks Fleet*').id))
        $results = @($clusters | Install-KedaAksIntegration -HelmPath $Helm -ChartPath $Chart -SkipProof -Timeout 120 -ThrottleLimit 4 -ErrorVariable failures -ErrorAction SilentlyContinue)
        $byName = @{}; $results | ForEach-Object { $byName[$_.ClusterName] = $_ }
        @($failures).Count | Should -Be 1
        $failures[0].TargetObject.Name | Should -Be 'fleet-down'
        $failures[0].Exception.Message | Should -Match 'HTML page .*not the API server'
        $failures[0].Exception.Message | Should -Not -Match '<html' -Because 'a gateway''s page is described, not pasted'
        $results.Count | Should -Be ($clusters.Count - 1)
        $byName['fleet-addon'].InstallMethod | Should -Be 'AksAddon'
        $byName['fleet-automatic'].InstallMethod | Should -Be 'AksAddon'
        $byName['fleet-no-oidc'].InstallMethod | Should -Be 'Helm'
        $byName['fleet-no-oidc'].Cluster.OidcIssuerEnabled | Should -BeTrue
        foreach ($result in $results) {
            $result.WorkloadIdentity.ClientId | Should -Not -BeNullOrEmpty -Because "$($result.ClusterName) has its identity"
            ($result.Steps | Where-Object Step -EQ Keda).Outcome | Should -BeIn @('Created', 'Updated', 'Unchanged') -Because $result.ClusterName
        }
    }
}
