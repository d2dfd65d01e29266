# Connect-KedaAzure -ArmEndpoint alone, as Add-AzEnvironment -ARMEndpoint works: the authority and ARM audience come from
# {arm}/metadata/endpoints?api-version=2022-09-01 (the sandbox serves it anonymously, pointing at itself); with -AccessToken no
# authority is needed at all. A metadata endpoint that fails or answers garbage is our own error, naming the address and the fix.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-KedaSandbox -NoPrincipalDelay
    Set-SandboxEnvironment $Sandbox
    $script:Metadata = "$($Sandbox.url)/metadata/endpoints?api-version=2022-09-01"
    function script:Get-MetadataReads { @(Invoke-Sandbox $Sandbox 'requests' | Where-Object { $_.path -like '/metadata/endpoints*' }).Count }
}

AfterAll {
    Stop-KedaSandbox $Sandbox
    Clear-SandboxEnvironment
}

Describe 'Connect-KedaAzure -ArmEndpoint alone' {
    It 'reads the authority from the metadata, signs in there, and later commands work without reading it again' {
        $before = Get-MetadataReads
        $connection = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -TokenSource Environment
        $connection.Environment | Should -Be 'Custom'
        $connection.AuthorityHost.AbsoluteUri | Should -Be $Sandbox.authorityHost
        $connection.ArmAudience | Should -Be $Sandbox.armEndpoint
        $connection.SubscriptionName | Should -Be 'KedaAks Sandbox'
        (Get-MetadataReads) - $before | Should -Be 1
        (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).Name | Should -Be 'keda-aks'
        (Get-KedaMonitorWorkspace -ResourceGroupName keda-rg -Name keda-amw).Name | Should -Be 'keda-amw'
        (Get-MetadataReads) - $before | Should -Be 1
    }

    It 'takes a bearer token without any authority and reads no metadata' {
        $tokenResponse = Invoke-RestMethod -Method Post -Uri "$($Sandbox.url)/$($Sandbox.tenantId)/oauth2/v2.0/token" -Body @{
            grant_type = 'client_credentials'; client_id = $Sandbox.clientId; client_secret = $Sandbox.clientSecret; scope = "$($Sandbox.armEndpoint).default" }
        $before = Get-MetadataReads
        $connection = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -AccessToken (ConvertTo-SecureString $tokenResponse.access_token -AsPlainText -Force)
        $connection.ResolvedTokenSource | Should -BeLike 'AccessToken*'
        $connection.AuthorityHost | Should -BeNullOrEmpty
        (Get-KedaAksCluster -ResourceGroupName keda-rg -Name keda-aks).Name | Should -Be 'keda-aks'
        (Get-MetadataReads) - $before | Should -Be 0
    }

    It 'stops with <ErrorId> naming the metadata address and -AuthorityHost when it <Case>' -ForEach @(
        @{ Case = 'fails'; Status = 404; Type = 'text/html'; Body = '%3Chtml%3ENot%20Found%3C/html%3E'; ErrorId = 'CloudMetadataUnavailable' }
        @{ Case = 'answers garbage'; Status = 200; Type = 'text/html'; Body = '%3Chtml%3ESign%20in%3C/html%3E'; ErrorId = 'CloudMetadataInvalid' }
        @{ Case = 'names no login endpoint'; Status = 200; Type = 'application/json'; Body = '%7B%22name%22%3A%22x%22%7D'; ErrorId = 'CloudMetadataInvalid' }
    ) {
        $null = Invoke-Sandbox $Sandbox "respond?path=/metadata/endpoints&status=$Status&contentType=$Type&body=$Body&count=10"
        try {
            $record = $null
            try { $null = Connect-KedaAzure -ArmEndpoint $Sandbox.armEndpoint -TokenSource Environment -ErrorAction Stop } catch { $record = $_ }
            $record | Should -Not -BeNullOrEmpty
            $record.FullyQualifiedErrorId | Should -Be "$ErrorId,KedaAks.Commands.ConnectKedaAzureCommand"
            $record.Exception.Message | Should -BeLike "*$Metadata*"
            $record.TargetObject | Should -Be $Metadata
            $record.ErrorDetails.RecommendedAction | Should -Match '-AuthorityHost'
        }
        finally { $null = Invoke-Sandbox $Sandbox 'respond?clear=true' }
    }
}
