import type { Database } from "@certfleet/db";
import type { IngestToken } from "./ingest-context";
import { hashToken, lookUpCollectorToken, recordTokenUse } from "./tokens";

/** Recording every use would add a write to every report; a minute's resolution is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Cached tokens at most: a cache full of live tokens is simply cleared (tokens are few in practice). */
const MAX_ENTRIES = 10_000;

interface Entry {
  token: IngestToken;
  verifiedAt: number;
  lastUsedAt: number;
}

/**
 * Verified collector tokens, kept in this process for at most `maxAgeMs` so a single report does not
 * pay a database lookup (about a third of its cost before). A revoked or changed token stops working:
 * - on the instance that made the change, at once (the route invalidates the cache);
 * - on every other instance when the NOTIFY on TOKEN_CHANNEL (change-events.ts) arrives (milliseconds after commit);
 * - whatever happens to notifications (a listener reconnecting, a change made in SQL), within `maxAgeMs`.
 * Only live tokens are cached; an unknown or revoked token is looked up every time. `maxAgeMs` 0
 * turns the cache off.
 */
export class CollectorTokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a lookup that started before one must not fill the cache after it. */
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly maxAgeMs: number,
  ) {}

  /** The token (id, name, scope) when it is a live collector token; null otherwise. */
  async verify(secret: string): Promise<IngestToken | null> {
    const tokenHash = hashToken(secret);
    const now = Date.now();
    const cached = this.entries.get(tokenHash);
    const fresh = cached && now - cached.verifiedAt < this.maxAgeMs;
    const generation = this.generation;
    const entry = fresh ? cached : await this.lookUp(tokenHash, now);
    if (!entry) return null;
    if (now - entry.lastUsedAt > LAST_USED_RESOLUTION_MS) {
      entry.lastUsedAt = now;
      await recordTokenUse(this.db, entry.token.id, new Date(now));
    }
    // Cached only once its use is recorded, and only if no invalidation came while it was looked up.
    if (!fresh && this.maxAgeMs > 0 && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(tokenHash, entry);
    }
    return entry.token;
  }

  private async lookUp(tokenHash: string, now: number): Promise<Entry | undefined> {
    const found = await lookUpCollectorToken(this.db, tokenHash);
    if (!found) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return { token: found.token, verifiedAt: now, lastUsedAt: found.lastUsedAt?.getTime() ?? 0 };
  }

  /** Forget every cached token: the next request of each is checked against the database again. */
  readonly invalidate = (): void => {
    this.generation++;
    this.entries.clear();
  };
}
