# The module must work next to other versions of its dependencies (Az.Accounts, powershell-yaml, Az.Aks...),
# in either load order, and must leave nothing from deps/ in PowerShell's default load context.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Precompiled = @(Get-ChildItem (Join-Path $ModuleDirectory 'deps/r2r') -Recurse -Filter *.dll -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -like "net$([Environment]::Version.Major)-*" })
    $script:Matrix = foreach ($order in 'before', 'after') {
        foreach ($age in 'older', 'newer') { @{ Order = $order; Age = $age } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Libraries = @{
        older = @{ Yaml = Join-Path $NuGetRoot 'yamldotnet/13.7.1/lib/net6.0/YamlDotNet.dll'; Core = Join-Path $NuGetRoot 'azure.core/1.32.0/lib/net6.0/Azure.Core.dll' }
        newer = @{ Yaml = Join-Path $NuGetRoot 'yamldotnet/18.1.0/lib/net8.0/YamlDotNet.dll'; Core = Join-Path $NuGetRoot 'azure.core/1.64.0/lib/net8.0/Azure.Core.dll' }
    }
    foreach ($path in $Libraries.Values.Values) { if (-not (Test-Path $path)) { throw "Missing test library $path (restored by tests/pester/Pester.Dependencies.csproj)." } }
}

Describe 'Load-context isolation: <Age> YamlDotNet and Azure.Core loaded <Order> KedaAks' -ForEach $Matrix {
    It 'still renders YAML with its own YamlDotNet, resolves its own Azure.Core, and the other copies keep working' {
        $libraries = $Libraries[$Age]
        $loadOthers = "Add-Type -Path '$($libraries.Yaml)'; Add-Type -Path '$($libraries.Core)'"
        $script = @"
`$ErrorActionPreference = 'Stop'
$(if ($Order -eq 'before') { $loadOthers })
Import-Module '$ModuleManifest'
`$yaml = New-KedaTriggerAuthentication -Name a -Namespace app | ConvertTo-KedaYaml
$(if ($Order -eq 'after') { $loadOthers })
`$alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks'
`$ourCore = `$alc.LoadFromAssemblyName([Reflection.AssemblyName]'Azure.Core')
`$theirYaml = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' -and [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name -eq 'Default' }
`$theirs = (New-Object YamlDotNet.Serialization.SerializerBuilder).Build().Serialize(@{ k = 'v' }).Trim()
[pscustomobject]@{
    Yaml = `$yaml
    Theirs = `$theirs
    OurCore = '{0}@{1}' -f `$ourCore.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$ourCore).Name
    Copies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'YamlDotNet', 'Azure.Core' } |
        ForEach-Object { '{0} {1}@{2}' -f `$_.GetName().Name, `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name })
} | ConvertTo-Json -Compress
"@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Yaml | Should -Match '(?m)^kind: TriggerAuthentication$'
        $result.Theirs | Should -Be 'k: v'
        $result.OurCore | Should -Be '1.53.0.0@KedaAks'
        $result.Copies | Should -Contain 'YamlDotNet 18.0.0.0@KedaAks'
        ($result.Copies | Where-Object { $_ -like 'YamlDotNet *@Default' }) | Should -Not -BeNullOrEmpty
        ($result.Copies | Where-Object { $_ -like 'Azure.Core *@Default' }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Load-context isolation: the same KubernetesClient, from another module, in the default context' {
    It 'loaded before KedaAks, both copies keep working: theirs serializes, ours reads a kubeconfig' {
        # The worst case for two copies: the same assemblies (the IL in deps/), loaded the way a module without a load context would.
        $deps = Join-Path $ModuleDirectory 'deps'
        $kubeconfig = Join-Path $TestDrive 'refused.kubeconfig'
        New-UnreachableKubeconfig $kubeconfig
        $script = @"
`$ErrorActionPreference = 'Stop'
foreach (`$name in 'YamlDotNet', 'Fractions', 'KubernetesClient') { Add-Type -Path (Join-Path '$deps' "`$name.dll") }
Import-Module '$ModuleManifest'
`$ours = try { Connect-KedaCluster -KubeconfigPath '$kubeconfig' -ErrorAction Stop; 'connected' } catch { `$_.FullyQualifiedErrorId }
`$pod = [k8s.Models.V1Pod]::new(); `$pod.Metadata = [k8s.Models.V1ObjectMeta]::new(); `$pod.Metadata.Name = 'p'
`$private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks'
[pscustomobject]@{
    Ours = `$ours
    OursLoaded = @(`$private.Assemblies | Where-Object { `$_.GetName().Name -eq 'KubernetesClient' }).Count
    Json = [k8s.KubernetesJson]::Serialize(`$pod)
    Yaml = [k8s.KubernetesYaml]::Serialize(`$pod).Trim()
} | ConvertTo-Json -Compress
"@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.OursLoaded | Should -Be 1
        $result.Ours | Should -BeLike 'ClusterUnreachable*'
        $result.Json | Should -Be '{"metadata":{"name":"p"}}'
        $result.Yaml | Should -Match '(?m)^  name: p$'
    }
}

Describe 'After a command runs' {
    It 'nothing from deps/ is in the default load context and the engine lives in the KedaAks context' {
        $deps = Join-Path $ModuleDirectory 'deps'
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = New-KedaPrometheusScaler -Name s -TargetName web -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 1 | ConvertTo-KedaYaml
[pscustomobject]@{
    Leaked = @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { `$_.Location -like '$deps*' } | ForEach-Object Location)
    Private = @(([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks').Assemblies | ForEach-Object { `$_.GetName().Name })
    Contexts = @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks').Count
    ContractsContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([KedaAks.ScaledObject].Assembly).Name
} | ConvertTo-Json -Compress
"@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Leaked | Should -BeNullOrEmpty
        $result.Private | Should -Contain 'KedaAks.Engine'
        $result.Private | Should -Contain 'YamlDotNet'
        $result.Private | Should -Not -Contain 'KedaAks.Contracts'
        $result.Contexts | Should -Be 1
        $result.ContractsContext | Should -Be 'Default'
    }

    It 're-importing and new runspaces reuse one engine load context' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = New-KedaTriggerAuthentication -Name a
Import-Module '$ModuleManifest' -Force
`$null = New-KedaTriggerAuthentication -Name b
1..3 | ForEach-Object -Parallel { Import-Module `$using:ModuleManifest; (New-KedaTriggerAuthentication -Name "p`$_" | ConvertTo-KedaYaml).Length -gt 0 } -ThrottleLimit 3 | Out-Null
@([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks').Count
"@ -replace '\$using:ModuleManifest', "'$ModuleManifest'"
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output.Trim() | Should -Be '1'
    }
}

Describe 'The framework''s own assemblies: one copy for the whole engine' {
    It 'decides once per name, by the version that ships in deps/, not by what each reference asks for' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$loader = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'KedaAks' } | ForEach-Object { `$_.GetType('KedaAks.Infrastructure.KedaAksLoadContext') }
`$decide = `$loader.GetMethod('Decide', [Reflection.BindingFlags]'Static,NonPublic')
function Decide([string] `$Name, [string] `$Shipped, [string] `$Framework) {
    `$version = if (`$Framework) { [version]`$Framework } else { `$null }
    `$decide.Invoke(`$null, @(`$Name, `$(if (`$Shipped) { [version]`$Shipped } else { `$null }), 'KedaAks.Contracts', [Func[string, version]] { param(`$n) `$version }.GetNewClosure())).ToString()
}
[pscustomobject]@{
    Net8 = Decide 'System.Text.Json' '10.0.0.0' '8.0.0.0'
    Net10 = Decide 'System.Text.Json' '10.0.0.0' '10.0.0.0'
    Newer = Decide 'System.Text.Json' '10.0.0.0' '11.0.0.0'
    NotFramework = Decide 'YamlDotNet' '18.0.0.0' ''
    OnlyFramework = Decide 'System.Formats.Asn1' '' '10.0.0.0'
    Contracts = Decide 'KedaAks.Contracts' '' ''
} | ConvertTo-Json -Compress
"@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Net8 | Should -Be 'Resolve' -Because 'on .NET 8 the framework''s 8.0 is older than the 10.0 the engine ships'
        $result.Net10 | Should -Be 'Framework'
        $result.Newer | Should -Be 'Framework'
        $result.NotFramework | Should -Be 'Resolve'
        $result.OnlyFramework | Should -Be 'Framework'
        $result.Contracts | Should -Be 'Shared'
    }

    It 'KubernetesClient (built against System.Text.Json 8.0) and the engine (10.0) bind the same System.Text.Json' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = New-KedaPrometheusScaler -Name s -TargetName web -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 1 | ConvertTo-KedaYaml
`$private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks'
`$engine = `$private.Assemblies | Where-Object { `$_.GetName().Name -eq 'KedaAks.Engine' }
`$kubernetes = `$private.LoadFromAssemblyName([Reflection.AssemblyName]'KubernetesClient')
`$theirs = `$kubernetes.GetType('k8s.KubernetesJson').GetMethods() | Where-Object Name -EQ 'Serialize' | ForEach-Object { `$_.GetParameters() } |
    Where-Object { `$_.ParameterType.Name -eq 'JsonSerializerOptions' } | Select-Object -First 1
`$ours = `$engine.GetType('KedaAks.Engine.Manifests.YamlJson').GetMethod('Parse', [Reflection.BindingFlags]'Static,Public,NonPublic').ReturnType
[pscustomobject]@{ Same = [object]::ReferenceEquals(`$theirs.ParameterType.Assembly, `$ours.Assembly); Theirs = `$theirs.ParameterType.Assembly.Location; Ours = `$ours.Assembly.Location } |
    ConvertTo-Json -Compress
"@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Same | Should -BeTrue -Because "KubernetesClient binds $($result.Theirs), the engine $($result.Ours)"
    }
}

Describe 'ReadyToRun images for the runtime that built the module' {
    It 'the engine runs from its precompiled image on this runtime, and the image holds native code' -Skip:($Precompiled.Count -eq 0) {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = New-KedaPrometheusScaler -Name s -TargetName web -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 1 | ConvertTo-KedaYaml
`$private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks'
`$engine = (`$private.Assemblies | Where-Object { `$_.GetName().Name -eq 'KedaAks.Engine' }).Location
`$yaml = (`$private.Assemblies | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' }).Location
`$stream = [IO.File]::OpenRead(`$engine)
try { `$native = ([System.Reflection.PortableExecutable.PEReader]::new(`$stream)).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { `$stream.Dispose() }
[pscustomobject]@{ Engine = `$engine; Yaml = `$yaml; Native = `$native } | ConvertTo-Json -Compress
"@
        $run = Invoke-ChildPwsh -Script $script
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $result = $run.Output | ConvertFrom-Json
        $result.Engine | Should -BeLike '*/deps/r2r/net*'
        $result.Yaml | Should -BeLike '*/deps/r2r/net*'
        $result.Native | Should -BeTrue
    }

    It 'without the images (another runtime, or KEDAAKS_READYTORUN=0) the module runs from the portable IL' {
        $copy = Join-Path ([IO.Path]::GetTempPath()) "kedaaks-il-$([guid]::NewGuid().ToString('N'))"
        Copy-Item $ModuleDirectory $copy -Recurse
        try {
            Remove-Item (Join-Path $copy 'deps/r2r') -Recurse -Force -ErrorAction SilentlyContinue
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $copy 'KedaAks.psd1')'
`$yaml = New-KedaPrometheusScaler -Name s -TargetName web -ServerAddress http://prometheus:9090 -Query 'sum(up)' -Threshold 1 | ConvertTo-KedaYaml
`$private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'KedaAks'
[pscustomobject]@{ Engine = (`$private.Assemblies | Where-Object { `$_.GetName().Name -eq 'KedaAks.Engine' }).Location; Yaml = `$yaml } | ConvertTo-Json -Compress
"@
            $run = Invoke-ChildPwsh -Script $script
            $run.ExitCode | Should -Be 0 -Because $run.Error
            $result = $run.Output | ConvertFrom-Json
            $result.Engine | Should -Be (Join-Path $copy 'deps/KedaAks.Engine.dll')
            $result.Yaml | Should -Match 'kind: ScaledObject'
        }
        finally { Remove-Item $copy -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
