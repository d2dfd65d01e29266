# The packages: out/KedaAks.zip (Azure Automation layout) and a .nupkg in the local repository out/repository.

function New-ModulePackage {
    param([Parameter(Mandatory)][pscustomobject] $Context)
    Write-Step 'Package'
    $outDir = $Context.OutDir; $name = $Context.ModuleName
    # Azure Automation: the zip, its single folder and the module share the name.
    $zip = Join-Path $outDir "$name.zip"
    $staging = Join-Path $outDir 'zip-staging'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    Copy-Item $Context.ModuleDir (Join-Path $staging $name) -Recurse
    if (Test-Path $zip) { Remove-Item $zip -Force }
    Compress-Archive -Path (Join-Path $staging $name) -DestinationPath $zip
    Remove-Item $staging -Recurse -Force

    # A .nupkg through PSResourceGet, into a local folder repository.
    $repository = Join-Path $outDir 'repository'
    if (Test-Path $repository) { Remove-Item $repository -Recurse -Force }
    New-Item -ItemType Directory $repository | Out-Null
    $repositoryName = "KedaAksBuild$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Register-PSResourceRepository -Name $repositoryName -Uri $repository -Trusted
    try { Publish-PSResource -Path $Context.ModuleDir -Repository $repositoryName -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $repositoryName }
    $package = Get-ChildItem $repository -Filter *.nupkg | Select-Object -First 1
    if (-not $package) { throw 'Publish-PSResource produced no .nupkg.' }
    Write-Step "Packages: $zip, $($package.FullName)"
}
