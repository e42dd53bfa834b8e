/**
 * Issue 13, "Renewal verification", on the real server and database: a renewal task closes only on a
 * report whose newest certificate-load event is a 20053 newer than the first report that showed the new
 * certificate bound (the serial history's firstSeenAt) and than the certificate's notBefore, with no
 * channel-problem event (21007, 20070...) after it. 20053 is Microsoft's "loaded the specified
 * authentication certificate" (HealthService Event Reference, MOMConnector).
 */
import type { Report } from "@certfleet/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { postReport } from "./support/estate";
import { buildReport, createPki, type IssuedCertificate, type Pki } from "./support/reports";
import { certificateExpiringIn, detail, onlyTask } from "./support/tasks";

const MINUTE = 60_000;
let t: TestApp;
let pki: Pki;

beforeAll(async () => {
  [t, pki] = await Promise.all([createTestApp(), createPki()]);
});
afterAll(async () => t?.close());

/** `minutes` ago, as the collector writes times. */
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
const event = (id: number, minutesAgo: number): Report["events"][number] => ({
  id,
  time: ago(minutesAgo),
  message: null,
});

describe("renewal tasks close on a 20053 newer than the new binding", () => {
  let fqdn: string;
  let old: IssuedCertificate;
  let renewed: IssuedCertificate;
  const collected = (minutesAgo: number, bound: IssuedCertificate, events: Report["events"]): Promise<void> =>
    postReport(t, buildReport(fqdn, [old, renewed], { bound, collectedAt: ago(minutesAgo), events }));

  beforeAll(async () => {
    fqdn = "verify.contoso.com";
    old = await certificateExpiringIn(pki, fqdn, 10);
    renewed = await certificateExpiringIn(pki, fqdn, 365);
    await postReport(t, buildReport(fqdn, [old], { collectedAt: ago(300) }));
    expect((await onlyTask(t, fqdn)).status).toBe("open");
  });

  it("the first report showing the new certificate bound does not close the task, even with a 20053", async () => {
    // Imported and loaded a minute before the collector ran: the binding is first seen in this report.
    await collected(240, renewed, [event(20053, 241)]);
    expect((await onlyTask(t, fqdn)).status).toBe("open");
    // A later report with the same, older 20053 does not close it either.
    await collected(230, renewed, [event(20053, 241)]);
    expect((await onlyTask(t, fqdn)).status).toBe("open");
  });

  it("a channel problem newer than the 20053 keeps it open: 21007, then 20070", async () => {
    await collected(200, renewed, [event(20053, 220), event(21007, 210)]);
    expect((await onlyTask(t, fqdn)).status).toBe("open");
    await collected(180, renewed, [event(20053, 220), event(20070, 190)]);
    expect((await onlyTask(t, fqdn)).status).toBe("open");
  });

  it("a later report with a 20053 newer than the first sighting, nothing after it, closes the task", async () => {
    await collected(120, renewed, [event(21007, 210), event(20070, 190), event(20053, 150)]);
    const closed = await onlyTask(t, fqdn);
    expect(closed).toMatchObject({ status: "done", resolvedCertificateSha256: renewed.sha256 });
    const close = (await detail(t, closed.id)).history.find((entry) => entry.action === "task.auto_close");
    expect(close?.actor).toBeNull();
    expect((close?.after as { why?: string } | undefined)?.why).toBe(
      "A report shows the new certificate bound and passing every error rule; its newest certificate-load event is a 20053 newer than the certificate's notBefore and than the first report that showed it bound, and no channel-problem event is newer than that 20053.",
    );
  });
});
