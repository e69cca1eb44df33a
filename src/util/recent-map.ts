/**
 * A map that keeps at most `max` entries and forgets the least recently used one first.
 *
 * Built on `Map`'s insertion order: reading or writing an entry moves it to the end, so the first
 * key is always the least recently used. Used where the connector remembers something per phone
 * number or per call for a while: the memory stays bounded however many numbers a run sees (a
 * connector runs for months), while the entries a busy center reuses stay.
 *
 * Expiry is left to the caller on purpose: the connector's clock is injectable (src/util/clock.ts)
 * and the age that counts may depend on the reader (a number's match is reused for 5 min by a new
 * call, for 3 h by the call that wrote its record), so entries carry their own time.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`max must be a positive integer, got ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Every entry, least recently used first (reading them does not reorder them). */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries.entries();
  }
}
