import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CrmObject } from './plan';
import { addressFields, recordCountryOf, type RecordCountry } from './record-country';
import type {
  CrmCandidate,
  MatchIndex,
  ReadingSource,
  Settings,
  StoredNumberReading,
} from './types';

/** Standard phone fields searched per object (what Aircall's classic integration searches, docs/PLATFORM.md §3). */
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

/** Every character SOSL reserves, escaped with a backslash (docs/PLATFORM.md §3). */
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
  /**
   * Country of the Aircall line that took the call: reads `raw` when it has no "+", and the stored
   * numbers of records that name no country when no Default Country is set.
   */
  country?: string | null | undefined;
}

/**
 * A Person Account's phone fields besides `Phone` (Object Reference, "Account": the person fields),
 * searched when the org has Person Accounts; the custom phone fields of Contacts are on Account as
 * `…__pc`.
 */
export const PERSON_PHONE_FIELDS: readonly string[] = [
  'PersonMobilePhone',
  'PersonHomePhone',
  'PersonOtherPhone',
  'PersonAssistantPhone',
];

function phoneFields(object: CrmObject, settings: Settings): string[] {
  const person =
    object === 'Account' && settings.personAccounts
      ? [
          ...PERSON_PHONE_FIELDS,
          ...settings.extraPhoneFields.Contact.filter((f) => f.endsWith('__c')).map(
            (f) => `${f.slice(0, -3)}__pc`,
          ),
        ]
      : [];
  return [
    ...new Set([...STANDARD_PHONE_FIELDS[object], ...settings.extraPhoneFields[object], ...person]),
  ];
}

/** Fields a Person Account is read with, besides a business Account's. */
const PERSON_FIELDS = ['IsPersonAccount', 'PersonContactId', 'FirstName', 'LastName'];

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
    const person = object === 'Account' && settings.personAccounts;
    const fields = [
      ...OTHER_FIELDS[object],
      ...(person ? PERSON_FIELDS : []),
      ...phoneFields(object, settings),
      ...(person ? addressFields('PersonAccount') : []),
      ...addressFields(object),
      'LastModifiedDate',
      'CreatedDate',
    ];
    // A person contact is found through its Person Account (one record, not two).
    const where =
      object === 'Lead'
        ? ' WHERE IsConverted = false'
        : object === 'Contact' && settings.personAccounts
          ? ' WHERE IsPersonAccount = false'
          : '';
    return `${object}(${[...new Set(fields)].join(', ')}${where})`;
  });
  // The numbers agents remembered (Change link) come with the same search: no extra request.
  returning.push(`Aircall_Number_Link__c(${NUMBER_LINK_FIELDS.join(', ')})`);
  return {
    sosl: `FIND {${parts.join(' OR ')}} IN PHONE FIELDS RETURNING ${returning.join(', ')}`,
    terms: list,
    rest,
  };
}

/** What the search (and the link sweep's read) returns of a remembered number (Aircall_Number_Link__c). */
export const NUMBER_LINK_FIELDS = [
  'Id',
  'Phone_Key__c',
  'Contact__c',
  'Contact__r.Name',
  'Contact__r.AccountId',
  'Lead__c',
  'Lead__r.Name',
  'Account__c',
  'Account__r.Name',
];

/**
 * The record an Aircall_Number_Link__c row points to, as a candidate for its number
 * (`Phone_Key__c`, E.164), or null when it points to none.
 */
export function rememberedCandidate(
  row: Record<string, unknown>,
): { e164: string; candidate: CrmCandidate } | null {
  const e164 = str(row.Phone_Key__c);
  if (!e164) return null;
  const name = (rel: string): string | null =>
    str((row[rel] as Record<string, unknown> | null)?.Name);
  for (const sobject of ['Contact', 'Lead', 'Account'] as const) {
    const id = str(row[`${sobject}__c`]);
    if (!id) continue;
    const accountId =
      sobject === 'Contact'
        ? str((row.Contact__r as Record<string, unknown> | null)?.AccountId)
        : null;
    return {
      e164,
      candidate: {
        sobject,
        id,
        name: name(`${sobject}__r`),
        firstName: null,
        lastName: null,
        accountId,
        company: null,
        lastModifiedDate: null,
        createdDate: null,
        remembered: true,
      },
    };
  }
  return null;
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

/** A searched record with every reading of its phone fields (what `explain` shows). */
export interface SearchedRecord {
  candidate: CrmCandidate;
  readings: StoredNumberReading[];
}

/** A stored number already in international form: "+33 …", "(+33) …", "0033 …". */
function internationalForm(value: string): string | null {
  const m = /^[\s(]*(\+|00)\s*(.*)$/s.exec(value);
  if (!m) return null;
  return `+${m[2] ?? ''}`;
}

function read(
  field: string,
  value: string,
  country: string | null,
  source: ReadingSource,
  why: string,
): StoredNumberReading {
  const e164 = source === 'none' ? null : normalizeNumber(value, country);
  return { field, value, country, source, why, e164 };
}

/**
 * Reads one stored phone value. A value in international form is read as such; otherwise it is read
 * in the record's own country, else the Default Country setting, else the country of the line
 * that took the call (`lineCountry`), and never in the caller's country merely because the caller
 * is abroad: "02 12 34 56 78" on a Contact in Nantes is a French number, whoever calls.
 */
export function readStoredNumber(
  field: string,
  value: string,
  recordCountry: RecordCountry,
  settings: Settings,
  lineCountry: string | null | undefined,
): StoredNumberReading {
  const international = internationalForm(value);
  if (international) {
    const e164 = normalizeNumber(international);
    const country = e164 ? (parsePhoneNumberFromString(e164)?.country ?? null) : null;
    return {
      field,
      value,
      country,
      source: 'international',
      why: 'it is written in international form',
      e164,
    };
  }
  const unknown = recordCountry.unknown.join(', ');
  const noCountry = unknown ? `the record's ${unknown}` : 'the record has no address country';
  if (recordCountry.code)
    return read(
      field,
      value,
      recordCountry.code,
      'record',
      recordCountry.why ?? `the record's address is in ${recordCountry.code}`,
    );
  if (settings.defaultCountry)
    return read(
      field,
      value,
      settings.defaultCountry,
      'default',
      `${noCountry}; the Default Country setting is ${settings.defaultCountry}`,
    );
  const line = asCountry(lineCountry);
  if (line)
    return read(
      field,
      value,
      line,
      'line',
      `${noCountry} and no Default Country is set; the Aircall line that took the call is in ${line}`,
    );
  return read(
    field,
    value,
    null,
    'none',
    `${noCountry}, no Default Country is set and the line's country is unknown, so it is not read`,
  );
}

/**
 * Step 4 of reading a stored number: one that is not a valid number in the country chosen for it
 * (the record's, the Default Country or the line's) is read in the caller's country instead. Null
 * when the chosen reading is valid, or the value is not a valid number of `callerCountry` either.
 * Such a reading links a call only when it is equal to that caller's number (consumeSearch keeps a
 * reading only under the E.164 it reads as, and this one reads as a number of `callerCountry`), so
 * a number valid in the chosen country is still never read as a caller's from elsewhere.
 */
export function readInCallerCountry(
  chosen: StoredNumberReading,
  callerCountry: string,
): StoredNumberReading | null {
  if (chosen.e164 !== null || chosen.country === null) return null;
  if (chosen.source !== 'record' && chosen.source !== 'default' && chosen.source !== 'line')
    return null;
  const caller = asCountry(callerCountry);
  if (!caller || caller === chosen.country) return null;
  const parsed = parsePhoneNumberFromString(chosen.value, caller);
  // "(212) 555-0199" read with CA as the default is New York's number: it is read in US, for the
  // caller from US, not "in CA".
  if (!parsed?.isValid() || parsed.country !== caller) return null;
  return {
    field: chosen.field,
    value: chosen.value,
    country: caller,
    source: 'caller',
    why: `not a valid number in ${chosen.country}`,
    e164: parsed.number,
    chosen: { country: chosen.country, source: chosen.source, why: chosen.why },
  };
}

/** The country of a caller's number (E.164 or as Aircall gives it, read with the line's country). */
function callerCountryOf(n: NumberToSearch): string | null {
  const e164 = normalizeNumber(n.raw, n.country);
  return e164 ? (parsePhoneNumberFromString(e164)?.country ?? null) : null;
}

/**
 * Reads every phone field of every searched record, for each line country of the batch's numbers
 * (a record without a country is read in the country of the line each call came in on).
 */
export function readSearchRecords(
  searchRecords: readonly Record<string, unknown>[] | null | undefined,
  numbers: readonly NumberToSearch[],
  settings: Settings,
): SearchedRecord[] {
  const distinct = new Set<string | null>();
  const callers = new Set<string>();
  for (const n of numbers) {
    distinct.add(asCountry(n.country) ?? null);
    const caller = callerCountryOf(n);
    if (caller) callers.add(caller);
  }
  if (distinct.size === 0) distinct.add(null);
  // Sorted, so the readings do not depend on the order of the batch.
  const lines = [...distinct].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  const callerCountries = [...callers].sort();
  const out: SearchedRecord[] = [];
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
      ...(type === 'Account' && record.IsPersonAccount === true
        ? { personContactId: str(record.PersonContactId) }
        : {}),
    };
    const recordCountry = recordCountryOf(type, record);
    const readings: StoredNumberReading[] = [];
    for (const field of phoneFields(type, settings)) {
      const value = str(record[field]);
      if (!value) continue;
      const seen = new Set<string>();
      for (const line of lines) {
        const reading = readStoredNumber(field, value, recordCountry, settings, line);
        const key = `${reading.source}|${reading.country ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        readings.push(reading);
        for (const caller of callerCountries) {
          const again = readInCallerCountry(reading, caller);
          if (again) readings.push(again);
        }
      }
    }
    out.push({ candidate, readings });
  }
  return out;
}

/**
 * Whether a reading may link a call that came in on a line of `lineCountry`: one made in the line's
 * country (directly, or first before being read in the caller's) holds only for calls on such a line.
 */
export function readingFits(reading: StoredNumberReading, lineCountry: string | null): boolean {
  const source = reading.source === 'caller' ? reading.chosen?.source : reading.source;
  const country = reading.source === 'caller' ? reading.chosen?.country : reading.country;
  return source !== 'line' || lineCountry === null || country === lineCountry;
}

/**
 * Turns the REST /search `searchRecords` into the match index: each record is kept under every
 * E.164 of this batch one of its phone fields reads as (see `readStoredNumber` for the country a
 * number without country code is read in). Each candidate carries the readings that matched.
 */
export function consumeSearch(
  searchRecords: readonly Record<string, unknown>[] | null | undefined,
  numbers: readonly NumberToSearch[],
  settings: Settings,
): MatchIndex {
  const index: MatchIndex = new Map();
  const wanted = new Map<string, Set<string | null>>();
  for (const n of numbers) {
    const e164 = normalizeNumber(n.raw, n.country);
    if (!e164) continue;
    const lines = wanted.get(e164) ?? new Set<string | null>();
    lines.add(asCountry(n.country) ?? null);
    wanted.set(e164, lines);
  }
  for (const row of searchRecords ?? []) {
    if ((row.attributes as { type?: unknown } | undefined)?.type !== 'Aircall_Number_Link__c')
      continue;
    const remembered = rememberedCandidate(row);
    if (!remembered || !wanted.has(remembered.e164)) continue;
    index.set(remembered.e164, [remembered.candidate, ...(index.get(remembered.e164) ?? [])]);
  }
  for (const { candidate, readings } of readSearchRecords(searchRecords, numbers, settings)) {
    const byNumber = new Map<string, StoredNumberReading[]>();
    for (const reading of readings) {
      const lines = reading.e164 ? wanted.get(reading.e164) : undefined;
      if (!reading.e164 || !lines) continue;
      if (![...lines].some((line) => readingFits(reading, line))) continue;
      byNumber.set(reading.e164, [...(byNumber.get(reading.e164) ?? []), reading]);
    }
    for (const [e164, matched] of byNumber) {
      const list = index.get(e164) ?? [];
      if (!list.some((c) => c.id === candidate.id)) list.push({ ...candidate, readings: matched });
      index.set(e164, list);
    }
  }
  return index;
}

/**
 * The candidates of `matches` for a call from `e164` that came in on a line in `lineCountry`: a
 * record whose number was read only in another line's country is not one of them.
 */
export function candidatesFor(
  matches: MatchIndex,
  e164: string,
  lineCountry?: string | null,
): CrmCandidate[] {
  const line = asCountry(lineCountry) ?? null;
  return (matches.get(e164) ?? []).filter(
    (c) => !c.readings || c.readings.some((r) => readingFits(r, line)),
  );
}

/** Adds candidates to an index entry, one per record, keeping every reading (for the worker's cache). */
export function mergeCandidates(
  index: MatchIndex,
  e164: string,
  candidates: readonly CrmCandidate[],
): void {
  const list = [...(index.get(e164) ?? [])];
  for (const c of candidates) {
    const at = list.findIndex((x) => x.id === c.id);
    if (at < 0) list.push(c);
    else {
      const prev = list[at]!;
      const readings = [...(prev.readings ?? []), ...(c.readings ?? [])];
      list[at] = { ...prev, ...(readings.length ? { readings } : {}) };
    }
  }
  index.set(e164, list);
}

/**
 * One sentence on how a candidate's stored number was read: `its Phone "02 12 34 56 78" was read in
 * FR (the record's MailingCountry is "France")`. `equal`: whether it reads as the caller's number
 * (a number read in the caller's country only says "equal to the caller's number" when it is).
 */
export function describeReading(reading: StoredNumberReading, equal = true): string {
  const stored = `its ${reading.field} "${reading.value}"`;
  if (reading.source === 'international') return `${stored} is in international form`;
  if (reading.source === 'none') return `${stored} was not read (${reading.why})`;
  if (reading.source === 'caller') {
    // Why the first country was chosen is on that reading (explain lists it); Match_Reason__c has
    // 255 characters.
    const country = reading.country ?? '?';
    return equal
      ? `${stored} was read in ${country}: ${reading.why}, and equal to the caller's number in ${country}`
      : `${stored} was read in ${country}, the caller's country: ${reading.why}`;
  }
  return `${stored} was read in ${reading.country ?? '?'} (${reading.why})`;
}
