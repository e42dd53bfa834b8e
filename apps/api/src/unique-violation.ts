import { Prisma } from "@certfleet/db";

/**
 * A unique-index violation, however it reached us: Prisma's P2002 (typed queries), P2010 carrying
 * Postgres code 23505 (raw queries, through the driver adapter), or a pg/driver-adapter error with code 23505 (possibly as the
 * cause of another error). `text` holds whatever names the index (constraint name or fields), for
 * callers that must tell one index from another; it is never shown to clients.
 */
export interface UniqueViolation {
  text: string;
}

export function uniqueViolation(error: unknown): UniqueViolation | null {
  // Causes can nest (Prisma → driver adapter → pg); a few levels is all there ever is.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    if (isUnique(current)) return { text: describe(current) };
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function isUnique(error: object): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") return true;
    if (error.code !== "P2010") return false;
    // Raw queries through the driver adapter: the Postgres error rides along in meta.
    const meta = error.meta as
      | { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } }
      | undefined;
    const cause = meta?.driverAdapterError?.cause;
    return (
      meta?.code === "23505" || cause?.originalCode === "23505" || cause?.kind === "UniqueConstraintViolation"
    );
  }
  const { code, kind } = error as { code?: unknown; kind?: unknown };
  return code === "23505" || kind === "UniqueConstraintViolation";
}

function describe(error: object): string {
  const parts = [String((error as { message?: unknown }).message ?? "")];
  for (const key of ["meta", "constraint", "cause"] as const) {
    const value = (error as Record<string, unknown>)[key];
    if (value === undefined) continue;
    try {
      parts.push(JSON.stringify(value));
    } catch {
      // A circular cause says nothing more about the index.
    }
  }
  return parts.join(" ");
}
