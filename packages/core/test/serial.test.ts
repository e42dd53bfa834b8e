import { describe, expect, it } from "vitest";
import { HexFormatError, normalizeHex } from "../src/hex";
import { certificateSerialToRegistryHex, compareRegistrySerial, mirroredSerialToHex } from "../src/serial";

describe("normalizeHex", () => {
  it("accepts 0x, spaces, colons, dashes and any case", () => {
    expect(normalizeHex("0x0a:1b-2c 3D")).toBe("0A1B2C3D");
    expect(normalizeHex("  ab cd\tef\n")).toBe("ABCDEF");
  });

  it("pads an odd length with one leading zero nibble (keeps the number's value)", () => {
    expect(normalizeHex("A1B2C")).toBe("0A1B2C");
    expect(BigInt(`0x${normalizeHex("A1B2C")}`)).toBe(0xa1b2cn);
  });

  it("rejects non-hex text", () => {
    expect(() => normalizeHex("12G4")).toThrow(HexFormatError);
  });
});

describe("mirroredSerialToHex / certificateSerialToRegistryHex", () => {
  it("reverses bytes, not nibbles (AF 3C 56 is stored as 56 3C AF)", () => {
    expect(mirroredSerialToHex("563CAF")).toBe("AF3C56");
    expect(certificateSerialToRegistryHex("AF3C56")).toBe("563CAF");
  });

  it("moves a DER sign byte to the end, as Windows keeps it", () => {
    expect(certificateSerialToRegistryHex("0080AA")).toBe("AA8000");
    expect(mirroredSerialToHex("AA8000")).toBe("0080AA");
  });

  it("normalises separators, case and odd length before reversing", () => {
    expect(mirroredSerialToHex("0x56:3c:af")).toBe("AF3C56");
    expect(mirroredSerialToHex("56-3c-af")).toBe("AF3C56");
    // "63CAF" is 0x063CAF: the dropped nibble belongs to the registry's first byte.
    expect(mirroredSerialToHex("63CAF")).toBe("AF3C06");
  });

  it("round-trips a full 20-octet serial without truncation", () => {
    const serial = "7F0102030405060708090A0B0C0D0E0F10111213";
    expect(serial.length).toBe(40);
    const registry = certificateSerialToRegistryHex(serial);
    expect(registry).toBe("131211100F0E0D0C0B0A090807060504030201" + "7F");
    expect(mirroredSerialToHex(registry)).toBe(serial);
  });
});

describe("compareRegistrySerial", () => {
  const serial = "1F00000008C694DAC94BCFDC4A000000000008"; // 19 octets, AD CS style
  const registry = certificateSerialToRegistryHex(serial);

  it("exact: the registry bytes reversed equal the certificate serial", () => {
    expect(compareRegistrySerial(registry, serial)).toBe("exact");
  });

  it("exact regardless of letter case and separators on either side", () => {
    expect(compareRegistrySerial(registry.toLowerCase(), serial)).toBe("exact");
    expect(compareRegistrySerial(registry.match(/../g)?.join(" ") ?? "", serial.toLowerCase())).toBe("exact");
    expect(compareRegistrySerial(`0x${registry}`, serial.match(/../g)?.join(":") ?? "")).toBe("exact");
  });

  it("sign byte present in both: exact", () => {
    expect(compareRegistrySerial("AA8000", "0080AA")).toBe("exact");
  });

  it("sign byte missing from the registry: numeric-only (same number, different bytes)", () => {
    expect(compareRegistrySerial("AA80", "0080AA")).toBe("numeric-only");
  });

  it("extra zero bytes in the registry (leading zeros of the serial): numeric-only", () => {
    expect(compareRegistrySerial("563CAF0000", "AF3C56")).toBe("numeric-only");
    expect(compareRegistrySerial("563CAF", "0000AF3C56")).toBe("numeric-only");
  });

  it("odd-length registry value is read as a number missing its leading zero", () => {
    // 0x0AFF written without its leading zero nibble: bytes 0A FF, un-mirrored FF0A.
    expect(compareRegistrySerial("AFF", "FF0A")).toBe("exact");
  });

  it("full 20-octet serials compare on every byte (the 19-byte truncation bug)", () => {
    const twenty = "7F0102030405060708090A0B0C0D0E0F10111213";
    const differsInFirstByte = "7E0102030405060708090A0B0C0D0E0F10111213";
    expect(compareRegistrySerial(certificateSerialToRegistryHex(twenty), twenty)).toBe("exact");
    expect(compareRegistrySerial(certificateSerialToRegistryHex(twenty), differsInFirstByte)).toBe(
      "mismatch",
    );
    // The truncating script compares only the last 19 bytes of the serial: that must not pass here.
    expect(compareRegistrySerial(certificateSerialToRegistryHex(twenty.slice(2)), twenty)).toBe("mismatch");
  });

  it("a 20-octet serial with the top bit set keeps its 21st (sign) byte", () => {
    const serial = `00${"80".padEnd(40, "1")}`;
    expect(serial.length).toBe(42);
    expect(compareRegistrySerial(certificateSerialToRegistryHex(serial), serial)).toBe("exact");
    expect(compareRegistrySerial(certificateSerialToRegistryHex(serial.slice(2)), serial)).toBe(
      "numeric-only",
    );
  });

  it("mismatch: a different number", () => {
    expect(compareRegistrySerial("563CAF", "AF3C57")).toBe("mismatch");
    expect(compareRegistrySerial("AF3C56", "AF3C56")).toBe("mismatch"); // not mirrored
  });

  it("mismatch: empty or non-hex values never match", () => {
    expect(compareRegistrySerial("", "00")).toBe("mismatch");
    expect(compareRegistrySerial("zz", "00")).toBe("mismatch");
    expect(compareRegistrySerial("00", "")).toBe("mismatch");
  });

  it("a zero serial matches itself", () => {
    expect(compareRegistrySerial("00", "00")).toBe("exact");
  });
});
