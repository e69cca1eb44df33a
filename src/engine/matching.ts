import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CrmObject } from './plan';
import type { CrmCandidate, MatchIndex, Settings } from './types';

/** Standard phone fields searched per object (what Aircall's classic integration searches, REFERENCE §3). */
export const STANDARD_PHONE_FIELDS: Record<CrmObject, readonly string[]> = {
  Contact: ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone'],
  Lead: ['Phone', 'MobilePhone'],
  Account: ['Phone'],
};

const OTHER_FIELDS: Record<CrmObject, readonly string[]> = {
  Contact: ['Id', 'Name', 'FirstName', 'LastName', 'AccountId'],
  Lead: ['Id', 'Name', 'FirstName', 'LastName', 'Company'],
  Account: ['Id', 'Name'],
};

function asCountry(country: string | null | undefined): CountryCode | undefined {
  return country && /^[A-Za-z]{2}$/.test(country)
    ? (country.toUpperCase() as CountryCode)
    : undefined;
}

export type NumberVerdict =
  { kind: 'valid'; e164: string } | { kind: 'anonymous' } | { kind: 'invalid'; raw: string };

/** Classifies a number as Aircall gives it: E.164 when valid, "anonymous" (hidden caller id) or invalid. */
export function classifyNumber(
  raw: string | null | undefined,
  defaultCountry?: string | null,
): NumberVerdict {
  const text = (raw ?? '').trim();
  if (text === '' || /^(anonymous|unknown|private|restricted|withheld)$/i.test(text))
    return { kind: 'anonymous' };
  // "0033…" and "011…" style international prefixes are handled by libphonenumber with a country;
  // a bare "+" prefix makes defaultCountry irrelevant, as it should.
  const parsed = parsePhoneNumberFromString(text, asCountry(defaultCountry));
  if (parsed?.isValid()) return { kind: 'valid', e164: parsed.number };
  return { kind: 'invalid', raw: text };
}

/** E.164 for a valid number, null otherwise (anonymous, empty, invalid). */
export function normalizeNumber(
  raw: string | null | undefined,
  defaultCountry?: string | null,
): string | null {
  const verdict = classifyNumber(raw, defaultCountry);
  return verdict.kind === 'valid' ? verdict.e164 : null;
}

/** Every character SOSL reserves, escaped with a backslash (REFERENCE §3). */
export function escapeSosl(term: string): string {
  return term.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (c) => `\\${c}`);
}

export interface SearchTerm {
  e164: string;
  /** Digit strings searched for this number (national significant number, full E.164 digits). */
  digits: string[];
}

export interface NumberToSearch {
  raw: string | null | undefined;
  country?: string | null | undefined;
}

function phoneFields(object: CrmObject, settings: Settings): string[] {
  return [...new Set([...STANDARD_PHONE_FIELDS[object], ...settings.extraPhoneFields[object]])];
}

/**
 * Longest FIND {…} text used. Salesforce drops the logical operators of a search query longer than
 * 4,000 characters and returns no rows at all past 10,000 (SOSL syntax reference), so a batch whose
 * numbers do not fit is split: the numbers left out are returned in `rest` for the next query.
 */
export const MAX_SEARCH_QUERY_CHARS = 4000;

/**
 * One SOSL for a whole batch of numbers (as many as fit in MAX_SEARCH_QUERY_CHARS; the others are
 * in `rest`). SOSL only narrows: each term is a digit form of a number (how an org tokenizes
 * "(415) 555-0132" is not something to bet on), and every candidate is then confirmed in
 * `consumeSearch` by normalizing its phone fields to E.164.
 */
export function buildSearch(
  numbers: readonly NumberToSearch[],
  settings: Settings,
): { sosl: string | null; terms: SearchTerm[]; rest: NumberToSearch[] } {
  const terms = new Map<string, SearchTerm>();
  const parts: string[] = [];
  const rest: NumberToSearch[] = [];
  let length = 0;
  for (const n of numbers) {
    const e164 = normalizeNumber(n.raw, n.country);
    if (!e164 || terms.has(e164)) continue;
    if (rest.length > 0) {
      rest.push(n);
      continue;
    }
    const parsed = parsePhoneNumberFromString(e164);
    const digits = [
      ...new Set([parsed?.nationalNumber ?? '', e164.slice(1)].filter((d) => d.length > 0)),
    ];
    const quoted = digits.map((d) => `"${escapeSosl(d)}"`).filter((q) => !parts.includes(q));
    const added = quoted.reduce((sum, q) => sum + q.length + (parts.length ? 4 : 0), 0);
    if (parts.length > 0 && length + added > MAX_SEARCH_QUERY_CHARS) {
      rest.push(n);
      continue;
    }
    parts.push(...quoted);
    length += added;
    terms.set(e164, { e164, digits });
  }
  const list = [...terms.values()];
  if (list.length === 0) return { sosl: null, terms: list, rest };
  const returning = (['Contact', 'Lead', 'Account'] as const).map((object) => {
    const fields = [
      ...OTHER_FIELDS[object],
      ...phoneFields(object, settings),
      'LastModifiedDate',
      'CreatedDate',
    ];
    const where = object === 'Lead' ? ' WHERE IsConverted = false' : '';
    return `${object}(${[...new Set(fields)].join(', ')}${where})`;
  });
  return {
    sosl: `FIND {${parts.join(' OR ')}} IN PHONE FIELDS RETURNING ${returning.join(', ')}`,
    terms: list,
    rest,
  };
}

/** Every SOSL needed for the numbers, each within MAX_SEARCH_QUERY_CHARS (usually just one). */
export function buildSearches(
  numbers: readonly NumberToSearch[],
  settings: Settings,
): { sosl: string; terms: SearchTerm[] }[] {
  const searches: { sosl: string; terms: SearchTerm[] }[] = [];
  let todo: readonly NumberToSearch[] = numbers;
  while (todo.length > 0) {
    const { sosl, terms, rest } = buildSearch(todo, settings);
    if (sosl) searches.push({ sosl, terms });
    todo = rest;
  }
  return searches;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Turns the REST /search `searchRecords` into the match index: each record is kept under every
 * E.164 its phone fields normalize to (with the country of the call's line as default), and only
 * for numbers of this batch.
 */
export function consumeSearch(
  searchRecords: readonly Record<string, unknown>[] | null | undefined,
  numbers: readonly NumberToSearch[],
  settings: Settings,
): MatchIndex {
  const index: MatchIndex = new Map();
  const wanted = new Set<string>();
  const countries = new Set<string | undefined>([undefined]);
  for (const n of numbers) {
    const e164 = normalizeNumber(n.raw, n.country);
    if (!e164) continue;
    wanted.add(e164);
    countries.add(n.country ?? undefined);
    const parsed = parsePhoneNumberFromString(e164);
    if (parsed?.country) countries.add(parsed.country);
  }
  for (const record of searchRecords ?? []) {
    const type = (record.attributes as { type?: unknown } | undefined)?.type;
    if (type !== 'Contact' && type !== 'Lead' && type !== 'Account') continue;
    if (type === 'Lead' && record.IsConverted === true) continue;
    const id = str(record.Id);
    if (!id) continue;
    const candidate: CrmCandidate = {
      sobject: type,
      id,
      name: str(record.Name),
      firstName: str(record.FirstName),
      lastName: str(record.LastName),
      accountId: str(record.AccountId),
      company: str(record.Company),
      lastModifiedDate: str(record.LastModifiedDate),
      createdDate: str(record.CreatedDate),
    };
    const hits = new Set<string>();
    for (const field of phoneFields(type, settings)) {
      const value = str(record[field]);
      if (!value) continue;
      // A number typed without "+" is read in each country the batch's numbers belong to.
      for (const country of countries) {
        const e164 = normalizeNumber(value, country);
        if (e164 && wanted.has(e164)) hits.add(e164);
      }
    }
    for (const e164 of hits) {
      const list = index.get(e164) ?? [];
      if (!list.some((c) => c.id === id)) list.push(candidate);
      index.set(e164, list);
    }
  }
  return index;
}

export type MatchDecision =
  | { kind: 'matched'; record: CrmCandidate; reason: string }
  | { kind: 'ambiguous'; candidates: CrmCandidate[]; reason: string }
  | { kind: 'none'; reason: string };

function time(value: string | null): number {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Applies the match order and the multiple-match rule to the candidates of one number. */
export function pickMatch(
  candidates: readonly CrmCandidate[] | undefined,
  settings: Settings,
): MatchDecision {
  if (!candidates || candidates.length === 0)
    return { kind: 'none', reason: 'no Contact, Lead or Account has this number' };
  for (const object of settings.matchOrder) {
    const same = candidates.filter((c) => c.sobject === object);
    if (same.length === 0) continue;
    if (same.length === 1)
      return { kind: 'matched', record: same[0]!, reason: `one ${object} has this number` };
    if (settings.multipleMatches === 'Do Not Link') {
      return {
        kind: 'ambiguous',
        candidates: same,
        reason: `${same.length} ${object} records have this number and Multiple Matches is "Do Not Link"`,
      };
    }
    const sorted = [...same].sort((a, b) => {
      const diff =
        settings.multipleMatches === 'Oldest'
          ? time(a.createdDate) - time(b.createdDate)
          : time(b.lastModifiedDate) - time(a.lastModifiedDate);
      return diff !== 0 ? diff : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    const rule =
      settings.multipleMatches === 'Oldest' ? 'the oldest' : 'the most recently modified';
    return {
      kind: 'matched',
      record: sorted[0]!,
      reason: `${same.length} ${object} records have this number; ${rule} wins (Multiple Matches)`,
    };
  }
  const objects = [...new Set(candidates.map((c) => c.sobject))].join(', ');
  return {
    kind: 'none',
    reason: `only ${objects} records have this number, and Match Order does not include them`,
  };
}
