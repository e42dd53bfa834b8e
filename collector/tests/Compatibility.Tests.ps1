# Windows PowerShell 5.1 runs on every supported Windows Server; the collector must parse and run there.
# These tests run under PowerShell 7, so they read the script's syntax tree for what 5.1 lacks.
BeforeAll {
    $script:CollectorPath = Join-Path $PSScriptRoot '..' 'Collect-CertfleetReport.ps1'

    # Commands PowerShell 6/7 added that Windows PowerShell 5.1 does not have.
    $script:CommandsNotIn51 = @(
        'ConvertFrom-Markdown', 'Show-Markdown', 'Get-MarkdownOption', 'Set-MarkdownOption', 'Test-Json', 'Get-Error',
        'Join-String', 'ConvertTo-CliXml', 'ConvertFrom-CliXml', 'Remove-Alias', 'Remove-Service', 'Get-Uptime',
        'Get-SecureRandom', 'Start-ThreadJob', 'Get-ExperimentalFeature', 'Enable-ExperimentalFeature',
        'Disable-ExperimentalFeature', 'Get-PSSubsystem', 'Enable-PSSubsystem', 'Disable-PSSubsystem', 'Update-PSModuleManifest'
    )
    # Parameters PowerShell 6/7 added to commands 5.1 has ("command:parameter", prefixes match too).
    $script:ParametersNotIn51 = @(
        'ForEach-Object:Parallel', 'ForEach-Object:ThrottleLimit', 'ForEach-Object:AsJob',
        'ConvertFrom-Json:AsHashtable', 'ConvertFrom-Json:Depth', 'ConvertFrom-Json:NoEnumerate',
        'ConvertTo-Json:AsArray', 'ConvertTo-Json:EnumsAsStrings', 'ConvertTo-Json:EscapeHandling',
        'Invoke-WebRequest:SkipCertificateCheck', 'Invoke-WebRequest:SslProtocol', 'Invoke-WebRequest:Authentication',
        'Invoke-WebRequest:Token', 'Invoke-WebRequest:MaximumRetryCount', 'Invoke-WebRequest:RetryIntervalSec',
        'Invoke-WebRequest:SkipHttpErrorCheck', 'Invoke-WebRequest:StatusCodeVariable', 'Invoke-WebRequest:ResponseHeadersVariable',
        'Invoke-RestMethod:SkipCertificateCheck', 'Invoke-RestMethod:SslProtocol', 'Invoke-RestMethod:Authentication',
        'Invoke-RestMethod:Token', 'Invoke-RestMethod:MaximumRetryCount', 'Invoke-RestMethod:RetryIntervalSec',
        'Invoke-RestMethod:SkipHttpErrorCheck', 'Invoke-RestMethod:StatusCodeVariable', 'Invoke-RestMethod:ResponseHeadersVariable',
        'Get-Content:AsByteStream', 'Set-Content:AsByteStream', 'Add-Content:AsByteStream', 'Sort-Object:Top',
        'Sort-Object:Bottom', 'Sort-Object:Stable', 'Select-String:Raw', 'Select-String:NoEmphasis', 'Split-Path:Extension',
        'Split-Path:LeafBase', 'Get-Date:AsUTC', 'Get-Date:UnixTimeSeconds', 'Join-Path:AdditionalChildPath',
        'Start-Process:Environment', 'Test-Connection:TcpPort', 'Get-ChildItem:FollowSymlink', 'Import-Module:UseWindowsPowerShell'
    )
    # Automatic variables 5.1 does not define (and StrictMode makes reading an undefined one an error).
    $script:VariablesNotIn51 = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle')
    # .NET members .NET Framework 4.x (Windows PowerShell 5.1) lacks.
    $script:MembersNotIn51 = @('FromHexString', 'ToHexString', 'ReplaceLineEndings', 'GetValueOrDefault', 'TryAdd')

    function Find-Incompatibility {
        <# Each construct or command in the AST that Windows PowerShell 5.1 cannot run, as "line N: what". #>
        param([System.Management.Automation.Language.Ast]$Ast)
        $found = New-Object System.Collections.Generic.List[string]
        $add = { param($node, $what) $found.Add("line $($node.Extent.StartLineNumber): $what") }
        foreach ($node in $Ast.FindAll({ $true }, $true)) {
            switch ($node.GetType().Name) {
                'TernaryExpressionAst' { & $add $node 'ternary operator (? :)' }
                'PipelineChainAst' { & $add $node "pipeline chain ($($node.Operator))" }
                'BinaryExpressionAst' { if ($node.Operator -eq 'QuestionQuestion') { & $add $node 'null-coalescing operator (??)' } }
                'AssignmentStatementAst' { if ($node.Operator -eq 'QuestionQuestionEquals') { & $add $node 'null-coalescing assignment (??=)' } }
                'MemberExpressionAst' { if ($node.NullConditional) { & $add $node 'null-conditional member access (?.)' } }
                'InvokeMemberExpressionAst' {
                    if ($node.NullConditional) { & $add $node 'null-conditional member access (?.)' }
                    if ($node.Member -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $script:MembersNotIn51 -contains $node.Member.Value) {
                        & $add $node ".NET member $($node.Member.Value) (not in .NET Framework)"
                    }
                }
                'IndexExpressionAst' { if ($node.NullConditional) { & $add $node 'null-conditional index (?[])' } }
                'ScriptBlockAst' { if ($null -ne $node.CleanBlock) { & $add $node 'clean block' } }
                'VariableExpressionAst' {
                    $name = $node.VariablePath.UserPath
                    if ($script:VariablesNotIn51 -contains $name) { & $add $node "automatic variable `$$name (PowerShell 6+)" }
                }
                'CommandAst' {
                    $name = $node.GetCommandName()
                    if (-not $name) { continue }
                    $resolved = $name
                    $alias = Get-Alias -Name $name -ErrorAction SilentlyContinue
                    if ($alias) { $resolved = $alias.ResolvedCommandName }
                    if ($script:CommandsNotIn51 -contains $resolved) { & $add $node "command $resolved (PowerShell 6+)" }
                    foreach ($element in $node.CommandElements) {
                        if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
                        foreach ($entry in $script:ParametersNotIn51) {
                            $command, $parameter = $entry -split ':'
                            if ($command -eq $resolved -and $parameter.StartsWith($element.ParameterName, [StringComparison]::OrdinalIgnoreCase)) {
                                & $add $node "$resolved -$parameter (PowerShell 6+)"
                            }
                        }
                    }
                    if ($resolved -eq 'Join-Path') {
                        $positional = @($node.CommandElements | Select-Object -Skip 1 | Where-Object { $_ -isnot [System.Management.Automation.Language.CommandParameterAst] })
                        if ($positional.Count -gt 2) { & $add $node 'Join-Path with more than one child path (PowerShell 6+)' }
                    }
                }
            }
        }
        return $found.ToArray()
    }

    function Get-SnippetAst([string]$Code) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
        if ($errors.Count) { throw "snippet does not parse: $($errors[0].Message)" }
        return $ast
    }
}

Describe 'Collect-CertfleetReport.ps1 runs on Windows PowerShell 5.1' {
    It 'parses without errors' {
        $tokens = $null; $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($script:CollectorPath, [ref]$tokens, [ref]$errors)
        @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'uses no syntax, command, parameter or automatic variable that 5.1 lacks' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:CollectorPath, [ref]$tokens, [ref]$errors)
        Find-Incompatibility -Ast $ast | Should -BeNullOrEmpty
    }

    It 'is plain ASCII (5.1 reads a .ps1 without a byte order mark in the ANSI code page)' {
        $bytes = [System.IO.File]::ReadAllBytes($script:CollectorPath)
        $nonAscii = @(for ($i = 0; $i -lt $bytes.Length; $i++) { if ($bytes[$i] -gt 127) { $i } })
        $nonAscii.Count | Should -Be 0 -Because 'a character outside ASCII changes meaning when 5.1 reads the file'
    }

    It 'declares no #requires for PowerShell 6 or later, nor a module to install' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:CollectorPath, [ref]$null, [ref]$null)
        if ($ast.ScriptRequirements) {
            $ast.ScriptRequirements.RequiredPSVersion | Where-Object { $_.Major -gt 5 } | Should -BeNullOrEmpty
            $ast.ScriptRequirements.RequiredModules | Should -BeNullOrEmpty
        }
    }
}

Describe 'The Win32 reads compiled with Add-Type' {
    It 'compile, and offer the methods the script calls (CERT_KEY_PROV_INFO, RegQueryInfoKey)' {
        . $script:CollectorPath
        Import-CertfleetNative
        [Certfleet.CertificateKeyInfo].GetMethod('Read').GetParameters()[0].ParameterType | Should -Be ([IntPtr])
        [Certfleet.RegistryInfo].GetMethod('LastWriteTimeUtc').ReturnType | Should -Be ([datetime])
        @([Certfleet.KeyProviderInfo].GetFields().Name) | Should -Be @('Container', 'Provider', 'ProviderType', 'Flags', 'KeySpec')
    }

    It 'use no C# newer than 5 (Windows PowerShell 5.1 compiles with the .NET Framework compiler)' {
        . $script:CollectorPath
        # String interpolation, out var, expression-bodied members, nameof, ?. and pattern matching.
        $script:NativeSource | Should -Not -Match '\$"|out var |=> |nameof\(|\?\.|\bis \w+ \w+\b'
    }
}

Describe 'The 5.1 check itself catches what it claims to' {
    It 'flags <what>' -TestCases @(
        @{ what = 'a ternary'; code = '$a = $b ? 1 : 2' }
        @{ what = 'null coalescing'; code = '$a = $b ?? 1' }
        @{ what = 'null-coalescing assignment'; code = '$a ??= 1' }
        @{ what = 'null-conditional member access'; code = '${a}?.Length' }
        @{ what = 'null-conditional method call'; code = '${a}?.ToString()' }
        @{ what = 'null-conditional index'; code = '${a}?[0]' }
        @{ what = 'an && chain'; code = 'Get-Item . && Get-Item ..' }
        @{ what = 'an || chain'; code = 'Get-Item . || Get-Item ..' }
        @{ what = 'ForEach-Object -Parallel'; code = '1..3 | ForEach-Object -Parallel { $_ }' }
        @{ what = 'foreach alias with -Parallel abbreviated'; code = '1..3 | % -Par { $_ }' }
        @{ what = 'a clean block'; code = 'function f { process { 1 } clean { 2 } }' }
        @{ what = 'a command 5.1 lacks'; code = 'Get-Error' }
        @{ what = 'a parameter 5.1 lacks'; code = 'ConvertFrom-Json -AsHashtable' }
        @{ what = 'Join-Path with two child paths'; code = 'Join-Path a b c' }
        @{ what = '$IsWindows'; code = 'if ($IsWindows) { 1 }' }
        @{ what = 'a .NET Core member'; code = '[Convert]::FromHexString("00")' }
    ) {
        @(Find-Incompatibility -Ast (Get-SnippetAst $code)).Count | Should -BeGreaterThan 0
    }

    It 'passes code 5.1 runs' {
        $code = 'if ($a) { $b = 1 } else { $b = 2 }; 1..3 | ForEach-Object { $_ }; Join-Path a b; ConvertTo-Json -InputObject 1 -Depth 3'
        Find-Incompatibility -Ast (Get-SnippetAst $code) | Should -BeNullOrEmpty
    }
}
