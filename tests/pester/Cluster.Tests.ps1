# The cluster-side cmdlets against the sandbox's Kubernetes API (KEDA's real CRDs from ../shared/fixtures when present).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $crds = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds'
    $script:HasKeda = Test-Path $crds
    $script:Sandbox = Start-KedaSandbox -Scenario keda-helm -NoPrincipalDelay   # KEDA's CRDs when the fixtures are present
    $script:Bare = Start-KedaSandbox -ArgumentList '--local-accounts-disabled'
    Set-SandboxEnvironment $Sandbox
    $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
    $script:Endpoint = 'http://prometheus.monitoring:9090'
}

AfterAll {
    Stop-KedaSandbox $Sandbox
    Stop-KedaSandbox $Bare
    Clear-SandboxEnvironment
}

Describe 'Connect-KedaCluster' {
    It 'reads KUBECONFIG like kubectl, merging several files' {
        $empty = Join-Path ([IO.Path]::GetTempPath()) "empty-$([guid]::NewGuid().ToString('N')).yaml"
        Set-Content $empty "apiVersion: v1`nkind: Config`nclusters: []`ncontexts: []`nusers: []`n"
        $saved = $env:KUBECONFIG
        try {
            $env:KUBECONFIG = "$empty$([IO.Path]::PathSeparator)$($Sandbox.kubeconfig)"
            $connection = Connect-KedaCluster
            $connection.Server | Should -Be $Sandbox.url
            $connection.Source | Should -BeLike "kubeconfig *$([IO.Path]::GetFileName($Sandbox.kubeconfig))*"
            $connection.KubernetesVersion | Should -Be 'v1.33.2'
        }
        finally { $env:KUBECONFIG = $saved; Remove-Item $empty }
    }

    It 'connects through ARM, writing nothing to disk' {
        $tempHome = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-nodisk-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $tempHome | Out-Null
        try {
            $script = @"
`$ErrorActionPreference = 'Stop'
Set-Location '$tempHome'
Import-Module '$ModuleManifest'
`$null = Connect-KedaAzure -ArmEndpoint '$($Sandbox.armEndpoint)' -AuthorityHost '$($Sandbox.authorityHost)' -TokenSource Environment
`$c = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Connect-KedaCluster
`$c.Source
"@
            $run = Invoke-ChildPwsh -Script $script -Environment @{
                HOME = $tempHome; AZURE_CLIENT_ID = $Sandbox.clientId; AZURE_CLIENT_SECRET = $Sandbox.clientSecret; AZURE_TENANT_ID = $Sandbox.tenantId; AZURE_SUBSCRIPTION_ID = $Sandbox.subscriptionId
            }
            $run.ExitCode | Should -Be 0 -Because $run.Error
            $run.Output | Should -Match 'in memory'
            @(Get-ChildItem $tempHome -Recurse -File -Force | Where-Object { $_.FullName -notmatch '[\\/]\.(cache|local|config)[\\/]' }).FullName | Should -BeNullOrEmpty
        }
        finally { Remove-Item $tempHome -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'reaches an Entra-only cluster with an Entra token, no kubelogin' {
        # The second sandbox has Entra only (local accounts disabled) and no KEDA.
        $null = Connect-KedaAzure -ArmEndpoint $Bare.armEndpoint -AuthorityHost $Bare.authorityHost -TokenSource Environment
        try {
            $entra = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Connect-KedaCluster
            $entra.AuthenticationMethod | Should -BeLike 'Entra token*'
            { Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Connect-KedaCluster -Admin } | Should -Throw -ErrorId 'BadRequest,KedaAks.Commands.ConnectKedaClusterCommand'
        }
        finally {
            $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment
            $null = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Connect-KedaCluster
        }
    }
}

Describe 'New-KedaServiceAccount' {
    It 'applies the annotated service account from a WorkloadIdentity and re-applies without a change' {
        $identity = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | New-KedaWorkloadIdentity
        $first = $identity | New-KedaServiceAccount
        $first | Should -BeOfType ([KedaAks.ServiceAccount])
        $first.Namespace | Should -Be 'keda'
        $first.Name | Should -Be 'keda-operator'
        $first.ClientId | Should -Be $identity.ClientId
        $first.TenantId | Should -Be $identity.TenantId
        $second = $identity | New-KedaServiceAccount
        $second.ResourceVersion | Should -Be $first.ResourceVersion
        $first.Action | Should -Be 'Created'
        $second.Action | Should -Be 'Unchanged'
        $third = $identity | New-KedaServiceAccount -ClientId ([guid]::NewGuid())
        $third.Action | Should -Be 'Configured'
        $null = $identity | New-KedaServiceAccount
    }

    It 'persists nothing under -WhatIf' {
        (New-KedaServiceAccount -ClientId ([guid]::NewGuid()) -Namespace whatif-ns -WhatIf).Action | Should -Be 'WouldCreate'
        { Get-KedaScaledObject -Namespace whatif-ns -ErrorAction Stop } | Should -Not -Throw -Because 'listing an absent namespace is just empty'
    }
}

Describe 'KEDA resources' -Skip:(-not (Test-Path (Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds'))) {
    It 'applies 500 ScaledObjects in bulk with one result each' {
        $auth = New-KedaTriggerAuthentication -Name prom-auth -Namespace default
        $objects = @($auth) + (1..500 | ForEach-Object {
            New-KedaPrometheusScaler -Name "bulk-$_" -Namespace default -TargetName "web-$_" -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 10 -TriggerAuthentication $auth
        })
        $results = $objects | Deploy-KedaResource -ThrottleLimit 8
        $results.Count | Should -Be 501
        @($results | Where-Object Action -NE 'Created').Count | Should -Be 0
        @(Get-KedaScaledObject -Name 'bulk-*').Count | Should -Be 500
        $again = $objects[0..20] | Deploy-KedaResource
        @($again | Where-Object Action -NE 'Unchanged').Count | Should -Be 0
    }

    It 'previews with a server-side dry run and persists nothing' {
        $changed = New-KedaPrometheusScaler -Name bulk-1 -Namespace default -TargetName web-1 -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 99 -TriggerAuthentication prom-auth
        $new = New-KedaPrometheusScaler -Name never-created -Namespace default -TargetName web -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 1 -TriggerAuthentication prom-auth
        $preview = $changed, $new | Deploy-KedaResource -WhatIf
        $preview[0].Action | Should -Be 'WouldConfigure'
        $preview[0].Changes | Should -Contain 'spec.triggers'
        $threshold = $preview[0].FieldChanges | Where-Object Path -EQ 'spec.triggers[0].metadata.threshold'
        ($threshold.OldValue, $threshold.NewValue) | Should -Be @('"10"', '"99"')
        $log = Join-Path ([IO.Path]::GetTempPath()) "whatif-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -Path $log
        try { $null = $changed | Deploy-KedaResource -WhatIf } finally { $null = Stop-Transcript }
        Get-Content $log -Raw | Should -Match 'What if: .*spec\.triggers\[0\]\.metadata\.threshold "10" -> "99"'
        Remove-Item $log
        $preview[1].Action | Should -Be 'WouldCreate'
        (Get-KedaScaledObject -Name bulk-1).Triggers[0].Metadata['threshold'] | Should -Be '10'
        Get-KedaScaledObject -Name never-created -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'asks before anything is applied: a confirmation the host cannot give ends the command with nothing written' -Skip:(
        [Environment]::GetCommandLineArgs() -notcontains '-NonInteractive') {
        $first = New-KedaPrometheusScaler -Name confirm-1 -Namespace default -TargetName web-1 -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 1
        $second = New-KedaPrometheusScaler -Name confirm-2 -Namespace default -TargetName web-2 -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 1
        $failure = $null
        try { $null = $first, $second | Deploy-KedaResource -Confirm -ErrorAction Stop } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.Exception.Message | Should -Match 'NonInteractive'
        @(Get-KedaScaledObject -Name 'confirm-*').Count | Should -Be 0
    }

    It 'surfaces a schema rejection as a clear error and goes on with the other objects' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "keda-$([guid]::NewGuid().ToString('N')).yaml"
        Set-Content $file @"
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: unquoted
  namespace: default
spec:
  scaleTargetRef:
    name: web
  triggers:
  - type: prometheus
    metadata:
      serverAddress: http://prometheus:9090
      query: sum(up)
      threshold: 100
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: from-file
  namespace: default
spec:
  podIdentity:
    provider: azure-workload
"@
        try {
            $results = Deploy-KedaResource -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidObject,KedaAks.Commands.DeployKedaResourceCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems[0].Exception.Message | Should -Match 'spec.triggers\[0\].metadata.threshold in body must be of type string: "integer"'
            $results.Name | Should -Be 'from-file'
        }
        finally { Remove-Item $file }
    }

    It 'reports a field owned by another manager as a per-object conflict, and -Force takes it' {
        $objects = 'conflict-a', 'conflict-b' | ForEach-Object {
            New-KedaPrometheusScaler -Name $_ -Namespace default -TargetName "web-$_" -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 10 -TriggerAuthentication prom-auth
        }
        $null = $objects | Deploy-KedaResource
        # kubectl (another field manager) takes maxReplicaCount of conflict-a.
        $body = @{ apiVersion = 'keda.sh/v1alpha1'; kind = 'ScaledObject'; metadata = @{ name = 'conflict-a'; namespace = 'default' }; spec = @{ maxReplicaCount = 7 } } | ConvertTo-Json -Depth 5
        $patch = @{
            Method = 'Patch'; Uri = "$($Sandbox.url)/apis/keda.sh/v1alpha1/namespaces/default/scaledobjects/conflict-a?fieldManager=kubectl&force=true"
            Body = $body; ContentType = 'application/apply-patch+yaml'
            Headers = @{ Authorization = "Bearer $((Get-Content $Sandbox.kubeconfig | Select-String 'token: (.+)').Matches[0].Groups[1].Value)" }
        }
        $null = Invoke-RestMethod @patch
        $results = $objects | Deploy-KedaResource -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'ApplyConflict,KedaAks.Commands.DeployKedaResourceCommand'
        $problems[0].Exception.Message | Should -Match 'conflict with "kubectl"'
        $results.Name | Should -Be 'conflict-b'
        ($objects[0] | Deploy-KedaResource -Force).Action | Should -Be 'Configured'
    }

    It 'gets with wildcards and all namespaces, and removes idempotently' {
        $null = New-KedaServiceAccount -ClientId ([guid]::NewGuid()) -Namespace other -Name keda-operator
        $null = New-KedaPrometheusScaler -Name elsewhere -Namespace other -TargetName web -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 1 | Deploy-KedaResource
        @(Get-KedaScaledObject -Name 'conflict-*').Count | Should -Be 2
        (Get-KedaScaledObject -AllNamespaces -Name elsewhere).Namespace | Should -Be 'other'
        Get-KedaScaledObject -Name 'conflict-*' | Remove-KedaScaledObject -Force
        @(Get-KedaScaledObject -Name 'conflict-*').Count | Should -Be 0
        { Remove-KedaScaledObject -Name conflict-a -Force -ErrorAction Stop } | Should -Not -Throw
        (Get-KedaTriggerAuthentication -Name 'prom-*').ProviderName | Should -Be 'azure-workload'
        Get-KedaTriggerAuthentication -Name from-file | Remove-KedaTriggerAuthentication -Force
        Get-KedaTriggerAuthentication -Name from-file -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'converges under 20 % injected faults' {
        $null = Invoke-Sandbox $Sandbox 'faults?rate=0.2&seed=4'
        try {
            $objects = 1..30 | ForEach-Object {
                New-KedaPrometheusScaler -Name "faulty-$_" -Namespace default -TargetName "faulty-$_" -ServerAddress $Endpoint -Query 'sum(up)' -Threshold 10 -TriggerAuthentication prom-auth
            }
            $results = $objects | Deploy-KedaResource -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally { $null = Invoke-Sandbox $Sandbox 'faults?rate=0&seed=1' }
        $problems.Count | Should -Be 0
        $results.Count | Should -Be 30
        (Invoke-Sandbox $Sandbox 'stats').faults | Should -BeGreaterThan 0
        @(Get-KedaScaledObject -Name 'faulty-*').Count | Should -Be 30
    }
}

Describe 'Without KEDA' {
    It 'says KEDA is not installed instead of a raw 404' {
        $null = Connect-KedaAzure -ArmEndpoint $Bare.armEndpoint -AuthorityHost $Bare.authorityHost -TokenSource Environment
        try {
            $record = $null
            try { New-KedaTriggerAuthentication -Name a -Namespace default | Deploy-KedaResource -ResourceGroupName keda-rg -ClusterName keda-aks } catch { $record = $_ }
            $record.FullyQualifiedErrorId | Should -Be 'KedaNotInstalled,KedaAks.Commands.DeployKedaResourceCommand'
            $record.CategoryInfo.Category | Should -Be 'NotInstalled'
            $record.ErrorDetails.RecommendedAction | Should -Match 'Install-KedaHelm'
        }
        finally { $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AuthorityHost $Sandbox.authorityHost -TokenSource Environment }
    }
}
