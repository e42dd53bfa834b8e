import type { HostListItem, HostPage, Report } from "@certfleet/contracts";
import type { TestApp } from "./app";
import { buildReport, type IssuedCertificate, issueCertificate, type Pki } from "./reports";

const DAY = 86_400_000;

export interface HostSpec {
  fqdn: string;
  role?: Report["host"]["role"];
  managementGroup?: string | null;
  /** Days until the bound certificate expires (negative: expired). */
  expiresInDays?: number;
  /** Hours since the collector read the host. */
  reportedHoursAgo?: number;
  /** No registry value: nothing bound. */
  unbound?: boolean;
  keyProviderType?: "CSP" | "KSP";
}

let serial = 0x5000;

/** Posts one report for the spec through the public ingest API and returns the issued certificate. */
export async function postHost(t: TestApp, pki: Pki, spec: HostSpec): Promise<IssuedCertificate> {
  serial += 1;
  const certificate = await issueCertificate(pki, {
    fqdn: spec.fqdn,
    serialHex: `1f${serial.toString(16).padStart(6, "0")}a0b0c0d0e0f`,
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() + (spec.expiresInDays ?? 365) * DAY + 3_600_000),
  });
  const collectedAt = new Date(Date.now() - (spec.reportedHoursAgo ?? 1) * 3_600_000).toISOString();
  const report = buildReport(spec.fqdn, [certificate], {
    collectedAt,
    bound: spec.unbound ? null : certificate,
  });
  report.host.role = spec.role ?? "Agent";
  report.host.managementGroup = spec.managementGroup === undefined ? "MG-PROD" : spec.managementGroup;
  if (spec.keyProviderType === "KSP") {
    report.certificates[0] = {
      ...report.certificates[0],
      der: certificate.base64,
      hasPrivateKey: true,
      keyProviderType: "KSP",
      keyProvider: "Microsoft Software Key Storage Provider",
    };
  }
  await postReport(t, report);
  return certificate;
}

/** Posts a report with the test collector token, as a collector would; anything but 201 fails the test. */
export async function postReport(t: TestApp, report: Report): Promise<void> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/v1/reports",
    headers: { authorization: `Bearer ${t.token}` },
    payload: report,
  });
  if (response.statusCode !== 201) {
    throw new Error(`ingest of ${report.host.fqdn} failed: ${response.statusCode} ${response.body}`);
  }
}

export async function getHosts(t: TestApp, query: string): Promise<HostPage> {
  const response = await t.get(`/api/v1/hosts?${query}`);
  if (response.statusCode !== 200)
    throw new Error(`GET /api/v1/hosts?${query}: ${response.statusCode} ${response.body}`);
  return response.json<HostPage>();
}

/** Every host matching the query, following nextCursor page by page. */
export async function allPages(
  t: TestApp,
  query: string,
  between?: (page: number) => Promise<void>,
): Promise<HostListItem[]> {
  const items: HostListItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const result: HostPage = await getHosts(
      t,
      cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query,
    );
    items.push(...result.items);
    if (!result.nextCursor) return items;
    cursor = result.nextCursor;
    await between?.(page);
  }
  throw new Error("pagination did not end");
}

export const fqdns = (items: HostListItem[]) => items.map((item) => item.fqdn);
