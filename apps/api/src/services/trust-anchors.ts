import type { TrustAnchor } from "@certfleet/contracts";
import {
  CertificateParseError,
  type CertificateWithDer,
  detectPrivateKeyMaterial,
  normalizeDn,
  type ParsedCertificate,
  parseCertificate,
} from "@certfleet/core";
import { type Database, Prisma } from "@certfleet/db";
import { ProblemError } from "../problem";
import { type AuditActor, recordAudit } from "./audit";
import { decodeCertificateText } from "./certificates";
import { type SingleFlight, singleFlight } from "./single-flight";

/**
 * Trusted root and issuing CA certificates, kept in the database so every API instance checks chains
 * against the same set. Each instance caches them for TRUST_ANCHOR_MAX_AGE_MS (and drops its cache at
 * once when it makes a change itself), so another instance's change is in force within that time.
 */
export const TRUST_ANCHOR_MAX_AGE_MS = 2_000;

const FIELD = "certificate";

const ANCHOR_FIELDS = {
  id: true,
  sha256: true,
  subject: true,
  parsed: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

function toTrustAnchor(row: {
  id: number;
  parsed: unknown;
  createdAt: Date;
  createdBy: { email: string } | null;
}): TrustAnchor {
  const parsed = row.parsed as ParsedCertificate;
  return {
    id: row.id,
    sha256: parsed.sha256,
    thumbprint: parsed.thumbprint,
    subject: parsed.subject,
    issuer: parsed.issuer,
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    selfSigned: normalizeDn(parsed.subject) === normalizeDn(parsed.issuer),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy?.email ?? null,
  };
}

function invalid(message: string): ProblemError {
  return new ProblemError(422, "Invalid trust anchor", `${FIELD} ${message}`, [{ field: FIELD, message }]);
}

/** PEM or base64 DER → one parsed CA certificate; 422 naming the field for anything else, keys first. */
export function parseTrustAnchor(text: string): { der: Buffer; parsed: ParsedCertificate } {
  if (detectPrivateKeyMaterial(text))
    throw invalid("contains private key material; upload the public CA certificate only");
  const pemBlocks = text.match(/-----BEGIN [^-]+-----/g) ?? [];
  if (pemBlocks.length > 1)
    throw invalid("holds more than one PEM block; upload one CA certificate at a time");
  const der = decodeCertificateText(text);
  if (!der) throw invalid("is neither a PEM certificate nor base64-encoded DER");
  if (detectPrivateKeyMaterial(der))
    throw invalid("contains private key material; upload the public CA certificate only");
  let parsed: ParsedCertificate;
  try {
    parsed = parseCertificate(der);
  } catch (error) {
    if (error instanceof CertificateParseError)
      throw invalid(`is not an X.509 certificate (${error.message})`);
    throw error;
  }
  if (!parsed.isCa) {
    throw invalid(
      `"${parsed.subject}" is not a CA certificate (no basicConstraints cA); upload the root or issuing CA`,
    );
  }
  return { der, parsed };
}

export async function listTrustAnchors(db: Database): Promise<TrustAnchor[]> {
  const rows = await db.trustAnchor.findMany({
    select: ANCHOR_FIELDS,
    orderBy: [{ subject: "asc" }, { id: "asc" }],
  });
  return rows.map(toTrustAnchor);
}

export async function addTrustAnchor(db: Database, actor: AuditActor, text: string): Promise<TrustAnchor> {
  const { der, parsed } = parseTrustAnchor(text);
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.trustAnchor.create({
        data: {
          sha256: parsed.sha256,
          der: new Uint8Array(der),
          subject: parsed.subject,
          parsed: parsed as unknown as Prisma.InputJsonValue,
          createdById: actor.id > 0 ? actor.id : null,
        },
        select: ANCHOR_FIELDS,
      });
      const anchor = toTrustAnchor(row);
      await recordAudit(tx, actor, {
        action: "trust_anchor.create",
        entityType: "trust_anchor",
        entityId: row.id,
        after: anchor,
      });
      return anchor;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new ProblemError(
        409,
        "Trust anchor already present",
        `"${parsed.subject}" (SHA-256 ${parsed.sha256}) is already a trust anchor.`,
        [{ field: FIELD, message: "is already a trust anchor" }],
      );
    }
    throw error;
  }
}

export async function removeTrustAnchor(db: Database, actor: AuditActor, id: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { id: number }[]
    >`SELECT "id" FROM "TrustAnchor" WHERE "id" = ${id} FOR UPDATE`;
    if (!row) throw new ProblemError(404, "Trust anchor not found", `No trust anchor with id ${id}.`);
    const before = toTrustAnchor(
      await tx.trustAnchor.findUniqueOrThrow({ where: { id }, select: ANCHOR_FIELDS }),
    );
    await tx.trustAnchor.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "trust_anchor.delete",
      entityType: "trust_anchor",
      entityId: id,
      before,
    });
  });
}

/** What the chain check needs: each anchor's parse and DER. */
export async function loadTrustAnchors(db: Database): Promise<CertificateWithDer[]> {
  const rows = await db.trustAnchor.findMany({ select: { der: true, parsed: true }, orderBy: { id: "asc" } });
  return rows.map((row) => ({
    certificate: row.parsed as unknown as ParsedCertificate,
    der: new Uint8Array(row.der),
  }));
}

/** This instance's view of the anchors: shared by concurrent reports, at most TRUST_ANCHOR_MAX_AGE_MS old. */
export function trustAnchorCache(db: Database): SingleFlight<CertificateWithDer[]> {
  return singleFlight(() => loadTrustAnchors(db), TRUST_ANCHOR_MAX_AGE_MS);
}
