# The shape the codebase promises (docs/ARCHITECTURE.md): no code line over .editorconfig's max_line_length, no source
# file over 400 lines, one type per Contracts file. Needs the git checkout (a user's zip has no history to list).
BeforeDiscovery {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:IsCheckout = [bool](Get-Command git -ErrorAction SilentlyContinue) -and (Test-Path (Join-Path $Root '.git'))
}

Describe 'Repository shape' -Skip:(-not $IsCheckout) {
    BeforeAll { $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }

    It 'has no code line longer than max_line_length' {
        $long = @(& (Join-Path $Root 'tools/Test-LineLength.ps1') -Root $Root)
        ($long | ForEach-Object { "$($_.Path):$($_.Line) ($($_.Length))" }) -join ', ' | Should -BeNullOrEmpty
    }

    It 'has no file under src/ over 400 lines' {
        $files = & git -C $Root ls-files 'src/*.cs'
        $big = foreach ($file in $files) {
            $count = [IO.File]::ReadAllLines((Join-Path $Root $file)).Count
            if ($count -gt 400) { "$file ($count)" }
        }
        $big -join ', ' | Should -BeNullOrEmpty
    }

    It 'keeps one public type per file in Contracts' {
        $files = & git -C $Root ls-files 'src/KedaAks.Contracts/*.cs'
        $crowded = foreach ($file in $files) {
            $types = @(Select-String -Path (Join-Path $Root $file) -Pattern '^\s*public (sealed |static |abstract )*(class|interface|enum|record|struct) ' )
            if ($types.Count -gt 1) { "$file ($($types.Count))" }
        }
        $crowded -join ', ' | Should -BeNullOrEmpty
    }
}
