<#
.SYNOPSIS
    Reads this host's SCOM channel certificate facts and sends them to certfleet (report contract 1.1).

.DESCRIPTION
    Runs on Management Servers, Gateways and Agents, under Windows PowerShell 5.1 or PowerShell 7, with
    no modules to install. It reads (docs/collector.md lists every key, store and log):
      - the Machine Settings registry key (ChannelCertificateSerialNumber, exactly as MOMCertImport stored
        it, byte-reversed; ChannelCertificateHash; the key's last write time),
      - the role and every management group with its primary server,
      - the certificates in LocalMachine\My and the "Operations Manager" store (public part only, and what
        Windows knows about each key: provider, CSP or KSP, KeySpec, exportable, machine key set, chain),
      - trusted roots and intermediates, pending requests (LocalMachine\REQUEST),
      - the OpsMgr Connector events of the last -EventDays days.
    It never reads, exports or sends private key material.

    Then it posts the report over HTTPS (TLS 1.2 or later, through the system proxy) with retries, or writes
    it to -OutFile for a host that cannot reach certfleet (submit the files later with `certfleet submit`).

.PARAMETER Url
    certfleet's base address, e.g. https://certfleet.contoso.com. Plain http is refused except on loopback.

.PARAMETER TokenFile
    File holding the collector token (default %ProgramData%\certfleet\collector.token). Make it readable by SYSTEM and Administrators only (docs/collector.md).

.PARAMETER OutFile
    Write the report to this file instead of posting it.

.PARAMETER Role
    ManagementServer, Gateway or Agent; overrides what the registry says.

.PARAMETER EventDays
    How many days of OpsMgr Connector events to send (default 7).

.PARAMETER MaxAttempts
    Attempts to post before giving up (default 5).

.EXAMPLE
    .\Collect-CertfleetReport.ps1 -Url https://certfleet.contoso.com -TokenFile C:\ProgramData\certfleet\collector.token

.EXAMPLE
    .\Collect-CertfleetReport.ps1 -OutFile D:\reports\gw01.json -WhatIf -Verbose
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Url,
    [string]$TokenFile,
    [string]$OutFile,
    [ValidateSet('ManagementServer', 'Gateway', 'Agent')]
    [string]$Role,
    [ValidateRange(1, 90)]
    [int]$EventDays = 7,
    [ValidateRange(1, 20)]
    [int]$MaxAttempts = 5
)

Set-StrictMode -Version 2.0

$script:CollectorVersion = '1.1.0'
$script:ScomKey = 'HKLM:\SOFTWARE\Microsoft\Microsoft Operations Manager\3.0'
$script:MachineSettingsKey = "$script:ScomKey\Machine Settings"
# A management server talks to the operational database; a gateway never does (it only relays).
$script:DatabaseKey = 'HKLM:\SOFTWARE\Microsoft\System Center\2010\Common\Database'
$script:ConnectorLog = 'Operations Manager'
$script:ConnectorSource = 'OpsMgr Connector'
# Contract limits (packages/contracts/src/report.ts): sending more would get the whole report refused.
$script:Limits = @{ Certificates = 64; Events = 1000; Message = 8192; Trusted = 1024; Pending = 64; Groups = 16 }

#region Windows-only reads (each small, so tests replace them with Mock)

function Read-RegistryValues {
    <# The values of one registry key as a hashtable, or $null when the key does not exist. #>
    param([Parameter(Mandatory = $true)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $item = Get-ItemProperty -LiteralPath $Path
    $values = @{}
    foreach ($property in $item.PSObject.Properties) {
        if ($property.Name -notlike 'PS*') { $values[$property.Name] = $property.Value }
    }
    return $values
}

function Read-RegistrySubkeyNames {
    <# The names of a key's subkeys (empty when the key does not exist). #>
    param([Parameter(Mandatory = $true)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    return @(Get-ChildItem -LiteralPath $Path | ForEach-Object { $_.PSChildName })
}

# Win32 reads .NET has no API for, compiled on first use (C# 5, as Windows PowerShell 5.1's Add-Type takes).
$script:NativeSource = @'
using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
namespace Certfleet {
    public static class RegistryInfo {
        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        static extern int RegQueryInfoKey(SafeRegistryHandle hKey, IntPtr lpClass, IntPtr lpcClass, IntPtr lpReserved,
            IntPtr lpcSubKeys, IntPtr lpcMaxSubKeyLen, IntPtr lpcMaxClassLen, IntPtr lpcValues,
            IntPtr lpcMaxValueNameLen, IntPtr lpcMaxValueLen, IntPtr lpcbSecurityDescriptor, out long lpftLastWriteTime);
        public static DateTime LastWriteTimeUtc(Microsoft.Win32.RegistryKey key) {
            long fileTime;
            int status = RegQueryInfoKey(key.Handle, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero,
                IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, out fileTime);
            if (status != 0) throw new System.ComponentModel.Win32Exception(status);
            return DateTime.FromFileTimeUtc(fileTime);
        }
    }
    public class KeyProviderInfo {
        public string Container;
        public string Provider;
        public int ProviderType;
        public int Flags;
        public int KeySpec;
    }
    public static class CertificateKeyInfo {
        const int CERT_KEY_PROV_INFO_PROP_ID = 2;
        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
        struct CRYPT_KEY_PROV_INFO {
            public string pwszContainerName;
            public string pwszProvName;
            public int dwProvType;
            public int dwFlags;
            public int cProvParam;
            public IntPtr rgProvParam;
            public int dwKeySpec;
        }
        [DllImport("crypt32.dll", SetLastError = true)]
        static extern bool CertGetCertificateContextProperty(IntPtr pCertContext, int dwPropId, IntPtr pvData, ref int pcbData);
        // The certificate's CERT_KEY_PROV_INFO: where its key lives, read without opening the key. Null without one.
        public static KeyProviderInfo Read(IntPtr certContext) {
            int size = 0;
            if (!CertGetCertificateContextProperty(certContext, CERT_KEY_PROV_INFO_PROP_ID, IntPtr.Zero, ref size)) return null;
            IntPtr buffer = Marshal.AllocHGlobal(size);
            try {
                if (!CertGetCertificateContextProperty(certContext, CERT_KEY_PROV_INFO_PROP_ID, buffer, ref size)) return null;
                CRYPT_KEY_PROV_INFO info = (CRYPT_KEY_PROV_INFO)Marshal.PtrToStructure(buffer, typeof(CRYPT_KEY_PROV_INFO));
                KeyProviderInfo result = new KeyProviderInfo();
                result.Container = info.pwszContainerName;
                result.Provider = info.pwszProvName;
                result.ProviderType = info.dwProvType;
                result.Flags = info.dwFlags;
                result.KeySpec = info.dwKeySpec;
                return result;
            } finally {
                Marshal.FreeHGlobal(buffer);
            }
        }
    }
}
'@

function Import-CertfleetNative {
    if (-not ('Certfleet.CertificateKeyInfo' -as [type])) { Add-Type -TypeDefinition $script:NativeSource }
}

function Read-RegistryKeyLastWriteTime {
    <# A key's last write time (RegQueryInfoKey; Windows keeps it per key, not per value), or $null. #>
    param([Parameter(Mandatory = $true)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    Import-CertfleetNative
    $subPath = $Path -replace '^HKLM:\\', ''
    $key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($subPath, $false)
    try { return [Certfleet.RegistryInfo]::LastWriteTimeUtc($key) } finally { $key.Dispose() }
}

function Read-StoreCertificates {
    <# The certificates of a LocalMachine store (empty when the store does not exist). #>
    param([Parameter(Mandatory = $true)][string]$StoreName)
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store(
        $StoreName, [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
    try {
        $flags = [System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly'
        try { $store.Open($flags) } catch { Write-Verbose "Store LocalMachine\$StoreName not found"; return @() }
        return @($store.Certificates)
    } finally { $store.Close() }
}

function Read-CertificateKeyInfo {
    <#
    Where the certificate's private key lives and what Windows says about it, without exporting it.
    CERT_KEY_PROV_INFO (read from the certificate, not the key) names the provider: provider type 0 is a
    CNG Key Storage Provider, anything else a CAPI CSP. GetRSAPrivateKey() cannot tell: on .NET Framework
    it opens CSP keys through CNG too. Exportable then comes from CspKeyContainerInfo (CSP) or the CngKey's
    export policy (KSP). $null when the certificate has no private key.
    #>
    param([Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate)
    if (-not $Certificate.HasPrivateKey) { return $null }
    Import-CertfleetNative
    $provider = [Certfleet.CertificateKeyInfo]::Read($Certificate.Handle)
    if ($null -eq $provider) { return [pscustomobject]@{ Api = 'Unknown'; Error = 'no key provider information on the certificate' } }
    $machine = ($provider.Flags -band 0x20) -ne 0  # CRYPT_MACHINE_KEYSET
    $keyNumber = $null
    if ($provider.KeySpec -eq 1) { $keyNumber = 'Exchange' } elseif ($provider.KeySpec -eq 2) { $keyNumber = 'Signature' }
    $exportable = $null
    if ($provider.ProviderType -ne 0) {
        try {
            $parameters = New-Object System.Security.Cryptography.CspParameters($provider.ProviderType, $provider.Provider, $provider.Container)
            $parameters.KeyNumber = $provider.KeySpec
            $parameters.Flags = [System.Security.Cryptography.CspProviderFlags]::UseExistingKey
            if ($machine) { $parameters.Flags = $parameters.Flags -bor [System.Security.Cryptography.CspProviderFlags]::UseMachineKeyStore }
            $exportable = (New-Object System.Security.Cryptography.CspKeyContainerInfo($parameters)).Exportable
        } catch { Write-Verbose "Could not open the CSP key of $($Certificate.Thumbprint): $($_.Exception.Message)" }
        return [pscustomobject]@{
            Api = 'CAPI'; ProviderName = $provider.Provider; ProviderType = $provider.ProviderType
            KeyNumber = $keyNumber; Exportable = $exportable; MachineKeyStore = $machine
        }
    }
    try {
        $options = [System.Security.Cryptography.CngKeyOpenOptions]::None
        if ($machine) { $options = [System.Security.Cryptography.CngKeyOpenOptions]::MachineKey }
        $key = [System.Security.Cryptography.CngKey]::Open($provider.Container, (New-Object System.Security.Cryptography.CngProvider($provider.Provider)), $options)
        try {
            $policy = $key.ExportPolicy
            $exportable = (($policy -band [System.Security.Cryptography.CngExportPolicies]::AllowExport) -ne 0) -or
            (($policy -band [System.Security.Cryptography.CngExportPolicies]::AllowPlaintextExport) -ne 0)
            $machine = $key.IsMachineKey
        } finally { $key.Dispose() }
    } catch { Write-Verbose "Could not open the CNG key of $($Certificate.Thumbprint): $($_.Exception.Message)" }
    return [pscustomobject]@{
        Api = 'CNG'; ProviderName = $provider.Provider; ProviderType = 0
        KeyNumber = $null; Exportable = $exportable; MachineKeyStore = $machine
    }
}

function Read-ConnectorEventRecords {
    <# OpsMgr Connector events of the Operations Manager log since $Since (empty when none or no log). #>
    param([Parameter(Mandatory = $true)][datetime]$Since)
    $filter = @{ LogName = $script:ConnectorLog; ProviderName = $script:ConnectorSource; StartTime = $Since }
    try {
        return @(Get-WinEvent -FilterHashtable $filter -ErrorAction Stop)
    } catch {
        if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { return @() }
        Write-Warning "Could not read the '$($script:ConnectorLog)' log: $($_.Exception.Message)"
        return @()
    }
}

function Read-ComputerSystem {
    <# Win32_ComputerSystem's names, and the primary DNS suffix a workgroup host may still have. #>
    $system = Get-CimInstance -ClassName Win32_ComputerSystem
    $tcpip = Read-RegistryValues -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters'
    $suffix = $null
    if ($null -ne $tcpip -and $tcpip.ContainsKey('NV Domain')) { $suffix = $tcpip['NV Domain'] }
    return [pscustomobject]@{
        DNSHostName = $system.DNSHostName; Domain = $system.Domain; PartOfDomain = [bool]$system.PartOfDomain
        PrimaryDnsSuffix = $suffix
    }
}

function Read-TokenFileReaders {
    <# Identities (SIDs) that may read the token file, from its ACL. #>
    param([Parameter(Mandatory = $true)][string]$Path)
    $acl = Get-Acl -LiteralPath $Path
    $readers = foreach ($rule in $acl.Access) {
        $reads = $rule.FileSystemRights -band [System.Security.AccessControl.FileSystemRights]::ReadData
        if ($rule.AccessControlType -eq 'Allow' -and $reads) {
            try { $rule.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value }
            catch { [string]$rule.IdentityReference }
        }
    }
    return @($readers)
}

#endregion

#region Building the report (plain .NET, runs anywhere)

function ConvertTo-HexString {
    <# Upper-case hex of bytes in the order given: for the registry serial, exactly as stored. #>
    param([byte[]]$Bytes)
    if ($null -eq $Bytes -or $Bytes.Length -eq 0) { return $null }
    return (($Bytes | ForEach-Object { $_.ToString('X2') }) -join '')
}

function Get-MomCertImportSerial {
    <#
    The hex MOMCertImport writes for a certificate: its serial number byte-reversed (the seed, "Import the
    certificate into Operations Manager": the registry value "matches the serial number ... mirrored").
    X509Certificate.GetSerialNumber() already returns the bytes least significant first, which is that order.
    #>
    param([Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate)
    return ConvertTo-HexString -Bytes $Certificate.GetSerialNumber()
}

function ConvertTo-RegistryHex {
    <# A registry value as hex: REG_BINARY as stored, a string (REG_SZ thumbprint) without separators. #>
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [byte[]]) { return ConvertTo-HexString -Bytes $Value }
    $text = ([string]$Value) -replace '[\s:-]', ''
    if ($text -eq '') { return $null }
    return $text.ToUpperInvariant()
}

function ConvertTo-Rfc3339 {
    param($Time)
    if ($null -eq $Time) { return $null }
    return ([datetime]$Time).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
}

function Get-ScomRegistryFacts {
    <# The Machine Settings key: the serial exactly as MOMCertImport stored it, the hash, the key's last write. #>
    $values = Read-RegistryValues -Path $script:MachineSettingsKey
    if ($null -eq $values) {
        Write-Verbose "No '$($script:MachineSettingsKey)' key: no certificate imported with MOMCertImport"
        return [ordered]@{ channelCertificateSerialNumber = $null; channelCertificateHash = $null; lastWriteTime = $null }
    }
    $serial = $null; $hash = $null
    if ($values.ContainsKey('ChannelCertificateSerialNumber')) { $serial = ConvertTo-RegistryHex $values['ChannelCertificateSerialNumber'] }
    if ($values.ContainsKey('ChannelCertificateHash')) { $hash = ConvertTo-RegistryHex $values['ChannelCertificateHash'] }
    $lastWrite = $null
    try { $lastWrite = ConvertTo-Rfc3339 (Read-RegistryKeyLastWriteTime -Path $script:MachineSettingsKey) }
    catch { Write-Warning "Could not read the last write time of Machine Settings: $($_.Exception.Message)" }
    Write-Verbose "Registry serial: $serial, hash: $hash, key written $lastWrite"
    return [ordered]@{ channelCertificateSerialNumber = $serial; channelCertificateHash = $hash; lastWriteTime = $lastWrite }
}

function Get-ManagementGroups {
    <# Every management group under the given parent key, each with Parent Health Services\0\NetworkName. #>
    param([Parameter(Mandatory = $true)][string]$GroupsKey)
    $groups = New-Object System.Collections.Generic.List[object]
    foreach ($name in (Read-RegistrySubkeyNames -Path $GroupsKey)) {
        if ($groups.Count -ge $script:Limits.Groups) { break }
        $parent = Read-RegistryValues -Path "$GroupsKey\$name\Parent Health Services\0"
        $primary = $null
        if ($null -ne $parent -and $parent.ContainsKey('NetworkName') -and $parent['NetworkName']) { $primary = [string]$parent['NetworkName'] }
        $groups.Add([ordered]@{ name = $name; primaryServer = $primary })
    }
    return $groups.ToArray()
}

function Get-ScomRoleFacts {
    <#
    The role and management groups. A server (Management Server or Gateway) keeps its groups under
    "Server Management Groups", an agent under "Agent Management Groups". A Management Server has the
    operational database's connection key; a gateway never talks to a database. -Role overrides.
    #>
    param([string]$RoleOverride)
    $serverGroups = @(Get-ManagementGroups -GroupsKey "$script:ScomKey\Server Management Groups")
    $agentGroups = @(Get-ManagementGroups -GroupsKey "$script:ScomKey\Agent Management Groups")
    $detected = $null
    if ($serverGroups.Count -gt 0) {
        $database = Read-RegistryValues -Path $script:DatabaseKey
        if ($null -ne $database -and $database.ContainsKey('DatabaseServerName')) { $detected = 'ManagementServer' } else { $detected = 'Gateway' }
    } elseif ($agentGroups.Count -gt 0) {
        $detected = 'Agent'
    }
    $role = $detected
    if ($RoleOverride) { $role = $RoleOverride }
    if (-not $role) {
        throw ('No SCOM management group in the registry (neither Server nor Agent Management Groups): is this a SCOM host? Pass -Role to report it anyway.')
    }
    if ($RoleOverride -and $detected -and $RoleOverride -ne $detected) { Write-Verbose "Role $RoleOverride (-Role) instead of the detected $detected" }
    $groups = $agentGroups
    if ($role -ne 'Agent') { $groups = $serverGroups }
    # Functions unroll arrays: callers wrap every list they get in @().
    if ($groups.Count -eq 0) { $groups = @($serverGroups) + @($agentGroups) }
    Write-Verbose ("Role {0}; management groups: {1}" -f $role, (($groups | ForEach-Object { $_.name }) -join ', '))
    return [ordered]@{ Role = $role; ManagementGroups = $groups }
}

function Get-HostIdentity {
    <#
    The host's names. dnsHostName is what the computer calls itself (DNSHostName.Domain in a domain, the
    single label in a workgroup); fqdn adds a workgroup host's primary DNS suffix when it has one.
    #>
    $system = Read-ComputerSystem
    $shortName = ([string]$system.DNSHostName).ToLowerInvariant()
    $dnsHostName = $shortName
    if ($system.PartOfDomain -and $system.Domain) { $dnsHostName = "$shortName.$(([string]$system.Domain).ToLowerInvariant())" }
    $fqdn = $dnsHostName
    if (-not $system.PartOfDomain -and $system.PrimaryDnsSuffix) { $fqdn = "$shortName.$(([string]$system.PrimaryDnsSuffix).ToLowerInvariant())" }
    return [ordered]@{ Fqdn = $fqdn; DnsHostName = $dnsHostName; DomainJoined = [bool]$system.PartOfDomain }
}

function ConvertTo-KeyFacts {
    <#
    Classifies a key from Read-CertificateKeyInfo: CAPI keys (CspKeyContainerInfo, provider type > 0) are
    CSP, which SCOM supports; CNG keys (provider type 0) are KSP, which it does not (the seed).
    KeySpec: CspKeyContainerInfo.KeyNumber Exchange = 1 (AT_KEYEXCHANGE), Signature = 2; a CNG key has none.
    #>
    param($KeyInfo)
    $facts = [ordered]@{ keyProvider = $null; keyProviderType = $null; keySpec = $null; keyExportable = $null; machineKeySet = $null }
    if ($null -eq $KeyInfo -or $KeyInfo.Api -eq 'Unknown') { return $facts }
    $facts.keyProvider = [string]$KeyInfo.ProviderName
    if ($KeyInfo.Api -eq 'CAPI' -and [int]$KeyInfo.ProviderType -gt 0) { $facts.keyProviderType = 'CSP' } else { $facts.keyProviderType = 'KSP' }
    switch ([string]$KeyInfo.KeyNumber) {
        'Exchange' { $facts.keySpec = 1 }
        'Signature' { $facts.keySpec = 2 }
    }
    # Unknown stays null: "not exportable" is a claim the key rules would act on.
    if ($null -ne $KeyInfo.Exportable) { $facts.keyExportable = [bool]$KeyInfo.Exportable }
    if ($null -ne $KeyInfo.MachineKeyStore) { $facts.machineKeySet = [bool]$KeyInfo.MachineKeyStore }
    return $facts
}

function Invoke-ChainBuild {
    <# One X509Chain build with the given revocation mode: whether it is valid and its distinct status flags. #>
    param(
        [Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate,
        [Parameter(Mandatory = $true)][ValidateSet('Online', 'Offline')][string]$Mode
    )
    $chain = New-Object System.Security.Cryptography.X509Certificates.X509Chain
    try {
        $chain.ChainPolicy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]$Mode
        $chain.ChainPolicy.RevocationFlag = [System.Security.Cryptography.X509Certificates.X509RevocationFlag]::ExcludeRoot
        $chain.ChainPolicy.UrlRetrievalTimeout = [timespan]::FromSeconds(15)
        $valid = $chain.Build($Certificate)
        $statuses = @($chain.ChainStatus | ForEach-Object { [string]$_.Status } | Sort-Object -Unique)
        return [pscustomobject]@{ Valid = [bool]$valid; Status = $statuses }
    } finally { $chain.Dispose() }
}

function Get-ChainResult {
    <#
    The host's own chain build, revocation checked online; when online could not answer (no CRL or OCSP
    reachable: RevocationStatusUnknown, OfflineRevocation), again offline from the cached CRLs.
    #>
    param([Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate)
    $unansweredFlags = @('RevocationStatusUnknown', 'OfflineRevocation')
    $build = Invoke-ChainBuild -Certificate $Certificate -Mode Online
    $unanswered = @($build.Status | Where-Object { $unansweredFlags -contains $_ })
    if ($unanswered.Count -gt 0) {
        Write-Verbose "Revocation of $($Certificate.Thumbprint) not answered online ($($unanswered -join ', ')); checking offline"
        $build = Invoke-ChainBuild -Certificate $Certificate -Mode Offline
    }
    return [ordered]@{ hostChainValid = $build.Valid; hostChainStatus = @($build.Status) }
}

function ConvertTo-CandidateCertificate {
    <# One certificate in the report: the PUBLIC DER only (RawData never holds the key) and its key facts. #>
    param(
        [Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate,
        [Parameter(Mandatory = $true)][string]$Store
    )
    $keyFacts = ConvertTo-KeyFacts (Read-CertificateKeyInfo -Certificate $Certificate)
    $chain = Get-ChainResult -Certificate $Certificate
    return [ordered]@{
        der = [Convert]::ToBase64String($Certificate.RawData)
        hasPrivateKey = [bool]$Certificate.HasPrivateKey
        keyProvider = $keyFacts.keyProvider
        keyProviderType = $keyFacts.keyProviderType
        keySpec = $keyFacts.keySpec
        keyExportable = $keyFacts.keyExportable
        hostChainValid = $chain.hostChainValid
        hostChainStatus = @($chain.hostChainStatus | Select-Object -First 32)
        store = $Store
        machineKeySet = $keyFacts.machineKeySet
    }
}

function Select-CandidateCertificates {
    <#
    At most the contract's 64 certificates: the one the registry names first, then those with a private
    key, newest expiry first. A store with more is rare, but sending more would refuse the whole report.
    #>
    param([object[]]$Entries, [string]$RegistrySerial)
    $ranked = @($Entries | Sort-Object -Property `
        @{ Expression = { $RegistrySerial -and (Get-MomCertImportSerial $_.Certificate) -eq $RegistrySerial }; Descending = $true },
        @{ Expression = { $_.Certificate.HasPrivateKey }; Descending = $true },
        @{ Expression = { $_.Certificate.NotAfter }; Descending = $true })
    if ($ranked.Count -gt $script:Limits.Certificates) {
        Write-Warning "$($ranked.Count) certificates found; sending the $($script:Limits.Certificates) most likely channel certificates"
    }
    return @($ranked | Select-Object -First $script:Limits.Certificates)
}

function Get-CandidateCertificates {
    param([string]$RegistrySerial)
    $entries = New-Object System.Collections.Generic.List[object]
    $seen = @{}
    foreach ($storeName in @('My', 'Operations Manager')) {
        foreach ($certificate in (Read-StoreCertificates -StoreName $storeName)) {
            $key = "$storeName|$($certificate.Thumbprint)"
            if ($seen.ContainsKey($key)) { continue }
            $seen[$key] = $true
            $entries.Add([pscustomobject]@{ Certificate = $certificate; Store = "LocalMachine\$storeName" })
        }
    }
    $selected = @(Select-CandidateCertificates -Entries $entries.ToArray() -RegistrySerial $RegistrySerial)
    $candidates = New-Object System.Collections.Generic.List[object]
    foreach ($entry in $selected) {
        $candidates.Add((ConvertTo-CandidateCertificate -Certificate $entry.Certificate -Store $entry.Store))
    }
    Write-Verbose "$($candidates.Count) candidate certificate(s)"
    return $candidates.ToArray()
}

function ConvertTo-NamedCertificate {
    param($Certificate)
    return [ordered]@{ thumbprint = $Certificate.Thumbprint.ToUpperInvariant(); subject = [string]$Certificate.Subject }
}

function Get-TrustedCertificates {
    $roots = @(Read-StoreCertificates -StoreName 'Root' | Select-Object -First $script:Limits.Trusted | ForEach-Object { ConvertTo-NamedCertificate $_ })
    $intermediates = @(Read-StoreCertificates -StoreName 'CA' | Select-Object -First $script:Limits.Trusted | ForEach-Object { ConvertTo-NamedCertificate $_ })
    return [ordered]@{ roots = $roots; intermediates = $intermediates }
}

function Get-PendingRequests {
    <# CertReq -New leaves a placeholder certificate in REQUEST until -Accept; its NotBefore is when it was made. #>
    $pending = @(Read-StoreCertificates -StoreName 'REQUEST' | Select-Object -First $script:Limits.Pending | ForEach-Object {
            $named = ConvertTo-NamedCertificate $_
            $named.createdAt = ConvertTo-Rfc3339 $_.NotBefore
            $named
        })
    return $pending
}

function Get-ConnectorEvents {
    <# OpsMgr Connector events of the last $Days days, newest first, at most the contract's 1,000. #>
    param([int]$Days, [datetime]$Now)
    $records = @(Read-ConnectorEventRecords -Since $Now.AddDays(-$Days) | Sort-Object -Property @{ Expression = { $_.TimeCreated }; Descending = $true }, @{ Expression = { $_.RecordId }; Descending = $true })
    $events = New-Object System.Collections.Generic.List[object]
    foreach ($record in ($records | Select-Object -First $script:Limits.Events)) {
        $message = $null
        try { $message = [string]$record.Message } catch { $message = $null }
        if ($message -and $message.Length -gt $script:Limits.Message) { $message = $message.Substring(0, $script:Limits.Message) }
        $recordId = $null
        if ($null -ne $record.RecordId) { $recordId = [long]$record.RecordId }
        $events.Add([ordered]@{ id = [int]$record.Id; time = ConvertTo-Rfc3339 $record.TimeCreated; message = $message; recordId = $recordId })
    }
    Write-Verbose "$($events.Count) OpsMgr Connector event(s) since $(ConvertTo-Rfc3339 $Now.AddDays(-$Days))"
    return $events.ToArray()
}

function New-CertfleetReport {
    <# Reads the host and builds report contract 1.1 (an ordered dictionary, ready for ConvertTo-Json). #>
    param([string]$RoleOverride, [int]$EventDays = 7, [datetime]$Now = [datetime]::UtcNow)
    # SCOM's registry first: on a host without SCOM nothing else is worth reading.
    $roleFacts = Get-ScomRoleFacts -RoleOverride $RoleOverride
    $identity = Get-HostIdentity
    $registry = Get-ScomRegistryFacts
    return [ordered]@{
        schemaVersion = '1.1'
        collectedAt = ConvertTo-Rfc3339 $Now
        host = [ordered]@{
            fqdn = $identity.Fqdn
            role = $roleFacts.Role
            domainJoined = $identity.DomainJoined
            dnsHostName = $identity.DnsHostName
            managementGroups = @($roleFacts.ManagementGroups)
        }
        registry = $registry
        certificates = @(Get-CandidateCertificates -RegistrySerial $registry.channelCertificateSerialNumber)
        events = @(Get-ConnectorEvents -Days $EventDays -Now $Now)
        trustedCertificates = Get-TrustedCertificates
        pendingRequests = @(Get-PendingRequests)
    }
}

function ConvertTo-ReportJson {
    param([Parameter(Mandatory = $true)]$Report)
    # Windows PowerShell 5.1 serialises some arrays as {"value":[...],"Count":n} through System.Array's
    # extended type data; without it arrays are plain JSON arrays, as in PowerShell 7.
    if ($PSVersionTable.PSVersion.Major -lt 6) { Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue }
    return ConvertTo-Json -InputObject $Report -Depth 10 -Compress
}

#endregion

#region Sending

function Get-TokenFileProblem {
    <# Names who else may read the token file: only SYSTEM (S-1-5-18) and Administrators (S-1-5-32-544) should. #>
    param([string[]]$Readers)
    $allowed = @('S-1-5-18', 'S-1-5-32-544')
    $others = @($Readers | Where-Object { $allowed -notcontains $_ })
    if ($others.Count -eq 0) { return $null }
    return "the token file is readable by $($others -join ', '); allow only SYSTEM and Administrators (docs/collector.md)"
}

function Read-CollectorToken {
    param([Parameter(Mandatory = $true)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        throw ("Token file '$Path' not found. Create it (readable by SYSTEM and Administrators only) or pass -TokenFile.")
    }
    $token = ([System.IO.File]::ReadAllText($Path)).Trim()
    if (-not $token) { throw ("Token file '$Path' is empty.") }
    if ($env:OS -eq 'Windows_NT') {
        $problem = Get-TokenFileProblem -Readers (Read-TokenFileReaders -Path $Path)
        if ($problem) { Write-Warning $problem }
    }
    return $token
}

function Get-ReportsEndpoint {
    <# The reports endpoint; plain http only on loopback (a token must not cross a network in clear). #>
    param([Parameter(Mandatory = $true)][string]$BaseUrl)
    $uri = $null
    if (-not [uri]::TryCreate($BaseUrl, [UriKind]::Absolute, [ref]$uri) -or ($uri.Scheme -ne 'https' -and $uri.Scheme -ne 'http')) {
        throw ("-Url '$BaseUrl' is not an http(s) address.")
    }
    if ($uri.Scheme -eq 'http' -and -not $uri.IsLoopback) {
        throw ("-Url '$BaseUrl' uses plain http; certfleet takes reports over https only.")
    }
    return $BaseUrl.TrimEnd('/') + '/api/v1/reports'
}

function Enable-ModernTls {
    <#
    Windows PowerShell 5.1 on .NET Framework before 4.7 offers only SSL 3 / TLS 1.0 by default. Add TLS 1.2
    there; leave SystemDefault (0) alone so the OS can negotiate TLS 1.3.
    #>
    $current = [int][Net.ServicePointManager]::SecurityProtocol
    $tls12 = [int][Net.SecurityProtocolType]::Tls12
    if ($current -ne 0 -and ($current -band $tls12) -eq 0) {
        [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]($current -bor $tls12)
    }
}

function Invoke-CertfleetHttp {
    <#
    One POST. HttpWebRequest behaves the same under 5.1 and 7 (Invoke-WebRequest does not) and uses the
    system proxy. Answers the status (0 when no answer came), the Retry-After header and the body.
    #>
    param([string]$Uri, [string]$Token, [string]$Body)
    $request = [System.Net.HttpWebRequest][System.Net.WebRequest]::Create($Uri)
    $request.Method = 'POST'
    $request.ContentType = 'application/json'
    $request.Accept = 'application/json, application/problem+json'
    $request.Headers['Authorization'] = "Bearer $Token"
    $request.UserAgent = "certfleet-collector/$script:CollectorVersion PowerShell/$($PSVersionTable.PSVersion)"
    $request.Timeout = 100000
    if ($null -ne $request.Proxy) { $request.Proxy.Credentials = [System.Net.CredentialCache]::DefaultNetworkCredentials }
    $bytes = (New-Object System.Text.UTF8Encoding($false)).GetBytes($Body)
    $response = $null
    try {
        $stream = $request.GetRequestStream()
        try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
        $response = $request.GetResponse()
    } catch [System.Net.WebException] {
        $response = $_.Exception.Response
        if ($null -eq $response) { return [pscustomobject]@{ Status = 0; RetryAfter = $null; Body = $_.Exception.Message } }
    } catch {
        $inner = $_.Exception
        while ($inner.InnerException) { $inner = $inner.InnerException }
        if ($inner -is [System.Net.WebException] -and $null -ne $inner.Response) { $response = $inner.Response }
        else { return [pscustomobject]@{ Status = 0; RetryAfter = $null; Body = $inner.Message } }
    }
    try {
        $reader = New-Object System.IO.StreamReader($response.GetResponseStream())
        try { $text = $reader.ReadToEnd() } finally { $reader.Dispose() }
        return [pscustomobject]@{ Status = [int]$response.StatusCode; RetryAfter = $response.Headers['Retry-After']; Body = $text }
    } finally { $response.Dispose() }
}

function Get-RetryDelaySeconds {
    <#
    How long to wait before attempt $Attempt + 1: Retry-After when the server gave it (seconds or an HTTP
    date), else exponential backoff (2, 4, 8 ... at most 300 s); plus up to a quarter of it at random so a
    fleet that failed together does not come back together.
    #>
    param([int]$Attempt, [string]$RetryAfter, [datetime]$Now = [datetime]::UtcNow, [System.Random]$Random = (New-Object System.Random))
    $base = [math]::Min(300, [math]::Pow(2, $Attempt))
    if ($RetryAfter) {
        $seconds = 0
        $date = [datetime]::MinValue
        if ([int]::TryParse($RetryAfter.Trim(), [ref]$seconds)) { $base = [math]::Max(0, $seconds) }
        elseif ([datetime]::TryParse($RetryAfter, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal', [ref]$date)) {
            $base = [math]::Max(0, [math]::Ceiling(($date - $Now).TotalSeconds))
        }
        $base = [math]::Min(3600, $base)
    }
    return [math]::Round($base + $Random.NextDouble() * ([math]::Max(1, $base) / 4), 2)
}

function Wait-Retry {
    param([double]$Seconds)
    Start-Sleep -Milliseconds ([int]($Seconds * 1000))
}

function Get-ProblemText {
    <# A problem+json answer as one line: its title/detail and every field it names. #>
    param([string]$Body)
    try { $problem = $Body | ConvertFrom-Json } catch { return $Body }
    if ($null -eq $problem) { return $Body }
    $parts = New-Object System.Collections.Generic.List[string]
    foreach ($name in @('title', 'detail')) { if ($problem.PSObject.Properties[$name] -and $problem.$name) { $parts.Add([string]$problem.$name) } }
    if ($problem.PSObject.Properties['errors']) {
        foreach ($fieldError in @($problem.errors)) {
            # StrictMode refuses a missing property: read each through PSObject so a terse error still prints.
            $field = $fieldError.PSObject.Properties['field']; $message = $fieldError.PSObject.Properties['message']
            $parts.Add(('{0}: {1}' -f $(if ($field) { $field.Value } else { '(field)' }), $(if ($message) { $message.Value } else { '' })))
        }
    }
    if ($parts.Count -eq 0) { return $Body }
    return ($parts -join '; ')
}

function Send-CertfleetReport {
    <# Posts the report, retrying network failures, 408, 429 and 5xx; answers the API's result. #>
    param([string]$Uri, [string]$Token, [string]$Json, [int]$MaxAttempts = 5)
    $retryable = @(0, 408, 429, 500, 502, 503, 504)
    for ($attempt = 1; $attempt -le $MaxAttempts; $attempt++) {
        Write-Verbose "POST $Uri (attempt $attempt of $MaxAttempts, $($Json.Length) characters)"
        $answer = Invoke-CertfleetHttp -Uri $Uri -Token $Token -Body $Json
        if ($answer.Status -ge 200 -and $answer.Status -lt 300) { return ($answer.Body | ConvertFrom-Json) }
        $why = if ($answer.Status -eq 0) { "no answer ($($answer.Body))" } else { "HTTP $($answer.Status): $(Get-ProblemText $answer.Body)" }
        if ($retryable -notcontains $answer.Status) { throw ("certfleet refused the report, $why") }
        if ($attempt -eq $MaxAttempts) { throw ("certfleet did not take the report after $MaxAttempts attempts; last: $why") }
        $delay = Get-RetryDelaySeconds -Attempt $attempt -RetryAfter $answer.RetryAfter
        Write-Verbose "$why; retrying in $delay s"
        Wait-Retry -Seconds $delay
    }
}

#endregion

function Invoke-CertfleetCollector {
    <# The whole run. Throws on failure, with a message for the admin; answers the report. #>
    [CmdletBinding(SupportsShouldProcess = $true)]
    param([string]$Url, [string]$TokenFile, [string]$OutFile, [string]$Role, [int]$EventDays = 7, [int]$MaxAttempts = 5)
    if (-not $Url -and -not $OutFile) { throw ('Pass -Url (with -TokenFile) to post the report, or -OutFile to write it.') }
    if ($Url -and $OutFile) { throw ('Pass either -Url or -OutFile, not both.') }
    $endpoint = $null; $token = $null
    if (-not $TokenFile) { $TokenFile = Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'certfleet\collector.token' }
    if ($Url) {
        # Checked before reading the host, so a wrong address or missing token fails in a second.
        $endpoint = Get-ReportsEndpoint -BaseUrl $Url
        $token = Read-CollectorToken -Path $TokenFile
    }
    $report = New-CertfleetReport -RoleOverride $Role -EventDays $EventDays
    $json = ConvertTo-ReportJson -Report $report
    $summary = "report of $($report.host.fqdn) ($($report.host.role), $($report.certificates.Count) certificate(s), $($report.events.Count) event(s))"
    if ($OutFile) {
        if ($PSCmdlet.ShouldProcess($OutFile, "Write $summary")) {
            # Relative to PowerShell's current location, not the process's working directory.
            $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
            [System.IO.File]::WriteAllText($full, $json, (New-Object System.Text.UTF8Encoding($false)))
            Write-Host "certfleet: wrote $summary to $full"
        }
        return $report
    }
    if ($PSCmdlet.ShouldProcess($endpoint, "POST $summary")) {
        Enable-ModernTls
        $result = Send-CertfleetReport -Uri $endpoint -Token $token -Json $json -MaxAttempts $MaxAttempts
        Write-Host "certfleet: sent $summary; host status $($result.host.status), $(@($result.findings).Count) finding(s)"
    }
    return $report
}

# Dot-sourced (the tests): define the functions only.
if ($MyInvocation.InvocationName -eq '.') { return }

try {
    $run = @{ Url = $Url; TokenFile = $TokenFile; OutFile = $OutFile; Role = $Role; EventDays = $EventDays; MaxAttempts = $MaxAttempts }
    $null = Invoke-CertfleetCollector @run
    exit 0
} catch {
    [Console]::Error.WriteLine("certfleet collector failed: $($_.Exception.Message)")
    Write-Verbose ($_.ScriptStackTrace)
    exit 1
}
