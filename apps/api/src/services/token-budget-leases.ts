import type { Database } from "@certfleet/db";
import { type BudgetAnswer, takeReportBudget } from "./token-rate-limit";

/**
 * The most reports one instance reserves from a token's budget at once: 1% of the minute's budget,
 * between 1 and 100. Reserved but unused reports are lost to that minute, so with several instances a
 * token can be refused at most (instances - 1) × this many reports before its budget is really spent.
 */
export function maxLease(perMinute: number): number {
  return Math.min(100, Math.max(1, Math.floor(perMinute / 100)));
}

interface Lease {
  /** Reports reserved in the database and not yet used by this instance. */
  units: number;
  /** When the database window they were reserved in ends (local clock): unused units expire then. */
  expiresAt: number;
  /** The size of the next reservation: it doubles while the token keeps sending, up to maxLease. */
  nextSize: number;
  /** Until then the budget had no room for a whole lease: each request is counted on its own. */
  exactUntil: number;
  /** The reservation in flight; requests that find no units wait for it instead of sending their own. */
  refill: Promise<void> | null;
}

/**
 * The per-token report budget (takeReportBudget), counted in the database so it holds across every
 * instance, but reserved in leases: an instance takes several reports at once and hands them out
 * locally, so a busy token costs a statement per lease instead of one per report. A batch as large
 * as a lease, and every request once the window has no room for a lease, is counted exactly as before;
 * a refused request spends nothing. A token is never allowed more than its budget.
 */
export class TokenBudgetLeases {
  private readonly leases = new Map<number, Lease>();
  private readonly leaseCap: number;

  constructor(
    private readonly db: Database,
    private readonly perMinute: number,
  ) {
    this.leaseCap = maxLease(perMinute);
  }

  async take(tokenId: number, reports: number): Promise<BudgetAnswer> {
    if (reports >= this.leaseCap) return takeReportBudget(this.db, tokenId, reports, this.perMinute);
    const lease = this.leaseOf(tokenId);
    for (;;) {
      const now = Date.now();
      if (now >= lease.expiresAt) lease.units = 0;
      if (lease.units >= reports) {
        lease.units -= reports;
        return { allowed: true, windowEndsInMs: lease.expiresAt - now };
      }
      if (lease.refill) {
        await lease.refill;
        continue;
      }
      if (now < lease.exactUntil) return takeReportBudget(this.db, tokenId, reports, this.perMinute);
      lease.refill = this.reserve(tokenId, lease, reports).finally(() => {
        lease.refill = null;
      });
    }
  }

  private leaseOf(tokenId: number): Lease {
    let lease = this.leases.get(tokenId);
    if (!lease) {
      lease = { units: 0, expiresAt: 0, nextSize: 1, exactUntil: 0, refill: null };
      this.leases.set(tokenId, lease);
    }
    return lease;
  }

  private async reserve(tokenId: number, lease: Lease, reports: number): Promise<void> {
    // A token that went quiet for a whole window starts small again.
    if (Date.now() >= lease.expiresAt + 60_000) lease.nextSize = 1;
    const size = Math.min(this.leaseCap, Math.max(reports, lease.nextSize));
    const answer = await takeReportBudget(this.db, tokenId, size, this.perMinute);
    const now = Date.now();
    if (answer.allowed) {
      // Leftovers (fewer than one request needed) are dropped: they may belong to an older window.
      lease.units = size;
      lease.expiresAt = now + answer.windowEndsInMs;
      lease.nextSize = Math.min(this.leaseCap, size * 2);
    } else {
      lease.exactUntil = now + answer.retryAfterSeconds * 1000;
      lease.nextSize = 1;
    }
  }
}
