import { describe, expect, it } from "vitest";
import { DerError, readWhole } from "../src/der";
import { readX509Time } from "../src/x509-time";

const time = (tag: number, text: string) =>
  readX509Time(readWhole(new Uint8Array([tag, text.length, ...Buffer.from(text, "latin1")])), "notAfter");
const UTC = 0x17;
const GENERALIZED = 0x18;

describe("readX509Time (RFC 5280 4.1.2.5)", () => {
  it("reads UTCTime with the 1950–2049 window", () => {
    expect(time(UTC, "491231235959Z")).toBe("2049-12-31T23:59:59.000Z");
    expect(time(UTC, "500101000000Z")).toBe("1950-01-01T00:00:00.000Z");
    expect(time(UTC, "270301120000Z")).toBe("2027-03-01T12:00:00.000Z");
  });

  it("reads GeneralizedTime, including the 'no expiry' 9999-12-31 and leap days", () => {
    expect(time(GENERALIZED, "99991231235959Z")).toBe("9999-12-31T23:59:59.000Z");
    expect(time(GENERALIZED, "20280229000000Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(time(GENERALIZED, "00010101000000Z")).toBe("0001-01-01T00:00:00.000Z");
  });

  it.each([
    [UTC, "2701011200Z", "no seconds"],
    [UTC, "270101120000+0100", "an offset instead of Z"],
    [GENERALIZED, "20270101120000.5Z", "fractional seconds"],
    [UTC, "271301000000Z", "month 13"],
    [GENERALIZED, "20270230000000Z", "30 February"],
    [GENERALIZED, "20270101240000Z", "hour 24"],
    [UTC, "27010112006 Z", "a space"],
  ])("refuses %s (%s: %s)", (tag, text) => {
    expect(() => time(tag, text)).toThrow(DerError);
  });

  it("refuses other tags and long values before decoding them", () => {
    expect(() => readX509Time(readWhole(new Uint8Array([0x13, 1, 0x41])), "notBefore")).toThrow(
      /UTCTime or GeneralizedTime/,
    );
    expect(() =>
      readX509Time(readWhole(new Uint8Array([UTC, 100, ...new Uint8Array(100).fill(0x31)])), "notBefore"),
    ).toThrow(/100 octets/);
    expect(() => readX509Time(undefined, "notBefore")).toThrow(/notBefore/);
  });
});
