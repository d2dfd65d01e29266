# The build tools in tools/: the markdown-to-MAML converter (on a sample cmdlet compiled here and a sample
# markdown in the platyPS layout) and the line-length check (on a scratch git repository). They need no built
# module, so this file also runs alone: Invoke-Pester tests/pester/Tools.Tests.ps1

BeforeAll {
    $script:ToolsDirectory = Join-Path $PSScriptRoot '../../tools'
    . (Join-Path $ToolsDirectory 'MamlHelp.ps1')

    # A compiled cmdlet, so the parameter metadata comes from attributes as it does for KedaAks.dll.
    $type = Add-Type -PassThru -TypeDefinition @'
using System.IO;
using System.Management.Automation;
namespace KedaAksToolsTests
{
    [Cmdlet(VerbsCommon.Get, "MamlSample", DefaultParameterSetName = "ByName", SupportsShouldProcess = true)]
    [OutputType(typeof(string))]
    public sealed class GetMamlSampleCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName", ValueFromPipelineByPropertyName = true)]
        [Alias("n", "SampleName")]
        [SupportsWildcards]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipeline = true)]
        public int? Id { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public FileInfo LogFile { get; set; }

        [Parameter]
        public string Undocumented { get; set; }
    }
}
'@
    $script:SampleModule = Import-Module -Assembly $type[0].Assembly -PassThru
    $script:Command = Get-Command Get-MamlSample -CommandType Cmdlet

    $script:MarkdownDirectory = Join-Path $TestDrive 'md'
    New-Item -ItemType Directory $MarkdownDirectory | Out-Null
    $fence = '```'
    Set-Content -Path (Join-Path $MarkdownDirectory 'Get-MamlSample.md') -Value @"
---
external help file: Sample.dll-Help.xml
Module Name: Sample
---

# Get-MamlSample

## SYNOPSIS
Gets a sample.

## SYNTAX
${fence}
Get-MamlSample [-Name] <String[]> (taken from the cmdlet, never from here)
${fence}

## DESCRIPTION
The first paragraph
goes on here.

The second paragraph lists:
- the first item
- the second item,
  wrapped

## EXAMPLES

### Example 1: By name
${fence}powershell
Get-MamlSample -Name 'a*'

Get-MamlSample -Name b
${fence}

Gets a, then b.

It returns strings.

### Example 2: By id
${fence}powershell
42 | Get-MamlSample
${fence}

## PARAMETERS

### -Name
The names; wildcards allowed.

${fence}yaml
Type: String[]
Required: True
${fence}

### -Id
The id, from the pipeline.

### -Force
Without asking.

### -LogFile
Where to log.

## INPUTS

### System.Int32
An id.

## OUTPUTS

### System.String
The sample.

### None
Nothing, with -WhatIf.

## NOTES
First note.

Second note.

## RELATED LINKS
- [about_Sample](about_Sample.md)
- Get-Help
"@

    $script:MamlPath = Join-Path $TestDrive 'Sample.dll-Help.xml'
    ConvertTo-MamlHelp -Command $Command -MarkdownDirectory $MarkdownDirectory -OutputPath $MamlPath
    $script:Maml = [xml](Get-Content $MamlPath -Raw)
    $script:Ns = [Xml.XmlNamespaceManager]::new($Maml.NameTable)
    $Ns.AddNamespace('msh', 'http://msh')
    $Ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
    $Ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
    $Ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')

    function Select-Maml([string] $XPath, $Node = $Maml) { @($Node.SelectNodes($XPath, $Ns)) }
    function Get-MamlText([string] $XPath, $Node = $Maml) { @(Select-Maml $XPath $Node | ForEach-Object InnerText) }
    function Get-MamlParameter([string] $Name) {
        $found = @(Select-Maml "/msh:helpItems/command:command/command:parameters/command:parameter[maml:name='$Name']")
        $found.Count | Should -Be 1 -Because "parameter $Name is listed once"
        $found[0]
    }
}

AfterAll {
    if ($SampleModule) { Remove-Module $SampleModule -Force -ErrorAction SilentlyContinue }
}

Describe 'ConvertTo-MamlHelp (tools/MamlHelp.ps1)' {
    It 'writes one MAML command under helpItems, as UTF-8 without a byte order mark' {
        $Maml.DocumentElement.LocalName | Should -Be 'helpItems'
        $Maml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $Maml.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        (Select-Maml '/msh:helpItems/command:command').Count | Should -Be 1
        [IO.File]::ReadAllBytes($MamlPath)[0] | Should -Be ([byte][char]'<')
    }

    It 'takes name, verb and noun from the cmdlet and the synopsis from the markdown' {
        Get-MamlText '//command:details/command:name' | Should -Be 'Get-MamlSample'
        Get-MamlText '//command:details/command:verb' | Should -Be 'Get'
        Get-MamlText '//command:details/command:noun' | Should -Be 'MamlSample'
        Get-MamlText '//command:details/maml:description/maml:para' | Should -Be 'Gets a sample.'
    }

    It 'makes a paragraph of each block, joins wrapped lines and gives each list item its own paragraph' {
        Get-MamlText '/msh:helpItems/command:command/maml:description/maml:para' | Should -Be @(
            'The first paragraph goes on here.'
            'The second paragraph lists:'
            '- the first item'
            '- the second item, wrapped'
        )
    }

    It 'keeps each example''s code block verbatim, with its title and remark paragraphs' {
        $examples = Select-Maml '//command:examples/command:example'
        $examples.Count | Should -Be 2
        Get-MamlText 'maml:title' $examples[0] | Should -Be '-------------------------- Example 1: By name --------------------------'
        Get-MamlText 'dev:code' $examples[0] | Should -Be "Get-MamlSample -Name 'a*'`n`nGet-MamlSample -Name b"
        Get-MamlText 'dev:remarks/maml:para' $examples[0] | Should -Be @('Gets a, then b.', 'It returns strings.')
        Get-MamlText 'dev:code' $examples[1] | Should -Be '42 | Get-MamlSample'
        (Select-Maml 'dev:remarks/maml:para' $examples[1]).Count | Should -Be 0
    }

    It 'has one syntax item per parameter set, each with the parameters of its set and no common parameters' {
        $items = Select-Maml '//command:syntax/command:syntaxItem'
        $items.Count | Should -Be 2
        $sets = foreach ($item in $items) { (Get-MamlText 'command:parameter/maml:name' $item | Sort-Object) -join ',' }
        $sets | Should -Contain 'Confirm,Force,LogFile,Name,Undocumented,WhatIf'
        $sets | Should -Contain 'Confirm,Force,Id,LogFile,Undocumented,WhatIf'
        Get-MamlText '//command:syntax/command:syntaxItem/maml:name' | Should -Be @('Get-MamlSample', 'Get-MamlSample')
    }

    It 'lists every parameter once, without the common parameters' {
        $names = Get-MamlText '//command:parameters/command:parameter/maml:name' | Sort-Object
        $names | Should -Be @('Confirm', 'Force', 'Id', 'LogFile', 'Name', 'Undocumented', 'WhatIf')
    }

    It 'takes required, position, pipeline input, aliases, wildcards and type from the compiled metadata' {
        $name = Get-MamlParameter 'Name'
        $name.required | Should -Be 'true'
        $name.position | Should -Be '0'
        $name.pipelineInput | Should -Be 'True (ByPropertyName)'
        $name.aliases | Should -Be 'n, SampleName'
        $name.globbing | Should -Be 'true'
        Get-MamlText 'command:parameterValue' $name | Should -Be 'String[]'
        Get-MamlText 'dev:type/maml:name' $name | Should -Be 'String[]'
        Get-MamlText 'dev:defaultValue' $name | Should -Be 'None'

        $id = Get-MamlParameter 'Id'
        $id.required | Should -Be 'true'
        $id.position | Should -Be 'named'
        $id.pipelineInput | Should -Be 'True (ByValue)'
        $id.aliases | Should -Be 'none'
        $id.globbing | Should -Be 'false'
        Get-MamlText 'dev:type/maml:name' $id | Should -Be 'Int32' -Because 'Nullable<int> is shown as its underlying type'

        Get-MamlText 'dev:type/maml:name' (Get-MamlParameter 'LogFile') | Should -Be 'System.IO.FileInfo'
    }

    It 'gives a switch no parameter value and the type SwitchParameter' {
        $force = Get-MamlParameter 'Force'
        $force.required | Should -Be 'false'
        $force.pipelineInput | Should -Be 'False'
        (Select-Maml 'command:parameterValue' $force).Count | Should -Be 0
        Get-MamlText 'dev:type/maml:name' $force | Should -Be 'SwitchParameter'
    }

    It 'describes parameters from the markdown, without its yaml blocks, and WhatIf/Confirm by default' {
        Get-MamlText 'maml:description/maml:para' (Get-MamlParameter 'Name') | Should -Be 'The names; wildcards allowed.'
        Get-MamlText 'maml:description/maml:para' (Get-MamlParameter 'LogFile') | Should -Be 'Where to log.'
        Get-MamlText 'maml:description/maml:para' (Get-MamlParameter 'WhatIf') | Should -Be 'Shows what would change without changing it.'
        Get-MamlText 'maml:description/maml:para' (Get-MamlParameter 'Confirm') | Should -Be 'Asks for confirmation before each change.'
        (Select-Maml 'maml:description/maml:para' (Get-MamlParameter 'Undocumented')).Count | Should -Be 0
    }

    It 'writes inputs, outputs, notes and related links' {
        Get-MamlText '//command:inputTypes/command:inputType/dev:type/maml:name' | Should -Be 'System.Int32'
        Get-MamlText '//command:inputTypes/command:inputType/maml:description/maml:para' | Should -Be 'An id.'
        Get-MamlText '//command:returnValues/command:returnValue/dev:type/maml:name' | Should -Be @('System.String', 'None')
        Get-MamlText '//command:returnValues/command:returnValue/maml:description/maml:para' | Should -Be @('The sample.', 'Nothing, with -WhatIf.')
        Get-MamlText '//maml:alertSet/maml:alert/maml:para' | Should -Be @('First note.', 'Second note.')
        Get-MamlText '//command:relatedLinks/maml:navigationLink/maml:linkText' | Should -Be @('about_Sample', 'Get-Help')
    }

    It 'refuses a command without markdown and writes nothing' {
        $output = Join-Path $TestDrive 'none.xml'
        $empty = Join-Path $TestDrive 'empty'
        New-Item -ItemType Directory $empty -Force | Out-Null
        { ConvertTo-MamlHelp -Command $Command -MarkdownDirectory $empty -OutputPath $output } |
            Should -Throw 'No help markdown for: Get-MamlSample'
        Test-Path $output | Should -BeFalse
    }
}

Describe 'Test-LineLength (tools/Test-LineLength.ps1)' {
    BeforeAll {
        $script:Repository = Join-Path $TestDrive 'repo'
        New-Item -ItemType Directory (Join-Path $Repository 'src') -Force | Out-Null
        Set-Content (Join-Path $Repository '.editorconfig') "root = true`n`n[*]`nmax_line_length = 20`n`n[*.md]`nmax_line_length = 5"
        Set-Content (Join-Path $Repository 'src/a.ps1') "# short`n$('x' * 21)`n$('y' * 20)"
        Set-Content (Join-Path $Repository 'b.cs') ('z' * 30)
        Set-Content (Join-Path $Repository 'notes.md') ('m' * 30)         # not a code kind
        Set-Content (Join-Path $Repository 'c.props') 'short'
        git -C $Repository init -q
        git -C $Repository add .
        Set-Content (Join-Path $Repository 'untracked.ps1') ('u' * 30)    # not tracked
        $script:LineLength = Join-Path $ToolsDirectory 'Test-LineLength.ps1'
    }

    It 'lists the tracked code files'' lines over the [*] limit of .editorconfig, with line number and length' {
        $long = @(& $LineLength -Root $Repository)
        $long.Count | Should -Be 2
        $long[0].Path | Should -Be 'b.cs'
        $long[0].Line | Should -Be 1
        $long[0].Length | Should -Be 30
        $long[1].Path | Should -Be 'src/a.ps1'
        $long[1].Line | Should -Be 2
        $long[1].Length | Should -Be 21
    }

    It 'takes -MaxLength over .editorconfig' {
        @(& $LineLength -Root $Repository -MaxLength 30).Count | Should -Be 0
        @(& $LineLength -Root $Repository -MaxLength 19 | Where-Object Path -EQ 'src/a.ps1').Line | Should -Be @(2, 3)
    }
}

Describe 'build.ps1 -Task Sandbox' -Skip:(-not $IsLinux -or -not (Get-Command script -CommandType Application -ErrorAction SilentlyContinue) -or
    -not $env:KEDAAKS_TEST_MODULE -or -not $env:KEDAAKS_SANDBOX) {
    # The task runs in a real terminal (util-linux script gives it a pty), so the test can press Ctrl+C: ^C through the terminal, as a user does.
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $build = Join-Path $PSScriptRoot '../../build.ps1'
        $command = ((Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $build, '-Task', 'Sandbox', '-NoBuild') | ForEach-Object { "'$_'" }) -join ' '
        $info = [Diagnostics.ProcessStartInfo]::new('script')
        foreach ($argument in '-qfec', $command, '/dev/null') { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $info.WorkingDirectory = Split-Path $build
        $script:Session = [Diagnostics.Process]::Start($info)
        $script:Printed = [Collections.Generic.List[string]]::new()
        $deadline = [DateTime]::UtcNow.AddSeconds(180)
        while ([DateTime]::UtcNow -lt $deadline) {
            $read = $Session.StandardOutput.ReadLineAsync()
            if (-not $read.Wait(($deadline - [DateTime]::UtcNow))) { break }
            if ($null -eq $read.Result) { break }
            $line = ($read.Result -replace '\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]', '').TrimEnd("`r")
            $Printed.Add($line)
            if ($line -eq 'Press Ctrl+C to stop the sandbox.') { break }
        }
        function script:Get-Block([int] $Index) {
            # The lines between the $Index-th pair of 8< / >8 markers.
            $starts = @(for ($i = 0; $i -lt $Printed.Count; $i++) { if ($Printed[$i] -eq '----- 8< -----') { $i } })
            $from = $starts[$Index] + 1
            $to = $Printed.IndexOf('----- >8 -----', $from)
            @($Printed[$from..($to - 1)])
        }
        $script:Url = ($Printed | Where-Object { $_ -match '^KedaAks sandbox listening on (https://127\.0\.0\.1:\d+)' } | ForEach-Object { $Matches[1] }) | Select-Object -First 1
    }

    AfterAll {
        if ($Session -and -not $Session.HasExited) { $Session.Kill($true) }
    }

    It 'prints the environment and the Connect-KedaAzure line, which work from a fresh pwsh' {
        $Url | Should -Not -BeNullOrEmpty -Because ($Printed -join "`n")
        $environment = @{}
        foreach ($line in Get-Block 0) {
            if ($line -match "^\`$env:(\w+) = '([^']*)'$") { $environment[$Matches[1]] = $Matches[2] }
        }
        $expected = @('AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_SUBSCRIPTION_ID', 'AZURE_TENANT_ID', 'KEDAAKS_HELM', 'SSL_CERT_FILE')
        $environment.Keys | Sort-Object | Should -Be $expected -Because ($Printed -join "`n")
        (Get-Block 0)[-1] | Should -Match 'pwsh'
        $commands = Get-Block 1
        $commands | Should -Contain "Connect-KedaAzure -ArmEndpoint $Url/ -TokenSource Environment"
        $script = "`$ErrorActionPreference = 'Stop'`n" + ($commands -join "`n") + "`n'CLUSTER=' + (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).Name"
        $result = Invoke-ChildPwsh -Script $script -Environment $environment
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Match 'CLUSTER=keda-aks'
    }

    It 'stops the sandbox on Ctrl+C and closes its port' {
        $Url | Should -Not -BeNullOrEmpty
        $port = ([uri]$Url).Port
        $open = [Net.Sockets.TcpClient]::new()
        try { $open.Connect([Net.IPAddress]::Loopback, $port); $open.Connected | Should -BeTrue } finally { $open.Dispose() }
        $Session.StandardInput.Write([char]3)
        $Session.StandardInput.Flush()
        $Session.WaitForExit(30000) | Should -BeTrue
        $rest = $Session.StandardOutput.ReadToEnd() -replace '\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]', ''
        $rest | Should -Match 'Sandbox stopped\.'
        $client = [Net.Sockets.TcpClient]::new()
        try { { $client.Connect([Net.IPAddress]::Loopback, $port) } | Should -Throw }
        finally { $client.Dispose() }
    }
}
