/**
 * The country a CRM record's address names, in which its phone numbers written without a country
 * code are read (matching.ts): its country fields, else a state or province that belongs to one
 * country (subdivisions.ts).
 */
import { countryCode } from './countries';
import type { CrmObject } from './plan';
import { subdivisionCountry } from './subdivisions';

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The address country fields read for each object, in order: a record's phone numbers written
 * without a country code are read in the first of them that names a country. The text fields are
 * used (not `MailingCountryCode` & co.), because they exist in every org, with or without State and
 * Country/Territory Picklists (with them, the text field holds the country's name).
 */
export const COUNTRY_FIELDS: Record<CrmObject | 'PersonAccount', readonly string[]> = {
  Contact: ['MailingCountry', 'OtherCountry'],
  Lead: ['Country'],
  Account: ['BillingCountry', 'ShippingCountry'],
  PersonAccount: ['PersonMailingCountry', 'PersonOtherCountry', 'BillingCountry'],
};

/**
 * The state/province field and postal code field of each address, in the order of COUNTRY_FIELDS:
 * read only when no country field names a country (subdivisions.ts says which values name one).
 */
export const STATE_FIELDS: Record<
  CrmObject | 'PersonAccount',
  readonly { state: string; postal: string }[]
> = {
  Contact: [
    { state: 'MailingState', postal: 'MailingPostalCode' },
    { state: 'OtherState', postal: 'OtherPostalCode' },
  ],
  Lead: [{ state: 'State', postal: 'PostalCode' }],
  Account: [
    { state: 'BillingState', postal: 'BillingPostalCode' },
    { state: 'ShippingState', postal: 'ShippingPostalCode' },
  ],
  PersonAccount: [
    { state: 'PersonMailingState', postal: 'PersonMailingPostalCode' },
    { state: 'PersonOtherState', postal: 'PersonOtherPostalCode' },
    { state: 'BillingState', postal: 'BillingPostalCode' },
  ],
};

/** Every address field the search returns for an object (countries, states, postal codes). */
export function addressFields(object: CrmObject | 'PersonAccount'): string[] {
  return [
    ...COUNTRY_FIELDS[object],
    ...STATE_FIELDS[object].flatMap(({ state, postal }) => [state, postal]),
  ];
}

/** The country a record's address names, or why it names none. */
export interface RecordCountry {
  code: string | null;
  /** How the address names it, for people: `the record's MailingCountry is "France"`. */
  why: string | null;
  /** Address fields whose text names no country, for people: `MailingCountry "Europe" names no country`. */
  unknown: string[];
}

/**
 * The country of a record's address: its first country field that names a country, else its first
 * state/province field that names a subdivision of exactly one country (checked against the
 * address's postal code).
 */
export function recordCountryOf(object: CrmObject, record: Record<string, unknown>): RecordCountry {
  const type = object === 'Account' && record.IsPersonAccount === true ? 'PersonAccount' : object;
  const unknown: string[] = [];
  for (const field of COUNTRY_FIELDS[type]) {
    const text = str(record[field])?.trim();
    if (!text) continue;
    const code = countryCode(text);
    if (code) return { code, why: `the record's ${field} is "${text}"`, unknown };
    unknown.push(`${field} "${text}" names no country`);
  }
  for (const { state, postal } of STATE_FIELDS[type]) {
    const text = str(record[state])?.trim();
    if (!text) continue;
    const postalText = str(record[postal])?.trim() ?? null;
    const verdict = subdivisionCountry(text, postalText);
    const withPostal = postalText ? ` with ${postal} "${postalText}"` : '';
    if (verdict.kind === 'country')
      return {
        code: verdict.code,
        why: `the record's ${state} is "${text}"${withPostal}, in ${verdict.code}`,
        unknown,
      };
    if (verdict.kind === 'ambiguous')
      unknown.push(`${state} "${text}"${withPostal} could be in ${verdict.countries.join(' or ')}`);
    else if (verdict.kind === 'postal-mismatch')
      unknown.push(
        `${state} "${text}" is in ${verdict.countries.join(' or ')} but ${postal} "${postalText ?? ''}" is not`,
      );
    else unknown.push(`${state} "${text}" names no country`);
  }
  return { code: null, why: null, unknown };
}
