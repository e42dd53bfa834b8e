/**
 * The set-based batch path stores exactly what posting the same reports one by one stores: host state,
 * findings, history, certificates seen, serial history and task decisions, compared row by row across
 * two databases. A host's reports inside one batch are applied in collectedAt order.
 */
import type { BatchResult, IngestResult, Report } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { buildReport, createPki, type IssuedCertificate, type Pki, withDer } from "./support/reports";
import { certificateExpiringIn } from "./support/tasks";

const HOUR = 3_600_000;
let batched: TestApp;
let oneByOne: TestApp;
let pki: Pki;

beforeAll(async () => {
  [batched, oneByOne, pki] = await Promise.all([createTestApp(), createTestApp(), createPki()]);
}, 60_000);
afterAll(async () => Promise.all([batched?.close(), oneByOne?.close()]));

const auth = (t: TestApp) => ({ authorization: `Bearer ${t.token}` });

async function postOne(t: TestApp, report: Report) {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: auth(t),
    payload: report,
  });
  return { status: response.statusCode, body: response.json() };
}

async function postBatch(t: TestApp, reports: Report[]): Promise<BatchResult> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports/batch",
    headers: auth(t),
    payload: { reports },
  });
  expect(response.statusCode).toBe(200);
  return response.json<BatchResult>();
}

const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR).toISOString();

/** Everything ingest writes, without ids or server clock times, in a stable order. */
async function snapshot(t: TestApp) {
  const query = (sql: string) => t.db.$queryRawUnsafe<Record<string, unknown>[]>(sql);
  return {
    hosts: await query(`
      SELECT h.fqdn, h.role::text, g.name AS "group", h."domainJoined", h."primaryServer", h.status::text,
             h."boundCertificateSha256", h."boundNotAfter", h."lastReportAt", h.expected
      FROM "Host" h LEFT JOIN "ManagementGroup" g ON g.id = h."managementGroupId" ORDER BY h.fqdn`),
    findings: await query(`
      SELECT h.fqdn, f."ruleId", f.severity::text, f.message, f.remediation
      FROM "HostFinding" f JOIN "Host" h ON h.id = f."hostId" ORDER BY h.fqdn, f.id`),
    reports: await query(`
      SELECT h.fqdn, r."collectedAt", r.status::text, r."registrySerial", r."registryHash",
             r."boundCertificateSha256", r.certificates, r.events, r.findings
      FROM "Report" r JOIN "Host" h ON h.id = r."hostId" ORDER BY h.fqdn, r."collectedAt"`),
    certificates: await query(
      `SELECT sha256, thumbprint, "serialNumber", parsed FROM "Certificate" ORDER BY sha256`,
    ),
    seen: await query(`
      SELECT h.fqdn, c."certificateSha256", c."firstSeenAt", c."lastSeenAt"
      FROM "HostCertificate" c JOIN "Host" h ON h.id = c."hostId" ORDER BY h.fqdn, c."certificateSha256"`),
    bindings: await query(`
      SELECT h.fqdn, b."certificateSha256", b."registrySerial", b."firstSeenAt", b."lastSeenAt"
      FROM "HostBinding" b JOIN "Host" h ON h.id = b."hostId" ORDER BY h.fqdn, b."firstSeenAt"`),
    // dueAt is computed from the server clock for some tasks: compared to the minute.
    tasks: await query(`
      SELECT h.fqdn, t.status::text, t.priority::text, t."reasonRuleId", t."reasonSeverity"::text,
             t."reasonMessage", t."certificateSha256", t."resolvedCertificateSha256", t.version,
             date_trunc('minute', t."dueAt") AS "dueMinute", t."closedAt" IS NOT NULL AS closed
      FROM "RenewalTask" t JOIN "Host" h ON h.id = t."hostId" ORDER BY h.fqdn, t.id`),
    audit: await query(`SELECT action, count(*)::int AS n FROM "AuditEvent" GROUP BY action ORDER BY action`),
  };
}

/** The answer without the host id (ids are assigned in a different order) and batch field prefixes. */
function comparable(answer: { status: number; body?: unknown }) {
  const body = answer.body as IngestResult | { status: number; errors?: unknown } | undefined;
  if (body && "host" in body) return { status: answer.status, ...body, host: { ...body.host, id: 0 } };
  // A batch names fields from its root (reports[8].certificates[0].der): compared without that prefix.
  const errors = (body as { errors?: { field: string; message: string }[] } | undefined)?.errors;
  return {
    status: answer.status,
    errors: errors?.map((error) => ({ ...error, field: error.field.replace(/^reports\[\d+\]\./, "") })),
  };
}

describe("POST /api/v1/reports/batch", () => {
  it("stores the same state, history and task decisions as posting the reports one by one", async () => {
    const cert = async (fqdn: string, days = 365) => certificateExpiringIn(pki, fqdn, days);
    const fqdns = Array.from({ length: 12 }, (_, i) => `batch${i}.contoso.com`);
    const [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = fqdns as [string, ...string[]];
    const c: Record<string, IssuedCertificate> = {};
    for (const fqdn of fqdns) c[fqdn] = await cert(fqdn);
    const expiring = await cert(f4 as string, 10);
    const renewed = await cert(f4 as string);
    const rebound = await cert(f1 as string);
    const soon = await cert(f6 as string, 5);
    const shared = await cert(f7 as string);
    const older = await cert(f9 as string);

    // Day one, posted one by one to both databases: known hosts, one with a task to close. Its renewed
    // certificate is bound an hour later: that first report alone cannot close the task (issue 13).
    const dayOne: Report[] = [
      ...[f0, f1, f2, f3].map((fqdn) =>
        buildReport(fqdn as string, [c[fqdn as string] as IssuedCertificate], { collectedAt: at(5) }),
      ),
      buildReport(f4 as string, [expiring], { collectedAt: at(5) }),
      buildReport(f4 as string, [expiring, renewed], { bound: renewed, collectedAt: at(4) }),
    ];
    for (const report of dayOne) {
      for (const t of [batched, oneByOne]) expect((await postOne(t, report)).status).toBe(201);
    }

    const bad = buildReport(f5 as string, [c[f5 as string] as IssuedCertificate], { collectedAt: at(1) });
    withDer(bad, 0, "bm90IGEgY2VydGlmaWNhdGU=");
    const dayTwo: Report[] = [
      buildReport(f0 as string, [c[f0 as string] as IssuedCertificate], { collectedAt: at(1) }), // steady state
      buildReport(f1 as string, [rebound], { collectedAt: at(1) }), // a new certificate bound
      // A 20053 newer than the report that first showed the renewed certificate bound: closes the task.
      buildReport(f4 as string, [expiring, renewed], { bound: renewed, collectedAt: at(1) }),
      buildReport(f6 as string, [soon], { collectedAt: at(1) }), // new host, opens a task
      buildReport(f7 as string, [shared], { collectedAt: at(1) }), // two new hosts bound to one certificate
      buildReport(f8 as string, [shared], { collectedAt: at(1) }),
      buildReport(f2 as string, [c[f2 as string] as IssuedCertificate], { collectedAt: at(8) }), // late: history only
      dayOne[3] as Report, // a re-post: 200, nothing written
      bad, // 422, nothing written
      buildReport(f9 as string, [older], { collectedAt: at(3) }), // one new host twice, in order
      buildReport(f9 as string, [c[f9 as string] as IssuedCertificate], { collectedAt: at(2) }),
    ];

    const batch = await postBatch(batched, dayTwo);
    const single = [];
    for (const report of dayTwo) single.push(await postOne(oneByOne, report));

    expect(batch.results.map((result) => result.status)).toEqual([
      201, 201, 201, 201, 201, 201, 201, 200, 422, 201, 201,
    ]);
    expect(
      batch.results.map((result) =>
        comparable({ status: result.status, body: result.result ?? result.problem }),
      ),
    ).toEqual(single.map(comparable));
    expect(batch).toMatchObject({ accepted: 10, rejected: 1 });

    const [a, b] = [await snapshot(batched), await snapshot(oneByOne)];
    expect(a).toEqual(b);
    // And the comparison compared something: each kind of decision happened.
    expect(a.tasks.map((task) => [task.fqdn, task.status])).toEqual([
      [f4, "done"],
      [f6, "open"],
      // Bound to a certificate named for f7: a subject error, which needs a new certificate.
      [f8, "open"],
    ]);
    expect(a.findings.some((finding) => finding.fqdn === f8 && finding.ruleId === "duplicate")).toBe(true);
    expect(a.bindings.filter((binding) => binding.fqdn === f1)).toHaveLength(2);
    expect(a.reports.filter((report) => report.fqdn === f2)).toHaveLength(2);
  }, 120_000);

  it("stores two batches at once that share new certificates in opposite orders (no deadlock)", async () => {
    for (let round = 0; round < 5; round++) {
      const [x, y] = [
        await certificateExpiringIn(pki, `shared-x${round}.contoso.com`, 300),
        await certificateExpiringIn(pki, `shared-y${round}.contoso.com`, 300),
      ];
      const host = (name: string, certificate: IssuedCertificate) =>
        buildReport(`${name}-${round}.contoso.com`, [certificate], { collectedAt: at(1) });
      const [first, second] = await Promise.all([
        postBatch(batched, [host("opposite-a", x), host("opposite-b", y)]),
        postBatch(batched, [host("opposite-c", y), host("opposite-d", x)]),
      ]);
      expect([...first.results, ...second.results].map((result) => result.status)).toEqual([
        201, 201, 201, 201,
      ]);
    }
  });

  it("applies one host's reports in collectedAt order whatever their order in the batch", async () => {
    const fqdn = "reordered.contoso.com";
    const first = await certificateExpiringIn(pki, fqdn, 365);
    const second = await certificateExpiringIn(pki, fqdn, 400);
    const third = await certificateExpiringIn(pki, fqdn, 500);
    const reports = [
      buildReport(fqdn, [third], { collectedAt: at(1) }),
      buildReport(fqdn, [first], { collectedAt: at(3) }),
      buildReport(fqdn, [second], { collectedAt: at(2) }),
      buildReport(fqdn, [first], { collectedAt: at(3) }), // the same report again: a replay
    ];
    const result = await postBatch(batched, reports);
    expect(result.results.map((item) => item.status)).toEqual([201, 201, 201, 200]);

    const host = await batched.db.host.findUniqueOrThrow({ where: { fqdn } });
    expect(host.lastReportAt?.toISOString()).toBe(reports[0]?.collectedAt);
    expect(host.boundCertificateSha256).toBe(third.sha256);
    const bindings = await batched.db.hostBinding.findMany({
      where: { hostId: host.id },
      orderBy: { id: "asc" },
    });
    expect(bindings.map((binding) => [binding.certificateSha256, binding.firstSeenAt.toISOString()])).toEqual(
      [
        [first.sha256, reports[1]?.collectedAt],
        [second.sha256, reports[2]?.collectedAt],
        [third.sha256, reports[0]?.collectedAt],
      ],
    );
    expect(await batched.db.report.count({ where: { hostId: host.id } })).toBe(3);
  });
});
