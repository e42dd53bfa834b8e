# A fake SCOM host for the tests: the registry as a table of key path -> values, filled by
# Use-FakeRegistry, read through the mocks Register-FakeRegistry installs.

$script:FakeRegistry = @{}
$script:ScomKeyForTests = 'HKLM:\SOFTWARE\Microsoft\Microsoft Operations Manager\3.0'

function Use-FakeRegistry {
    <#
    -Groups: @{ 'Agent Management Groups' = @{ MG = primary server or $null } } (or Server Management Groups);
    -DatabaseServer: makes the operational database key exist (a Management Server);
    -MachineSettings: the values of the Machine Settings key.
    #>
    param([hashtable]$Groups = @{}, [string]$DatabaseServer, [hashtable]$MachineSettings)
    $registry = @{}
    foreach ($parent in $Groups.Keys) {
        $parentPath = "$script:ScomKeyForTests\$parent"
        $registry[$parentPath] = @{}
        foreach ($group in ($Groups[$parent].Keys | Sort-Object)) {
            $registry["$parentPath\$group"] = @{}
            $primary = $Groups[$parent][$group]
            if ($primary) { $registry["$parentPath\$group\Parent Health Services\0"] = @{ NetworkName = $primary } }
        }
    }
    if ($DatabaseServer) { $registry['HKLM:\SOFTWARE\Microsoft\System Center\2010\Common\Database'] = @{ DatabaseServerName = $DatabaseServer } }
    if ($MachineSettings) { $registry["$script:ScomKeyForTests\Machine Settings"] = $MachineSettings }
    $script:FakeRegistry = $registry
}

function Get-FakeRegistryValues {
    param([string]$Path)
    if ($script:FakeRegistry.ContainsKey($Path)) { return $script:FakeRegistry[$Path] }
    return $null
}

function Get-FakeRegistrySubkeyNames {
    param([string]$Path)
    $prefix = "$Path\"
    return @($script:FakeRegistry.Keys | Where-Object { $_.StartsWith($prefix) -and -not $_.Substring($prefix.Length).Contains('\') } |
            ForEach-Object { $_.Substring($prefix.Length) } | Sort-Object)
}

function Use-FakeHostFixture {
    <#
    Loads a fixture (fixtures/*.json) into the fake registry and returns what the other mocks answer:
    the computer, the channel certificate (issued by -Issuer now), its key, the events.
    #>
    param([Parameter(Mandatory = $true)][string]$Name, [Parameter(Mandatory = $true)]$Issuer, [datetime]$Now = [datetime]::UtcNow)
    $fixture = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'fixtures' "$Name.json") | ConvertFrom-Json -AsHashtable
    $certificate = New-TestChannelCertificate -DnsName $fixture.channelCertificate.dnsName -Issuer $Issuer -SerialHex $fixture.channelCertificate.serialHex
    Use-FakeRegistry -Groups $fixture.groups -MachineSettings @{ ChannelCertificateSerialNumber = [byte[]]$certificate.GetSerialNumber() }
    $lastWrite = $Now.AddHours(-[int]($fixture.machineSettingsLastWrite -replace '^hours-ago:', ''))
    $events = foreach ($event in $fixture.events) {
        [pscustomobject]@{ Id = $event.Id; TimeCreated = $Now.AddHours(-$event.hoursAgo); Message = $event.Message; RecordId = $event.RecordId }
    }
    return [pscustomobject]@{
        Computer = [pscustomobject]$fixture.computer
        Certificate = $certificate
        Key = [pscustomobject]$fixture.key
        Events = @($events)
        LastWrite = $lastWrite
    }
}

function Register-FakeHostMocks {
    <#
    Every Windows read answered from the fake host: the registry table, and $script:Fake (what
    Use-FakeHostFixture returned) with $script:Root (the test CA) for the computer, stores, key and events.
    Called from a BeforeEach, so the mocks belong to that block as if written there.
    #>
    Mock Read-RegistryValues { Get-FakeRegistryValues $Path }
    Mock Read-RegistrySubkeyNames { Get-FakeRegistrySubkeyNames $Path }
    Mock Read-RegistryKeyLastWriteTime { $script:Fake.LastWrite }
    Mock Read-ComputerSystem { $script:Fake.Computer }
    Mock Read-StoreCertificates { @($script:Fake.Certificate) } -ParameterFilter { $StoreName -eq 'My' }
    Mock Read-StoreCertificates { @($script:Root) } -ParameterFilter { $StoreName -eq 'Root' }
    Mock Read-StoreCertificates { @() } -ParameterFilter { @('Operations Manager', 'CA', 'REQUEST') -contains $StoreName }
    Mock Read-CertificateKeyInfo { $script:Fake.Key }
    Mock Read-ConnectorEventRecords { $script:Fake.Events }
}
