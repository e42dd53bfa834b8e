# The collector's logic on real certificates, with the Windows-only reads (registry, certificate stores,
# key provider, event log, CIM, ACL) replaced by Mock. Sources are named where a test encodes a fact.
BeforeAll {
    $script:CollectorPath = Join-Path $PSScriptRoot '..' 'Collect-CertfleetReport.ps1'
    . $script:CollectorPath
    . (Join-Path $PSScriptRoot 'TestCertificates.ps1')
    . (Join-Path $PSScriptRoot 'FakeHost.ps1')
    $script:Root = New-TestRootCertificate
}

Describe 'Registry serial, exactly as MOMCertImport stores it' {
    # Source: the seed, "Import the certificate into Operations Manager": MOMCertImport writes a value
    # "that matches the serial number of the certificate imported, mirrored" (byte-reversed).
    It 'sends the REG_BINARY bytes in stored order, which is the serial byte-reversed' {
        $certificate = New-TestChannelCertificate -DnsName 'ms01.contoso.com' -Issuer $script:Root -SerialHex '1F00000008C694DAC94BCFDC4A000000000008'
        $stored = [byte[]]$certificate.GetSerialNumber()  # .NET's order: least significant byte first
        Mock Read-RegistryValues { @{ ChannelCertificateSerialNumber = $stored } } -ParameterFilter { $Path -like '*\Machine Settings' }
        Mock Read-RegistryKeyLastWriteTime { [datetime]'2026-11-20T08:00:00Z' }

        $registry = Get-ScomRegistryFacts

        $registry.channelCertificateSerialNumber | Should -Be '0800000000004ADCCF4BC9DA94C6080000001F'
        $registry.channelCertificateSerialNumber | Should -Be (ConvertTo-ReversedHex $certificate.SerialNumber)
        $registry.channelCertificateSerialNumber | Should -Not -Be $certificate.SerialNumber
        $registry.lastWriteTime | Should -Be '2026-11-20T08:00:00Z'
    }

    It 'names the certificate MOMCertImport would have imported (Get-MomCertImportSerial)' {
        $certificate = New-TestChannelCertificate -DnsName 'gw01.dmz.contoso.com' -Issuer $script:Root -SerialHex '610000000A1B2C3D'
        Get-MomCertImportSerial $certificate | Should -Be '3D2C1B0A00000061'
    }

    It 'keeps a serial whose first stored byte is zero (no number conversion drops it)' {
        Mock Read-RegistryValues { @{ ChannelCertificateSerialNumber = [byte[]](0x00, 0x00, 0x7F, 0x10) } } -ParameterFilter { $Path -like '*\Machine Settings' }
        Mock Read-RegistryKeyLastWriteTime { $null }
        (Get-ScomRegistryFacts).channelCertificateSerialNumber | Should -Be '00007F10'
    }

    It 'sends ChannelCertificateHash as upper-case hex, whether stored as a string or as bytes' {
        Mock Read-RegistryValues { @{ ChannelCertificateHash = 'ab:cd ef-01' } } -ParameterFilter { $Path -like '*\Machine Settings' }
        Mock Read-RegistryKeyLastWriteTime { $null }
        (Get-ScomRegistryFacts).channelCertificateHash | Should -Be 'ABCDEF01'
        ConvertTo-RegistryHex ([byte[]](0xAB, 0x01)) | Should -Be 'AB01'
    }

    It 'sends null for everything when the Machine Settings key does not exist' {
        Mock Read-RegistryValues { $null }
        $registry = Get-ScomRegistryFacts
        $registry.channelCertificateSerialNumber | Should -BeNullOrEmpty
        $registry.channelCertificateHash | Should -BeNullOrEmpty
        $registry.lastWriteTime | Should -BeNullOrEmpty
    }

    It 'still reports when the last write time cannot be read, with a warning' {
        Mock Read-RegistryValues { @{ ChannelCertificateSerialNumber = [byte[]](1, 2) } } -ParameterFilter { $Path -like '*\Machine Settings' }
        Mock Read-RegistryKeyLastWriteTime { throw 'access denied' }
        $output = @(Get-ScomRegistryFacts 3>&1)
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $registry = $output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }
        $registry.channelCertificateSerialNumber | Should -Be '0102'
        $registry.lastWriteTime | Should -BeNullOrEmpty
        "$warnings" | Should -Match 'access denied'
    }
}

Describe 'Role and management groups' {
    BeforeEach {
        Mock Read-RegistryValues { Get-FakeRegistryValues $Path }
        Mock Read-RegistrySubkeyNames { Get-FakeRegistrySubkeyNames $Path }
    }
    # Source: docs/collector-contract.md (contract 1.1): agents keep groups under "Agent Management
    # Groups", servers under "Server Management Groups", each with Parent Health Services\0\NetworkName.
    It 'reads every group of a multi-homed agent with its primary server' {
        Use-FakeRegistry -Groups @{
            'Agent Management Groups' = @{ 'MG-EAST' = 'ms01.contoso.com'; 'MG-WEST' = 'ms09.contoso.com' }
        }
        $facts = Get-ScomRoleFacts
        $facts.Role | Should -Be 'Agent'
        @($facts.ManagementGroups).Count | Should -Be 2
        $facts.ManagementGroups[0].name | Should -Be 'MG-EAST'
        $facts.ManagementGroups[0].primaryServer | Should -Be 'ms01.contoso.com'
        $facts.ManagementGroups[1].primaryServer | Should -Be 'ms09.contoso.com'
    }

    It 'calls a server without the operational database key a Gateway (inferred: a gateway only relays)' {
        Use-FakeRegistry -Groups @{ 'Server Management Groups' = @{ 'MG-PROD' = 'ms01.contoso.com' } }
        $facts = Get-ScomRoleFacts
        $facts.Role | Should -Be 'Gateway'
        $facts.ManagementGroups[0].primaryServer | Should -Be 'ms01.contoso.com'
    }

    It 'calls a server with the database connection key a Management Server' {
        Use-FakeRegistry -Groups @{ 'Server Management Groups' = @{ 'MG-PROD' = $null } } -DatabaseServer 'sql01.contoso.com'
        $facts = Get-ScomRoleFacts
        $facts.Role | Should -Be 'ManagementServer'
        $facts.ManagementGroups[0].name | Should -Be 'MG-PROD'
        $facts.ManagementGroups[0].primaryServer | Should -BeNullOrEmpty
    }

    It 'lets -Role override what the registry says' {
        Use-FakeRegistry -Groups @{ 'Server Management Groups' = @{ 'MG-PROD' = 'ms01.contoso.com' } }
        (Get-ScomRoleFacts -RoleOverride 'ManagementServer').Role | Should -Be 'ManagementServer'
    }

    It 'fails with a clear message on a host with no SCOM management group' {
        Use-FakeRegistry
        { Get-ScomRoleFacts } | Should -Throw '*No SCOM management group*-Role*'
    }

    It 'sends at most 16 groups (the contract limit)' {
        $many = @{}
        foreach ($i in 1..20) { $many["MG-$i"] = "ms$i.contoso.com" }
        Use-FakeRegistry -Groups @{ 'Agent Management Groups' = $many }
        @((Get-ScomRoleFacts).ManagementGroups).Count | Should -Be 16
    }
}

Describe 'Host identity' {
    It 'joins DNSHostName and Domain for a domain member, in lower case' {
        Mock Read-ComputerSystem { [pscustomobject]@{ DNSHostName = 'MS01'; Domain = 'Contoso.com'; PartOfDomain = $true; PrimaryDnsSuffix = $null } }
        $identity = Get-HostIdentity
        $identity.Fqdn | Should -Be 'ms01.contoso.com'
        $identity.DnsHostName | Should -Be 'ms01.contoso.com'
        $identity.DomainJoined | Should -BeTrue
    }

    It 'keeps a workgroup host single-label as dnsHostName, and uses its primary DNS suffix for fqdn' {
        Mock Read-ComputerSystem { [pscustomobject]@{ DNSHostName = 'GW01'; Domain = 'WORKGROUP'; PartOfDomain = $false; PrimaryDnsSuffix = 'dmz.contoso.com' } }
        $identity = Get-HostIdentity
        $identity.DnsHostName | Should -Be 'gw01'
        $identity.Fqdn | Should -Be 'gw01.dmz.contoso.com'
        $identity.DomainJoined | Should -BeFalse
    }
}

Describe 'Key provider classification' {
    # Source: the seed: "Cryptography API Key Storage Provider (KSP) isn't supported for Operations Manager
    # certificates"; KeySpec=1 (AT_KEYEXCHANGE) in the request .inf.
    It 'calls a CAPI key (CspKeyContainerInfo, provider type 12) a CSP with KeySpec 1 for Exchange' {
        $facts = ConvertTo-KeyFacts ([pscustomobject]@{ Api = 'CAPI'; ProviderName = 'Microsoft RSA SChannel Cryptographic Provider'; ProviderType = 12; KeyNumber = 'Exchange'; Exportable = $true; MachineKeyStore = $true })
        $facts.keyProviderType | Should -Be 'CSP'
        $facts.keyProvider | Should -Be 'Microsoft RSA SChannel Cryptographic Provider'
        $facts.keySpec | Should -Be 1
        $facts.keyExportable | Should -BeTrue
        $facts.machineKeySet | Should -BeTrue
    }

    It 'reports KeySpec 2 for a CAPI signature key' {
        (ConvertTo-KeyFacts ([pscustomobject]@{ Api = 'CAPI'; ProviderName = 'Microsoft Enhanced Cryptographic Provider v1.0'; ProviderType = 1; KeyNumber = 'Signature'; Exportable = $false; MachineKeyStore = $true })).keySpec | Should -Be 2
    }

    It 'calls a CNG key a KSP, with no KeySpec' {
        $facts = ConvertTo-KeyFacts ([pscustomobject]@{ Api = 'CNG'; ProviderName = 'Microsoft Software Key Storage Provider'; ProviderType = 0; KeyNumber = $null; Exportable = $false; MachineKeyStore = $true })
        $facts.keyProviderType | Should -Be 'KSP'
        $facts.keySpec | Should -BeNullOrEmpty
        $facts.keyExportable | Should -BeFalse
    }

    It 'leaves exportable unknown (null) when the key could not be opened, rather than claiming not exportable' {
        $facts = ConvertTo-KeyFacts ([pscustomobject]@{ Api = 'CAPI'; ProviderName = 'Microsoft RSA SChannel Cryptographic Provider'; ProviderType = 12; KeyNumber = 'Exchange'; Exportable = $null; MachineKeyStore = $true })
        $facts.keyProviderType | Should -Be 'CSP'
        $facts.keyExportable | Should -BeNullOrEmpty
    }

    It 'leaves every key field null when there is no key or it could not be read' {
        $facts = ConvertTo-KeyFacts $null
        $facts.keyProvider | Should -BeNullOrEmpty
        $facts.keyProviderType | Should -BeNullOrEmpty
        (ConvertTo-KeyFacts ([pscustomobject]@{ Api = 'Unknown'; Error = 'x' })).keyProviderType | Should -BeNullOrEmpty
    }
}

Describe 'Chain status' {
    It 'reports the host chain of a self-signed certificate as untrusted, from a real X509Chain' {
        $result = Get-ChainResult -Certificate $script:Root
        $result.hostChainValid | Should -BeFalse
        $result.hostChainStatus | Should -Contain 'UntrustedRoot'
    }

    It 'checks revocation offline when online could not answer' {
        $certificate = New-TestChannelCertificate -DnsName 'ms01.contoso.com' -Issuer $script:Root
        Mock Invoke-ChainBuild { [pscustomobject]@{ Valid = $false; Status = @('RevocationStatusUnknown', 'OfflineRevocation') } } -ParameterFilter { $Mode -eq 'Online' }
        Mock Invoke-ChainBuild { [pscustomobject]@{ Valid = $true; Status = @() } } -ParameterFilter { $Mode -eq 'Offline' }
        $result = Get-ChainResult -Certificate $certificate
        $result.hostChainValid | Should -BeTrue
        @($result.hostChainStatus).Count | Should -Be 0
        Should -Invoke Invoke-ChainBuild -Times 1 -Exactly -ParameterFilter { $Mode -eq 'Offline' }
    }

    It 'does not rebuild offline when online answered' {
        $certificate = New-TestChannelCertificate -DnsName 'ms01.contoso.com' -Issuer $script:Root
        Mock Invoke-ChainBuild { [pscustomobject]@{ Valid = $false; Status = @('Revoked') } }
        (Get-ChainResult -Certificate $certificate).hostChainStatus | Should -Be @('Revoked')
        Should -Invoke Invoke-ChainBuild -Times 0 -Exactly -ParameterFilter { $Mode -eq 'Offline' }
    }
}

Describe 'Candidate certificates' {
    It 'sends the public DER only, never the private key the certificate object holds' {
        $certificate = New-TestChannelCertificate -DnsName 'ms01.contoso.com' -Issuer $script:Root
        $certificate.HasPrivateKey | Should -BeTrue
        Mock Read-CertificateKeyInfo { $null }
        $candidate = ConvertTo-CandidateCertificate -Certificate $certificate -Store 'LocalMachine\My'
        $candidate.hasPrivateKey | Should -BeTrue
        $decoded = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($candidate.der))
        $decoded.Thumbprint | Should -Be $certificate.Thumbprint
        $decoded.HasPrivateKey | Should -BeFalse
        $pkcs8 = [Convert]::ToBase64String([System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate).ExportPkcs8PrivateKey())
        (ConvertTo-ReportJson $candidate) | Should -Not -Match ([regex]::Escape($pkcs8.Substring(0, 64)))
    }

    It 'reads My and the Operations Manager store, and names the store of each' {
        $inMy = New-TestChannelCertificate -DnsName 'ms01.contoso.com' -Issuer $script:Root -SerialHex '01'
        $inOpsMgr = New-TestChannelCertificate -DnsName 'gw01.contoso.com' -Issuer $script:Root -SerialHex '02'
        Mock Read-StoreCertificates { @($inMy) } -ParameterFilter { $StoreName -eq 'My' }
        Mock Read-StoreCertificates { @($inOpsMgr) } -ParameterFilter { $StoreName -eq 'Operations Manager' }
        Mock Read-CertificateKeyInfo { $null }
        $candidates = @(Get-CandidateCertificates)
        @($candidates).Count | Should -Be 2
        ($candidates | Where-Object { $_.store -eq 'LocalMachine\Operations Manager' }).der | Should -Be ([Convert]::ToBase64String($inOpsMgr.RawData))
    }

    It 'keeps the registry-named certificate first when the store holds more than 64' {
        $entries = foreach ($i in 1..70) {
            [pscustomobject]@{ Certificate = (New-TestChannelCertificate -DnsName "h$i.contoso.com" -Issuer $script:Root -SerialHex ('{0:X4}' -f (0x1000 + $i)) -PublicOnly -ValidDays (100 + $i)); Store = 'LocalMachine\My' }
        }
        $bound = $entries[3].Certificate
        $selected = @(Select-CandidateCertificates -Entries $entries -RegistrySerial (Get-MomCertImportSerial $bound) 3>$null)
        @($selected).Count | Should -Be 64
        $selected[0].Certificate.Thumbprint | Should -Be $bound.Thumbprint
        # then newest expiry first
        $selected[1].Certificate.NotAfter | Should -BeGreaterOrEqual $selected[2].Certificate.NotAfter
    }
}

Describe 'Trusted certificates and pending requests' {
    It 'names roots and intermediates by thumbprint and subject, and pending requests with their creation time' {
        $request = New-TestChannelCertificate -DnsName 'agent11.contoso.com' -Issuer $script:Root -PublicOnly
        Mock Read-StoreCertificates { @($script:Root) } -ParameterFilter { $StoreName -eq 'Root' }
        Mock Read-StoreCertificates { @() } -ParameterFilter { $StoreName -eq 'CA' }
        Mock Read-StoreCertificates { @($request) } -ParameterFilter { $StoreName -eq 'REQUEST' }
        $trusted = Get-TrustedCertificates
        $trusted.roots[0].thumbprint | Should -Be $script:Root.Thumbprint
        $trusted.roots[0].subject | Should -Be 'CN=Certfleet Test Root CA'
        @($trusted.intermediates).Count | Should -Be 0
        $pending = @(Get-PendingRequests)
        $pending[0].subject | Should -Be 'CN=agent11.contoso.com'
        $pending[0].createdAt | Should -Be (ConvertTo-Rfc3339 $request.NotBefore)
    }
}

Describe 'Connector events' {
    It 'sends id, UTC time, message and record id, newest first, for the last N days' {
        $now = [datetime]'2026-11-24T10:00:00Z'
        Mock Read-ConnectorEventRecords {
            @(
                [pscustomobject]@{ Id = 20053; TimeCreated = [datetime]'2026-11-24T09:00:00Z'; Message = 'loaded'; RecordId = 4711 },
                [pscustomobject]@{ Id = 20071; TimeCreated = [datetime]'2026-11-24T09:00:00Z'; Message = 'auth failed'; RecordId = 4712 },
                [pscustomobject]@{ Id = 21036; TimeCreated = [datetime]'2026-11-23T09:00:00Z'; Message = ('x' * 9000); RecordId = 4000 }
            )
        }
        $events = @(Get-ConnectorEvents -Days 3 -Now $now)
        Should -Invoke Read-ConnectorEventRecords -ParameterFilter { $Since -eq $now.AddDays(-3) }
        $events.Count | Should -Be 3
        $events[0].recordId | Should -Be 4712  # same second: the log's order decides
        $events[1].id | Should -Be 20053
        $events[1].time | Should -Be '2026-11-24T09:00:00Z'
        $events[2].message.Length | Should -Be 8192
    }
}
