/** Planning certificates: dates from expiry buckets, names, and the registry of every planned certificate. */
import type { ExpiryBucket } from "@certfleet/core";
import type { CertificateSpec } from "./plan-types";
import type { Random } from "./random";
import type { SerialSource } from "./serials";
import type { DemoHost } from "./topology";

export const DAY = 24 * 60 * 60 * 1000;
export const HOUR = 60 * 60 * 1000;

/** Servers renew yearly; agents get two-year certificates. */
export const lifetimeDays = (host: DemoHost): number => (host.role === "Agent" ? 730 : 365);

/**
 * Days from `now` to notAfter per bucket, clear of the boundaries so that neither the hours between a
 * report and `now` nor rounding moves a certificate into the next bucket.
 */
const BUCKET_DAYS: Readonly<Record<ExpiryBucket, [number, number]>> = {
  expired: [-60, -2],
  d7: [1, 5],
  d30: [9, 27],
  d60: [33, 57],
  d90: [63, 87],
  later: [95, Number.POSITIVE_INFINITY],
};

export function notAfterFor(
  bucket: ExpiryBucket,
  lifetime: number,
  now: Date,
  random: Random,
  collectedAt: Date = now,
): Date {
  const [min, max] = BUCKET_DAYS[bucket];
  // A "later" certificate was still issued before the host's report (a silent host's is days old): at
  // least 3 days before it, so its notBefore never follows the report that shows it bound.
  const reportAge = Math.ceil((now.getTime() - collectedAt.getTime()) / DAY);
  const days = random.int(min, Math.min(max, lifetime - 3 - reportAge));
  return new Date(now.getTime() + days * DAY + random.int(0, 20) * HOUR);
}

export type CertificateDraft = Omit<CertificateSpec, "id" | "serialHex" | "derSerial">;

/** Every certificate the plan mentions, with serials handed out in issue order. */
export class CertificateBook {
  readonly all: CertificateSpec[] = [];
  constructor(private readonly serials: SerialSource) {}

  add(draft: CertificateDraft, options: { signByte?: boolean } = {}): CertificateSpec {
    const spec: CertificateSpec = { id: this.all.length, ...this.serials.next(options), ...draft };
    this.all.push(spec);
    return spec;
  }
}

const shortName = (fqdn: string): string => fqdn.split(".")[0] ?? fqdn;

/**
 * How each kind of host names itself: servers with CN + SAN (FQDN, then NetBIOS name), most agents with
 * the FQDN in the CN and SAN, some only in the CN. Every demo host is known by its FQDN, so none may use
 * its NetBIOS name alone (issue 13); some DMZ agents carry the FQDN in the CN only, as requested by hand.
 */
export function namesFor(host: DemoHost, random: Random): Pick<CertificateSpec, "subject" | "dnsNames"> {
  if (host.role !== "Agent") {
    return { subject: `CN=${host.fqdn}`, dnsNames: [host.fqdn, shortName(host.fqdn)] };
  }
  if (!host.domainJoined && random.chance(0.3)) return { subject: `CN=${host.fqdn}`, dnsNames: [] };
  return { subject: `CN=${host.fqdn}`, dnsNames: random.chance(0.8) ? [host.fqdn] : [] };
}

export { shortName };
