# Get-KedaOperatorLog against operator pods in the sandbox cluster, with real KEDA log lines.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox
    $null = Connect-KedaCluster -KubeconfigPath $Sandbox.kubeconfig
    $forbidden = '{"level":"error","ts":"2026-11-27T10:00:0#Z","logger":"scale_handler","msg":"error getting metric for scaler",' +
        '"scaledObject.Namespace":"shop","scaledObject.Name":"orders","scaler":"prometheusScaler","error":"prometheus query api returned error. status: 403"}'
    $lines = @(
        ($forbidden -replace '#', '1'), ($forbidden -replace '#', '2'), ($forbidden -replace '#', '3')
        "2026-11-27T10:00:04Z`tINFO`tcontroller`tReconciling ScaledObject`t{`"ScaledObject`": {`"name`":`"orders`",`"namespace`":`"shop`"}}"
        "2026-11-27T10:00:05Z`tERROR`tprometheus_scaler`terror while init Azure Managed Prometheus client http transport`t{`"type`": `"ScaledObject`", " +
            "`"namespace`": `"shop`", `"name`": `"orders`", `"error`": `"sources must contain at least one TokenCredential`"}"
    ) -join "`n"
    $null = Invoke-RestMethod -Method Post -Uri "$($Sandbox.url)/_sandbox/pod-log?namespace=keda&pod=keda-operator-7d9f" -Body $lines -ContentType 'text/plain'
}

AfterAll { Stop-KedaSandbox $Sandbox }

Describe 'Get-KedaOperatorLog' {
    It 'diagnoses each error and groups repeats with a count and first/last time' {
        $log = Get-KedaOperatorLog
        $log.Count | Should -Be 2
        $forbidden = $log | Where-Object Code -EQ 'MonitoringDataReaderMissing'
        $forbidden.Count | Should -Be 3
        $forbidden.Namespace | Should -Be 'shop'
        $forbidden.Name | Should -Be 'orders'
        $forbidden.Pod | Should -Be 'keda/keda-operator-7d9f'
        $forbidden.Time | Should -Be ([DateTimeOffset]'2026-11-27T10:00:01Z')
        $forbidden.LastTime | Should -Be ([DateTimeOffset]'2026-11-27T10:00:03Z')
        ($log | Where-Object Code -EQ 'WorkloadIdentityNotInjected').Level | Should -Be 'error'
    }

    It 'honours -Tail and -IncludeInfo' {
        @(Get-KedaOperatorLog -Tail 1).Code | Should -Be 'WorkloadIdentityNotInjected'
        @(Get-KedaOperatorLog -IncludeInfo).Count | Should -Be 3
    }

    It 'finds nothing, without an error, where no operator runs' {
        @(Get-KedaOperatorLog -Namespace default).Count | Should -Be 0
    }
}
