import type { ConnectorEvent } from "@certfleet/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateHost, newestLoadEvent } from "../src/index";
import { CHANNEL_PROBLEMS, LOAD_FAILURES } from "../src/rules/event-meanings";
import { newestEventOf } from "../src/rules/events";
import type { Finding } from "../src/types";
import { createFixture, evidence, type Fixture, findingsOf, hostInput } from "./support/fixture";

let fx: Fixture;

beforeAll(async () => {
  fx = await createFixture();
});

const at = (hour: number) => `2026-06-01T${String(hour).padStart(2, "0")}:00:00Z`;
const events = (...list: Array<[id: number, hour: number]>): ConnectorEvent[] =>
  list.map(([id, hour]) => ({ id, time: at(hour) }));
const eventFindings = (list: ConnectorEvent[]): Finding[] =>
  findingsOf(evaluateHost(hostInput(fx, evidence(fx.healthy), { events: list })), "events");

describe("events: only the newest certificate-load event counts", () => {
  it("20053 after an earlier 20066 is fine", () => {
    expect(eventFindings(events([20066, 8], [20053, 9]))).toEqual([]);
  });

  it("20066 after an earlier 20053 is an error", () => {
    const [finding, ...rest] = eventFindings(events([20053, 8], [20066, 9]));
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toBe(
      `the newest OpsMgr Connector certificate event is 20066 at ${at(9)}: the certificate named in the registry (ChannelCertificateSerialNumber) is not in the certificate store; the channel certificate was not loaded`,
    );
  });

  it("orders by event time, not by the order the collector listed them", () => {
    expect(eventFindings(events([20053, 9], [20066, 8]))).toEqual([]);
    expect(eventFindings(events([20066, 9], [20053, 8]))[0]?.severity).toBe("error");
  });

  it("equal timestamps without record ids: the later entry in the report wins", () => {
    expect(eventFindings(events([20053, 9], [20049, 9]))[0]?.message).toContain("20049");
    expect(eventFindings(events([20049, 9], [20053, 9]))).toEqual([]);
  });

  it.each([
    [20049, "key usage lacks Digital Signature and/or Key Encipherment"],
    [20050, "Enhanced Key Usage lacks Server Authentication and/or Client Authentication"],
    [20051, "not currently valid"],
    [20052, "subject does not match this computer's name"],
    [20066, "not in the certificate store"],
    [20068, "no usable private key"],
    [20069, "KeySpec is not AT_KEYEXCHANGE"],
    [20077, "properties could not be read, usually because its private key is missing"],
  ])("%i is an error explaining itself", (id, meaning) => {
    const [finding] = eventFindings(events([20053, 7], [id, 8]));
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(`event is ${id} at ${at(8)}`);
    expect(finding?.message).toContain(meaning);
    expect(finding?.remediation).not.toBe("");
  });

  it("events the rule does not know are ignored", () => {
    expect(eventFindings(events([20053, 7], [1234, 8], [20000, 9]))).toEqual([]);
  });
});

// Issue 13, "Connector events": load failures beyond the seed supersede an older 20053.
describe("events: load failures beyond the seed", () => {
  it.each([
    [21036, "the certificate named in the registry cannot be used for authentication"],
    [21021, "no certificate could be loaded or created for authentication"],
  ])("%i after an earlier 20053 is an error explaining itself", (id, meaning) => {
    const [finding, ...rest] = eventFindings(events([20053, 7], [id, 8]));
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toBe(
      `the newest OpsMgr Connector certificate event is ${id} at ${at(8)}: ${meaning}; the channel certificate was not loaded`,
    );
  });

  it("a 20053 after them is a good load again", () => {
    expect(eventFindings(events([21036, 7], [21021, 8], [20053, 9]))).toEqual([]);
  });

  it("20071 says authentication failed on either side, not that an approval is missing (20070 says that)", () => {
    const [failed] = eventFindings(events([20053, 7], [20071, 8]));
    expect(failed?.message).toContain("DNS");
    expect(failed?.message).not.toContain("approved");
    const [closed] = eventFindings(events([20053, 7], [20070, 8]));
    expect(closed?.message).toContain("not approved");
  });
});

describe("events: where each meaning comes from", () => {
  // The seed ("Import the certificate into Operations Manager", steps 9-10) names 20053 and these
  // failures; anything else is marked as Microsoft's table or as our inference.
  const SEED_FAILURES = [20049, 20050, 20052, 20066, 20069, 20077];

  it("every known event says whether its meaning is Microsoft's, the seed's or inferred", () => {
    for (const [id, meaning] of Object.entries({ ...LOAD_FAILURES, ...CHANNEL_PROBLEMS })) {
      expect(["microsoft", "seed", "inferred"], `event ${id}`).toContain(meaning.source);
    }
  });

  it("only the failures the seed lists are marked as the seed's", () => {
    const fromSeed = Object.entries({ ...LOAD_FAILURES, ...CHANNEL_PROBLEMS })
      .filter(([, meaning]) => meaning.source === "seed")
      .map(([id]) => Number(id));
    expect(fromSeed.sort()).toEqual(SEED_FAILURES);
  });
});

describe("events: after a good load", () => {
  it("21020 (expiring) after 20053 is a warning", () => {
    const [finding] = eventFindings(events([20053, 7], [21020, 8]));
    expect(finding?.severity).toBe("warning");
    expect(finding?.message).toContain(`21020 at ${at(8)}`);
  });

  it("21020 before a newer 20053 (a new certificate loaded since) is ignored", () => {
    expect(eventFindings(events([21020, 7], [20053, 8]))).toEqual([]);
  });

  it.each([
    [20070, "closed right after authentication"],
    [20071, "authentication with the other side failed, on either end"],
    [20072, "certificate is not trusted"],
    [21001, "mutual authentication with the other side failed"],
    [21002, "mutual authentication with the other side failed"],
    [20057, "security context"],
    [21007, "mutually authenticated connection could not be created"],
    [21003, "root of the CA that issued the other side's certificate is not trusted"],
    [20002, "could not be authenticated, and was rejected"],
  ])("%i after 20053 is a warning explaining itself", (id, meaning) => {
    const [finding, ...rest] = eventFindings(events([20053, 7], [id, 8]));
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe("warning");
    expect(finding?.message).toContain(`event ${id} at ${at(8)}`);
    expect(finding?.message).toContain(meaning);
  });

  it("several channel events: one warning naming the newest and listing the ids", () => {
    const [finding, ...rest] = eventFindings(events([20053, 6], [21002, 7], [20072, 9], [21002, 8]));
    expect(rest).toEqual([]);
    expect(finding?.message).toContain("event 20072 at");
    expect(finding?.message).toContain("(channel events seen: 20072 and 21002)");
  });

  it("channel events before the newest load are history", () => {
    expect(eventFindings(events([20072, 6], [20053, 7]))).toEqual([]);
  });

  it("after a load failure only the failure is reported", () => {
    const findings = eventFindings(events([20053, 6], [20052, 7], [20071, 8], [21020, 9]));
    expect(findings.map((f) => [f.severity, f.message.includes("20052")])).toEqual([["error", true]]);
  });
});

describe("events: nothing to go on", () => {
  it("no connector events at all is info (logs roll over)", () => {
    const findings = eventFindings([]);
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    expect(findings[0]?.message).toContain("no OpsMgr Connector events were reported");
  });

  it("events but no load event is info, counting what was reported", () => {
    const findings = eventFindings(events([1234, 7], [20000, 8]));
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    expect(findings[0]?.message).toContain("none of the 2 reported events is a certificate-load event");
  });

  it("channel problems without any load event still warn, next to the info", () => {
    const findings = eventFindings(events([20071, 8]));
    expect(findings.map((f) => f.severity).sort()).toEqual(["info", "warning"]);
  });

  it("events with unreadable times are skipped", () => {
    expect(eventFindings([{ id: 20066, time: "not a time" }, ...events([20053, 8])])).toEqual([]);
  });

  it("the events rule applies even when no certificate is bound", () => {
    const evaluation = evaluateHost(
      hostInput(fx, evidence(fx.healthy), {
        registry: { channelCertificateSerialNumber: null },
        events: events([20053, 7], [20066, 8]),
      }),
    );
    expect(evaluation.bound).toBeNull();
    expect(findingsOf(evaluation, "events")[0]?.severity).toBe("error");
  });
});

// Issue 13, "Connector events: time matters": ties are broken by the event record id (the log's own
// order; contract 1.1 `events[].recordId`), not by the order of the collector's list.
describe("events: same time, ordered by record id", () => {
  const tied = (...list: Array<[id: number, recordId: number | null]>): ConnectorEvent[] =>
    list.map(([id, recordId]) => ({ id, time: at(9), recordId }));

  it("the higher record id is the newer event, whatever the list order", () => {
    // Listed first, but later in the log: the 20053 wins, and then the 20049 does.
    expect(eventFindings(tied([20053, 101], [20049, 100]))).toEqual([]);
    const failedLast = eventFindings(tied([20049, 102], [20053, 101]));
    expect(failedLast.map((f) => f.severity)).toEqual(["error"]);
    expect(failedLast[0]?.message).toContain("20049");
  });

  it("list order decides only when an event of the tie has no record id", () => {
    expect(eventFindings(tied([20053, 101], [20049, null]))[0]?.message).toContain("20049");
    expect(eventFindings(tied([20049, null], [20053, 100]))).toEqual([]);
  });

  it("a channel problem in the same second as the 20053 but later in the log is after the load", () => {
    const findings = eventFindings(tied([20071, 201], [20053, 200]));
    expect(findings.map((f) => f.severity)).toEqual(["warning"]);
    expect(findings[0]?.message).toContain("event 20071");
    expect(eventFindings(tied([20071, 199], [20053, 200]))).toEqual([]);
  });

  it("newestLoadEvent and newestEventOf (the renewal check and registry-serial's 21022) read the same order", () => {
    const list = tied([20053, 301], [20066, 300], [21022, 311], [21022, 310]);
    expect(newestLoadEvent(list)).toBe(list[0]);
    expect(newestEventOf(list, 21022)).toBe(list[2]);
    const reversed = [...list].reverse();
    expect(newestLoadEvent(reversed)).toBe(list[0]);
    expect(newestEventOf(reversed, 21022)).toBe(list[2]);
  });
});

// Issue 13, "Connector events: time matters": a load event older than the bound certificate's notBefore,
// or older than the Machine Settings key's last write (contract 1.1 `registry.lastWriteTime`), says
// nothing about this certificate: its load is "unconfirmed" (info), neither pass nor fail. 20053 is
// Microsoft's "loaded the specified authentication certificate" (HealthService Event Reference,
// MOMConnector); the seed ("Import the certificate into Operations Manager", step 9) looks for it.
describe("events: a load older than the binding is unconfirmed", () => {
  /** The healthy certificate, re-issued to be valid only from `notBefore`. */
  const validFrom = (notBefore: string) => fx.leaf({ notBefore: new Date(notBefore) });
  const evaluate = (
    certificate: Awaited<ReturnType<typeof validFrom>>,
    list: ConnectorEvent[],
    lastWriteTime?: string,
  ) => {
    const input = hostInput(fx, evidence(certificate), { events: list });
    if (lastWriteTime) input.registry = { ...input.registry, lastWriteTime };
    return evaluateHost(input);
  };

  it("a 20053 older than the certificate's notBefore is info naming the event, the notBefore and the fix", async () => {
    const renewed = await validFrom(at(10));
    const evaluation = evaluate(renewed, events([20053, 9]));
    const findings = findingsOf(evaluation, "events");
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    expect(findings[0]?.message).toBe(
      `the newest OpsMgr Connector certificate event, 20053 at ${at(9)} (certificate loaded), is older than the bound certificate's notBefore (${renewed.notBefore}): it says nothing about the certificate bound now, so its load is unconfirmed`,
    );
    expect(findings[0]?.remediation).toContain("Restart the Microsoft Monitoring Agent (Health Service)");
    expect(findings[0]?.remediation).toContain("re-run MOMCertImport");
    expect(findings[0]?.remediation).toContain("20053");
    // Neither pass nor fail: the host's status is what the other rules make it.
    expect(evaluation.status).toBe("ok");
  });

  it("a load failure older than the notBefore is not an error either: it was about the certificate before", async () => {
    const renewed = await validFrom(at(10));
    const evaluation = evaluate(renewed, events([20053, 7], [20066, 9]));
    const findings = findingsOf(evaluation, "events");
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    expect(findings[0]?.message).toContain(`20066 at ${at(9)} (the certificate named in the registry`);
    expect(findings[0]?.message).toContain("unconfirmed");
    expect(evaluation.status).toBe("ok");
  });

  it("a 20051 before the notBefore of a certificate still not yet valid is about it: an error, not unconfirmed", async () => {
    // 20051 ("not currently valid") is what SCOM logs for a certificate used before its notBefore.
    const early = await validFrom("2026-06-03T00:00:00Z");
    const [finding, ...rest] = findingsOf(evaluate(early, events([20053, 7], [20051, 9])), "events");
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain(`event is 20051 at ${at(9)}`);
    // Once the certificate is valid, an older 20051 was about the certificate before: unconfirmed.
    const nowValid = await validFrom(at(10));
    expect(findingsOf(evaluate(nowValid, events([20051, 9])), "events").map((f) => f.severity)).toEqual([
      "info",
    ]);
  });

  it("a load as new as the notBefore, or newer, counts as before", async () => {
    const renewed = await validFrom(at(9));
    expect(findingsOf(evaluate(renewed, events([20053, 9])), "events")).toEqual([]);
    expect(findingsOf(evaluate(renewed, events([20053, 10], [20066, 11])), "events")[0]?.severity).toBe(
      "error",
    );
  });

  it("with the registry key's last write (contract 1.1), a 20053 older than that write is unconfirmed", () => {
    const findings = findingsOf(evaluate(fx.healthy, events([20053, 8]), at(9)), "events");
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    expect(findings[0]?.message).toContain(
      `is older than the last write of the Machine Settings registry key (${at(9)})`,
    );
    expect(findingsOf(evaluate(fx.healthy, events([20053, 8], [20053, 10]), at(9)), "events")).toEqual([]);
  });

  it("the later of notBefore and last write is the one that counts", async () => {
    const renewed = await validFrom(at(9));
    const [byWrite] = findingsOf(evaluate(renewed, events([20053, 10]), at(11)), "events");
    expect(byWrite?.message).toContain(`last write of the Machine Settings registry key (${at(11)})`);
    const [byNotBefore] = findingsOf(evaluate(renewed, events([20053, 8]), at(7)), "events");
    expect(byNotBefore?.message).toContain(`the bound certificate's notBefore (${renewed.notBefore})`);
  });

  it("with nothing bound, a load older than the registry key's last write is unconfirmed too", () => {
    const input = hostInput(fx, evidence(fx.healthy), {
      registry: { channelCertificateSerialNumber: null, lastWriteTime: at(9) },
      events: events([20053, 7], [20066, 8]),
    });
    const [finding, ...rest] = findingsOf(evaluateHost(input), "events");
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain("the channel certificate configured now, so its load is unconfirmed");
  });

  it("channel problems and 21020 older than the binding are ignored: they were about the certificate before", async () => {
    const renewed = await validFrom(at(10));
    const findings = findingsOf(evaluate(renewed, events([20053, 7], [20071, 8], [21020, 9])), "events");
    expect(findings.map((f) => f.severity)).toEqual(["info"]);
    const noLoad = findingsOf(evaluate(renewed, events([21007, 9])), "events");
    expect(noLoad.map((f) => f.severity)).toEqual(["info"]);
  });

  it("a channel problem newer than the binding still warns beside the unconfirmed load", async () => {
    const renewed = await validFrom(at(10));
    const findings = findingsOf(evaluate(renewed, events([20053, 8], [21007, 11])), "events");
    expect(findings.map((f) => f.severity).sort()).toEqual(["info", "warning"]);
    expect(findings.find((f) => f.severity === "warning")?.message).toContain(`event 21007 at ${at(11)}`);
  });
});
