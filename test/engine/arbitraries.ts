/**
 * fast-check generators of whole Aircall call histories (envelopes), with the truth they encode, and
 * of phone numbers that mean different subscribers in different countries.
 */
import fc from 'fast-check';
import countries from 'i18n-iso-countries';
import {
  getCountries,
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { countryCode, type AircallEvent } from '../../src/engine';
import { parseAll } from './helpers';

export interface GeneratedCall {
  events: AircallEvent[];
  truth: {
    callId: string;
    direction: 'inbound' | 'outbound';
    startedAt: number;
    answeredAt: number | null;
    endedAt: number;
    tags: string[];
  };
}

const line = {
  id: 1,
  name: 'Support',
  digits: '+33 1 76 44 01 23',
  country: 'FR',
  time_zone: 'Europe/Paris',
};
const agent = { id: 7, name: 'Camille Martin', email: 'camille.martin@example.com' };

/** A complete call: created → (answered) → hungup → ended, plus tag changes after it ended. */
export const callHistory = (callId: number): fc.Arbitrary<GeneratedCall> =>
  fc
    .record({
      direction: fc.constantFrom('inbound' as const, 'outbound' as const),
      // Working hours of Tuesday 2026-09-29 in Paris, so business-hours rules keep the call.
      startedAt: fc.integer({ min: 1790665200, max: 1790690000 }),
      ring: fc.integer({ min: 0, max: 90 }),
      answered: fc.boolean(),
      talk: fc.integer({ min: 0, max: 3600 }),
      tagSteps: fc.array(fc.subarray(['VIP', 'Callback', 'Sales', 'Complaint']), { maxLength: 3 }),
      number: fc.constantFrom(
        '+33 6 12 34 56 78',
        '06 98 76 54 32',
        'anonymous',
        '+1 617-610-5413',
      ),
    })
    .map((g) => {
      const answeredAt = g.answered ? g.startedAt + g.ring : null;
      const endedAt = answeredAt !== null ? answeredAt + g.talk : g.startedAt + g.ring;
      const base = {
        id: callId,
        direction: g.direction,
        started_at: g.startedAt,
        raw_digits:
          g.direction === 'outbound' && g.number === 'anonymous' ? '+33 6 12 34 56 78' : g.number,
        number: line,
        user: agent,
        answered_at: null as number | null,
        ended_at: null as number | null,
        tags: [] as { id: number; name: string }[],
        comments: [],
        missed_call_reason: null as string | null,
      };
      const env = (event: string, timestamp: number, data: Record<string, unknown>) => ({
        resource: 'call',
        event,
        timestamp,
        token: 't',
        data: { ...base, ...data },
      });
      const done = {
        status: 'done',
        answered_at: answeredAt,
        ended_at: endedAt,
        duration: endedAt - g.startedAt,
        missed_call_reason:
          answeredAt === null && g.direction === 'inbound' ? 'agents_did_not_answer' : null,
      };
      const bodies = [env('call.created', g.startedAt, { status: 'initial' })];
      if (answeredAt !== null)
        bodies.push(
          env('call.answered', answeredAt, { status: 'answered', answered_at: answeredAt }),
        );
      bodies.push(env('call.hungup', endedAt, done));
      bodies.push(env('call.ended', endedAt + 30, done));
      let tags: string[] = [];
      g.tagSteps.forEach((step, i) => {
        const event = step.length >= tags.length ? 'call.tagged' : 'call.untagged';
        tags = step;
        bodies.push(
          env(event, endedAt + 40 + i, { ...done, tags: step.map((name, j) => ({ id: j, name })) }),
        );
      });
      return {
        events: parseAll(bodies),
        truth: {
          callId: String(callId),
          direction: g.direction,
          startedAt: g.startedAt,
          answeredAt,
          endedAt,
          tags: [...tags].sort(),
        },
      };
    });

/** The given events in any order, with any of them delivered several times. */
export function shuffledWithDuplicates<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  if (items.length === 0) return fc.constant([]);
  return fc
    .array(fc.integer({ min: 0, max: items.length - 1 }), { maxLength: items.length * 2 })
    .chain((extra) => {
      const all = [...items, ...extra.map((i) => items[i]!)];
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });
}

/**
 * A national number (as typed, without country code) valid in two countries at once: read in `a`
 * it is one subscriber, read in `b` another. Built from libphonenumber's example mobile number of
 * `a` with its last four digits replaced, so every country with an example can come up.
 */
export interface CollidingNumber {
  a: CountryCode;
  b: CountryCode;
  /** Digits as a user of `a` types them, with `a`'s trunk prefix ("0212345678"). */
  national: string;
  /** The same number formatted the way `a` writes it ("02 12 34 56 78"). */
  formatted: string;
  e164InA: string;
  e164InB: string;
}

/** Countries libphonenumber has an example for and ISO 3166-1 lists (not e.g. XK, AC, TA). */
const COUNTRIES_WITH_EXAMPLES = getCountries().filter(
  (c) => getExampleNumber(c, examples) && countryCode(c) === c,
);

/**
 * The countries `b` is drawn from: those of the contact centers Aircall serves most (Europe, the
 * Americas, a few others). Trying all 240 for every generated number would make the property slow.
 */
const OTHER_COUNTRIES = (
  'FR IT ES DE GB IE BE NL LU CH AT PT PL SE DK NO FI CZ SK HU RO GR HR SI MC ' +
  'US CA MX BR AR CO CL AU NZ JP IN CN ZA MA TN TR IL AE'
)
  .split(' ')
  .filter((c): c is CountryCode => COUNTRIES_WITH_EXAMPLES.includes(c as CountryCode));

/** Digits of `country`'s example number as its users type it ("0612345678"). */
const exampleNational = (country: CountryCode) =>
  getExampleNumber(country, examples)!.formatNational().replace(/\D/g, '');

/** Valid in the country, and as an E.164 on its own (how a caller's number arrives). */
function validIn(national: string, country: CountryCode) {
  const parsed = parsePhoneNumberFromString(national, country);
  return parsed?.isValid() && parsePhoneNumberFromString(parsed.number)?.isValid() ? parsed : null;
}

/** Countries where `a`'s example national digits are another valid number (computed once per a). */
const collidesWith = new Map<CountryCode, CountryCode[]>();
function othersOf(a: CountryCode): CountryCode[] {
  let others = collidesWith.get(a);
  if (!others) {
    const national = exampleNational(a);
    const inA = validIn(national, a);
    others = inA
      ? OTHER_COUNTRIES.filter((b) => b !== a && validIn(national, b)?.number !== undefined)
      : [];
    collidesWith.set(a, others);
  }
  return others;
}

export const collidingNumber: fc.Arbitrary<CollidingNumber> = fc
  .constantFrom(...COUNTRIES_WITH_EXAMPLES)
  .filter((a) => othersOf(a).length > 0)
  .chain((a) =>
    fc.record({ a: fc.constant(a), b: fc.constantFrom(...othersOf(a)), tail: fc.nat(9999) }),
  )
  .map(({ a, b, tail }) => {
    const national = exampleNational(a).slice(0, -4) + String(tail).padStart(4, '0');
    const inA = validIn(national, a);
    const inB = validIn(national, b);
    if (!inA || !inB || inA.number === inB.number) return null;
    return {
      a,
      b,
      national,
      formatted: inA.formatNational(),
      e164InA: inA.number,
      e164InB: inB.number,
    };
  })
  .filter((x): x is CollidingNumber => x !== null);

/** How an admin may have typed a country: ISO code in any case, alpha-3, or its name in some language. */
export const countryText = (code: CountryCode): fc.Arbitrary<string> =>
  fc
    .constantFrom(
      code,
      code.toLowerCase(),
      countries.alpha2ToAlpha3(code) ?? code,
      ...['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'pl', 'sv']
        .map((lang) => countries.getName(code, lang))
        .filter((name): name is string => typeof name === 'string'),
    )
    // A name two languages give to two countries is not read as either (countries.ts).
    .filter((text) => countryCode(text) === code);

/**
 * A national number (as typed, without country code) valid in the caller's country `caller` and
 * not a valid number at all in `chosen`, the country a record's number is read in first (the
 * record's, the Default Country or the line's): "(212) 555-0199" on a record read in ES.
 */
export interface CallerOnlyNumber {
  caller: CountryCode;
  chosen: CountryCode;
  /** Digits as a user of `caller` types them, with its trunk prefix. */
  national: string;
  /** The same number formatted the way `caller` writes it. */
  formatted: string;
  /** The caller's number. */
  e164: string;
}

/** Valid in `country` and, as an E.164, a number of that very country (not one sharing its code). */
function ownNumber(national: string, country: CountryCode) {
  const parsed = validIn(national, country);
  return parsed && parsePhoneNumberFromString(parsed.number)?.country === country ? parsed : null;
}

export const callerOnlyNumber: fc.Arbitrary<CallerOnlyNumber> = fc
  .record({
    caller: fc.constantFrom(...COUNTRIES_WITH_EXAMPLES),
    chosen: fc.constantFrom(...OTHER_COUNTRIES),
    tail: fc.nat(9999),
  })
  .map(({ caller, chosen, tail }) => {
    if (caller === chosen) return null;
    const national = exampleNational(caller).slice(0, -4) + String(tail).padStart(4, '0');
    // "00…" is read as an international prefix whatever the country (matching.ts).
    if (national.startsWith('00')) return null;
    const own = ownNumber(national, caller);
    if (!own || parsePhoneNumberFromString(national, chosen)?.isValid()) return null;
    const formatted = own.formatNational();
    if (parsePhoneNumberFromString(formatted, chosen)?.isValid()) return null;
    return { caller, chosen, national, formatted, e164: own.number };
  })
  .filter((x): x is CallerOnlyNumber => x !== null);
