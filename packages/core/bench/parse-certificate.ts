/**
 * How long parseCertificate takes for one typical SCOM channel certificate, beside @peculiar/x509
 * (which core used to read names, dates and extensions with) reading the same DER.
 *   pnpm bench:parse
 */
import "reflect-metadata";
import { availableParallelism, cpus } from "node:os";
import { createCa, createLeaf, generateRsaKeys } from "@certfleet/pki";
import { X509Certificate } from "@peculiar/x509";
import { parseCertificate } from "../src/index";

const ROUNDS = 20_000;

function microsecondsPerCall(work: () => unknown): number {
  for (let i = 0; i < ROUNDS / 10; i++) work(); // warm the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) work();
  return Number(process.hrtime.bigint() - start) / 1e3 / ROUNDS;
}

const keys = await generateRsaKeys(2048);
const ca = await createCa({
  subject: "CN=Contoso Issuing CA 01, O=Contoso, C=US",
  keys,
  notBefore: new Date("2024-01-01T00:00:00Z"),
  notAfter: new Date("2034-01-01T00:00:00Z"),
});
const der = await createLeaf(ca, {
  keys,
  subject: "CN=ms01.contoso.com, OU=Operations, O=Contoso, C=US",
  dnsNames: ["ms01.contoso.com", "ms01"],
  notBefore: new Date("2026-01-01T00:00:00Z"),
  notAfter: new Date("2027-01-01T00:00:00Z"),
  templateV2: { oid: "1.3.6.1.4.1.311.21.8.1.2", major: 100, minor: 2 },
});

console.log(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown"}), node ${process.version}`,
);
const ours = microsecondsPerCall(() => parseCertificate(der));
// What ingest hands it: a Node Buffer (base64-decoded from the report).
const fromBuffer = Buffer.from(der);
const oursFromBuffer = microsecondsPerCall(() => parseCertificate(fromBuffer));
const reference = microsecondsPerCall(() => {
  const cert = new X509Certificate(der);
  return [cert.subject, cert.issuer, cert.notAfter, cert.extensions.length];
});
console.log(
  `parseCertificate (core's DER reader, with SHA-256, SHA-1 and the private-key scan): ${ours.toFixed(1)} µs`,
);
console.log(
  `parseCertificate of the same DER in a Node Buffer (as ingest decodes it):           ${oursFromBuffer.toFixed(1)} µs`,
);
console.log(
  `@peculiar/x509 X509Certificate (names, dates, extensions only):                  ${reference.toFixed(1)} µs`,
);
console.log(`one core parses ${Math.round(1e6 / ours).toLocaleString("en")} certificates/s`);
