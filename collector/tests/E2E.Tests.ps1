# End to end: the collector, on the fixture-backed agent (fixtures/agent11.json, reads mocked, HTTP real),
# posts to the real certfleet API (support/api-server.ts: buildApp on an embedded Postgres), and the API
# then shows the host with the certificate the registry serial names.
BeforeAll {
    $script:CollectorPath = Join-Path $PSScriptRoot '..' 'Collect-CertfleetReport.ps1'
    . $script:CollectorPath
    . (Join-Path $PSScriptRoot 'TestCertificates.ps1')
    . (Join-Path $PSScriptRoot 'FakeHost.ps1')
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:Root = New-TestRootCertificate

    $start = [System.Diagnostics.ProcessStartInfo]::new('node')
    $start.ArgumentList.Add((Join-Path $script:RepoRoot 'node_modules/tsx/dist/cli.mjs'))
    $start.ArgumentList.Add((Join-Path $PSScriptRoot 'support/api-server.ts'))
    $start.WorkingDirectory = $script:RepoRoot
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $script:Server = [System.Diagnostics.Process]::Start($start)
    $ready = $script:Server.StandardOutput.ReadLineAsync()
    if (-not $ready.Wait([timespan]::FromSeconds(180)) -or -not $ready.Result) { throw 'the API did not start within 180 s' }
    $script:Api = $ready.Result | ConvertFrom-Json
    $script:TokenFile = Join-Path $TestDrive 'collector.token'
    Set-Content -LiteralPath $script:TokenFile -Value $script:Api.token
}

AfterAll {
    if ($script:Server) {
        # Closing its standard input stops the API, its database and the embedded Postgres.
        $script:Server.StandardInput.Close()
        if (-not $script:Server.WaitForExit(60000)) { $script:Server.Kill($true) }
    }
}

Describe 'The collector against the real API' {
    BeforeEach {
        $script:Fake = Use-FakeHostFixture -Name 'agent11' -Issuer $script:Root
        Register-FakeHostMocks
    }

    BeforeAll {
        function Get-HostDetail {
            <# The host as the web app sees it: signed in as the admin, GET /api/v1/hosts/:fqdn. #>
            $session = $null
            $login = @{ email = $script:Api.email; password = $script:Api.password } | ConvertTo-Json
            $null = Invoke-RestMethod -Method Post -Uri "$($script:Api.url)/api/v1/auth/login" -Body $login -ContentType 'application/json' -SessionVariable session
            return Invoke-RestMethod -Uri "$($script:Api.url)/api/v1/hosts/agent11.contoso.com" -WebSession $session
        }
    }

    It 'posts the report; the API binds the certificate the byte-reversed registry serial names, and the host is ok' {
        # The host trusts the test root (a chain build is a host read like any other here).
        Mock Invoke-ChainBuild { [pscustomobject]@{ Valid = $true; Status = @() } }
        $said = Invoke-CertfleetCollector -Url $script:Api.url -TokenFile $script:TokenFile 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }
        "$said" | Should -Match 'certfleet: sent report of agent11\.contoso\.com \(Agent, 1 certificate\(s\), 2 event\(s\)\); host status ok'

        $detail = Get-HostDetail
        $detail.host.role | Should -Be 'Agent'
        $detail.host.managementGroup | Should -Be 'MG-EAST'
        $detail.host.primaryServer | Should -Be 'ms01.contoso.com'
        $detail.host.status | Should -Be 'ok'
        $detail.registry.serialAsStored | Should -Be (ConvertTo-ReversedHex '5A0000001100C694DAC94BCFDC4A000000001101')
        $detail.boundCertificate.serialNumber | Should -Be '5A0000001100C694DAC94BCFDC4A000000001101'
        $detail.boundCertificate.thumbprint | Should -Be $script:Fake.Certificate.Thumbprint
        @($detail.findings | Where-Object { $_.severity -ne 'info' }) | Should -BeNullOrEmpty
    }

    It 'a later report from the same host with its key in a KSP turns the host to error with csp-not-ksp' {
        Start-Sleep -Seconds 1  # collectedAt has whole seconds; the same second would be the same report
        Mock Invoke-ChainBuild { [pscustomobject]@{ Valid = $true; Status = @() } }
        Mock Read-CertificateKeyInfo { [pscustomobject]@{ Api = 'CNG'; ProviderName = 'Microsoft Software Key Storage Provider'; ProviderType = 0; KeyNumber = $null; Exportable = $false; MachineKeyStore = $true } }
        $null = Invoke-CertfleetCollector -Url $script:Api.url -TokenFile $script:TokenFile 6>$null

        $detail = Get-HostDetail
        $detail.host.status | Should -Be 'error'
        @($detail.findings | ForEach-Object { $_.ruleId }) | Should -Contain 'csp-not-ksp'
        @($detail.reports).Count | Should -Be 2
    }

    It 'a wrong token fails the run with the API''s 401 (the script then exits 1)' {
        $badToken = Join-Path $TestDrive 'wrong.token'
        Set-Content -LiteralPath $badToken -Value 'not-a-token'
        { Invoke-CertfleetCollector -Url $script:Api.url -TokenFile $badToken 6>$null } | Should -Throw '*certfleet refused the report, HTTP 401*'
    }
}
