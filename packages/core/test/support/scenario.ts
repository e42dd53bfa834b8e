/**
 * One broken report per rule: the healthy fixture with exactly one thing wrong. The rules test asserts each
 * fires with the stated severity and names the concrete value, and that nothing else fires; the healthy
 * baseline must fire none.
 */
import type { HostEvaluationInput, RuleId, Severity } from "../../src/types";
import { evidence, type Fixture, HOST, hostInput } from "./fixture";

export interface Scenario {
  name: string;
  rule: RuleId;
  severity: Severity;
  /** Substrings the finding's message must contain: the concrete failing values. */
  contains: string[];
  /** Rules whose info finding the broken state brings with it on a real host (info never changes status). */
  alsoInfo?: RuleId[];
  build(fixture: Fixture): Promise<HostEvaluationInput>;
}

/** The healthy report, with the bound certificate re-issued with `overrides` (and host facts changed). */
export const withLeaf =
  (overrides: Parameters<Fixture["leaf"]>[0], facts: Parameters<typeof evidence>[1] = {}) =>
  async (fx: Fixture) =>
    hostInput(fx, evidence(await fx.leaf(overrides), facts));

/** The healthy report with different host-side facts about the certificate (and optionally another host). */
export const withFacts =
  (facts: Parameters<typeof evidence>[1], host = HOST) =>
  async (fx: Fixture) =>
    hostInput(fx, evidence(fx.healthy, facts), { host });
