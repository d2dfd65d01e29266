# The markdown-to-MAML converter: help markdown in the platyPS layout plus the cmdlets' own compiled metadata
# (parameter sets, types, positions, pipeline input, aliases, wildcards), so syntax and parameter types can
# never drift from the code. Tested by tests/pester/Tools.Tests.ps1.

function ConvertTo-MamlHelp {
    # Writes one MAML file (e.g. en-US/<Module>.dll-Help.xml) for $Command; each command needs
    # <MarkdownDirectory>/<Name>.md, or nothing is written.
    param(
        [Parameter(Mandatory)][Management.Automation.CommandInfo[]] $Command,
        [Parameter(Mandatory)][string] $MarkdownDirectory,
        [Parameter(Mandatory)][string] $OutputPath,
        # Where the help is online, for commands whose [Cmdlet] names no HelpUri: <OnlineBase><Name>.md.
        [string] $OnlineBase
    )
    $missing = $Command | Where-Object { -not (Test-Path (Join-Path $MarkdownDirectory "$($_.Name).md")) }
    if ($missing) { throw "No help markdown for: $($missing.Name -join ', ')" }

    $settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
    $writer = [Xml.XmlWriter]::Create($OutputPath, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($item in $Command) {
            $doc = Read-HelpMarkdown (Join-Path $MarkdownDirectory "$($item.Name).md")
            Write-MamlCommand $writer $item $doc (Get-OnlineHelpUri $item $OnlineBase)
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

function Get-OnlineHelpUri([Management.Automation.CommandInfo] $Command, [string] $OnlineBase) {
    # The cmdlet's own HelpUri ([Cmdlet(HelpUri = ...)]), else <OnlineBase><Name>.md, else none.
    $attribute = if ($Command.ImplementingType) {
        $Command.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
    }
    if ($attribute -and $attribute.HelpUri) { return $attribute.HelpUri }
    if ($OnlineBase) { return "$OnlineBase$($Command.Name).md" }
}

function Get-ParameterDefault([Management.Automation.CommandInfo] $Command) {
    # Each parameter's default, read from a new instance of the cmdlet (its initial property values): text for
    # enums, strings, numbers and non-empty arrays, False for a switch; nothing for null, false, 0 and empty.
    $defaults = @{}
    $type = $Command.ImplementingType
    if (-not $type -or $type.IsAbstract -or -not $type.GetConstructor([type]::EmptyTypes)) { return $defaults }
    try { $instance = [Activator]::CreateInstance($type) } catch { return $defaults }
    foreach ($parameter in $Command.Parameters.Values) {
        $property = $type.GetProperty($parameter.Name)
        if (-not $property -or -not $property.CanRead) { continue }
        try { $value = $property.GetValue($instance) } catch { continue }
        $text = Format-ParameterDefault $value
        if ($null -ne $text) { $defaults[$parameter.Name] = $text }
    }
    $defaults
}

function Format-ParameterDefault($Value) {
    $invariant = [Globalization.CultureInfo]::InvariantCulture
    if ($null -eq $Value) { return $null }
    if ($Value -is [Management.Automation.SwitchParameter]) { return 'False' }
    if ($Value -is [enum]) { return $Value.ToString() }
    if ($Value -is [bool]) { if ($Value) { return 'True' } else { return $null } }
    if ($Value -is [string]) { if ($Value) { return $Value } else { return $null } }
    if ($Value -is [Array]) {
        $items = @($Value | ForEach-Object { Format-ParameterDefault $_ } | Where-Object { $null -ne $_ })
        if ($items.Count) { return $items -join ', ' } else { return $null }
    }
    if ($Value -is [ValueType]) {
        if ($Value -eq [Activator]::CreateInstance($Value.GetType())) { return $null }
        if ($Value -is [IFormattable]) { return $Value.ToString($null, $invariant) }
    }
    [string]$Value
}

function Get-OfferedEnumValues([type] $Type) {
    # An enum's names for help, without those marked [EditorBrowsable(Never)] (values refused when typed, e.g. a removed provider).
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type.IsArray) { $Type = $Type.GetElementType() }
    if (-not $Type.IsEnum) { return }
    foreach ($name in [Enum]::GetNames($Type)) {
        $hidden = $Type.GetField($name).GetCustomAttributes([ComponentModel.EditorBrowsableAttribute], $false) |
            Where-Object State -EQ ([ComponentModel.EditorBrowsableState]::Never)
        if (-not $hidden) { $name }
    }
}

function Write-MamlCommand($Writer, [Management.Automation.CommandInfo] $Command, [hashtable] $Doc, [string] $OnlineUri) {
    $maml, $cmd, $dev = Get-MamlNamespace
    $Writer.WriteStartElement('command', 'command', $cmd)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $Writer.WriteStartElement('command', 'details', $cmd)
    $Writer.WriteElementString('name', $cmd, $Command.Name)
    $Writer.WriteElementString('verb', $cmd, $Command.Verb)
    $Writer.WriteElementString('noun', $cmd, $Command.Noun)
    Write-MamlParagraphs $Writer 'description' $Doc.Synopsis
    $Writer.WriteEndElement()
    Write-MamlParagraphs $Writer 'description' $Doc.Description

    $Doc = $Doc.Clone()
    $Doc.Defaults = Get-ParameterDefault $Command
    $common = [Management.Automation.PSCmdlet]::CommonParameters
    $parameters = @($Command.Parameters.Values | Where-Object { $_.Name -notin $common -and $_.Name -notin 'UseTransaction' })
    $Writer.WriteStartElement('command', 'syntax', $cmd)
    foreach ($set in $Command.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $cmd)
        $Writer.WriteElementString('name', $maml, $Command.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -in $parameters.Name }) {
            Write-MamlParameter $Writer $Command.Parameters[$p.Name] $p $Doc
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $cmd)
    foreach ($parameter in $parameters) {
        $setInfo = $Command.ParameterSets.Parameters | Where-Object Name -EQ $parameter.Name | Select-Object -First 1
        Write-MamlParameter $Writer $parameter $setInfo $Doc
    }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Doc.Inputs), @('returnValues', 'returnValue', $Doc.Outputs))) {
        $Writer.WriteStartElement('command', $kind[0], $cmd)
        foreach ($entry in $kind[2]) {
            $Writer.WriteStartElement('command', $kind[1], $cmd)
            $Writer.WriteStartElement('dev', 'type', $dev)
            $Writer.WriteElementString('name', $maml, $entry.Name)
            $Writer.WriteEndElement()
            Write-MamlParagraphs $Writer 'description' $entry.Text
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    if ($Doc.Notes) {
        $Writer.WriteStartElement('maml', 'alertSet', $maml)
        $Writer.WriteStartElement('maml', 'alert', $maml)
        foreach ($para in (Split-HelpParagraphs $Doc.Notes)) { $Writer.WriteElementString('para', $maml, $para) }
        $Writer.WriteEndElement(); $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $cmd)
    foreach ($example in $Doc.Examples) {
        $Writer.WriteStartElement('command', 'example', $cmd)
        $Writer.WriteElementString('title', $maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('code', $dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $dev)
        foreach ($para in (Split-HelpParagraphs $example.Remarks)) { $Writer.WriteElementString('para', $maml, $para) }
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $cmd)
    if ($OnlineUri) {
        # platyPS's form: Get-Help -Online opens the first link's uri.
        $Writer.WriteStartElement('maml', 'navigationLink', $maml)
        $Writer.WriteElementString('linkText', $maml, 'Online Version:')
        $Writer.WriteElementString('uri', $maml, $OnlineUri)
        $Writer.WriteEndElement()
    }
    foreach ($link in $Doc.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $maml)
        $Writer.WriteElementString('linkText', $maml, $link)
        $Writer.WriteElementString('uri', $maml, '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function Get-MamlNamespace {
    # maml, command, dev
    'http://schemas.microsoft.com/maml/2004/10', 'http://schemas.microsoft.com/maml/dev/command/2004/10',
    'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Split-HelpParagraphs([string] $Text) {
    # Blank lines separate paragraphs; each "- " list item is a paragraph of its own.
    if (-not $Text) { return , @() }
    $paragraphs = foreach ($block in $Text -split '\r?\n\s*\r?\n') {
        $current = [Collections.Generic.List[string]]::new()
        foreach ($line in $block -split '\r?\n' | ForEach-Object Trim) {
            if ($line -match '^- ' -and $current.Count) { $current -join ' '; $current.Clear() }
            if ($line) { $current.Add($line) }
        }
        if ($current.Count) { $current -join ' ' }
    }
    , @($paragraphs | Where-Object { $_ })
}

function Write-MamlParagraphs($Writer, [string] $Element, [string] $Text) {
    $maml = (Get-MamlNamespace)[0]
    $Writer.WriteStartElement('maml', $Element, $maml)
    foreach ($para in (Split-HelpParagraphs $Text)) { $Writer.WriteElementString('para', $maml, $para) }
    $Writer.WriteEndElement()
}

function Get-MamlTypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-MamlTypeName $Type.GetElementType()) + '[]' }
    if ($Type.Namespace -in @('System', 'System.Collections', 'System.Management.Automation')) { return $Type.Name }
    $Type.FullName
}

function Write-MamlParameter($Writer, $Parameter, $SetParameter, [hashtable] $Doc) {
    $maml, $cmd, $dev = Get-MamlNamespace
    $description = $Doc.Parameters[$Parameter.Name]
    if (-not $description) {
        $description = switch ($Parameter.Name) {
            'WhatIf' { 'Shows what would change without changing it.' }
            'Confirm' { 'Asks for confirmation before each change.' }
        }
    }
    $required = [bool]($SetParameter -and $SetParameter.IsMandatory)
    $position = if ($SetParameter -and $SetParameter.Position -ge 0) { [string]$SetParameter.Position } else { 'named' }
    $pipeline = @()
    if ($SetParameter -and $SetParameter.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($SetParameter -and $SetParameter.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [Management.Automation.SupportsWildcardsAttribute] })
    $aliases = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
    $isSwitch = $Parameter.ParameterType -eq [switch]
    $typeName = Get-MamlTypeName $Parameter.ParameterType

    $Writer.WriteStartElement('command', 'parameter', $cmd)
    $Writer.WriteAttributeString('required', $required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $pipelineText)
    $Writer.WriteAttributeString('position', $position)
    $Writer.WriteAttributeString('aliases', $aliases)
    $Writer.WriteElementString('name', $maml, $Parameter.Name)
    Write-MamlParagraphs $Writer 'description' $description
    if (-not $isSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $cmd)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
        $offered = @(Get-OfferedEnumValues $Parameter.ParameterType)
        if ($offered.Count) {
            $Writer.WriteStartElement('command', 'parameterValueGroup', $cmd)
            foreach ($value in $offered) {
                $Writer.WriteStartElement('command', 'parameterValue', $cmd)
                $Writer.WriteAttributeString('required', 'false')
                $Writer.WriteAttributeString('variableLength', 'false')
                $Writer.WriteString($value)
                $Writer.WriteEndElement()
            }
            $Writer.WriteEndElement()
        }
    }
    $Writer.WriteStartElement('dev', 'type', $dev)
    $Writer.WriteElementString('name', $maml, $(if ($isSwitch) { 'SwitchParameter' } else { $typeName }))
    $Writer.WriteEndElement()
    $default = if ($Doc.Defaults -and $Doc.Defaults.ContainsKey($Parameter.Name)) { $Doc.Defaults[$Parameter.Name] } else { 'None' }
    $Writer.WriteElementString('defaultValue', $dev, $default)
    $Writer.WriteEndElement()
}

function Read-HelpMarkdown([string] $Path) {
    # Sections of a platyPS-style markdown file: SYNOPSIS, DESCRIPTION, EXAMPLES (### title, a fenced code
    # block, remarks), PARAMETERS (### -Name, text), INPUTS/OUTPUTS (### type, text), NOTES, RELATED LINKS.
    $doc = @{
        Synopsis = ''; Description = ''; Notes = ''; Parameters = @{}
        Examples = [Collections.Generic.List[object]]::new()
        Inputs = [Collections.Generic.List[object]]::new()
        Outputs = [Collections.Generic.List[object]]::new()
        Links = [Collections.Generic.List[string]]::new()
    }
    $section = $null; $sub = $null; $buffer = [Text.StringBuilder]::new(); $code = $null; $inFence = $false

    $flush = {
        $text = $buffer.ToString().Trim(); [void]$buffer.Clear()
        switch ($section) {
            'SYNOPSIS' { $doc.Synopsis = $text }
            'DESCRIPTION' { $doc.Description = $text }
            'EXAMPLES' { if ($sub) { $doc.Examples.Add([pscustomobject]@{ Title = $sub; Code = $code; Remarks = $text }) } }
            'PARAMETERS' { if ($sub) { $doc.Parameters[$sub.TrimStart('-')] = $text } }
            'INPUTS' { if ($sub) { $doc.Inputs.Add([pscustomobject]@{ Name = $sub; Text = $text }) } }
            'OUTPUTS' { if ($sub) { $doc.Outputs.Add([pscustomobject]@{ Name = $sub; Text = $text }) } }
            'NOTES' { $doc.Notes = $text }
            'RELATED LINKS' {
                foreach ($line in $text -split '\r?\n') {
                    $link = $line.Trim().TrimStart('-', '*').Trim()
                    if ($link) { $doc.Links.Add(($link -replace '^\[([^\]]+)\].*$', '$1')) }
                }
            }
        }
    }

    foreach ($line in Get-Content $Path) {
        if ($inFence) {
            if ($line -match '^```\s*$') { $inFence = $false; $code = $code.TrimEnd() } else { $code += "$line`n" }
            continue
        }
        if ($line -match '^```') { $inFence = $true; $code = ''; continue }
        if ($line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $sub = $null; $code = $null; continue }
        if ($line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); $code = $null; continue }
        if ($line -match '^# ') { continue }
        [void]$buffer.AppendLine($line)
    }
    & $flush
    $doc
}
