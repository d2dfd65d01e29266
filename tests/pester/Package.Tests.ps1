# The packages build.ps1 -Task Package makes: the Azure Automation zip and the .nupkg in a local repository.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:OutDirectory = Split-Path (Split-Path $ModuleDirectory)
    $script:Zip = Join-Path $OutDirectory 'KedaAks.zip'
    $script:Repository = Join-Path $OutDirectory 'repository'
}

Describe 'The Azure Automation zip' {
    It 'holds one folder named like the zip and the module, with the manifest at its top' {
        Test-Path $Zip | Should -BeTrue
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead($Zip)
        try { $entries = $archive.Entries.FullName -replace '\\', '/' } finally { $archive.Dispose() }
        ($entries | ForEach-Object { ($_ -split '/')[0] } | Sort-Object -Unique) | Should -Be 'KedaAks'
        $entries | Should -Contain 'KedaAks/KedaAks.psd1'
        $entries | Should -Contain 'KedaAks/KedaAks.dll'
        $entries | Should -Contain 'KedaAks/deps/KedaAks.Engine.dll'
        $entries | Should -Not -Contain 'KedaAks/System.Management.Automation.dll'
        (Get-Item $Zip).Length | Should -BeLessThan 100MB
    }

    It 'imports from the unpacked folder' {
        $target = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-zip-$([guid]::NewGuid().ToString('N'))"
        try {
            Expand-Archive $Zip -DestinationPath $target
            $run = Invoke-ChildPwsh -Script "`$ErrorActionPreference='Stop'; Import-Module '$target/KedaAks/KedaAks.psd1'; (New-KedaTriggerAuthentication -Name z).Name"
            $run.ExitCode | Should -Be 0 -Because $run.Error
            $run.Output.Trim() | Should -Be 'z'
        }
        finally { Remove-Item $target -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'The .nupkg' {
    It 'installs with Install-PSResource from a local repository into a temporary module path and imports' {
        $package = Get-ChildItem $Repository -Filter 'KedaAks.*.nupkg' | Select-Object -First 1
        $package | Should -Not -BeNullOrEmpty
        $tempHome = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-home-$([guid]::NewGuid().ToString('N'))"
        # .NET reports a special folder only when it exists; without these PSResourceGet would write below the current directory.
        foreach ($folder in '.local/share', '.config', '.cache') { New-Item -ItemType Directory (Join-Path $tempHome $folder) -Force | Out-Null }
        try {
            # A throw-away HOME: the repository registration and the CurrentUser module path both live under it.
            $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KedaAksTest -Uri '$Repository' -Trusted
Install-PSResource -Name KedaAks -Repository KedaAksTest -Scope CurrentUser -TrustRepository -Quiet
`$installed = Get-Module -ListAvailable KedaAks
Import-Module KedaAks
[pscustomobject]@{
    Path = `$installed.ModuleBase
    Version = `$installed.Version.ToString()
    Yaml = New-KedaTriggerAuthentication -Name installed -Namespace app | ConvertTo-KedaYaml
} | ConvertTo-Json -Compress
"@
            $run = Invoke-ChildPwsh -Script $script -Environment @{
                HOME = $tempHome; XDG_DATA_HOME = "$tempHome/.local/share"; XDG_CONFIG_HOME = "$tempHome/.config"; XDG_CACHE_HOME = "$tempHome/.cache"; PSModulePath = ''
            }
            $run.ExitCode | Should -Be 0 -Because "$($run.Error)$($run.Output)"
            $result = $run.Output | ConvertFrom-Json
            $result.Path | Should -BeLike "$tempHome*"
            $result.Version | Should -Be (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
            $result.Yaml | Should -Match 'name: installed'
        }
        finally { Remove-Item $tempHome -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
