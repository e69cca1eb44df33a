/** Fault injection, so the connector's retries, backoff and dead-lettering can be exercised locally. */

export interface FaultConfig {
  /** Fraction (0–1) of API requests answered 503 SERVER_UNAVAILABLE. */
  serviceUnavailableRate?: number;
  /** Fraction of API requests answered 403 REQUEST_LIMIT_EXCEEDED. */
  requestLimitRate?: number;
  /** Fraction of write requests answered UNABLE_TO_LOCK_ROW (per record inside collections). */
  lockRowRate?: number;
  /** Fraction of records inside sObject Collections that fail with UNABLE_TO_LOCK_ROW. */
  partialFailureRate?: number;
  /** Latency added to every API request, in milliseconds. */
  latencyMs?: number;
  /** Full outage: every API request answers 503 for this many milliseconds from when it is set. */
  outageMs?: number;
  /** Seed of the fault PRNG, so a test run is reproducible. */
  seed?: number;
  /**
   * Validation rules the org runs on create and update, as an admin's rule would: a record of
   * `sobject` whose values match every `when` entry (all records when absent) is refused with
   * FIELD_CUSTOM_VALIDATION_EXCEPTION, `message` and `[field]` (or no field, like a rule whose
   * error shows at the top of the page).
   */
  validationRules?: ValidationRule[];
}

export interface ValidationRule {
  sobject: string;
  message: string;
  field?: string;
  when?: Record<string, string | number | boolean | null>;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Fault = 'unavailable' | 'limit' | 'lock' | undefined;

export class Faults {
  private config: FaultConfig = {};
  private random: () => number = prng(1);
  private outageUntil = 0;

  constructor(config: FaultConfig | undefined) {
    this.set(config ?? {});
  }

  set(config: FaultConfig): void {
    this.config = { ...config };
    this.random = prng(config.seed ?? 1);
    this.outageUntil = config.outageMs ? Date.now() + config.outageMs : 0;
  }

  get(): FaultConfig & { outageRemainingMs: number } {
    return { ...this.config, outageRemainingMs: Math.max(0, this.outageUntil - Date.now()) };
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  /** The fault this request suffers, if any. */
  draw(isWrite: boolean): Fault {
    if (this.outageUntil > Date.now()) return 'unavailable';
    const c = this.config;
    if (c.serviceUnavailableRate && this.random() < c.serviceUnavailableRate) return 'unavailable';
    if (c.requestLimitRate && this.random() < c.requestLimitRate) return 'limit';
    if (isWrite && c.lockRowRate && this.random() < c.lockRowRate) return 'lock';
    return undefined;
  }

  get validationRules(): readonly ValidationRule[] {
    return this.config.validationRules ?? [];
  }

  /** Whether one record inside a collection fails. */
  drawRecord(): boolean {
    const rate = this.config.partialFailureRate;
    return rate !== undefined && rate > 0 && this.random() < rate;
  }
}
