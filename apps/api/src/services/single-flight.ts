export interface SingleFlight<T> {
  (): Promise<T>;
  /** Forget the shared result (the data changed): the next caller computes afresh. */
  invalidate: () => void;
}

/**
 * Wraps an expensive computation so that callers share one run: a result younger than maxAgeMs
 * (including one still being computed) is served as is. A failed run is forgotten at once, and so
 * is every result when `invalidate` says the data changed.
 */
export function singleFlight<T>(compute: () => Promise<T>, maxAgeMs: number): SingleFlight<T> {
  let current: { startedAt: number; value: Promise<T> } | null = null;
  const run = () => {
    const now = Date.now();
    if (current && now - current.startedAt < maxAgeMs) return current.value;
    const value = compute();
    const entry = { startedAt: now, value };
    current = entry;
    value.catch(() => {
      if (current === entry) current = null;
    });
    return value;
  };
  return Object.assign(run, {
    invalidate: () => {
      current = null;
    },
  });
}
