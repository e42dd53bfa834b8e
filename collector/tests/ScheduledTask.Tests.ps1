# The scheduled task docs/collector.md deploys (collector/certfleet-collector.task.xml).
BeforeAll {
    [xml]$script:Task = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '..' 'certfleet-collector.task.xml')
    $script:Ns = [System.Xml.XmlNamespaceManager]::new($script:Task.NameTable)
    $script:Ns.AddNamespace('t', 'http://schemas.microsoft.com/windows/2004/02/mit/task')
    function Get-TaskText([string]$XPath) { $script:Task.SelectSingleNode($XPath, $script:Ns).InnerText }
}

Describe 'The collector scheduled task' {
    It 'runs as SYSTEM (S-1-5-18)' {
        Get-TaskText '/t:Task/t:Principals/t:Principal/t:UserId' | Should -Be 'S-1-5-18'
    }

    It 'runs daily with a random delay, so a fleet does not post at one second' {
        Get-TaskText '/t:Task/t:Triggers/t:CalendarTrigger/t:ScheduleByDay/t:DaysInterval' | Should -Be '1'
        $delay = [System.Xml.XmlConvert]::ToTimeSpan((Get-TaskText '/t:Task/t:Triggers/t:CalendarTrigger/t:RandomDelay'))
        $delay.TotalMinutes | Should -BeGreaterOrEqual 60
    }

    It 'runs the collector under Windows PowerShell 5.1 with no token on its command line' {
        Get-TaskText '/t:Task/t:Actions/t:Exec/t:Command' | Should -Match 'WindowsPowerShell\\v1\.0\\powershell\.exe$'
        $arguments = Get-TaskText '/t:Task/t:Actions/t:Exec/t:Arguments'
        $arguments | Should -Match '-File "[^"]+\\Collect-CertfleetReport\.ps1"'
        $arguments | Should -Match '-NonInteractive'
        $arguments | Should -Not -Match '(?i)token'
    }

    It 'passes only parameters the script has' {
        $arguments = Get-TaskText '/t:Task/t:Actions/t:Exec/t:Arguments'
        $scriptPart = $arguments.Substring($arguments.IndexOf('.ps1"') + 5)
        $parameters = (Get-Command (Join-Path $PSScriptRoot '..' 'Collect-CertfleetReport.ps1')).Parameters.Keys
        $names = @([regex]::Matches($scriptPart, '(?<=\s|^)-(\w+)') | ForEach-Object { $_.Groups[1].Value })
        $names | Should -Contain 'Url'
        foreach ($name in $names) { $parameters | Should -Contain $name }
    }
}
