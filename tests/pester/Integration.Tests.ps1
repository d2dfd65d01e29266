# Test-KedaIntegration: a whole setup in the sandbox, then broken one documented way at a time; each break must be
# named by exactly its check, and nothing else may fail.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Crds = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds'
    # With KEDA's CRDs and a real Prometheus, the setup also scales a workload, and the sandbox's operator logs what
    # KEDA would log for it (token exchange, role, query).
    $script:Full = (Test-Path $Crds) -and [bool](Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)
    $script:Prometheus = if ($Full) { Start-KedaPrometheus }

    function New-Setup([string] $Break) {
        # KEDA's CRDs (when the fixtures are present) on a workload identity cluster, or one with only the OIDC issuer.
        $scenario = if ($Break -eq 'WorkloadIdentityDisabled') { 'oidc', 'keda-crds' } else { 'keda-helm' }
        $sandbox = Start-KedaSandbox -Scenario $scenario -NoPrincipalDelay -ArgumentList $(if ($Full) { @('--prometheus', $Prometheus.Url) } else { @() })
        Set-SandboxEnvironment $sandbox
        $null = Connect-KedaAzure -ArmEndpoint $sandbox.armEndpoint -AuthorityHost $sandbox.authorityHost -TokenSource Environment
        $cluster = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks
        $workspace = Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw
        $identityArgs = @{}
        if ($Break -ne 'MonitoringDataReaderMissing') { $identityArgs.MonitorWorkspace = $workspace }
        if ($Break -eq 'WrongSubjectNamespace') { $identityArgs.ServiceAccountNamespace = 'app' }
        $identity = $cluster | New-KedaWorkloadIdentity @identityArgs
        if ($Break -eq 'WrongIssuer') {
            # A credential made by hand from `az aks show` output with the trailing slash lost.
            $token = (Invoke-RestMethod -Method Post -Uri "$($sandbox.url)/$($sandbox.tenantId)/oauth2/v2.0/token" -Body @{
                grant_type = 'client_credentials'; client_id = $sandbox.clientId; client_secret = $sandbox.clientSecret; scope = "$($sandbox.armEndpoint).default" }).access_token
            $body = @{ properties = @{ issuer = $cluster.OidcIssuerUrl.TrimEnd('/'); subject = 'system:serviceaccount:keda:keda-operator'; audiences = @('api://AzureADTokenExchange') } } |
                ConvertTo-Json -Depth 5
            $put = @{
                Method = 'Put'; Uri = "$($sandbox.url)$($identity.IdentityResourceId)/federatedIdentityCredentials/kedaFedIdentity?api-version=2024-11-30"
                Body = $body; ContentType = 'application/json'; Headers = @{ Authorization = "Bearer $token" }
            }
            $null = Invoke-RestMethod @put
        }
        $connection = $cluster | Connect-KedaCluster
        $null = New-KedaServiceAccount -ClientId $identity.ClientId -TenantId $identity.TenantId -Namespace keda -Name keda-operator
        $version = if ($Break -eq 'KedaTooOld') { '2.9.3' } else { '2.20.2' }
        Add-SandboxKedaDeployment $sandbox -Namespace keda -Version $version -Image per-component -WorkloadIdentity
        Start-Sleep -Milliseconds 1200   # the sandbox's simulated rollout
        if ($Full) {
            $query = if ($Break -eq 'MultiElementQuery') { 'sum by (deployment) (rate(http_requests_total[2m]))' } else { 'sum(rate(http_requests_total{deployment="web"}[2m]))' }
            $auth = New-KedaTriggerAuthentication -Name prom-auth -Namespace app
            $null = New-KedaServiceAccount -ClientId ([guid]::NewGuid()) -Namespace app -Name placeholder
            $null = $auth,
                (New-KedaPrometheusScaler -Name web -Namespace app -TargetName web -MonitorWorkspace $workspace -Query $query -Threshold 10 -TriggerAuthentication $auth) | Deploy-KedaResource
        }
        [pscustomobject]@{ Sandbox = $sandbox; Identity = $identity; Workspace = $workspace; Cluster = $cluster }
    }

    function Test-Setup($Setup) {
        $Setup.Identity | Test-KedaIntegration -Cluster $Setup.Cluster -MonitorWorkspace $Setup.Workspace
    }

    function Close-Setup($Setup) {
        if (-not $Setup) { return }
        Stop-KedaSandbox $Setup.Sandbox
        Clear-SandboxEnvironment
    }
}

AfterAll { Stop-KedaPrometheus $Prometheus }

Describe 'Test-KedaIntegration' {
    It 'passes every check of a working setup' {
        $setup = New-Setup
        try {
            $results = Test-Setup $setup
            $results.Count | Should -Be 13
            @($results | Where-Object Status -EQ 'Fail') | ForEach-Object { "$($_.Check): $($_.Message)" } | Should -BeNullOrEmpty
            ($results | Where-Object Check -EQ 'FederatedCredential').Status | Should -Be 'Pass'
            ($results | Where-Object Check -EQ 'WorkloadIdentityInjection').Status | Should -Be 'Pass'
            ($results | Where-Object Check -EQ 'KedaInstalled').Message | Should -Match '2\.20\.2'
        }
        finally { Close-Setup $setup }
    }

    It 'names <Break> as <Check> and nothing else fails' -ForEach @(
        @{ Break = 'WrongIssuer'; Check = 'FederatedCredential'; Message = 'trailing slash' }
        @{
            Break = 'WrongSubjectNamespace'; Check = 'FederatedCredential'
            Message = "subject is 'system:serviceaccount:app:keda-operator', KEDA's token \((expected|logged by the operator)\) says 'system:serviceaccount:keda:keda-operator'"
        }
        @{ Break = 'MonitoringDataReaderMissing'; Check = 'MonitoringDataReader'; Message = 'no Monitoring Data Reader' }
        @{ Break = 'WorkloadIdentityDisabled'; Check = 'ClusterWorkloadIdentity'; Message = 'workload identity disabled' }
        @{ Break = 'KedaTooOld'; Check = 'KedaInstalled'; Message = 'KEDA 2\.9\.3 is installed' }
        @{ Break = 'MultiElementQuery'; Check = 'OperatorLog'; Message = 'PrometheusQueryMultipleElements' }
    ) {
        if ($Break -eq 'MultiElementQuery' -and -not $Full) { Set-ItResult -Skipped -Because 'needs KEDA''s CRDs (../shared/fixtures) and prometheus'; return }
        $setup = New-Setup $Break
        try {
            $failed = @(Test-Setup $setup | Where-Object Status -EQ 'Fail')
            $failed.Check | Should -Be @($Check)
            $failed[0].Message | Should -Match $Message
            $failed[0].Remedy | Should -Not -BeNullOrEmpty
            if ($Full -and $Break -in 'WrongIssuer', 'WrongSubjectNamespace') {
                $failed[0].Message | Should -Match 'logged by the operator' -Because 'the assertion Entra saw is in the operator log'
            }
            if ($Full -and $Break -in 'WrongIssuer', 'MonitoringDataReaderMissing', 'WorkloadIdentityDisabled') {
                $log = $results = $null
                $log = (Test-Setup $setup | Where-Object Check -EQ 'OperatorLog')
                $log.Status | Should -Be 'Warning' -Because 'the operator''s errors are the same cause, already failed once'
            }
        }
        finally { Close-Setup $setup }
    }

    It 'works from only a kubeconfig and skips the Azure checks with the reason' {
        $sandbox = Start-KedaSandbox
        try {
            $results = Test-KedaIntegration -KubeconfigPath $sandbox.kubeconfig
            ($results | Where-Object Check -EQ 'ClusterOidcIssuer').Status | Should -Be 'Skipped'
            ($results | Where-Object Check -EQ 'ClusterOidcIssuer').Message | Should -Match 'No AKS cluster'
            ($results | Where-Object Check -EQ 'KedaInstalled').Status | Should -Be 'Fail'
            ($results | Where-Object Check -EQ 'KedaInstalled').Message | Should -Match 'not installed'
        }
        finally { Stop-KedaSandbox $sandbox }
    }
}
