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

    Write-Step 'Benchmark: ARM requests and round trips of Install-KedaAksIntegration and of the single-step pipeline'
    Invoke-WithSandboxTrust $sandbox {
        Invoke-FreshPwsh -File (Join-Path $Context.Root 'tests/Measure-ArmRequests.ps1') -ArgumentList @('-ModuleManifest', $Context.ManifestPath) |
            Out-Null
    }
}
