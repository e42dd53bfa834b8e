# A whole run on a fixture-backed host (fixtures/agent11.json): the report's JSON against the contract's
# own schema, -OutFile, -WhatIf, posting with retries, and the script's exit codes.
BeforeAll {
    $script:CollectorPath = Join-Path $PSScriptRoot '..' 'Collect-CertfleetReport.ps1'
    . $script:CollectorPath
    . (Join-Path $PSScriptRoot 'TestCertificates.ps1')
    . (Join-Path $PSScriptRoot 'FakeHost.ps1')
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:Root = New-TestRootCertificate
    # The pwsh running these tests (a .NET tool's process is dotnet, so scripts/run-pester.mjs says which).
    $script:Pwsh = if ($env:CERTFLEET_PWSH) { $env:CERTFLEET_PWSH } else { 'pwsh' }

    function Test-AgainstContract {
        <# Runs collector/tests/validate-report.ts (typebox's compiler on ReportSchema, as the API does). #>
        param([string]$Json)
        $file = Join-Path ([System.IO.Path]::GetTempPath()) "certfleet-report-$([guid]::NewGuid()).json"
        [System.IO.File]::WriteAllText($file, $Json)
        try {
            $tsx = Join-Path $script:RepoRoot 'node_modules/tsx/dist/cli.mjs'
            $output = & node $tsx (Join-Path $script:RepoRoot 'collector/tests/validate-report.ts') $file 2>&1
            return [pscustomobject]@{ Valid = ($LASTEXITCODE -eq 0); Output = ($output -join "`n") }
        } finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }
}

Describe 'A report from a fixture-backed agent' {
    BeforeEach {
        $script:Fake = Use-FakeHostFixture -Name 'agent11' -Issuer $script:Root
        Register-FakeHostMocks
    }

    Context 'Its JSON' {
        It 'matches ReportSchema 1.1 (validated by the contract package, not a copy of it)' {
            $json = ConvertTo-ReportJson (New-CertfleetReport)
            $result = Test-AgainstContract $json
            $result.Output | Should -Match '^valid '
            $result.Valid | Should -BeTrue
        }

        It 'would be refused if it broke the contract (the validator is live)' {
            $report = New-CertfleetReport
            $report.host.role = 'Server'
            $result = Test-AgainstContract (ConvertTo-ReportJson $report)
            $result.Valid | Should -BeFalse
            $result.Output | Should -Match '/host/role'
        }

        It 'carries what the host said' {
            $report = (ConvertTo-ReportJson (New-CertfleetReport -Now ([datetime]'2026-11-24T10:00:00Z'))) | ConvertFrom-Json -DateKind String
            $report.schemaVersion | Should -Be '1.1'
            $report.collectedAt | Should -Be '2026-11-24T10:00:00Z'
            $report.host.fqdn | Should -Be 'agent11.contoso.com'
            $report.host.role | Should -Be 'Agent'
            $report.host.domainJoined | Should -BeTrue
            @($report.host.managementGroups).Count | Should -Be 2
            $report.registry.channelCertificateSerialNumber | Should -Be (ConvertTo-ReversedHex '5A0000001100C694DAC94BCFDC4A000000001101')
            @($report.certificates).Count | Should -Be 1
            $report.certificates[0].keyProviderType | Should -Be 'CSP'
            $report.certificates[0].keySpec | Should -Be 1
            $report.certificates[0].store | Should -Be 'LocalMachine\My'
            @($report.trustedCertificates.roots)[0].thumbprint | Should -Be $script:Root.Thumbprint
            @($report.trustedCertificates.intermediates).Count | Should -Be 0
            @($report.pendingRequests).Count | Should -Be 0
        }

        It 'keeps one-element and empty lists as JSON arrays' {
            $json = ConvertTo-ReportJson (New-CertfleetReport)
            $json | Should -Match '"certificates":\[\{'
            $json | Should -Match '"intermediates":\[\]'
            $json | Should -Match '"pendingRequests":\[\]'
            $json | Should -Match '"hostChainStatus":\['
        }
    }

    Context '-OutFile and -WhatIf' {
        It 'writes the report to -OutFile as UTF-8 without a byte order mark' {
            $file = Join-Path $TestDrive 'agent11.json'
            $null = Invoke-CertfleetCollector -OutFile $file 6>$null
            $bytes = [System.IO.File]::ReadAllBytes($file)
            $bytes[0] | Should -Be ([byte][char]'{')
            (Get-Content -Raw $file | ConvertFrom-Json).host.fqdn | Should -Be 'agent11.contoso.com'
        }

        It 'resolves a relative -OutFile against the PowerShell location' {
            Push-Location $TestDrive
            try { $null = Invoke-CertfleetCollector -OutFile 'relative.json' 6>$null } finally { Pop-Location }
            Test-Path (Join-Path $TestDrive 'relative.json') | Should -BeTrue
        }

        It 'writes nothing under -WhatIf' {
            $file = Join-Path $TestDrive 'whatif.json'
            $null = Invoke-CertfleetCollector -OutFile $file -WhatIf 6>$null
            Test-Path $file | Should -BeFalse
        }

        It 'posts nothing under -WhatIf' {
            $tokenFile = Join-Path $TestDrive 'token'
            Set-Content -LiteralPath $tokenFile -Value 'secret-token'
            Mock Invoke-CertfleetHttp { throw 'must not post' }
            $null = Invoke-CertfleetCollector -Url 'https://certfleet.contoso.com' -TokenFile $tokenFile -WhatIf 6>$null
            Should -Invoke Invoke-CertfleetHttp -Times 0 -Exactly
        }
    }

    Context 'Posting' {
        BeforeEach {
            $script:TokenFile = Join-Path $TestDrive 'token'
            Set-Content -LiteralPath $script:TokenFile -Value "  secret-token`n"
            Mock Wait-Retry {}
        }

        It 'posts to /api/v1/reports with the token from the file' {
            Mock Invoke-CertfleetHttp { [pscustomobject]@{ Status = 201; RetryAfter = $null; Body = '{"host":{"status":"ok"},"findings":[]}' } }
            $null = Invoke-CertfleetCollector -Url 'https://certfleet.contoso.com/' -TokenFile $script:TokenFile 6>$null
            Should -Invoke Invoke-CertfleetHttp -Times 1 -Exactly -ParameterFilter {
                $Uri -eq 'https://certfleet.contoso.com/api/v1/reports' -and $Token -eq 'secret-token' -and ($Body | ConvertFrom-Json).host.fqdn -eq 'agent11.contoso.com'
            }
        }

        It 'retries 503 and 429, waiting what Retry-After says, then succeeds' {
            $script:Answers = [System.Collections.Queue]::new(@(
                    [pscustomobject]@{ Status = 503; RetryAfter = '7'; Body = '' },
                    [pscustomobject]@{ Status = 429; RetryAfter = '30'; Body = '{"title":"Too Many Requests"}' },
                    [pscustomobject]@{ Status = 201; RetryAfter = $null; Body = '{"host":{"status":"warning"},"findings":[]}' }))
            Mock Invoke-CertfleetHttp { $script:Answers.Dequeue() }
            $result = Send-CertfleetReport -Uri 'https://x/api/v1/reports' -Token 't' -Json '{}' -MaxAttempts 5
            $result.host.status | Should -Be 'warning'
            Should -Invoke Invoke-CertfleetHttp -Times 3 -Exactly
            Should -Invoke Wait-Retry -Times 1 -Exactly -ParameterFilter { $Seconds -ge 7 -and $Seconds -le 8.75 }
            Should -Invoke Wait-Retry -Times 1 -Exactly -ParameterFilter { $Seconds -ge 30 -and $Seconds -le 37.5 }
        }

        It 'gives up after -MaxAttempts with the last reason' {
            Mock Invoke-CertfleetHttp { [pscustomobject]@{ Status = 0; RetryAfter = $null; Body = 'connection refused' } }
            { Send-CertfleetReport -Uri 'https://x/api/v1/reports' -Token 't' -Json '{}' -MaxAttempts 3 } | Should -Throw '*after 3 attempts*connection refused*'
            Should -Invoke Invoke-CertfleetHttp -Times 3 -Exactly
            Should -Invoke Wait-Retry -Times 2 -Exactly
        }

        It 'does not retry a refusal, and says which field was wrong' {
            Mock Invoke-CertfleetHttp { [pscustomobject]@{ Status = 422; RetryAfter = $null; Body = '{"title":"Invalid report","errors":[{"field":"host.role","message":"must be ManagementServer, Gateway or Agent"}]}' } }
            { Send-CertfleetReport -Uri 'https://x/api/v1/reports' -Token 't' -Json '{}' } | Should -Throw '*HTTP 422: Invalid report; host.role: must be*'
            Should -Invoke Invoke-CertfleetHttp -Times 1 -Exactly
        }
    }
}

Describe 'The API''s refusal, in one line' {
    It 'names the title, the detail and each field, and survives an error without a field' {
        $text = Get-ProblemText '{"title":"Forbidden","detail":"outside the token''s scope","errors":[{"field":"host.managementGroup","message":"MG-X is not in scope"},{"message":"and this"}]}'
        $text | Should -Be "Forbidden; outside the token's scope; host.managementGroup: MG-X is not in scope; (field): and this"
    }

    It 'prints a body that is not JSON as it came' {
        Get-ProblemText 'Bad Gateway' | Should -Be 'Bad Gateway'
    }
}

Describe 'Backoff' {
    It 'doubles from 2 s with up to a quarter more at random, capped at 300 s' {
        $random = [System.Random]::new(1)
        foreach ($attempt in 1..4) {
            $delay = Get-RetryDelaySeconds -Attempt $attempt -Random $random
            $delay | Should -BeGreaterOrEqual ([math]::Pow(2, $attempt))
            $delay | Should -BeLessOrEqual ([math]::Pow(2, $attempt) * 1.25)
        }
        Get-RetryDelaySeconds -Attempt 12 -Random $random | Should -BeLessOrEqual 375
    }

    It 'spreads a fleet: two hosts rarely wait the same time' {
        $delays = 1..20 | ForEach-Object { Get-RetryDelaySeconds -Attempt 3 -Random ([System.Random]::new($_)) }
        @($delays | Sort-Object -Unique).Count | Should -BeGreaterThan 10
    }

    It 'reads Retry-After as an HTTP date too' {
        $now = [datetime]'2026-11-24T10:00:00Z'
        $delay = Get-RetryDelaySeconds -Attempt 1 -RetryAfter 'Tue, 24 Nov 2026 10:01:00 GMT' -Now $now.ToUniversalTime() -Random ([System.Random]::new(1))
        $delay | Should -BeGreaterOrEqual 60
        $delay | Should -BeLessOrEqual 75
    }
}

Describe 'Address and token checks' {
    It 'refuses plain http except on loopback' {
        { Get-ReportsEndpoint -BaseUrl 'http://certfleet.contoso.com' } | Should -Throw '*plain http*'
        Get-ReportsEndpoint -BaseUrl 'http://127.0.0.1:3000' | Should -Be 'http://127.0.0.1:3000/api/v1/reports'
        { Get-ReportsEndpoint -BaseUrl 'certfleet' } | Should -Throw '*not an http(s) address*'
    }

    It 'fails clearly on a missing or empty token file' {
        { Read-CollectorToken -Path (Join-Path $TestDrive 'absent') } | Should -Throw '*not found*SYSTEM and Administrators*'
        $empty = Join-Path $TestDrive 'empty'
        Set-Content -LiteralPath $empty -Value ''
        { Read-CollectorToken -Path $empty } | Should -Throw '*is empty*'
    }

    It 'names every reader of the token file other than SYSTEM and Administrators' {
        Get-TokenFileProblem -Readers @('S-1-5-18', 'S-1-5-32-544') | Should -BeNullOrEmpty
        Get-TokenFileProblem -Readers @('S-1-5-18', 'S-1-5-32-545', 'S-1-1-0') | Should -Match 'S-1-5-32-545, S-1-1-0'
    }
}

Describe 'The script as Task Scheduler runs it' {
    It 'exits 1 with one clear line when neither -Url nor -OutFile is given' {
        $output = & $script:Pwsh -NoProfile -NonInteractive -File $script:CollectorPath 2>&1
        $LASTEXITCODE | Should -Be 1
        "$output" | Should -Match 'certfleet collector failed: Pass -Url'
    }

    It 'exits 1 before reading the host when the address is plain http' {
        $output = & $script:Pwsh -NoProfile -NonInteractive -File $script:CollectorPath -Url 'http://certfleet.contoso.com' 2>&1
        $LASTEXITCODE | Should -Be 1
        "$output" | Should -Match 'plain http'
    }

    It 'exits 1 on a host without SCOM, naming -Role' {
        $output = & $script:Pwsh -NoProfile -NonInteractive -File $script:CollectorPath -OutFile (Join-Path $TestDrive 'x.json') 2>&1
        $LASTEXITCODE | Should -Be 1
        "$output" | Should -Match 'No SCOM management group'
    }
}
