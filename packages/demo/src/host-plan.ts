/**
 * One host's reports: its renewal history (one report per earlier certificate) and its current report,
 * with the host's scenario applied to the current one.
 */
import type { ExpiryBucket } from "@certfleet/core";
import {
  type CertificateBook,
  type CertificateDraft,
  DAY,
  HOUR,
  lifetimeDays,
  namesFor,
  notAfterFor,
} from "./certificate-plans";
import { CA_IN_STORE_FACTS, channelFacts, EVENT_LOADED } from "./facts";
import type { CertificateSpec, HostPlan, PlannedEvent, ReportPlan, StoreEntry } from "./plan-types";
import type { Random } from "./random";
import { applyScenario, type Draft } from "./scenario-effects";
import type { ScenarioId } from "./scenarios";
import type { DemoHost } from "./topology";

export interface HostAttributes {
  scenario: ScenarioId;
  bucket: ExpiryBucket;
  silent: boolean;
  renewals: number;
  template: boolean;
  /** Newer agents also write ChannelCertificateHash. */
  usesHash: boolean;
  inventory: boolean;
  neverReported: boolean;
}

export interface HostContext {
  now: Date;
  random: Random;
  book: CertificateBook;
  /** Another host's FQDN (for a certificate requested with the wrong name). */
  otherHostName: (host: DemoHost) => string;
}

const issuedAt = (certificate: Pick<CertificateDraft, "notBefore">, random: Random) =>
  new Date(certificate.notBefore.getTime() + random.int(2, 72) * HOUR);

export function planHost(
  host: DemoHost,
  attributes: HostAttributes,
  collectedAt: Date,
  context: HostContext,
  bindTo?: CertificateSpec,
): HostPlan {
  const plan: HostPlan = { ...host, ...attributes, reports: [] };
  if (attributes.neverReported) return plan;
  const { random, now } = context;
  const lifetime = lifetimeDays(host);
  const notAfter = notAfterFor(attributes.bucket, lifetime, now, random, collectedAt);
  const draft: Draft = {
    certificate: {
      ...namesFor(host, random),
      notBefore: new Date(notAfter.getTime() - lifetime * DAY),
      notAfter,
      key: "rsa2048",
      signatureHash: "SHA-256",
      template: attributes.template,
      issuer: "demo",
    },
    signByte: false,
    facts: channelFacts(host),
    load: EVENT_LOADED,
    after: [],
    registryWrittenAfterLoad: false,
    registry: "bound",
    hash: "bound",
    previousInStore: false,
    renewed: false,
    renewalFacts: {},
    caInStore: false,
  };
  applyScenario(attributes.scenario, host, draft, context);
  if (draft.noCertificate) {
    // A Kerberos host: nothing issued, nothing bound, no OpsMgr Connector certificate event.
    plan.reports.push({ collectedAt, store: [], registry: null, hash: null, events: [] });
    return plan;
  }
  plan.reports.push(...planHistory(host, attributes, draft.certificate, context));

  const bound = bindTo ?? context.book.add(draft.certificate, { signByte: draft.signByte });
  const previous =
    draft.previousInStore || draft.registry === "previous" ? earlier(bound, host, context) : null;
  const store: StoreEntry[] = [{ certificate: bound.id, facts: draft.facts }];
  if (previous && draft.previousInStore) store.push({ certificate: previous.id, facts: channelFacts(host) });
  if (draft.renewed) {
    const facts = channelFacts(host, draft.renewalFacts);
    store.push({ certificate: renewal(bound, host, context).id, facts });
  }
  if (draft.caInStore) store.push({ certificate: "ca", facts: CA_IN_STORE_FACTS });

  const registryCertificate = draft.registry === "previous" ? previous : bound;
  plan.reports.push({
    collectedAt,
    store,
    registry:
      draft.registry === "none" || !registryCertificate
        ? null
        : { certificate: registryCertificate.id, withoutSignByte: draft.registry === "no-sign-byte" },
    hash:
      draft.hash === "previous"
        ? (previous?.id ?? null)
        : draft.hash === "bound" && attributes.usesHash
          ? bound.id
          : null,
    events: currentEvents(draft, bound, collectedAt, random),
    // Half an hour before the collector ran: after the newest load event, which is at least an hour old.
    ...(draft.registryWrittenAfterLoad
      ? { registryLastWriteTime: new Date(collectedAt.getTime() - 30 * 60_000) }
      : {}),
  });
  return plan;
}

function currentEvents(
  draft: Draft,
  bound: CertificateSpec,
  collectedAt: Date,
  random: Random,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const latest = collectedAt.getTime() - random.int(1, 5) * HOUR;
  if (draft.load !== null) {
    // Loaded after import, or at the last HealthService restart; a failure is logged at the last restart.
    const afterIssue = issuedAt(bound, random).getTime();
    const restart = collectedAt.getTime() - random.int(1, 40) * DAY;
    const time = draft.load === EVENT_LOADED ? Math.min(Math.max(afterIssue, restart), latest) : latest;
    // A failing host once loaded an earlier certificate fine: only the newest load event counts.
    if (draft.load !== EVENT_LOADED)
      events.push({ id: EVENT_LOADED, time: new Date(time - random.int(20, 200) * DAY) });
    events.push({ id: draft.load, time: new Date(time) });
  }
  for (const id of draft.after) events.push({ id, time: new Date(latest + random.int(5, 55) * 60_000) });
  return events;
}

/** An earlier certificate of the host (same names), expiring two weeks after `bound` was issued. */
function earlier(bound: CertificateSpec, host: DemoHost, context: HostContext): CertificateSpec {
  const notAfter = new Date(bound.notBefore.getTime() + 14 * DAY);
  return context.book.add({
    ...pickNames(bound),
    notBefore: new Date(notAfter.getTime() - lifetimeDays(host) * DAY),
    notAfter,
    key: "rsa2048",
    signatureHash: "SHA-256",
    template: bound.template,
    issuer: "demo",
  });
}

/** What auto-enrollment put in the store a few days ago: same names, a full new lifetime. */
function renewal(bound: CertificateSpec, host: DemoHost, context: HostContext): CertificateSpec {
  const notBefore = new Date(context.now.getTime() - context.random.int(3, 20) * DAY);
  return context.book.add({
    ...pickNames(bound),
    notBefore,
    notAfter: new Date(notBefore.getTime() + lifetimeDays(host) * DAY),
    key: "rsa2048",
    signatureHash: "SHA-256",
    template: bound.template,
    issuer: "demo",
  });
}

const pickNames = (spec: CertificateSpec) => ({ subject: spec.subject, dnsNames: spec.dnsNames });

/**
 * Renewals before the current certificate, oldest first: each certificate expired two weeks after its
 * successor was issued, and was seen by the collector while it was the bound one.
 */
function planHistory(
  host: DemoHost,
  attributes: HostAttributes,
  current: CertificateDraft,
  context: HostContext,
): ReportPlan[] {
  const { random, book } = context;
  const lifetime = lifetimeDays(host);
  const reports: ReportPlan[] = [];
  let successorIssued = current.notBefore;
  for (let i = 0; i < attributes.renewals; i++) {
    const notAfter = new Date(successorIssued.getTime() + 14 * DAY);
    const notBefore = new Date(notAfter.getTime() - lifetime * DAY);
    const spec = book.add({ ...current, notBefore, notAfter });
    const collectedAt = new Date(
      notBefore.getTime() + random.int(20, lifetime - 45) * DAY + random.int(0, 23) * HOUR,
    );
    reports.unshift({
      collectedAt,
      store: [{ certificate: spec.id, facts: channelFacts(host) }],
      registry: { certificate: spec.id },
      hash: attributes.usesHash ? spec.id : null,
      events: [{ id: EVENT_LOADED, time: issuedAt(spec, random) }],
    });
    successorIssued = notBefore;
  }
  return reports;
}
