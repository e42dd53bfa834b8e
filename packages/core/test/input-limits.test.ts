import { describe, expect, it } from "vitest";
import { decodeWrappedBase64 } from "../src/base64";
import {
  assertDerWithinLimits,
  childrenOf,
  DerError,
  decodeOid,
  decodeSmallInteger,
  decodeString,
  decodeUnsigned,
  MAX_DER_DEPTH,
  MAX_OID_LENGTH,
  readWhole,
} from "../src/der";
import { detectPrivateKeyMaterial, MAX_DECODED_TEXT_LENGTH, parseCertificate } from "../src/index";
import { MAX_SCAN_DEPTH, scanForPrivateKeyMaterial } from "../src/private-key-scan";

/** Input the API receives from anyone holding a collector token: every decoder is bounded and linear. */

const PEM_KEY =
  "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----";

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}
const tlv = (tag: number, content: Uint8Array | number[]) =>
  Uint8Array.from([tag, ...encodeLength(content.length), ...content]);

/** Milliseconds `work` takes. */
function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

describe("decodeWrappedBase64", () => {
  it("decodes one run, wrapped lines (LF, CRLF, blanks around breaks) and URL-safe letters", () => {
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 37) % 256);
    const base64 = Buffer.from(bytes).toString("base64");
    expect(decodeWrappedBase64(base64)).toEqual(bytes);
    expect(decodeWrappedBase64(base64.replace(/(.{64})/g, "$1\r\n"))).toEqual(bytes);
    expect(decodeWrappedBase64(`  ${base64.replace(/(.{64})/g, "$1 \n\t")}\n`)).toEqual(bytes);
    expect(decodeWrappedBase64(Buffer.from(bytes).toString("base64url"))).toEqual(bytes);
  });

  it("is null for prose, a lone CR, stray padding, too little text and a dangling letter", () => {
    expect(decodeWrappedBase64("The OpsMgr Connector loaded the certificate")).toBeNull();
    expect(decodeWrappedBase64("QUJDREVGR0hJSktM\rTU5PUFFSU1RVVldY")).toBeNull();
    expect(decodeWrappedBase64("QUJDREVGR0hJSktM=TU5P")).toBeNull();
    expect(decodeWrappedBase64("QUJD")).toBeNull();
    expect(decodeWrappedBase64("QUJDREVGR0hJSktMT")).toBeNull();
  });

  it("is linear: 3 MB of spaces between two letters is refused in milliseconds", () => {
    const hostile = `a${" ".repeat(3_000_000)}b`;
    expect(timed(() => expect(decodeWrappedBase64(hostile)).toBeNull())).toBeLessThan(500);
    const wrapped = `a${" \n".repeat(1_500_000)}b`;
    expect(timed(() => decodeWrappedBase64(wrapped))).toBeLessThan(500);
  });
});

describe("detectPrivateKeyMaterial on hostile text", () => {
  it("finds a PEM key label after thousands of near misses, in linear time", () => {
    const nearMisses = "-----BEGIN A B C PRIVATE KEX----- ".repeat(50_000);
    expect(timed(() => expect(detectPrivateKeyMaterial(nearMisses)).toBeNull())).toBeLessThan(500);
    expect(detectPrivateKeyMaterial(`${nearMisses}${PEM_KEY}`)).toBe("pem-private-key");
    expect(detectPrivateKeyMaterial("-----BEGIN lowercase PRIVATE KEY-----")).toBeNull();
  });

  it("does not base64-decode text longer than any field the contract allows", () => {
    const pem = Buffer.from(`${PEM_KEY}\n`).toString("base64");
    expect(detectPrivateKeyMaterial(pem)).toBe("pem-private-key");
    const padded = `${pem}${"A".repeat(MAX_DECODED_TEXT_LENGTH)}`;
    expect(detectPrivateKeyMaterial(padded)).toBeNull();
    // A visible PEM label is still found however long the text is.
    expect(detectPrivateKeyMaterial(`${" ".repeat(3_000_000)}${PEM_KEY}`)).toBe("pem-private-key");
  });
});

describe("scanForPrivateKeyMaterial", () => {
  /** {"a":{"a":...value...}} built iteratively: `depth` objects around `value`. */
  function nested(depth: number, value: unknown): unknown {
    let document = value;
    for (let i = 0; i < depth; i++) document = { a: document };
    return document;
  }

  it("names the first field holding a key, in document order", () => {
    const report = {
      host: { fqdn: "ms01" },
      events: [{ message: "fine" }, { message: PEM_KEY }],
      z: PEM_KEY,
    };
    expect(scanForPrivateKeyMaterial(report)).toEqual({
      kind: "private-key",
      field: "events[1].message",
      material: "pem-private-key",
    });
    expect(scanForPrivateKeyMaterial(report.events, { prefix: "reports[2]" })).toMatchObject({
      field: "reports[2][1].message",
    });
    expect(scanForPrivateKeyMaterial(PEM_KEY)).toMatchObject({ field: "(body)" });
    expect(scanForPrivateKeyMaterial({ host: { fqdn: "ms01" }, n: [1, true, null] })).toBeNull();
  });

  it("checks a field with its own decoder through that decoder's bytes: every key still found", () => {
    // A PKCS#8 shape: SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption }, OCTET STRING }.
    const pkcs8 = tlv(0x30, [
      ...tlv(0x02, [0]),
      ...tlv(0x30, tlv(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])),
      ...tlv(0x04, new Array(24).fill(7)),
    ]);
    const base64 = Buffer.from(pkcs8).toString("base64");
    const decoded: string[] = [];
    // As lenient as the API's certificate reader: any whitespace, strict alphabet.
    const decodeField = (field: string, text: string) => {
      decoded.push(field);
      const compact = text.replace(/\s+/g, "");
      return /^[A-Za-z0-9+/]+={0,2}$/.test(compact) ? Buffer.from(compact, "base64") : null;
    };
    const scan = (der: string) => scanForPrivateKeyMaterial({ c: [{ der }] }, { decodeField });
    expect(scan(base64)).toMatchObject({ field: "c[0].der", material: "pkcs8" });
    expect(decoded).toEqual(["c[0].der"]);
    // Spaces inside a line: plain base64 refuses it, the field decoder reads it.
    expect(scan(`${base64.slice(0, 8)} ${base64.slice(8)}`)).toMatchObject({ material: "pkcs8" });
    // Base64 of a PEM key, and the PEM key itself (which the field decoder does not read).
    expect(scan(Buffer.from(PEM_KEY).toString("base64"))).toMatchObject({ material: "pem-private-key" });
    expect(scan(PEM_KEY)).toMatchObject({ material: "pem-private-key" });
    // URL-safe base64 is not the field's encoding, so the text's own base64 reading still checks it.
    expect(scan(base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""))).toMatchObject({
      material: "pkcs8",
    });
    expect(scan(Buffer.from("a certificate, not a key").toString("base64"))).toBeNull();
  });

  it("walks 50,000 levels without recursion and stops at the depth cap", () => {
    const deep = nested(50_000, PEM_KEY);
    const result = scanForPrivateKeyMaterial(deep);
    expect(result?.kind).toBe("too-deep");
    expect(result?.field.split(".")).toHaveLength(MAX_SCAN_DEPTH);
    expect(scanForPrivateKeyMaterial(nested(MAX_SCAN_DEPTH, PEM_KEY))).toMatchObject({ kind: "private-key" });
    expect(scanForPrivateKeyMaterial(nested(MAX_SCAN_DEPTH + 1, "x"))).toMatchObject({ kind: "too-deep" });
    const arrays = JSON.parse(`${"[".repeat(50_000)}${"]".repeat(50_000)}`);
    expect(scanForPrivateKeyMaterial(arrays)?.kind).toBe("too-deep");
  });

  it("refuses a document with more values than the cap before walking them all", () => {
    const wide = { values: new Array(2_000_000).fill(0) };
    let result: ReturnType<typeof scanForPrivateKeyMaterial> = null;
    expect(timed(() => (result = scanForPrivateKeyMaterial(wide)))).toBeLessThan(500);
    expect(result).toEqual({ kind: "too-large", field: "values" });
    expect(scanForPrivateKeyMaterial({ values: [1, 2, 3] }, { maxValues: 3 })).toMatchObject({
      kind: "too-large",
    });
  });

  it("asks decodeField for fields with their own encoding", () => {
    const decoded: string[] = [];
    const result = scanForPrivateKeyMaterial(
      { certificates: [{ der: "not base64 at all" }] },
      {
        decodeField: (field, text) => {
          decoded.push(field);
          return text === "not base64 at all" ? new TextEncoder().encode(PEM_KEY) : null;
        },
      },
    );
    expect(decoded).toEqual(["certificates[0].der"]);
    expect(result).toMatchObject({ kind: "private-key", field: "certificates[0].der" });
  });
});

describe("der.ts caps", () => {
  it("decodes ordinary OIDs, refuses OIDs and arcs beyond the caps quickly", () => {
    expect(decodeOid(Uint8Array.from([0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x15, 0x07]))).toBe(
      "1.3.6.1.4.1.311.21.7",
    );
    const uuidArc = [0x69, ...new Array(18).fill(0xff), 0x7f]; // 2.25.<one 19-octet arc>
    expect(decodeOid(Uint8Array.from(uuidArc))).toMatch(/^2\.25\.\d{39,}$/);
    // Arcs of up to 7 octets are read as numbers, longer ones as BigInts: the same digits either way.
    const sevenOctets = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]; // 2^49 - 1
    expect(decodeOid(Uint8Array.from([0x2a, ...sevenOctets]))).toBe(`1.2.${2 ** 49 - 1}`);
    expect(decodeOid(Uint8Array.from([0x2a, 0x81, ...sevenOctets]))).toBe(`1.2.${2n ** 50n - 1n}`);
    // A padded (non-minimal) first arc of 8 octets still splits into the first two arcs by its value.
    expect(decodeOid(Uint8Array.from([...new Array(7).fill(0x80), 0x2b, 0x06]))).toBe("1.3.6");
    const long = new Uint8Array(MAX_OID_LENGTH + 1).fill(0x01);
    expect(() => decodeOid(long)).toThrow(DerError);
    const oneArc = new Uint8Array(40_000).fill(0xff);
    oneArc[oneArc.length - 1] = 0x7f;
    expect(timed(() => expect(() => decodeOid(oneArc)).toThrow(/OBJECT IDENTIFIER/))).toBeLessThan(50);
    const longArc = Uint8Array.from([0x2a, ...new Array(25).fill(0xff), 0x7f]);
    expect(() => decodeOid(longArc)).toThrow(/arc longer/);
  });

  it("reads small integers and refuses integers and strings beyond their caps", () => {
    expect(decodeSmallInteger(Uint8Array.from([0x00, 0x80]))).toBe(128);
    expect(decodeSmallInteger(new Uint8Array(40_000).fill(0x01))).toBeNull();
    expect(() => decodeUnsigned(new Uint8Array(40_000))).toThrow(DerError);
    const bmp = readWhole(tlv(0x1e, [0x00, 0x4d, 0x00, 0x61]));
    expect(decodeString(bmp)).toBe("Ma");
    expect(decodeString(readWhole(tlv(0x0c, new Array(20_000).fill(0x61))))).toBeNull();
  });

  it("refuses a length beyond the input and more than four length octets", () => {
    expect(() => readWhole(Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02]))).toThrow(/truncated/);
    expect(() => readWhole(Uint8Array.from([0x30, 0x85, 1, 0, 0, 0, 0]))).toThrow(/length form/);
    expect(() => childrenOf(readWhole(tlv(0x30, [0x02, 0x05, 0x01])))).toThrow(/truncated/);
  });

  it("assertDerWithinLimits walks nesting and encapsulated values iteratively", () => {
    let deep = tlv(0x05, []);
    for (let i = 0; i < MAX_DER_DEPTH - 1; i++) deep = tlv(0x30, deep);
    expect(() => assertDerWithinLimits(deep)).not.toThrow();
    expect(() => assertDerWithinLimits(tlv(0x30, deep))).toThrow(/nested deeper/);
    const hugeOid = tlv(0x06, new Array(MAX_OID_LENGTH + 1).fill(0x01));
    // Inside an OCTET STRING, as an extension value carries it.
    const extension = tlv(0x30, [...tlv(0x06, [0x55, 0x1d, 0x25]), ...tlv(0x04, tlv(0x30, hugeOid))]);
    expect(() => assertDerWithinLimits(tlv(0x30, extension))).toThrow(/OBJECT IDENTIFIER of 129 octets/);
  });

  it("parseCertificate refuses a certificate-shaped DER with a 40,000-octet OID", () => {
    const oid = tlv(0x06, new Array(40_000).fill(0x01));
    const name = tlv(0x30, tlv(0x31, tlv(0x30, [...oid, ...tlv(0x0c, [0x78])])));
    const tbs = tlv(0x30, [...tlv(0x02, [1]), ...tlv(0x30, tlv(0x06, [0x2a])), ...name]);
    const certificate = tlv(0x30, [...tbs, ...tlv(0x30, tlv(0x06, [0x2a])), ...tlv(0x03, [0])]);
    expect(() => parseCertificate(certificate)).toThrow(/OBJECT IDENTIFIER of 40000 octets/);
  });
});
