<#
.SYNOPSIS
    Lists the lines of tracked code files that are longer than the limit, one object (Path, Line, Length) each.
.DESCRIPTION
    Files: those 'git ls-files' lists under -Root whose extension is in -Extension (.cs, .ps1, .psm1, .psd1,
    .csproj, .props). Limit: -MaxLength, or else max_line_length of the [*] section of <Root>/.editorconfig.
    Lengths are counted in characters; a tab counts as one. Run by 'build.ps1 -Task Lint'.
.EXAMPLE
    ./tools/Test-LineLength.ps1 | Group-Object Path | Sort-Object Count -Descending
#>
[CmdletBinding()]
param(
    [string] $Root = (Split-Path $PSScriptRoot),
    [int] $MaxLength,
    [string[]] $Extension = @('.cs', '.ps1', '.psm1', '.psd1', '.csproj', '.props')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not $MaxLength) {
    $editorConfig = Join-Path $Root '.editorconfig'
    if (-not (Test-Path $editorConfig)) { throw "No -MaxLength and no $editorConfig." }
    $section = $null
    foreach ($line in Get-Content $editorConfig) {
        if ($line -match '^\s*\[(.+)\]\s*$') { $section = $Matches[1]; continue }
        if ($section -eq '*' -and $line -match '^\s*max_line_length\s*=\s*(\d+)\s*$') { $MaxLength = [int]$Matches[1] }
    }
    if (-not $MaxLength) { throw "$editorConfig has no numeric max_line_length in its [*] section." }
}

$files = & git -C $Root ls-files
if ($LASTEXITCODE -ne 0) { throw "git ls-files failed in $Root (exit code $LASTEXITCODE)." }
foreach ($file in $files | Where-Object { [IO.Path]::GetExtension($_) -in $Extension } | Sort-Object) {
    $path = Join-Path $Root $file
    if (-not (Test-Path $path -PathType Leaf)) { continue }  # tracked but deleted in the work tree
    $number = 0
    foreach ($line in [IO.File]::ReadAllLines($path)) {
        $number++
        if ($line.Length -gt $MaxLength) { [pscustomobject]@{ Path = $file; Line = $number; Length = $line.Length } }
    }
}
