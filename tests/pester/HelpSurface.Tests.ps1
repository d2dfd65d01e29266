# Help and discoverability (issue #13): parameter defaults in Get-Help, Get-Help -Online (HelpUri and the MAML's
# "Online Version:" link), and -Provider's help not offering Azure. Against the built module; no cluster.
BeforeDiscovery {
    Import-Module $env:KEDAAKS_TEST_MODULE -Force
    $script:CmdletCases = @(Get-Command -Module KedaAks -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $PSStyle.OutputRendering = 'PlainText'
    $script:Cmdlets = @(Get-Command -Module KedaAks -CommandType Cmdlet)
    $script:MamlPath = Join-Path $ModuleDirectory 'en-US/KedaAks.dll-Help.xml'
    function Get-DefaultText([string] $Command, [string] $Parameter) {
        $text = Get-Help $Command -Parameter $Parameter | Out-String -Width 200
        if ($text -match 'Default value\s+(.+)') { $Matches[1].Trim() }
    }
}

Describe 'Get-Help parameter defaults (from the compiled cmdlets)' {
    It 'shows a number default: Wait-KedaWorkloadIdentity -Timeout is 600' {
        Get-DefaultText Wait-KedaWorkloadIdentity Timeout | Should -Be '600'
    }

    It 'shows None for a parameter without a default' {
        Get-DefaultText Wait-KedaWorkloadIdentity ClusterName | Should -Be 'None'
        Get-DefaultText Get-KedaScaledObject Name | Should -Be 'None'
    }

    It 'shows strings, enums and switches' {
        Get-DefaultText Install-KedaHelm Namespace | Should -Be 'keda'
        Get-DefaultText New-KedaTriggerAuthentication Provider | Should -Be 'AzureWorkload'
        Get-DefaultText Get-KedaScaledObject AllNamespaces | Should -Be 'False'
    }
}

Describe 'Get-Help -Online' {
    It '<Name> has a well-formed HelpUri under the one base, the same as its MAML online link' -ForEach $CmdletCases {
        $command = Get-Command $Name
        $uri = $null
        [Uri]::TryCreate($command.HelpUri, [UriKind]::Absolute, [ref] $uri) | Should -BeTrue -Because "'$($command.HelpUri)' must be an absolute URI"
        $uri.Scheme | Should -Be 'https'
        $command.HelpUri | Should -Be "https://github.com/kedaaks/KedaAks/blob/main/module/help/en-US/$Name.md"
        $link = (Get-Help $Name).relatedLinks.navigationLink | Select-Object -First 1
        $link.linkText | Should -Be 'Online Version:'
        $link.uri | Should -Be $command.HelpUri
    }

    It 'names the same address in the [Cmdlet] attribute wherever the attribute sets one' {
        foreach ($command in $Cmdlets) {
            $attribute = $command.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $true)[0]
            if ($attribute.HelpUri) { $attribute.HelpUri | Should -Be $command.HelpUri -Because $command.Name }
        }
        @($Cmdlets | Where-Object { $_.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $true)[0].HelpUri }).Count |
            Should -BeGreaterOrEqual ($Cmdlets.Count - 3) -Because 'only the three cmdlets owned elsewhere may rely on the MAML link alone'
    }
}

Describe 'New-KedaTriggerAuthentication -Provider in help' {
    It 'offers the supported providers, not Azure' {
        $syntax = (Get-Help New-KedaTriggerAuthentication).syntax | Out-String -Width 400
        $syntax | Should -Match '-Provider \{AzureWorkload \| Gcp \| Aws \| AwsEks \| None\}'
        $syntax | Should -Not -Match '\| Azure[ }]'
    }

    It 'still refuses Azure with the existing error' {
        { New-KedaTriggerAuthentication -Name a -Provider Azure } | Should -Throw -ErrorId 'UnsupportedPodIdentityProvider,KedaAks.Commands.NewKedaTriggerAuthenticationCommand'
    }
}
