BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Cmdlets = Get-Command -Module KedaAks -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
    $script:Examples = foreach ($cmdlet in Get-Command -Module KedaAks -CommandType Cmdlet) {
        $index = 0
        foreach ($example in (Get-Help $cmdlet.Name -Full).examples.example) {
            $index++
            @{ Name = $cmdlet.Name; Index = $index; Code = $example.code }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    # Help examples that call Azure run against the sandbox on the port the help names (127.0.0.1:44300).
    $crds = Join-Path $env:KEDAAKS_TEST_FIXTURES 'keda/crds'
    $script:HasKeda = Test-Path $crds
    $script:HasPrometheus = [bool](Get-Command prometheus -CommandType Application -ErrorAction SilentlyContinue)
    $script:ExamplePrometheus = if ($HasPrometheus) { Start-KedaPrometheus -Port 19090 }
    $script:ExampleSandbox = Start-KedaSandbox -Port 44300 -Scenario keda-crds -NoPrincipalDelay -ArgumentList $(if ($HasPrometheus) { @('--prometheus', $ExamplePrometheus.Url) } else { @() })
    Set-SandboxEnvironment $ExampleSandbox
    $null = Connect-KedaAzure -ArmEndpoint https://127.0.0.1:44300/ -AuthorityHost https://127.0.0.1:44300/ -TokenSource Environment
    $null = Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks | Connect-KedaCluster
    # Cmdlets that only build objects in memory; everything else named New/Set/Remove/... changes state.
    $script:InMemory = @('New-KedaTriggerAuthentication', 'New-KedaPrometheusScaler')
    $script:StateVerbs = @('New', 'Set', 'Remove', 'Install', 'Uninstall', 'Enable', 'Disable', 'Grant', 'Revoke', 'Deploy', 'Update', 'Add', 'Clear', 'Register', 'Unregister')
}

Describe 'The module manifest' {
    It 'is valid and binary-rooted' {
        $manifest = Test-ModuleManifest $ModuleManifest
        $manifest.RootModule | Should -Be 'KedaAks.dll'
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
    }

    It 'exports exactly the cmdlets the assembly defines' {
        $declared = (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport | Sort-Object
        $actual = [Reflection.Assembly]::LoadFrom((Join-Path $ModuleDirectory 'KedaAks.dll')).GetTypes() |
            Where-Object { $_.GetCustomAttributes([Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" } | Sort-Object
        $declared | Should -Be $actual
        (Get-Command -Module KedaAks).Name | Sort-Object | Should -Be $actual
    }
}

Describe 'Cmdlet <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
    }

    It 'uses an approved verb and the Keda noun prefix' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
        $Command.Noun | Should -BeLike 'Keda*'
    }

    It 'declares its output type, with a format view for KedaAks types' {
        $Command.OutputType.Count | Should -BeGreaterThan 0
        foreach ($type in $Command.OutputType.Type | Where-Object Namespace -EQ 'KedaAks') {
            (Get-FormatData -TypeName $type.FullName) | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs a view"
        }
    }

    It 'supports ShouldProcess when it changes state' {
        if ($Command.Verb -in $StateVerbs -and $Name -notin $InMemory) {
            $Command.Parameters.Keys | Should -Contain 'WhatIf'
        }
        else {
            Set-ItResult -Skipped -Because "$Name changes no state"
        }
    }

    It 'has a synopsis, a description and at least two examples' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$Name\s*$"
        ($Help.description.Text -join '') | Should -Not -BeNullOrEmpty
        @($Help.examples.example).Count | Should -BeGreaterOrEqual 2
        @($Help.examples.example | Where-Object { $_.code -notmatch '^\s*# Needs a real Azure tenant' }).Count | Should -BeGreaterOrEqual 2 -Because 'two examples must run in the test suite'
    }

    It 'documents every parameter' {
        $common = [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $entry = $Help.parameters.parameter | Where-Object name -EQ $parameter
            ($entry.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'documents its outputs' {
        ($Help.returnValues.returnValue.type.name -join '') | Should -Not -BeNullOrEmpty
    }
}

AfterAll {
    Stop-KedaPrometheus $ExamplePrometheus
    Stop-KedaSandbox $ExampleSandbox
    Clear-SandboxEnvironment
}

Describe 'Help example <Index> of <Name>' -ForEach $Examples {
    It 'runs without error' {
        if ($Code -match '^\s*# Needs a real Azure tenant') { Set-ItResult -Skipped -Because 'the example needs a real Azure tenant'; return }
        if ($Code -match '^\s*# Needs a Prometheus' -and -not $HasPrometheus) { Set-ItResult -Skipped -Because 'prometheus is not installed (.ci/run installs it)'; return }
        if ($Code -match '^\s*# Needs helm and the KEDA chart repository') {
            Set-ItResult -Skipped -Because 'the example downloads KEDA''s chart (tests reach no network; Helm.Tests.ps1 covers -WhatIf with a local chart)'; return
        }
        if ($Code -match '^\s*# Needs KEDA in the cluster' -and -not $HasKeda) { Set-ItResult -Skipped -Because '../shared/fixtures is absent, so the sandbox has no KEDA CRDs'; return }
        $Code | Should -Not -BeNullOrEmpty
        $example = [scriptblock]::Create($Code)
        { $ErrorActionPreference = 'Stop'; & $example *> $null } | Should -Not -Throw
    }
}

Describe 'The about topic' {
    It 'is found by Get-Help' {
        (Get-Help about_KedaAks | Out-String) | Should -Match 'DEPENDENCY ISOLATION'
    }
}
