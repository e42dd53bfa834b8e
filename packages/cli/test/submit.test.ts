import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../apps/api/test/support/global-setup";
import {
  buildReport,
  createPki,
  type IssuedCertificate,
  issueCertificate,
  type Pki,
} from "../../../apps/api/test/support/reports";
import { type ListeningApi, runCli, runCliOnTerminal, scratchDir, startApi } from "./support/cli";

let api: ListeningApi;
let pki: Pki;
let certificate: IssuedCertificate;
let scratch: Awaited<ReturnType<typeof scratchDir>>;

beforeAll(async () => {
  [api, pki, scratch] = await Promise.all([startApi(), createPki(), scratchDir()]);
  certificate = await issueCertificate(pki, { fqdn: "cli-ms01.contoso.com", serialHex: "1f0000000a11" });
});
afterAll(async () => {
  await api?.close();
  await scratch?.remove();
});

/** A report file as the collector's -OutFile writes it (pretty-printed JSON). */
async function writeReport(file: string, fqdn: string, change?: (report: Record<string, unknown>) => void) {
  const report = buildReport(fqdn, [certificate], { collectedAt: "2026-11-24T10:00:00.000Z" });
  change?.(report as unknown as Record<string, unknown>);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(report, null, 2));
}

const storedHosts = async () =>
  (await api.db.host.findMany({ select: { fqdn: true }, orderBy: { fqdn: "asc" } })).map((host) => host.fqdn);

describe("certfleet submit", () => {
  it("posts a folder's reports, names each rejection with its file and field, and exits 1", async () => {
    const folder = path.join(scratch.dir, "mixed");
    await writeReport(path.join(folder, "ms01.json"), "cli-ms01.contoso.com");
    await writeReport(path.join(folder, "nested", "deeper", "ms02.json"), "cli-ms02.contoso.com");
    await writeReport(path.join(folder, "bad", "ms03.json"), "cli-ms03.contoso.com", (report) => {
      (report.host as Record<string, unknown>).role = "Mainframe";
    });
    await writeFile(path.join(folder, "broken.json"), '{"schemaVersion": 1, "host": ');
    await writeFile(path.join(folder, "readme.txt"), "not a report, and not a .json file: skipped");

    const run = await runCli(["submit", "mixed", "--url", api.url, "--token", api.token], {
      cwd: scratch.dir,
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `rejected  ${path.join("mixed", "bad", "ms03.json")}: 422 Report does not match the contract`,
    );
    // The field inside the file, not inside the batch the CLI built.
    expect(run.stdout).toMatch(/^ {10}host\.role: /m);
    expect(run.stdout).not.toContain("reports[");
    expect(run.stdout).toMatch(new RegExp(`not sent  ${path.join("mixed", "broken.json")}: not valid JSON`));
    expect(run.stdout).not.toContain("readme.txt");
    expect(run.stdout.trim().split("\n").at(-1)).toBe("2 reports accepted, 1 rejected, 1 file not sent");
    // Not a terminal: plain progress lines, no bar.
    expect(run.stderr).toContain("submitting 4/4 files");
    expect(await storedHosts()).toEqual(["cli-ms01.contoso.com", "cli-ms02.contoso.com"]);
    expect(await api.db.report.count()).toBe(2);
  });

  it("splits into batches of --batch-size, takes --url and --token from the environment and exits 0", async () => {
    const folder = path.join(scratch.dir, "batches");
    for (const n of [11, 12, 13])
      await writeReport(path.join(folder, `ms${n}.json`), `cli-ms${n}.contoso.com`);
    const reportsBefore = await api.db.report.count();

    const run = await runCli(["submit", "batches/ms11.json", "batches", "--batch-size", "2"], {
      cwd: scratch.dir,
      env: { CERTFLEET_URL: api.url, CERTFLEET_TOKEN: api.token },
    });

    expect(run.stderr).toBe("submitting 2/3 files\nsubmitting 3/3 files\n");
    expect(run.code).toBe(0);
    // ms11.json named twice (alone and in its folder) is sent once.
    expect(run.stdout).toBe("3 reports accepted, 0 rejected\n");
    expect(await api.db.report.count()).toBe(reportsBefore + 3);
    expect(await storedHosts()).toEqual(
      expect.arrayContaining(["cli-ms11.contoso.com", "cli-ms13.contoso.com"]),
    );
  });

  it("draws a progress bar on a terminal", async () => {
    const folder = path.join(scratch.dir, "terminal");
    for (const n of [31, 32]) await writeReport(path.join(folder, `ms${n}.json`), `cli-ms${n}.contoso.com`);

    const run = await runCliOnTerminal(["submit", "terminal", "--url", api.url, "--token", api.token], {
      cwd: scratch.dir,
    });

    expect(run.code).toBe(0);
    // cli-progress's shades_classic bar, full, with the count; no plain progress lines.
    expect(run.stdout).toMatch(/submitting \[\u2588{30}\] 100% 2\/2 files/);
    expect(run.stdout).not.toContain("submitting 2/2 files\r\n");
    expect(run.stdout).toContain("2 reports accepted, 0 rejected");
  });

  it("waits out a 503's Retry-After and then delivers", async () => {
    const folder = path.join(scratch.dir, "retry");
    await writeReport(path.join(folder, "ms21.json"), "cli-ms21.contoso.com");
    // In front of the real API: the first request gets what the API answers while its database is busy.
    let requests = 0;
    const proxy = createServer(async (request, response) => {
      requests++;
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      if (requests === 1) {
        response.writeHead(503, { "retry-after": "1", "content-type": "application/problem+json" });
        response.end(JSON.stringify({ type: "about:blank", title: "Service unavailable", status: 503 }));
        return;
      }
      const forwarded = await fetch(`${api.url}${request.url}`, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      response.writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "" });
      response.end(Buffer.from(await forwarded.arrayBuffer()));
    });
    const port = await listen(proxy);
    try {
      const started = Date.now();
      const run = await runCli(
        ["submit", "retry", "--url", `http://127.0.0.1:${port}`, "--token", api.token],
        {
          cwd: scratch.dir,
        },
      );
      expect(run.stderr).toContain("the API is busy (503); retrying in 1 s (retry 1 of 3)");
      expect(run.code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(requests).toBe(2);
      expect(await storedHosts()).toContain("cli-ms21.contoso.com");
    } finally {
      proxy.close();
    }
  });

  it("says in one line that the token was refused (exit 3) and sends nothing more", async () => {
    const run = await runCli(["submit", "mixed", "--url", api.url, "--token", "not-a-token"], {
      cwd: scratch.dir,
    });
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(
      /^certfleet: the API refused the token \(401 Invalid collector token: .*\); check --url and --token/,
    );
    // The first batch was refused: nothing accepted, the unreadable file still named.
    expect(run.stdout).toContain(
      "0 reports accepted, 0 rejected, 1 file not sent\nstopped: 3 of 4 files not submitted\n",
    );
  });

  it("says the API cannot be reached (exit 4) and asks for --url when it is missing (exit 2)", async () => {
    const closedPort = await freePort();
    const refused = await runCli(
      ["submit", "mixed", "--url", `http://127.0.0.1:${closedPort}`, "--token", "x"],
      {
        cwd: scratch.dir,
      },
    );
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(
      `certfleet: cannot reach http://127.0.0.1:${closedPort}: connection refused`,
    );

    const noUrl = await runCli(["submit", "mixed", "--token", "x"], { cwd: scratch.dir });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toBe("certfleet: missing --url (or the CERTFLEET_URL environment variable)\n");

    const badOption = await runCli(["submit", "mixed", "--batch-size", "5000"], { cwd: scratch.dir });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("must be a whole number from 1 to 1000");
  });

  it("prints help with the exit codes (exit 0)", async () => {
    const help = await runCli(["submit", "--help"], { cwd: scratch.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: certfleet submit [options] <paths...>");
    expect(help.stdout).toContain("(env: CERTFLEET_TOKEN)");
    expect(help.stdout).toContain("3  the token was refused");
  });
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}
