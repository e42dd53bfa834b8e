import type { ConnectorEvent } from "@certfleet/contracts";
import type { Finding } from "../types";
import { finding, type HostRule, listOf, plural, type RuleContext } from "./context";
import {
  CHANNEL_PROBLEMS,
  EVENT_CERTIFICATE_EXPIRING,
  EVENT_CERTIFICATE_LOADED,
  LOAD_FAILURES,
} from "./event-meanings";
import { usesKerberos } from "./kerberos";

interface TimedEvent {
  event: ConnectorEvent;
  time: number;
  index: number;
}

const isLoadEvent = (id: number): boolean => id === EVENT_CERTIFICATE_LOADED || id in LOAD_FAILURES;

/**
 * Oldest first. Events of the same time are ordered by their record id (the log's own order, higher is
 * newer) when every one of them has one, else by the collector's list order: comparing record ids only
 * pairwise, with list order for the rest, would not be a consistent order. Unreadable times are dropped.
 */
function chronological(events: ConnectorEvent[]): TimedEvent[] {
  const ordered = events
    .map((event, index) => ({ event, index, time: Date.parse(event.time) }))
    .filter((e) => !Number.isNaN(e.time))
    .sort((a, b) => a.time - b.time || a.index - b.index);
  const out: TimedEvent[] = [];
  for (let start = 0; start < ordered.length; ) {
    let end = start + 1;
    while (end < ordered.length && ordered[end]?.time === ordered[start]?.time) end += 1;
    const sameTime = ordered.slice(start, end);
    if (sameTime.every((e) => e.event.recordId != null)) {
      sameTime.sort(
        (a, b) => (a.event.recordId as number) - (b.event.recordId as number) || a.index - b.index,
      );
    }
    out.push(...sameTime);
    start = end;
  }
  return out;
}

/** Position of the newest certificate-load event (20053 or a load failure) in chronological order, or -1. */
function newestLoadPosition(events: TimedEvent[]): number {
  return events.findLastIndex((e) => isLoadEvent(e.event.id));
}

/**
 * The newest certificate-load event as the events rule reads it (event time, record id then the
 * collector's order breaking ties, unreadable times dropped), or null. Exported so the renewal workflow
 * confirms an import by exactly the same reading: 20053 after a 20066 counts, 20066 after 20053 does not.
 */
export function newestLoadEvent(events: ConnectorEvent[]): ConnectorEvent | null {
  const ordered = chronological(events);
  return ordered[newestLoadPosition(ordered)]?.event ?? null;
}

/** The newest event with this id, read the same way (event time, then record id, then the collector's order). */
export function newestEventOf(events: ConnectorEvent[], id: number): ConnectorEvent | null {
  return (
    chronological(events)
      .filter((e) => e.event.id === id)
      .at(-1)?.event ?? null
  );
}

/**
 * The events after `event` in the same reading (newer, or as new and later in the log), e.g. the
 * channel problems after the newest 20053. Empty when `event` is not in the list.
 */
export function eventsAfter(events: ConnectorEvent[], event: ConnectorEvent): ConnectorEvent[] {
  const ordered = chronological(events);
  const position = ordered.findIndex((e) => e.event === event);
  return position === -1 ? [] : ordered.slice(position + 1).map((e) => e.event);
}

/** When the binding SCOM reads now began, as far as the report tells, and how to name that moment. */
interface BindingStart {
  time: number;
  described: string;
}

/** 20051 ("not currently valid"): what SCOM logs for a certificate before its notBefore (or after notAfter). */
const EVENT_CERTIFICATE_NOT_VALID = 20051;

/**
 * The later of the bound certificate's notBefore (no load before it can be about it) and the Machine
 * Settings key's last write (contract 1.1: the registry value was set then, so older loads were of what it
 * said before). Null when the report tells neither. One exception: while the bound certificate is still
 * not yet valid, a 20051 before its notBefore is exactly what SCOM says about it, so notBefore does not
 * make that event stale (the validity rule names the date).
 */
function bindingStart(
  { input, bound, now }: RuleContext,
  latestLoad: TimedEvent | undefined,
): BindingStart | null {
  const starts: BindingStart[] = [];
  const notBefore = bound?.evidence.certificate.notBefore;
  const notYetValid =
    latestLoad?.event.id === EVENT_CERTIFICATE_NOT_VALID &&
    notBefore !== undefined &&
    Date.parse(notBefore) > now.getTime();
  if (notBefore && !notYetValid && !Number.isNaN(Date.parse(notBefore))) {
    starts.push({
      time: Date.parse(notBefore),
      described: `the bound certificate's notBefore (${notBefore})`,
    });
  }
  const lastWrite = input.registry.lastWriteTime;
  if (lastWrite && !Number.isNaN(Date.parse(lastWrite))) {
    starts.push({
      time: Date.parse(lastWrite),
      described: `the last write of the Machine Settings registry key (${lastWrite})`,
    });
  }
  return starts.sort((a, b) => b.time - a.time)[0] ?? null;
}

function loadFailure(latest: TimedEvent): Finding {
  const { id, time } = latest.event;
  const meaning = LOAD_FAILURES[id];
  return finding(
    "events",
    "error",
    `the newest OpsMgr Connector certificate event is ${id} at ${time}: ${meaning?.meaning}; the channel certificate was not loaded`,
    meaning?.remediation,
  );
}

/**
 * The newest load event predates the binding: whatever it says (loaded or failed) was about the
 * certificate configured before, so this one's load is neither confirmed nor refuted (issue 13).
 */
function unconfirmedLoad(latest: TimedEvent, start: BindingStart, certificateBound: boolean): Finding {
  const { id, time } = latest.event;
  const said = id === EVENT_CERTIFICATE_LOADED ? "certificate loaded" : LOAD_FAILURES[id]?.meaning;
  const subject = certificateBound ? "the certificate bound now" : "the channel certificate configured now";
  return finding(
    "events",
    "info",
    `the newest OpsMgr Connector certificate event, ${id} at ${time} (${said}), is older than ${start.described}: it says nothing about ${subject}, so its load is unconfirmed`,
    "Restart the Microsoft Monitoring Agent (Health Service) on the host, or re-run MOMCertImport once no other finding fails the certificate; then look for a new event 20053 in the Operations Manager log.",
  );
}

/** Expiry notices and channel failures among `later` (the events after the newest load, or since the binding). */
function afterLoad(later: TimedEvent[]): Finding[] {
  const out: Finding[] = [];
  const expiring = later.filter((e) => e.event.id === EVENT_CERTIFICATE_EXPIRING).at(-1);
  if (expiring) {
    out.push(
      finding(
        "events",
        "warning",
        `OpsMgr Connector event 21020 at ${expiring.event.time}: the loaded certificate is about to expire`,
        "Renew the certificate and run MOMCertImport with the new one before it expires.",
      ),
    );
  }
  const channel = later.filter((e) => e.event.id in CHANNEL_PROBLEMS);
  const newest = channel.at(-1);
  if (newest) {
    const ids = [...new Set(channel.map((e) => e.event.id))].sort((a, b) => a - b);
    const meaning = CHANNEL_PROBLEMS[newest.event.id];
    const others = ids.length > 1 ? ` (channel events seen: ${listOf(ids.map(String))})` : "";
    out.push(
      finding(
        "events",
        "warning",
        `OpsMgr Connector event ${newest.event.id} at ${newest.event.time}: ${meaning?.meaning}${others}`,
        meaning?.remediation,
      ),
    );
  }
  return out;
}

/**
 * events (seed "Import the certificate into Operations Manager", steps 9-10; issue 13 "time matters").
 * Only the newest certificate-load event counts: 20053 after a later-fixed 20066 is fine, 20066 after
 * 20053 is an error. Only events not older than the binding (the bound certificate's notBefore, the
 * registry key's last write) say anything about it: a newest load event older than that leaves the load
 * unconfirmed (info, neither pass nor fail), and channel problems and expiry notices older than that were
 * about the certificate before (ignored; if the channel still fails, the Health Service logs it again).
 * No load event at all is info only: event logs roll over, and a missing import is registry-serial's error.
 */
export const eventsRule: HostRule = (context) => {
  const { input } = context;
  const events = chronological(input.events);
  const position = newestLoadPosition(events);
  const latestLoad = events[position];
  const start = bindingStart(context, latestLoad);
  const current = start ? events.filter((e) => e.time >= start.time) : events;
  if (latestLoad && start && latestLoad.time < start.time) {
    return [unconfirmedLoad(latestLoad, start, context.bound !== null), ...afterLoad(current)];
  }
  if (latestLoad && latestLoad.event.id !== EVENT_CERTIFICATE_LOADED) return [loadFailure(latestLoad)];
  if (latestLoad) return afterLoad(events.slice(position + 1));
  // A Kerberos host (no certificate configured, none required) logs no certificate load: nothing to confirm.
  if (usesKerberos(context)) return afterLoad(current);
  const seen =
    input.events.length === 0
      ? "no OpsMgr Connector events were reported"
      : `none of the ${plural(input.events.length, "reported event")} is a certificate-load event (20053 or a load failure)`;
  return [
    ...afterLoad(current),
    finding(
      "events",
      "info",
      `${seen}; the Operations Manager log may have rolled over, so the certificate load cannot be confirmed from events`,
      "Nothing to fix. After the next MOMCertImport or HealthService restart, event 20053 confirms the load.",
    ),
  ];
};
