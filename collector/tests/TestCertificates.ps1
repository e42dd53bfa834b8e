# Real X509Certificate2 objects for the tests, made with .NET's CertificateRequest (PowerShell 7): a root
# CA and channel certificates it issues, with the serial numbers the tests choose. Their private keys
# live only in memory; the collector must never put them in a report.
using namespace System.Security.Cryptography
using namespace System.Security.Cryptography.X509Certificates

$script:ChannelKey = $null

function New-TestRootCertificate {
    param([string]$Subject = 'CN=Certfleet Test Root CA')
    $key = [RSA]::Create(2048)
    $request = [CertificateRequest]::new($Subject, $key, [HashAlgorithmName]::SHA256, [RSASignaturePadding]::Pkcs1)
    $request.CertificateExtensions.Add([X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $request.CertificateExtensions.Add([X509KeyUsageExtension]::new([X509KeyUsageFlags]'KeyCertSign, CrlSign', $true))
    return $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddYears(-1), [DateTimeOffset]::UtcNow.AddYears(10))
}

function New-TestChannelCertificate {
    <# A channel certificate as SCOM wants it (server + client authentication), issued by -Issuer. #>
    param(
        [Parameter(Mandatory = $true)][string]$DnsName,
        [Parameter(Mandatory = $true)][X509Certificate2]$Issuer,
        [string]$SerialHex = '1F00000008C694DAC94BCFDC4A000000000008',
        [int]$ValidDays = 365,
        [switch]$PublicOnly
    )
    # One key for every channel certificate: generating 2048-bit keys is what would make the suite slow.
    if (-not $script:ChannelKey) { $script:ChannelKey = [RSA]::Create(2048) }
    $key = $script:ChannelKey
    $request = [CertificateRequest]::new("CN=$DnsName", $key, [HashAlgorithmName]::SHA256, [RSASignaturePadding]::Pkcs1)
    $usages = [OidCollection]::new()
    $null = $usages.Add([Oid]::new('1.3.6.1.5.5.7.3.1'))
    $null = $usages.Add([Oid]::new('1.3.6.1.5.5.7.3.2'))
    $request.CertificateExtensions.Add([X509EnhancedKeyUsageExtension]::new($usages, $false))
    # Digital Signature + Key Encipherment, as the seed's request .inf asks (KeyUsage = 0xa0).
    $request.CertificateExtensions.Add([X509KeyUsageExtension]::new([X509KeyUsageFlags]'DigitalSignature, KeyEncipherment', $true))
    $names = [SubjectAlternativeNameBuilder]::new()
    $names.AddDnsName($DnsName)
    $request.CertificateExtensions.Add($names.Build())
    $serial = [Convert]::FromHexString($SerialHex)
    $notAfter = [DateTimeOffset]::UtcNow.AddDays($ValidDays)
    if ($notAfter -gt $Issuer.NotAfter) { $notAfter = [DateTimeOffset]$Issuer.NotAfter.ToUniversalTime() }
    $certificate = $request.Create($Issuer, [DateTimeOffset]::UtcNow.AddDays(-1), $notAfter, $serial)
    if ($PublicOnly) { return $certificate }
    return [RSACertificateExtensions]::CopyWithPrivateKey($certificate, $key)
}

function ConvertTo-ReversedHex {
    <# Hex pairs in reverse order: what "mirrored" means for MOMCertImport's registry value. #>
    param([string]$Hex)
    $pairs = for ($i = 0; $i -lt $Hex.Length; $i += 2) { $Hex.Substring($i, 2) }
    [array]::Reverse($pairs)
    return ($pairs -join '')
}
