import type { ConnectorEvent } from "@certfleet/contracts";
import type { Finding } from "../types";
import { finding, type HostRule, listOf, plural } from "./context";
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

/** Oldest first; the collector's order breaks equal timestamps. Events with unreadable times are dropped. */
function chronological(events: ConnectorEvent[]): TimedEvent[] {
  return events
    .map((event, index) => ({ event, index, time: Date.parse(event.time) }))
    .filter((e) => !Number.isNaN(e.time))
    .sort((a, b) => a.time - b.time || a.index - b.index);
}

/** The newest certificate-load event in chronological order (20053 or a load failure), if any. */
function newestLoad(events: TimedEvent[]): TimedEvent | undefined {
  return events.filter((e) => isLoadEvent(e.event.id)).at(-1);
}

/**
 * The newest certificate-load event as the events rule reads it (event time, the collector's order
 * breaking ties, unreadable times dropped), or null. Exported so the renewal workflow confirms an
 * import by exactly the same reading: 20053 after a 20066 counts, 20066 after 20053 does not.
 */
export function newestLoadEvent(events: ConnectorEvent[]): ConnectorEvent | null {
  return newestLoad(chronological(events))?.event ?? null;
}

/** The newest event with this id, read the same way (event time, the collector's order breaking ties). */
export function newestEventOf(events: ConnectorEvent[], id: number): ConnectorEvent | null {
  return (
    chronological(events)
      .filter((e) => e.event.id === id)
      .at(-1)?.event ?? null
  );
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

/** Problems after the newest load (or, with no load event, any): expiry notices and channel failures. */
function afterLoad(events: TimedEvent[], since: number): Finding[] {
  const later = events.filter((e) => e.time > since);
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
 * events (seed "Import the certificate into Operations Manager", steps 9-10). Only the newest
 * certificate-load event counts: 20053 after a later-fixed 20066 is fine, 20066 after 20053 is an error.
 * No load event at all is info only: event logs roll over, and a missing import is registry-serial's error.
 */
export const eventsRule: HostRule = (context) => {
  const { input } = context;
  const events = chronological(input.events);
  const latestLoad = newestLoad(events);
  if (latestLoad && latestLoad.event.id !== EVENT_CERTIFICATE_LOADED) return [loadFailure(latestLoad)];
  const out = afterLoad(events, latestLoad?.time ?? Number.NEGATIVE_INFINITY);
  // A Kerberos host (no certificate configured, none required) logs no certificate load: nothing to confirm.
  if (!latestLoad && !usesKerberos(context)) {
    const seen =
      input.events.length === 0
        ? "no OpsMgr Connector events were reported"
        : `none of the ${plural(input.events.length, "reported event")} is a certificate-load event (20053 or a load failure)`;
    out.push(
      finding(
        "events",
        "info",
        `${seen}; the Operations Manager log may have rolled over, so the certificate load cannot be confirmed from events`,
        "Nothing to fix. After the next MOMCertImport or HealthService restart, event 20053 confirms the load.",
      ),
    );
  }
  return out;
};
