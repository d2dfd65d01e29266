# The module itself: clean, build (publish + shipped files + MAML help) and the layout check.

function Invoke-ModuleClean {
    param([Parameter(Mandatory)][pscustomobject] $Context)
    Write-Step 'Clean'
    if (Test-Path $Context.OutDir) { Remove-Item $Context.OutDir -Recurse -Force }
    Get-ChildItem $Context.Root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object FullName -NotLike '*node_modules*' | Remove-Item -Recurse -Force
}

function Invoke-ModuleBuild {
    # Publishes the cmdlets to the module root and the engine to deps/, copies module/, then makes the
    # MAML help in a fresh pwsh (build.ps1 -Task Help, which imports the built module) and checks the layout.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $root = $Context.Root; $moduleDir = $Context.ModuleDir; $name = $Context.ModuleName
    Write-Step "Build $name $($Context.Version) ($($Context.Configuration))"
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    $common = @('-c', $Context.Configuration, "-p:Version=$($Context.Version)", '--nologo', '-v', 'quiet')
    Invoke-Native dotnet (@('publish', (Join-Path $root 'src/KedaAks/KedaAks.csproj'), '-o', $moduleDir) + $common)
    $engine = Join-Path $root 'src/KedaAks.Engine/KedaAks.Engine.csproj'
    Invoke-Native dotnet (@('publish', $engine, '-o', (Join-Path $moduleDir 'deps')) + $common)
    Add-ReadyToRun -Context $Context -Project (Join-Path $root 'src/KedaAks/KedaAks.csproj') -Target $moduleDir -Common $common
    Add-ReadyToRun -Context $Context -Project $engine -Target (Join-Path $moduleDir 'deps') -Common $common

    # Shipped verbatim, then the manifest (its version is the one build version).
    Copy-Item (Join-Path $root "module/$name.format.ps1xml") $moduleDir
    New-Item -ItemType Directory (Join-Path $moduleDir 'en-US') -Force | Out-Null
    Copy-Item (Join-Path $root 'module/en-US/*') (Join-Path $moduleDir 'en-US') -Recurse
    Copy-Item (Join-Path $root "$name.psd1") $Context.ManifestPath
    Get-ChildItem $moduleDir -Recurse -Include *.deps.json | Where-Object DirectoryName -EQ $moduleDir | Remove-Item

    Invoke-FreshPwsh -File $Context.BuildScript -ArgumentList @('-Task', 'Help', '-NoBuild') | Out-Null
    Test-ModuleLayout -Context $Context
    Write-Step "Module ready: $moduleDir"
}

function Add-ReadyToRun {
    # Start-up: the published assemblies (ours and every dependency) replaced by ReadyToRun images of themselves,
    # compiled by crossgen2 for this machine's platform (linux-x64 here). An image keeps its IL, so the portable
    # layout and deps.json stay as they are and other platforms JIT as before; only the native code is extra.
    # Opt-in (KEDAAKS_READYTORUN=1): measured on this machine it did not shorten start-up or the first apply beyond the
    # noise (the time goes to type registries and TLS set-up, not JIT), and it grows the module from 17 to 39 MB.
    param([Parameter(Mandatory)][pscustomobject] $Context, [Parameter(Mandatory)][string] $Project, [Parameter(Mandatory)][string] $Target, [string[]] $Common)
    if ($env:KEDAAKS_READYTORUN -ne '1') { return }
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -replace '^(linux|osx|win)[^-]*', '$1'
    if ($rid -notmatch '^(linux|osx|win)-(x64|arm64)$') { Write-Warning "No ReadyToRun images for $rid; the module JITs at start-up."; return }
    $staging = Join-Path $Context.OutDir "r2r/$([IO.Path]::GetFileNameWithoutExtension($Project))"
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    Invoke-Native dotnet (@('publish', $Project, '-o', $staging, '-r', $rid, '--self-contained', 'false', '-p:PublishReadyToRun=true') + $Common)
    foreach ($image in Get-ChildItem $staging -Filter *.dll) {
        $portable = Join-Path $Target $image.Name
        if (Test-Path $portable) { Copy-Item $image.FullName $portable -Force }
    }
    Remove-Item $staging -Recurse -Force
}

function Test-ModuleLayout {
    # The rules the load-context design and Azure Automation rely on.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $moduleDir = $Context.ModuleDir; $name = $Context.ModuleName
    $problems = [Collections.Generic.List[string]]::new()
    $files = Get-ChildItem $moduleDir -Recurse -File
    if ($files | Where-Object Name -EQ 'System.Management.Automation.dll') { $problems.Add('System.Management.Automation.dll must not ship.') }
    $rootDlls = $files | Where-Object { $_.DirectoryName -eq $moduleDir -and $_.Extension -eq '.dll' } | ForEach-Object Name
    $allowed = @("$name.dll", "$name.Contracts.dll")
    foreach ($dll in $rootDlls) { if ($dll -notin $allowed) { $problems.Add("Third-party DLL outside deps/: $dll") } }
    foreach ($dll in $allowed) { if ($dll -notin $rootDlls) { $problems.Add("Missing $dll at the module root.") } }
    $deps = Join-Path $moduleDir 'deps'
    if (-not (Test-Path (Join-Path $deps "$name.Engine.dll"))) { $problems.Add('deps/KedaAks.Engine.dll is missing.') }
    if (-not (Test-Path (Join-Path $deps "$name.Engine.deps.json"))) { $problems.Add('deps/KedaAks.Engine.deps.json is missing.') }
    foreach ($dll in $allowed) {
        if (Test-Path (Join-Path $deps $dll)) { $problems.Add("$dll is both at the root and in deps/.") }
    }
    foreach ($file in $files) {
        $relative = [IO.Path]::GetRelativePath($Context.OutDir, $file.FullName)
        if ($relative.Length -ge 140) { $problems.Add("Path of 140 characters or more: $relative") }
    }
    foreach ($required in @("$name.format.ps1xml", "en-US/$name.dll-Help.xml", "en-US/about_$name.help.txt")) {
        if (-not (Test-Path (Join-Path $moduleDir $required))) { $problems.Add("Missing $required") }
    }
    if ($problems.Count) { throw "The built module's layout is wrong:`n  $($problems -join "`n  ")" }
}

function Invoke-ModuleHelp {
    # MAML help for the built module from module/help/en-US (tools/MamlHelp.ps1). Imports the built module into
    # this pwsh, so Invoke-ModuleBuild runs it in a fresh one (build.ps1 -Task Help).
    param([Parameter(Mandatory)][pscustomobject] $Context)
    Import-Module $Context.ManifestPath -Force
    $commands = Get-Command -Module $Context.ModuleName -CommandType Cmdlet | Sort-Object Name
    $output = Join-Path $Context.ModuleDir "en-US/$($Context.ModuleName).dll-Help.xml"
    # The one online base: KedaAks.Infrastructure.HelpLinks.Base in the cmdlet assembly (also what every [Cmdlet]'s HelpUri starts with).
    $links = $commands[0].ImplementingType.Assembly.GetType("$($Context.ModuleName).Infrastructure.HelpLinks")
    $base = if ($links) { $links.GetField('Base', [Reflection.BindingFlags]'Public, NonPublic, Static').GetValue($null) }
    ConvertTo-MamlHelp -Command $commands -MarkdownDirectory (Join-Path $Context.Root 'module/help/en-US') -OutputPath $output -OnlineBase $base
}
