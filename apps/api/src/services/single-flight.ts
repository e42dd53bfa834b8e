/**
 * Wraps an expensive computation so that callers share one run: a result younger than maxAgeMs
 * (including one still being computed) is served as is. A failed run is forgotten at once.
 */
export function singleFlight<T>(compute: () => Promise<T>, maxAgeMs: number): () => Promise<T> {
  let current: { startedAt: number; value: Promise<T> } | null = null;
  return () => {
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
}
