/**
 * The matcher: which Lead, Contact or Account each phone number of a batch belongs to.
 *
 * As few SOSL statements as the search-text limit allows for the batch's numbers not known yet;
 * what was found is kept in memory (bounded, least recently used forgotten first) and, for
 * processes sharing a PostgreSQL inbox, in the inbox too, so the next batch of a call — in this
 * process or another — does not search its number again. Results are cached by number, line
 * country and Default Country (a record without a country is read in the line's country when no
 * Default Country is set, so the same caller on two lines may differ). What the link sweep read of
 * the numbers agents remembered (remembered.ts) is laid over both, so a number remembered after its
 * match was kept, or before the search index has its link, links the next call all the same.
 */
import {
  buildSearches,
  candidatesFor,
  consumeSearch,
  mergeCandidates,
  normalizeNumber,
  type CrmCandidate,
  type MatchIndex,
  type NumberToSearch,
} from '../engine';
import type { Inbox } from '../inbox/inbox';
import type { SalesforceClient } from '../salesforce/client';
import { RecentMap } from '../util/recent-map';
import type { RememberedNumbers } from './remembered';

/** A number to match; `written`: its call's record is written (its match is kept longer). */
export type NumberToMatch = NumberToSearch & { written?: boolean };

export interface MatcherOptions {
  /** How long a match is reused for a new call of the same number. */
  matchCacheMs: number;
  /** How long the match of a call whose record is written is reused for that call's later events. */
  matchCallMs: number;
  /** How many matches are kept in memory. */
  matchCacheEntries: number;
}

export class Matcher {
  private readonly cache: RecentMap<string, { candidates: CrmCandidate[]; at: number }>;

  constructor(
    private readonly deps: {
      client: Pick<SalesforceClient, 'search'>;
      inbox: Pick<Inbox, 'sharedMatches'>;
      /** The numbers agents remembered, as the link sweep read them. */
      remembered?: RememberedNumbers;
    },
    private readonly options: MatcherOptions,
  ) {
    this.cache = new RecentMap(options.matchCacheEntries);
  }

  private maxAge(n: NumberToMatch): number {
    return n.written ? this.options.matchCallMs : this.options.matchCacheMs;
  }

  async match(
    numbers: readonly NumberToMatch[],
    settings: Parameters<typeof buildSearches>[1],
    now: number,
  ): Promise<MatchIndex> {
    const index: MatchIndex = new Map();
    const remembered = this.deps.remembered;
    if (numbers.length > 0) remembered?.asked(now);
    // What the search made at `at` found for a number, with the remembered links read since.
    const merge = (e164: string, candidates: readonly CrmCandidate[], at: number) =>
      mergeCandidates(
        index,
        e164,
        remembered ? remembered.overlay(e164, candidates, at, now) : candidates,
      );
    const keyOf = (e164: string, n: NumberToSearch) =>
      `${e164}|${n.country ?? ''}|${settings.defaultCountry ?? ''}`;
    // Each number not known: its E.164 and cache key, once.
    const missing = new Map<string, { n: NumberToMatch; e164: string }>();
    const seen = new Set<string>();
    for (const n of numbers) {
      const e164 = normalizeNumber(n.raw, n.country);
      if (!e164) continue;
      const key = keyOf(e164, n);
      if (seen.has(key)) continue;
      seen.add(key);
      const cached = this.cache.get(key);
      if (cached && now - cached.at < this.maxAge(n)) merge(e164, cached.candidates, cached.at);
      else missing.set(key, { n, e164 });
    }
    // Several processes on one PostgreSQL inbox share what each searched: the next batch of a call
    // may run in another process, and must not search its number again.
    const shared = this.deps.inbox.sharedMatches;
    const longest = Math.max(this.options.matchCacheMs, this.options.matchCallMs);
    if (shared && missing.size > 0) {
      const hits = await shared.get([...missing.keys()], now, longest);
      for (const [key, hit] of hits) {
        const { n, e164 } = missing.get(key)!;
        if (now - hit.at >= this.maxAge(n)) continue;
        const candidates = hit.candidates as CrmCandidate[];
        merge(e164, candidates, hit.at);
        this.cache.set(key, { candidates, at: hit.at });
        missing.delete(key);
      }
    }
    const toSearch = [...missing.values()].map((m) => m.n);
    const searchedNow: { key: string; candidates: CrmCandidate[] }[] = [];
    // buildSearches keeps each SOSL under Salesforce's 4,000-character search-text limit.
    for (const { sosl, terms } of buildSearches(toSearch, settings)) {
      const found = consumeSearch(await this.deps.client.search(sosl), toSearch, settings);
      const searched = new Set(terms.map((t) => t.e164));
      for (const [key, { n, e164 }] of missing) {
        if (!searched.has(e164)) continue;
        const candidates = candidatesFor(found, e164, n.country);
        merge(e164, candidates, now);
        this.cache.set(key, { candidates, at: now });
        searchedNow.push({ key, candidates });
      }
    }
    if (shared && searchedNow.length > 0) await shared.put(searchedNow, now, now - longest);
    return index;
  }

  /** Forget cached matches (e.g. after records were created or merged in the org). */
  async clear(): Promise<void> {
    this.cache.clear();
    await this.deps.inbox.sharedMatches?.clear();
  }
}
