/**
 * Guards the org's rolling 24-hour API allocation. Every REST response carries
 * `Sforce-Limit-Info: api-usage=N/M`; when the allocation runs out every user and integration of
 * the org is locked out (REQUEST_LIMIT_EXCEEDED). The connector must never be the integration that
 * does that, so it slows down past `slowAt` and stops calling the org past `pauseAt`, leaving the
 * rest to people. Events wait durably in the inbox meanwhile.
 */
export type BudgetState = 'ok' | 'slow' | 'paused';

export interface BudgetOptions {
  /** Fraction of the allocation after which the worker waits between batches. */
  slowAt?: number;
  /** Fraction after which the worker stops calling the org until usage drops. */
  pauseAt?: number;
  /** Delay added between batches in the slow state. */
  slowDelayMs?: number;
}

export class ApiBudget {
  used = 0;
  limit = 0;
  readonly slowAt: number;
  readonly pauseAt: number;
  readonly slowDelayMs: number;
  private listeners: ((state: BudgetState, previous: BudgetState) => void)[] = [];
  private current: BudgetState = 'ok';

  constructor(options: BudgetOptions = {}) {
    this.slowAt = options.slowAt ?? 0.8;
    this.pauseAt = options.pauseAt ?? 0.9;
    this.slowDelayMs = options.slowDelayMs ?? 2000;
  }

  observe(used: number, limit: number): void {
    this.used = used;
    this.limit = limit;
    const next = this.computeState();
    if (next !== this.current) {
      const previous = this.current;
      this.current = next;
      for (const listener of this.listeners) listener(next, previous);
    }
  }

  onChange(listener: (state: BudgetState, previous: BudgetState) => void): void {
    this.listeners.push(listener);
  }

  get fraction(): number {
    return this.limit > 0 ? this.used / this.limit : 0;
  }

  get state(): BudgetState {
    return this.current;
  }

  private computeState(): BudgetState {
    const f = this.fraction;
    if (f >= this.pauseAt) return 'paused';
    if (f >= this.slowAt) return 'slow';
    return 'ok';
  }

  describe(): string {
    if (this.limit === 0) return 'API usage not known yet';
    const pct = (this.fraction * 100).toFixed(1);
    return `${this.used}/${this.limit} API requests used in the last 24 h (${pct}%), state ${this.current}`;
  }
}
