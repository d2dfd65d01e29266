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
    Add-ReadyToRun -Context $Context

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
    # Start-up: precompiled (ReadyToRun) copies of the engine and its libraries for the runtime that builds the module,
    # in deps/r2r/net<major>-<os>-<arch>/, which the engine's load context takes instead of the IL in deps/ when it runs on
    # that same runtime major, OS and architecture (a runtime reads only images of its own ReadyToRun major version, so
    # images made for the net8.0 target would be ignored by PowerShell 7.6's .NET 10). Elsewhere the IL is JIT-compiled as
    # before. Measured on .NET 10: the first 500-object Deploy-KedaResource compiles ~1,630 methods instead of ~2,100 and runs
    # ~100 ms sooner. KubernetesClient, Azure.ResourceManager and MSAL stay IL: their images are 30 of the 36 MB all images
    # would add, for the ~20 ms more they saved (KubernetesClient's generated API is huge; a command runs a few dozen of its
    # methods). KEDAAKS_READYTORUN=0 leaves the images out. Without a crossgen2 for this runtime on NuGet, the build warns and
    # ships IL only. Not used: crossgen2's --non-local-generics-module with --opt-cross-module:*, which lets an image hold .NET's
    # async code over its own state machines (measured: 1,500 -> 1,040 methods JIT-compiled, 790 -> 675 ms, for 500 unchanged
    # ScaledObjects in a new process, with a KubernetesClient image). With it, another module's copy of the same YamlDotNet or
    # KubernetesClient in PowerShell's default context fails ("Entry point was not found", a type initializer throws); the
    # isolation tests load such copies.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    if ($env:KEDAAKS_READYTORUN -eq '0') { return }
    $os = if ($IsLinux) { 'linux' } elseif ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { $null }
    $arch = "$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
    if (-not $os -or $arch -notin 'x64', 'arm64') { Write-Warning "No ReadyToRun images for $os-$arch; the module JITs at start-up."; return }
    $version = [Environment]::Version.ToString(3)
    $package = "Microsoft.NETCore.App.Crossgen2.$os-$arch"
    try {
        Invoke-Native dotnet @('restore', (Join-Path $Context.Root 'tools/Crossgen2/Crossgen2.csproj'), "-p:Crossgen2Package=$package", "-p:Crossgen2Version=$version",
            '--nologo', '-v', 'quiet') | Out-Null
    }
    catch {
        Write-Warning "No ReadyToRun images: $package $version could not be restored ($_); the module JITs at start-up."
        return
    }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $crossgen = Join-Path $packages "$($package.ToLowerInvariant())/$version/tools/crossgen2$(if ($IsWindows) { '.exe' })"
    if (-not (Test-Path $crossgen)) { throw "crossgen2 $version was restored but is not at $crossgen." }

    $deps = Join-Path $Context.ModuleDir 'deps'
    $framework = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $target = Join-Path $deps "r2r/net$([Environment]::Version.Major)-$os-$arch"
    New-Item -ItemType Directory $target -Force | Out-Null
    # crossgen2 expands the references' wildcards itself; a response file keeps PowerShell's native globbing away from them.
    $references = @((Join-Path $framework '*.dll'), (Join-Path $deps '*.dll'), (Join-Path $Context.ModuleDir '*.dll')) | ForEach-Object { "-r:$_" }
    $response = Join-Path $target 'crossgen2.rsp'
    # The framework's own assemblies (System.Text.Json, ...) are taken from the framework on this runtime: nothing to precompile.
    $large = 'KubernetesClient.dll', 'Azure.ResourceManager.dll', 'Microsoft.Identity.Client.dll'
    $images = Get-ChildItem $deps -Filter *.dll | Where-Object { $_.Name -notin $large -and -not (Test-Path (Join-Path $framework $_.Name)) }
    foreach ($assembly in $images) {
        Set-Content $response (@($assembly.FullName, "--out:$(Join-Path $target $assembly.Name)", "--targetos:$os", "--targetarch:$arch", '-O') + $references)
        $output = & $crossgen "@$response" 2>&1
        Remove-Item $response
        if ($LASTEXITCODE -ne 0) {
            Remove-Item (Join-Path $target $assembly.Name) -ErrorAction SilentlyContinue
            Write-Warning "No ReadyToRun image of $($assembly.Name) (crossgen2: $($output | Select-Object -Last 1)); it is JIT-compiled."
        }
    }
    Write-Host "ReadyToRun images for .NET $([Environment]::Version.Major) on $os-$arch`: $(@(Get-ChildItem $target -Filter *.dll).Count) of $(@($images).Count)"
}

function Test-ModuleLayout {
    # The rules the load-context design and Azure Automation rely on.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $moduleDir = $Context.ModuleDir; $name = $Context.ModuleName
    $problems = [Collections.Generic.List[string]]::new()
    $files = Get-ChildItem $moduleDir -Recurse -File
    if ($files | Where-Object Name -EQ 'System.Management.Automation.dll') { $problems.Add('System.Management.Automation.dll must not ship.') }
    # The parameter-group generator runs in the compiler only (src/KedaAks.Generators).
    foreach ($tool in $files | Where-Object { $_.Name -like "$name.Generators.*" -or $_.Name -like 'Microsoft.CodeAnalysis*' }) {
        $problems.Add("Build-time only, must not ship: $($tool.Name)")
    }
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
