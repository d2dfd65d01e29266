BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Endpoint = 'https://test-azure-monitor-workspace-name-1234.eastus.prometheus.monitor.azure.com'
    $script:Query = 'sum(rate(http_requests_total{deployment="my-deployment"}[2m]))'
    function New-Scaler([hashtable] $Extra = @{}) {
        $parameters = @{ Name = 'scaler'; TargetName = 'web'; ServerAddress = $Endpoint; Query = $Query; Threshold = '10'; TriggerAuthentication = 'prom-auth' }
        foreach ($key in $Extra.Keys) { $parameters[$key] = $Extra[$key] }
        New-KedaPrometheusScaler @parameters
    }
}

Describe 'New-KedaTriggerAuthentication' {
    It 'builds the article''s object' {
        $auth = New-KedaTriggerAuthentication -Name azure-managed-prometheus-trigger-auth -Namespace default
        $auth | Should -BeOfType ([KedaAks.TriggerAuthentication])
        $auth.PSObject.TypeNames | Should -Contain 'KedaAks.TriggerAuthentication'
        $auth.ProviderName | Should -Be 'azure-workload'
        $auth.Kind | Should -Be 'TriggerAuthentication'
    }

    It 'accepts KEDA''s spelling of the provider' {
        (New-KedaTriggerAuthentication -Name a -Provider aws-eks).Provider | Should -Be ([KedaAks.PodIdentityProvider]::AwsEks)
    }

    It 'binds IdentityId from a ClientId property' {
        $identity = [pscustomobject]@{ ClientId = '00000000-0000-0000-0000-0000000000aa' }
        ($identity | New-KedaTriggerAuthentication -Name a).IdentityId | Should -Be '00000000-0000-0000-0000-0000000000aa'
    }

    It 'refuses AAD Pod Identity with a terminating, well-formed error' {
        $record = $null
        try { New-KedaTriggerAuthentication -Name a -Provider Azure -ErrorAction SilentlyContinue } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty -Because 'a terminating error ignores -ErrorAction SilentlyContinue'
        $record.FullyQualifiedErrorId | Should -Be 'UnsupportedPodIdentityProvider,KedaAks.Commands.NewKedaTriggerAuthenticationCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be 'azure'
        $record.ErrorDetails.RecommendedAction | Should -Match 'AzureWorkload'
        $record.Exception | Should -BeOfType ([KedaAks.KedaAksException])
    }

    It 'refuses an empty identityId with KEDA''s webhook message' {
        { New-KedaTriggerAuthentication -Name a -IdentityId '' } |
            Should -Throw -ErrorId 'EmptyIdentityId,KedaAks.Commands.NewKedaTriggerAuthenticationCommand' -ExpectedMessage '*identityId of PodIdentity should not be empty*'
    }
}

Describe 'New-KedaPrometheusScaler' {
    It 'builds a typed ScaledObject with KEDA''s default counts' {
        $so = New-Scaler
        $so | Should -BeOfType ([KedaAks.ScaledObject])
        $so.MinReplicaCount | Should -Be 0
        $so.MaxReplicaCount | Should -Be 100
        $so.Triggers[0].Metadata['threshold'] | Should -Be '10'
        $so.Triggers[0].AuthenticationRef.Name | Should -Be 'prom-auth'
    }

    It 'takes the TriggerAuthentication from the pipeline' {
        $so = New-KedaTriggerAuthentication -Name piped-auth -Namespace app |
            New-KedaPrometheusScaler -Name s -Namespace app -TargetName web -ServerAddress $Endpoint -Query $Query -Threshold 5
        $so.Triggers[0].AuthenticationRef.Name | Should -Be 'piped-auth'
    }

    It 'takes a ClusterTriggerAuthentication by name' {
        (New-Scaler @{ TriggerAuthentication = 'ClusterTriggerAuthentication/shared' }).Triggers[0].AuthenticationRef.Kind | Should -Be 'ClusterTriggerAuthentication'
    }

    It 'turns -Metadata values into the strings KEDA reads' {
        $so = New-KedaPrometheusScaler -Name s -TargetName web -TriggerAuthentication a -Metadata @{
            serverAddress = $Endpoint; query = $Query; threshold = 50; activationThreshold = 2.5; ignoreNullValues = $false; customHeaders = @('a=1', 'b=2')
        }
        $metadata = $so.Triggers[0].Metadata
        $metadata['threshold'] | Should -BeExactly '50'
        $metadata['activationThreshold'] | Should -BeExactly '2.5'
        $metadata['ignoreNullValues'] | Should -BeExactly 'false'
        $metadata['customHeaders'] | Should -BeExactly 'a=1,b=2'
    }

    It 'lets named parameters win over -Metadata' {
        (New-Scaler @{ Metadata = @{ threshold = 'x'; query = 'up' } }).Triggers[0].Metadata['threshold'] | Should -Be '10'
    }

    It 'takes the server address from a MonitorWorkspace' {
        $workspace = [KedaAks.MonitorWorkspace]::new('ws', '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Monitor/accounts/ws', 'eastus', 'https://ws-1.eastus.prometheus.monitor.azure.com')
        $so = New-KedaPrometheusScaler -Name s -TargetName web -MonitorWorkspace $workspace -Query $Query -Threshold 1 -TriggerAuthentication a
        $so.Triggers[0].Metadata['serverAddress'] | Should -Be 'https://ws-1.eastus.prometheus.monitor.azure.com'
    }

    It 'warns that metricName is ignored' {
        $warnings = New-Scaler @{ MetricName = 'http_requests_total' } 3>&1 | Where-Object { $_ -is [Management.Automation.WarningRecord] }
        ($warnings.Message -join "`n") | Should -Match 'metricName is ignored by KEDA 2.12'
    }

    It 'refuses <Because> with ErrorId <ErrorId>' -ForEach @(
        @{
            Because = 'a threshold that is not a JSON number'; Extra = @{ Threshold = '1,000' }; ErrorId = 'InvalidThreshold'; Target = '1,000'
            Message = '*unable to set param "threshold" value "1,000": unable to unmarshal to field type float64*'
        }
        @{ Because = 'a threshold that rounds to 0'; Extra = @{ Threshold = '0.0001' }; ErrorId = 'ThresholdNotPositive'; Target = '0.0001'; Message = '*target value must be positive*' }
        @{ Because = 'a missing query'; Extra = @{ Query = $null }; ErrorId = 'MissingQuery'; Target = 'query'; Message = '*missing required parameter "query" in `[triggerMetadata`]*' }
        @{
            Because = 'min above max'; Extra = @{ MinReplicaCount = 10; MaxReplicaCount = 5 }; ErrorId = 'MinReplicaCountAboveMax'; Target = 10
            Message = '*MinReplicaCount=10 must be less than MaxReplicaCount=5*'
        }
        @{ Because = 'a name too long for the HPA'; Extra = @{ Name = 'a' * 55 }; ErrorId = 'NameTooLong'; Target = ('a' * 55); Message = '*keda-hpa-*' }
        @{ Because = 'a bad boolean'; Extra = @{ Metadata = @{ unsafeSsl = 'yes' } }; ErrorId = 'InvalidUnsafeSsl'; Target = 'yes'; Message = '*strconv.ParseBool: parsing "yes": invalid syntax*' }
        @{ Because = 'a negative timeout'; Extra = @{ Metadata = @{ timeout = '-5' } }; ErrorId = 'InvalidTimeout'; Target = '-5'; Message = '*duration cannot be negative: -5 milliseconds*' }
        @{ Because = 'Utilization'; Extra = @{ MetricType = 'Utilization' }; ErrorId = 'UnsupportedMetricType'; Target = 'Utilization'; Message = '*unsupported for external metrics*' }
    ) {
        $record = $null
        try { New-Scaler $Extra } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,KedaAks.Commands.NewKedaPrometheusScalerCommand"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be $Target
        $record.Exception.Message | Should -BeLike $Message
        $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}

Describe 'ConvertTo-KedaYaml' {
    It 'renders the pipeline as one multi-document string with quoted metadata' {
        $auth = New-KedaTriggerAuthentication -Name prom-auth -Namespace app
        $so = New-KedaPrometheusScaler -Name s -Namespace app -TargetName web -ServerAddress $Endpoint -Query $Query -Threshold 100 -Metadata @{ ignoreNullValues = $true } -TriggerAuthentication $auth
        $yaml = $auth, $so | ConvertTo-KedaYaml
        @($yaml).Count | Should -Be 1
        ([regex]::Matches($yaml, '(?m)^---$')).Count | Should -Be 2
        $yaml | Should -Match '(?m)^kind: TriggerAuthentication$'
        $yaml | Should -Match '(?m)^kind: ScaledObject$'
        $yaml | Should -Match '(?m)^      threshold: "100"$'
        $yaml | Should -Match '(?m)^      ignoreNullValues: "true"$'
        $yaml | Should -Match '(?m)^      query: "sum\(rate\(http_requests_total\{deployment=\\"my-deployment\\"\}\[2m\]\)\)"$'
    }

    It 'refuses objects that are not KedaAks resources' {
        { [pscustomobject]@{ Name = 'x' } | ConvertTo-KedaYaml -ErrorAction Stop } | Should -Throw
    }
}
