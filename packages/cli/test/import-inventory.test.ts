import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListeningApi, runCli, scratchDir, startApi, tokenWithScopes } from "./support/cli";

let api: ListeningApi;
let scratch: Awaited<ReturnType<typeof scratchDir>>;

beforeAll(async () => {
  [api, scratch] = await Promise.all([startApi(), scratchDir()]);
  await mkdir(path.join(scratch.dir, "csv"));
});
afterAll(async () => {
  await api?.close();
  await scratch?.remove();
});

const AGENTS = ["agent01", "agent02", "agent03"].map((name) => `${name}.cli.contoso.com`);

/** Get-SCOMAgent | Export-Csv as Windows PowerShell writes it: a #TYPE line, then quoted columns. */
function scomAgentExport(fqdns: string[]): string {
  const lines = [
    "#TYPE Microsoft.EnterpriseManagement.Administration.AgentManagedComputer",
    '"PrincipalName","DisplayName","PrimaryManagementServerName","ManagementGroup"',
    ...fqdns.map((fqdn) => `"${fqdn}","${fqdn}","ms01.cli.contoso.com","MG-CLI"`),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

const hostsNamed = (fqdns: string[]) =>
  api.db.host.findMany({ where: { fqdn: { in: fqdns } }, orderBy: { fqdn: "asc" } });

const importCli = (args: string[], token = api.token) =>
  runCli(["import-inventory", ...args, "--url", api.url, "--token", token], { cwd: scratch.dir });

describe("certfleet import-inventory", () => {
  it("--dry-run shows the counts per management group and writes nothing", async () => {
    await writeFile(path.join(scratch.dir, "csv", "agents.csv"), scomAgentExport(AGENTS));
    await writeFile(
      path.join(scratch.dir, "csv", "servers.csv"),
      "fqdn,role,managementGroup\nms01.cli.contoso.com,ManagementServer,MG-CLI\n",
    );

    const run = await importCli(["csv/agents.csv", "csv/servers.csv", "--dry-run"]);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("dry run: nothing was written");
    expect(run.stdout).toMatch(/added 4, updated 0, unchanged 0, retired 0, restored 0/);
    expect(run.stdout).toMatch(/^ {2}MG-CLI +4 +0 +4$/m);
    expect(await hostsNamed([...AGENTS, "ms01.cli.contoso.com"])).toEqual([]);
  });

  it("imports the hosts, then retires the one a later snapshot of the group leaves out", async () => {
    const first = await importCli(["csv/agents.csv", "csv/servers.csv"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^imported$/m);
    expect((await hostsNamed(AGENTS)).map((host) => host.fqdn)).toEqual(AGENTS);

    await writeFile(path.join(scratch.dir, "csv", "agents.csv"), scomAgentExport(AGENTS.slice(0, 2)));
    const second = await importCli(["csv/agents.csv", "csv/servers.csv"]);

    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/added 0, updated 0, unchanged 3, retired 1, restored 0/);
    expect(second.stdout).toContain(`retired: ${AGENTS[2]}`);
    const retired = await hostsNamed([AGENTS[2] as string]);
    expect(retired[0]?.retiredAt).toBeInstanceOf(Date);

    // The export leaves the retired host out, and lists only it with --retired.
    const readToken = await tokenWithScopes(api, ["read"]);
    const exportTo = (out: string, ...flags: string[]) =>
      runCli(["export", "hosts", ...flags, "--out", out, "--url", api.url, "--token", readToken], {
        cwd: scratch.dir,
      });
    expect((await exportTo("live.csv")).code).toBe(0);
    expect((await exportTo("retired.csv", "--retired")).code).toBe(0);
    const live = await readFile(path.join(scratch.dir, "live.csv"), "utf8");
    const gone = await readFile(path.join(scratch.dir, "retired.csv"), "utf8");
    expect(live).toContain(AGENTS[0]);
    expect(live).not.toContain(AGENTS[2]);
    expect(gone).toContain(AGENTS[2]);
    expect(gone).not.toContain(AGENTS[0]);
  });

  it("prints each bad row with its file, line and column, exits 1 and imports nothing", async () => {
    await writeFile(
      path.join(scratch.dir, "csv", "bad.csv"),
      "fqdn,role,managementGroup\nnew01.cli.contoso.com,Agent,MG-BAD\nnew02.cli.contoso.com,Toaster,MG-BAD\n",
    );

    const run = await importCli(["csv/servers.csv", "csv/bad.csv"]);

    expect(run.code).toBe(1);
    // The API's title, then each row; its detail (a summary of the rows) is not repeated.
    expect(run.stdout).toMatch(/^import refused: 422 [^:]+\n/m);
    // sources[1] is the second file named: shown by the path the user typed.
    expect(run.stdout).toMatch(/^ {2}csv\/bad\.csv line 3 column \S+.*: /m);
    expect(run.stdout).not.toContain("sources[");
    expect(run.stdout).toMatch(/nothing was imported\n$/);
    expect(await hostsNamed(["new01.cli.contoso.com", "new02.cli.contoso.com"])).toEqual([]);
  });

  it("names the missing inventory scope (exit 3) and refuses a missing file before sending (exit 1)", async () => {
    const reportsOnly = await tokenWithScopes(api, ["reports"]);
    const refused = await importCli(["csv/servers.csv"], reportsOnly);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^certfleet: the token may not do this \(403 .*inventory/);

    const missing = await importCli(["csv/nope.csv"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("certfleet: csv/nope.csv: no such file\n");
  });
});
