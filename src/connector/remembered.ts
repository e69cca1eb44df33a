/**
 * The numbers agents remembered (Change link's "Remember for this number": Aircall_Number_Link__c),
 * as the link sweep reads them.
 *
 * The batch's one search returns a remembered number's link (engine/matching.ts), but a search
 * finds a record only once Salesforce's search index has it (seconds, at times minutes, after the
 * save), and a number matched shortly before is not searched again while its match is kept (5 min
 * for a new call). So the link sweep (housekeeping.ts, at most once a minute for the deployment)
 * also reads, by SOQL — exact and immediate, unlike a search — the links changed since its
 * previous read, through the QueryAll resource, which returns deleted records too, with IsDeleted
 * true (REST API Developer Guide, "QueryAll"; Apex's `ALL ROWS` is not available to the REST API).
 * Changes are found by SystemModstamp, which a delete sets too (SOAP API Developer Guide,
 * "GetDeletedResult": the deleted date "is obtained using the SystemModstamp system field"), and
 * the watermark is the org's own SystemModstamp, so the connector's clock does not matter.
 *
 * The read rides in the Composite request of the sweep's VoiceCall query when the sweep makes one
 * (no request of its own), and goes alone otherwise, only while the matcher matched numbers lately.
 * What it read wins, for its number, over what a search made before it (or a match kept from one)
 * said about the number's link; a search made after it that returns the link is as fresh.
 */
import { NUMBER_LINK_FIELDS, rememberedCandidate, type CrmCandidate } from '../engine';
import type { SharedState } from '../inbox/inbox';
import { RecentMap } from '../util/recent-map';

/** Where processes sharing an inbox keep what the last read found (`Inbox.sharedState`). */
export const REMEMBERED_KEY = 'remembered-numbers';
/** The first read takes the latest changes only: the search has the older links. */
const FIRST_READ = 200;
/** Changes per read; a read that returns this many is continued by the next one. */
const PAGE = 2000;
/**
 * Each read starts this long before the latest SystemModstamp read: a record saved by a
 * transaction that committed after the previous read may carry an earlier time.
 */
const OVERLAP_MS = 60_000;
/**
 * A read goes alone at most this often, whatever the sweep's interval: commands that drain and
 * exit (replay, backfill) sweep at every pass.
 */
const ALONE_EVERY_MS = 10_000;
/** Entries kept in the inbox for the other processes (the latest changes). */
const SHARED_ENTRIES = 500;

interface Entry {
  /** The record the number is remembered for; null: no longer remembered (deleted, emptied). */
  candidate: CrmCandidate | null;
  /** The Aircall_Number_Link__c that said so. */
  linkId: string;
  /** When it was read (the connector's clock). */
  at: number;
}

interface SharedValue {
  since: string | null;
  full: boolean;
  readAt: number;
  entries: [string, Entry][];
}

export interface RememberedOptions {
  /** A match is reused this long for a new call: reads go alone only while one may be reused. */
  matchCacheMs: number;
  /** How many numbers are kept. */
  matchCacheEntries: number;
  /** How often the link sweep runs (reads older than a few sweeps are not trusted). */
  linkSweepEveryMs: number;
}

const soqlDateTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** `2026-11-25T13:13:53.000+0000` (the API's format) as milliseconds. */
const parseDateTime = (value: unknown): number | null => {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(ms) ? null : ms;
};

export class RememberedNumbers {
  private readonly entries: RecentMap<string, Entry>;
  /** Which number each link was read for (a link whose number is edited leaves its old one). */
  private readonly numberOf: RecentMap<string, string>;
  /** The latest SystemModstamp read (the org's clock, ms); null before the first read. */
  private since: number | null = null;
  /** The last read returned a full page: the next one continues exactly where it stopped. */
  private full = false;
  private readAt: number | null = null;
  private askedAt: number | null = null;

  constructor(private readonly options: RememberedOptions) {
    this.entries = new RecentMap(options.matchCacheEntries);
    this.numberOf = new RecentMap(options.matchCacheEntries);
  }

  /** The matcher was asked for numbers at `now`. */
  asked(now: number): void {
    this.askedAt = now;
  }

  /**
   * Whether a read is worth a request of its own: a match may be reused for a new call (one was
   * made within `matchCacheMs`), or processes share the inbox (any of them may have matched).
   */
  worthAlone(now: number, shared: boolean): boolean {
    if (this.readAt !== null && now - this.readAt < ALONE_EVERY_MS) return false;
    return shared || (this.askedAt !== null && now - this.askedAt < this.options.matchCacheMs);
  }

  /** The SOQL of the next read (for the QueryAll resource). */
  soql(): string {
    const select = `SELECT ${['IsDeleted', 'SystemModstamp', ...NUMBER_LINK_FIELDS].join(', ')} FROM Aircall_Number_Link__c`;
    if (this.since === null) return `${select} ORDER BY SystemModstamp DESC LIMIT ${FIRST_READ}`;
    const from = this.full ? this.since : this.since - OVERLAP_MS;
    return `${select} WHERE SystemModstamp >= ${soqlDateTime(from)} ORDER BY SystemModstamp ASC LIMIT ${PAGE}`;
  }

  /** Applies a read made at `now`; the numbers whose link changed. */
  apply(rows: readonly Record<string, unknown>[], now: number): string[] {
    const first = this.since === null;
    const stamped = rows
      .map((row) => ({ row, at: parseDateTime(row.SystemModstamp) ?? 0 }))
      .sort((a, b) => a.at - b.at);
    const changed = new Set<string>();
    for (const { row, at } of stamped) {
      const linkId = typeof row.Id === 'string' ? row.Id : null;
      const e164 = typeof row.Phone_Key__c === 'string' ? row.Phone_Key__c : null;
      if (at > (this.since ?? 0)) this.since = at;
      if (!linkId || !e164) continue;
      const before = this.numberOf.get(linkId);
      if (before && before !== e164 && this.entries.get(before)?.linkId === linkId) {
        this.entries.set(before, { candidate: null, linkId, at: now });
        changed.add(before);
      }
      this.numberOf.set(linkId, e164);
      const current = this.entries.get(e164);
      if (row.IsDeleted === true) {
        // Another link saved for the number since is the one that counts.
        if (current && current.linkId !== linkId && current.candidate) continue;
        this.entries.set(e164, { candidate: null, linkId, at: now });
      } else {
        const candidate = rememberedCandidate(row)?.candidate ?? null;
        this.entries.set(e164, { candidate, linkId, at: now });
      }
      changed.add(e164);
    }
    this.full = !first && rows.length >= PAGE;
    this.readAt = now;
    return [...changed];
  }

  /**
   * The candidates of `e164` found by a search made at `searchedAt`, with what the reads found
   * for it: a read made after that search decides the number's remembered record, and so does one
   * made before it when that search did not return the link (its index may not have it yet).
   */
  overlay(
    e164: string,
    candidates: readonly CrmCandidate[],
    searchedAt: number,
    now: number,
  ): readonly CrmCandidate[] {
    // Reads that stopped (the org refused them, or no match was made for a while) are not trusted.
    const trustMs = Math.max(3 * this.options.linkSweepEveryMs, this.options.matchCacheMs);
    if (this.readAt === null || now - this.readAt > trustMs) return candidates;
    const entry = this.entries.get(e164);
    if (!entry) return candidates;
    if (searchedAt >= entry.at && candidates.some((c) => c.remembered)) return candidates;
    const rest = candidates.filter((c) => !c.remembered);
    return entry.candidate ? [entry.candidate, ...rest] : rest;
  }

  /** Stores what the reads found for the processes sharing the inbox. */
  async share(state: SharedState, now: number): Promise<void> {
    const entries = [...this.entries].sort((a, b) => b[1].at - a[1].at).slice(0, SHARED_ENTRIES);
    const value: SharedValue = {
      since: this.since === null ? null : new Date(this.since).toISOString(),
      full: this.full,
      readAt: this.readAt ?? now,
      entries,
    };
    await state.put(REMEMBERED_KEY, value, now);
  }

  /** Takes what another process's reads found, where newer than this process's. */
  async load(state: SharedState): Promise<void> {
    const stored = await state.get(REMEMBERED_KEY);
    const value = stored?.value as SharedValue | null | undefined;
    if (!value || !Array.isArray(value.entries)) return;
    const since = value.since ? Date.parse(value.since) : null;
    if (since !== null && (this.since === null || since > this.since)) {
      this.since = since;
      this.full = value.full === true;
    }
    if (this.readAt === null || value.readAt > this.readAt) this.readAt = value.readAt;
    for (const [e164, entry] of value.entries) {
      const own = this.entries.get(e164);
      if (!own || own.at < entry.at) {
        this.entries.set(e164, entry);
        this.numberOf.set(entry.linkId, e164);
      }
    }
  }
}
