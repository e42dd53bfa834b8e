import { setImmediate as yieldToEventLoop } from "node:timers/promises";

/**
 * Longest stretch of CPU work between two turns of the event loop. A batch of 1,000 reports means
 * parsing up to 64,000 certificates and evaluating 1,000 hosts: done in one go, the API would answer
 * nothing else (health checks included) for seconds. In slices of 10 ms every other request waits at
 * most about that long for its turn.
 */
export const SLICE_MS = 10;

/**
 * A budget of CPU time shared by the steps of one long job: call `yieldIfSpent()` between small units
 * of work, and it gives the event loop a turn whenever SLICE_MS have passed since the last one.
 */
export class TimeSlice {
  private startedAt = performance.now();

  constructor(private readonly budgetMs = SLICE_MS) {}

  async yieldIfSpent(): Promise<void> {
    if (performance.now() - this.startedAt < this.budgetMs) return;
    await yieldToEventLoop();
    this.startedAt = performance.now();
  }
}
