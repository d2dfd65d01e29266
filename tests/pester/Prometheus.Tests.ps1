# Test-KedaPrometheusQuery against a real Prometheus (Debian's package, backfilled with promtool; queried at a fixed time).
BeforeDiscovery {
    $script:HasPrometheus = [bool](Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'Test-KedaPrometheusQuery' -Skip:(-not $HasPrometheus) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
        $script:Prometheus = Start-KedaPrometheus
        $script:At = $Prometheus.Time
        function Test-Query([string] $Query, [hashtable] $Extra = @{}) {
            Test-KedaPrometheusQuery -ServerAddress $Prometheus.Url -Query $Query -Time $At @Extra
        }
    }

    AfterAll { Stop-KedaPrometheus $Prometheus }

    It 'sends the request KEDA sends' {
        $result = Test-Query 'sum(rate(http_requests_total{deployment="web"}[2m]))' @{ Threshold = '4' }
        $result.RequestUri | Should -BeExactly "$($Prometheus.Url)/api/v1/query?query=sum%28rate%28http_requests_total%7Bdeployment%3D%22web%22%7D%5B2m%5D%29%29&time=2025-01-01T02%3A00%3A00Z"
        $result.StatusCode | Should -Be 200
    }

    It 'computes the HPA''s replicas for AverageValue: <Expect> with <Current> current replica(s)' -ForEach @(
        @{ Threshold = '4'; Current = 1; Expect = 3 }     # ceil(10 / 4)
        @{ Threshold = '5'; Current = 2; Expect = 2 }     # ratio 10 / (5 * 2) = 1: within the 10 % tolerance
        @{ Threshold = '1'; Current = 3; Expect = 10 }
        @{ Threshold = '0.5'; Current = 3; Expect = 20 }  # ceil(20) clamped to max 20
    ) {
        $result = Test-Query 'sum(rate(http_requests_total{deployment="web"}[2m]))' @{ Threshold = $Threshold; CurrentReplicas = $Current; MaxReplicaCount = 20 }
        $result.Succeeded | Should -BeTrue
        [math]::Round($result.Value, 6) | Should -Be 10
        $result.ResultType | Should -Be 'vector'
        $result.ElementCount | Should -Be 1
        $result.DesiredReplicas | Should -Be $Expect
    }

    It 'computes Value metrics against the total' {
        (Test-Query 'sum(rate(http_requests_total{deployment="api"}[2m]))' @{ Threshold = '2'; MetricType = 'Value'; CurrentReplicas = 2 }).DesiredReplicas | Should -Be 5   # ceil(5/2 * 2)
        (Test-Query 'sum(rate(http_requests_total{deployment="api"}[2m]))' @{ Threshold = '5.2'; MetricType = 'Value'; CurrentReplicas = 3 }).DesiredReplicas | Should -Be 3 # within tolerance
    }

    It 'applies activation: below activationThreshold with min 0 means scale to zero' {
        $result = Test-Query 'sum(rate(http_requests_total{deployment="worker"}[2m]))' @{ Threshold = '1'; ActivationThreshold = '2' }
        $result.IsActive | Should -BeFalse
        $result.DesiredReplicas | Should -Be 0
        (Test-Query 'sum(rate(http_requests_total{deployment="worker"}[2m]))' @{ Threshold = '1'; ActivationThreshold = '2'; MinReplicaCount = 1 }).DesiredReplicas | Should -Be 1
    }

    It 'refuses several elements as KEDA does, with the diagnosis' {
        $result = Test-Query 'sum by (deployment) (rate(http_requests_total[2m]))' @{ Threshold = '5' }
        $result.Succeeded | Should -BeFalse
        $result.ElementCount | Should -Be 3
        $result.Message | Should -BeLike '*returned multiple elements*'
        $result.Diagnosis.Code | Should -Be 'PrometheusQueryMultipleElements'
    }

    It 'treats an empty result as 0 with ignoreNullValues and as an error without it' {
        $query = 'sum(rate(http_requests_total{deployment="nope"}[2m]))'
        $lenient = Test-Query $query @{ Threshold = '5' }
        $lenient.Succeeded | Should -BeTrue
        $lenient.Value | Should -Be 0
        $lenient.ElementCount | Should -Be 0
        $strict = Test-Query $query @{ Threshold = '5'; NoIgnoreNullValues = $true }
        $strict.Succeeded | Should -BeFalse
        $strict.Diagnosis.Code | Should -Be 'PrometheusQueryEmpty'
    }

    It 'treats NaN and +Inf as KEDA 2.20 does' {
        (Test-Query 'vector(0) / vector(0)' @{ Threshold = '5' }).Value | Should -Be 0
        $nan = Test-Query 'vector(0) / vector(0)' @{ Threshold = '5'; NoIgnoreNullValues = $true }
        $nan.Message | Should -BeLike '*prometheus query returns NaN*'
        $nan.Diagnosis.Code | Should -Be 'PrometheusQueryNotANumber'
        (Test-Query 'vector(1) / vector(0)' @{ Threshold = '5'; NoIgnoreNullValues = $true }).Message | Should -BeLike '*returns +Inf*'
    }

    It 'says a scalar result cannot be read by KEDA and a matrix has no single value' {
        $scalar = Test-Query 'scalar(sum(rate(http_requests_total{deployment="web"}[2m])))' @{ Threshold = '5' }
        $scalar.ResultType | Should -Be 'scalar'
        $scalar.Succeeded | Should -BeFalse
        $scalar.Message | Should -BeLike '*vector(*'
        $matrix = Test-Query 'sum(rate(http_requests_total{deployment="web"}[2m]))[10m:1m]' @{ Threshold = '5' }
        $matrix.ResultType | Should -Be 'matrix'
        $matrix.Value | Should -Be 0
        $matrix.Message | Should -BeLike '*no single value*'
    }

    It 'reports a PromQL error with the server''s status and body' {
        $result = Test-Query 'sum(rate(http_requests_total[2m]' @{ Threshold = '5' }
        $result.StatusCode | Should -Be 400
        $result.Message | Should -BeLike 'prometheus query api returned error. status: 400 response: *parse error*'
        $result.Diagnosis.Code | Should -Be 'PrometheusQueryFailed'
    }

    It 'tests every prometheus trigger of a piped ScaledObject with its own metadata' {
        $so = New-KedaPrometheusScaler -Name web -TargetName web -ServerAddress $Prometheus.Url -Query 'sum(rate(http_requests_total{deployment="web"}[2m]))' `
            -Threshold 2 -MaxReplicaCount 4 -Metadata @{ ignoreNullValues = 'false'; timeout = '5s' }
        $result = $so | Test-KedaPrometheusQuery -Time $At -CurrentReplicas 1
        $result.ScaledObjectName | Should -Be 'web'
        $result.TriggerIndex | Should -Be 0
        $result.DesiredReplicas | Should -Be 4
    }

    It 'times out like KEDA and names the cause' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $so = New-KedaPrometheusScaler -Name slow -TargetName web -ServerAddress "http://127.0.0.1:$($listener.LocalEndpoint.Port)" -Query 'up' -Threshold 1 -Metadata @{ timeout = '300' }
            $result = $so | Test-KedaPrometheusQuery -Time $At
            $result.Succeeded | Should -BeFalse
            $result.Message | Should -BeLike '*context deadline exceeded*'
        }
        finally { $listener.Stop() }
    }
}
