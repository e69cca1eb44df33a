/**
 * The simulated business day's clock (`npm run bench:day`). Time runs at real speed while the
 * connector works — so the time a batch really takes counts in every latency — and jumps over the
 * stretches where every loop of the connector is waiting on one of this clock's timers. Each request
 * to the org also moves the clock by a modelled round trip (`requestMs`), since the local org
 * answers in about a millisecond where a real one takes a few hundred.
 */
import type { Clock } from '../src/util/clock';

interface Timer {
  at: number;
  fn: () => void;
}

export class DayClock implements Clock {
  private offset: number;
  private readonly timers = new Map<number, Timer>();
  private seq = 0;
  private waiter: { loops: number; resolve: () => void } | null = null;

  constructor(startAt: number) {
    this.offset = startAt - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now() + Math.max(0, ms), fn });
    const waiter = this.waiter;
    if (waiter && this.timers.size >= waiter.loops) {
      this.waiter = null;
      setImmediate(waiter.resolve);
    }
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves the clock forward (a modelled request round trip). */
  advance(ms: number): void {
    this.offset += ms;
  }

  private nextAt(): number | null {
    let next: number | null = null;
    for (const t of this.timers.values()) if (next === null || t.at < next) next = t.at;
    return next;
  }

  /** Resolves once `loops` loops wait on this clock's timers (none is working). */
  private async quiet(loops: number): Promise<void> {
    while (this.timers.size < loops)
      await new Promise<void>((resolve) => (this.waiter = { loops, resolve }));
  }

  /**
   * Lets the connector run until simulated time `until`: due timers fire in order, idle stretches
   * are skipped. `loops` is how many loops of the connector wait on this clock when idle.
   */
  async runUntil(until: number, loops = 1): Promise<void> {
    for (;;) {
      await this.quiet(loops);
      const next = this.nextAt();
      if (next === null || next > until) {
        if (this.now() < until) this.offset += until - this.now();
        return;
      }
      if (next > this.now()) this.offset += next - this.now();
      const now = this.now();
      const due = [...this.timers].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
      for (const [id, t] of due) {
        this.timers.delete(id);
        t.fn();
      }
    }
  }
}
