# The benchmark: start-up, first-vs-second Deploy-KedaResource and the 500-object apply against the real kubectl
# (tests/Measure-ApplySpeed.ps1), then the ARM requests of the main pipeline (tests/Measure-ArmRequests.ps1), all
# against the sandbox. Figures are medians of alternating runs in new processes.

function Invoke-Benchmark {
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $sandbox = Initialize-Sandbox -Context $Context
    $kubectl = Get-LayerKubectl -Context $Context

    Write-Step 'Benchmark: start-up, first Deploy-KedaResource, and 500 ScaledObjects against kubectl apply --server-side (npm layer kubectl)'
    $arguments = @('-ModuleManifest', $Context.ManifestPath)
    if ($kubectl) { $arguments += @('-Kubectl', $kubectl) } else { Write-Warning 'No kubectl from the npm layer: the apply ratio is not measured.' }
    Invoke-WithSandboxTrust $sandbox {
        $env:KEDAAKS_TEST_FIXTURES = Join-Path $Context.Root '../shared/fixtures'
        Invoke-FreshPwsh -File (Join-Path $Context.Root 'tests/Measure-ApplySpeed.ps1') -ArgumentList $arguments | Out-Null
    }

    Write-Step 'Benchmark: ARM requests of Get-KedaAksCluster | Enable-KedaAksWorkloadIdentity | New-KedaWorkloadIdentity'
    Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Context.Root 'tests/Measure-ArmRequests.ps1') -ArgumentList @('-ModuleManifest', $Context.ManifestPath) |
            Out-Null
    }

    # The integration command's round trips (Install-KedaAksIntegration, a fresh cluster and a converged re-run) go here
    # when that command exists: tests/Measure-IntegrationRequests.ps1, printed the same way.
}
