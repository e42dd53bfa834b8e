/**
 * The chain rule's reading of the host's own chain status (issue 13, "Certificate rules": revocation that
 * could not be checked alone is a warning). Flag names and meanings: Microsoft Learn, "X509ChainStatusFlags
 * Enum" (System.Security.Cryptography.X509Certificates).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateHost } from "../src/index";
import { CHAIN_STATUS_FLAGS, readChainStatuses } from "../src/rules/chain-status";
import { createFixture, evidence, type Fixture, findingsOf, hostInput } from "./support/fixture";

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});

const chainFindings = (hostChainStatus: string[]) =>
  findingsOf(
    evaluateHost(hostInput(fx, evidence(fx.healthy, { hostChainValid: false, hostChainStatus }))),
    "chain",
  );

describe("chain: revocation that could not be checked (issue 13; X509ChainStatusFlags Enum)", () => {
  it("RevocationStatusUnknown and OfflineRevocation alone are one warning naming both, with the CRL fix", () => {
    const findings = chainFindings(["RevocationStatusUnknown", "OfflineRevocation"]);
    expect(findings.map((f) => f.severity)).toEqual(["warning"]);
    expect(findings[0]?.message).toContain("RevocationStatusUnknown");
    expect(findings[0]?.message).toContain("OfflineRevocation");
    expect(findings[0]?.message).toContain('issuer "CN=Contoso Issuing CA 1, O=Contoso"');
    expect(findings[0]?.remediation).toContain("CRL");
    const status = evaluateHost(
      hostInput(fx, evidence(fx.healthy, { hostChainValid: false, hostChainStatus: ["OfflineRevocation"] })),
    ).status;
    expect(status).toBe("warning");
  });

  it("reads a combined enum string, numbers, Windows' status text and repeated flags the same way", () => {
    for (const statuses of [
      ["RevocationStatusUnknown, OfflineRevocation"],
      ["64", "16777216"],
      [
        "RevocationStatusUnknown: The revocation function was unable to check revocation for the certificate.",
        "OfflineRevocation: The revocation function was unable to check revocation because the revocation server was offline.",
      ],
      ["revocationstatusunknown", "RevocationStatusUnknown", "NoError"],
    ]) {
      expect(
        chainFindings(statuses).map((f) => f.severity),
        statuses.join(" / "),
      ).toEqual(["warning"]);
    }
    expect(readChainStatuses(["RevocationStatusUnknown", "RevocationStatusUnknown"])).toHaveLength(1);
  });

  it.each([["UntrustedRoot"], ["PartialChain"], ["NotTimeValid"], ["Revoked"], ["NotSignatureValid"]])(
    "%s stays an error, even beside revocation-unknown flags, and is named first",
    (flag) => {
      const findings = chainFindings(["RevocationStatusUnknown", flag, "OfflineRevocation"]);
      expect(findings.map((f) => f.severity)).toEqual(["error"]);
      const message = findings[0]?.message ?? "";
      expect(message).toContain(`: ${flag} (`);
      expect(message).toContain("also RevocationStatusUnknown");
    },
  );

  it("a status certfleet does not recognise is never softened to a warning", () => {
    const findings = chainFindings(["OfflineRevocation", "SomethingNew"]);
    expect(findings.map((f) => f.severity)).toEqual(["error"]);
    expect(findings[0]?.message).toContain('"SomethingNew"');
  });

  it("an invalid chain with only NoError (or nothing) reported is still an error", () => {
    expect(chainFindings(["NoError"]).map((f) => f.severity)).toEqual(["error"]);
    expect(chainFindings([])[0]?.message).toContain("no chain status was reported");
  });

  it("the table holds exactly two revocation-unchecked flags, with Microsoft's values", () => {
    const soft = CHAIN_STATUS_FLAGS.filter((flag) => flag.class === "revocation-unchecked");
    expect(soft.map((flag) => [flag.name, flag.value])).toEqual([
      ["RevocationStatusUnknown", 64],
      ["OfflineRevocation", 16777216],
    ]);
    const values = CHAIN_STATUS_FLAGS.map((flag) => flag.value);
    expect(new Set(values).size).toBe(values.length);
  });
});
