"use client";

import { useEffect, useState } from "react";

/** Current time, re-read every `intervalMs`, so "5 minutes ago" stays true on a wall screen. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
