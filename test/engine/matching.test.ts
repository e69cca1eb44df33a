import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  MAX_SEARCH_QUERY_CHARS,
  buildSearch,
  buildSearches,
  candidatesFor,
  classifyNumber,
  consumeSearch,
  readSearchRecords,
  type MatchIndex,
  escapeSosl,
  normalizeNumber,
  pickMatch,
} from '../../src/engine';
import { decideLink } from '../../src/engine/rules';
import { callerOnlyNumber, collidingNumber, countryText } from './arbitraries';
import { candidate, settings } from './helpers';

describe('normalizeNumber', () => {
  it('normalizes the formats Salesforce users type to E.164 (docs/PLATFORM.md §3)', () => {
    assert.equal(normalizeNumber('+33 1 23 45 67 89', 'US'), '+33123456789');
    assert.equal(normalizeNumber('0612345678', 'FR'), '+33612345678');
    assert.equal(normalizeNumber('(415) 555-0132', 'US'), '+14155550132');
    assert.equal(normalizeNumber('+1 617-610-5413'), '+16176105413');
    assert.equal(normalizeNumber('06 12 34 56 78', 'fr'), '+33612345678');
  });

  it('returns null for hidden caller ids, empty and invalid numbers', () => {
    for (const raw of ['anonymous', 'Anonymous', '', '   ', null, undefined, '+33 12', 'abc']) {
      assert.equal(normalizeNumber(raw, 'FR'), null, String(raw));
    }
    assert.deepEqual(classifyNumber('anonymous'), { kind: 'anonymous' });
    assert.deepEqual(classifyNumber('+33 12'), { kind: 'invalid', raw: '+33 12' });
  });

  it('ignores the default country when the number starts with +', () => {
    assert.equal(normalizeNumber('+44 20 7946 0958', 'FR'), '+442079460958');
  });
});

describe('escapeSosl', () => {
  it('escapes every SOSL reserved character', () => {
    assert.equal(
      escapeSosl(`?&|!{}[]()^~*:\\"'+-`),
      `\\?\\&\\|\\!\\{\\}\\[\\]\\(\\)\\^\\~\\*\\:\\\\\\"\\'\\+\\-`,
    );
    assert.equal(escapeSosl('33612345678'), '33612345678');
  });

  it('never leaves an unescaped reserved character (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = escapeSosl(s);
        // Remove escape pairs; what remains must have no reserved character.
        const rest = escaped.replace(/\\[\s\S]/g, '');
        return !/[?&|!{}[\]()^~*:\\"'+-]/.test(rest);
      }),
    );
  });
});

describe('buildSearch', () => {
  it('builds ONE SOSL for the whole batch, each number once, in digit forms', () => {
    const { sosl, terms } = buildSearch(
      [
        { raw: '+33 6 12 34 56 78', country: 'FR' },
        { raw: '0612345678', country: 'FR' },
        { raw: '(415) 555-0132', country: 'US' },
        { raw: 'anonymous', country: 'FR' },
      ],
      settings(),
    );
    assert.deepEqual(terms, [
      { e164: '+33612345678', digits: ['612345678', '33612345678'] },
      { e164: '+14155550132', digits: ['4155550132', '14155550132'] },
    ]);
    assert.equal(
      sosl,
      'FIND {"612345678" OR "33612345678" OR "4155550132" OR "14155550132"} IN PHONE FIELDS RETURNING ' +
        'Contact(Id, Name, FirstName, LastName, AccountId, Phone, MobilePhone, HomePhone, OtherPhone, AssistantPhone, MailingCountry, OtherCountry, MailingState, MailingPostalCode, OtherState, OtherPostalCode, LastModifiedDate, CreatedDate), ' +
        'Lead(Id, Name, FirstName, LastName, Company, Phone, MobilePhone, Country, State, PostalCode, LastModifiedDate, CreatedDate WHERE IsConverted = false), ' +
        'Account(Id, Name, Phone, BillingCountry, ShippingCountry, BillingState, BillingPostalCode, ShippingState, ShippingPostalCode, LastModifiedDate, CreatedDate), ' +
        // The numbers agents remembered, in the same search.
        'Aircall_Number_Link__c(Id, Phone_Key__c, Contact__c, Contact__r.Name, Contact__r.AccountId, Lead__c, Lead__r.Name, Account__c, Account__r.Name)',
    );
  });

  it('keeps the FIND text within 4,000 characters and hands back the numbers that did not fit', () => {
    const numbers = Array.from({ length: 400 }, (_, i) => ({ raw: `+3361${String(2000000 + i)}` }));
    const first = buildSearch(numbers, settings());
    const find = /^FIND \{(.*)\} IN PHONE FIELDS/.exec(first.sosl!)![1]!;
    assert.ok(find.length <= MAX_SEARCH_QUERY_CHARS, `${find.length}`);
    assert.equal(first.terms.length + first.rest.length, 400);
    assert.ok(first.rest.length > 0);
    const all = buildSearches(numbers, settings());
    assert.ok(all.length >= 2);
    assert.equal(new Set(all.flatMap((s) => s.terms.map((t) => t.e164))).size, 400);
  });

  it('adds the configured extra phone fields to the RETURNING clause', () => {
    const { sosl } = buildSearch(
      [{ raw: '+33612345678' }],
      settings({
        extraPhoneFields: { Contact: ['Work_Phone__c'], Lead: [], Account: ['Support_Line__c'] },
      }),
    );
    assert.match(sosl!, /AssistantPhone, Work_Phone__c, MailingCountry/);
    assert.match(sosl!, /Account\(Id, Name, Phone, Support_Line__c, /);
  });

  it('returns no query when no number can be searched', () => {
    assert.deepEqual(buildSearch([{ raw: 'anonymous' }, { raw: '+33 12' }], settings()), {
      sosl: null,
      terms: [],
      rest: [],
    });
  });
});

describe('consumeSearch', () => {
  const numbers = [
    { raw: '+33 6 12 34 56 78', country: 'FR' },
    { raw: '+1 415 555 0132', country: 'US' },
  ];

  it('reads a remembered number from the same search: its record comes first, for that number only', () => {
    const index = consumeSearch(
      [
        {
          attributes: { type: 'Aircall_Number_Link__c', url: '/x' },
          Id: 'a05A',
          Phone_Key__c: '+33612345678',
          Contact__c: '003B',
          Contact__r: { Name: 'Bea Real', AccountId: '001B' },
          Lead__c: null,
          Lead__r: null,
          Account__c: null,
          Account__r: null,
        },
        {
          attributes: { type: 'Aircall_Number_Link__c', url: '/x' },
          Id: 'a05C',
          Phone_Key__c: '+34911111111',
          Lead__c: '00QC',
        },
        {
          attributes: { type: 'Contact', url: '/x' },
          Id: '003A',
          Name: 'Ann',
          MobilePhone: '+33 6 12 34 56 78',
        },
      ],
      numbers,
      settings(),
    );
    const found = index.get('+33612345678') ?? [];
    assert.deepEqual(
      found.map((c) => [c.id, c.remembered ?? false, c.accountId]),
      [
        ['003B', true, '001B'],
        ['003A', false, null],
      ],
    );
    assert.equal(index.has('+34911111111'), false, 'a number not in the batch is not indexed');
  });

  it('confirms candidates by normalizing their phone fields, dropping records SOSL returned loosely', () => {
    const index = consumeSearch(
      [
        {
          attributes: { type: 'Contact', url: '/x' },
          Id: '003A',
          Name: 'Ann',
          FirstName: 'Ann',
          LastName: 'Lee',
          AccountId: '001A',
          Phone: null,
          MobilePhone: '06 12 34 56 78',
          LastModifiedDate: '2026-01-01T00:00:00.000+0000',
          CreatedDate: '2025-01-01T00:00:00.000+0000',
        },
        {
          attributes: { type: 'Lead', url: '/x' },
          Id: '00QA',
          Name: 'Bob',
          Phone: '(415) 555-0132',
          IsConverted: false,
        },
        // Shares digits with the search terms, but is another number.
        {
          attributes: { type: 'Account', url: '/x' },
          Id: '001B',
          Name: 'Other',
          Phone: '+44 612 345 678',
        },
        {
          attributes: { type: 'Lead', url: '/x' },
          Id: '00QC',
          Name: 'Converted',
          Phone: '0612345678',
          IsConverted: true,
        },
        { attributes: { type: 'Case', url: '/x' }, Id: '500A' },
      ],
      numbers,
      settings(),
    );
    assert.deepEqual([...index.keys()].sort(), ['+14155550132', '+33612345678']);
    assert.deepEqual(
      index.get('+33612345678')!.map((c) => c.id),
      ['003A'],
    );
    assert.equal(index.get('+33612345678')![0]!.accountId, '001A');
    assert.deepEqual(
      index.get('+14155550132')!.map((c) => c.id),
      ['00QA'],
    );
  });

  it('reads configured extra phone fields', () => {
    const index = consumeSearch(
      [{ attributes: { type: 'Contact' }, Id: '003X', Work_Phone__c: '+33 6 12 34 56 78' }],
      numbers,
      settings({ extraPhoneFields: { Contact: ['Work_Phone__c'], Lead: [], Account: [] } }),
    );
    assert.deepEqual(
      index.get('+33612345678')?.map((c) => c.id),
      ['003X'],
    );
    assert.equal(
      consumeSearch(
        [{ attributes: { type: 'Contact' }, Id: '003X', Work_Phone__c: '+33 6 12 34 56 78' }],
        numbers,
        settings(),
      ).size,
      0,
    );
  });
});

describe('pickMatch', () => {
  const contactOld = candidate({
    sobject: 'Contact',
    id: '003old',
    lastModifiedDate: '2026-01-01T00:00:00Z',
    createdDate: '2020-01-01T00:00:00Z',
  });
  const contactNew = candidate({
    sobject: 'Contact',
    id: '003new',
    lastModifiedDate: '2026-06-01T00:00:00Z',
    createdDate: '2024-01-01T00:00:00Z',
  });
  const lead = candidate({ sobject: 'Lead', id: '00Q1' });
  const account = candidate({ sobject: 'Account', id: '0011' });

  it('follows the match order across objects', () => {
    const all = [account, lead, contactOld];
    const byDefault = pickMatch(all, settings());
    assert.equal(byDefault.kind === 'matched' ? byDefault.record.id : null, '003old');
    const leadFirst = pickMatch(all, settings({ matchOrder: ['Lead', 'Contact', 'Account'] }));
    assert.equal(leadFirst.kind === 'matched' ? leadFirst.record.id : null, '00Q1');
    const accountOnly = pickMatch([lead, contactOld], settings({ matchOrder: ['Account'] }));
    assert.equal(accountOnly.kind, 'none');
  });

  it('applies the multiple-match rule: most recently modified, oldest, or do not link', () => {
    const two = [contactOld, contactNew];
    const recent = pickMatch(two, settings());
    assert.equal(recent.kind === 'matched' ? recent.record.id : null, '003new');
    const oldest = pickMatch(two, settings({ multipleMatches: 'Oldest' }));
    assert.equal(oldest.kind === 'matched' ? oldest.record.id : null, '003old');
    const none = pickMatch(two, settings({ multipleMatches: 'Do Not Link' }));
    assert.equal(none.kind, 'ambiguous');
    assert.match(
      none.reason,
      /2 Contact records have this number and Multiple Matches is "Do Not Link"/,
    );
  });

  it('links the Account common to every matched Contact with "Their Common Account", and no Contact', () => {
    const rule = settings({ multipleMatches: 'Their Common Account' });
    const ofAcme = [
      { ...contactOld, accountId: '001acme' },
      { ...contactNew, accountId: '001acme' },
    ];
    const common = pickMatch(ofAcme, rule);
    assert.equal(common.kind, 'matched');
    assert.equal(common.kind === 'matched' ? common.record.sobject : null, 'Account');
    assert.equal(common.kind === 'matched' ? common.record.id : null, '001acme');
    assert.match(common.reason, /2 Contact records of one Account have this number/);
    // Contacts of two Accounts, or one without an Account: nothing is common, nothing is linked.
    const twoAccounts = pickMatch([ofAcme[0]!, { ...contactNew, accountId: '001other' }], rule);
    assert.equal(twoAccounts.kind, 'ambiguous');
    assert.match(twoAccounts.reason, /no Account is common to all of them/);
    assert.equal(pickMatch([ofAcme[0]!, contactNew], rule).kind, 'ambiguous');
    // A single Contact is linked as always (with its Account: planner.ts).
    const one = pickMatch([ofAcme[0]!], rule);
    assert.equal(one.kind === 'matched' ? one.record.id : null, '003old');
  });

  it('links a remembered number first, whatever else has the number', () => {
    const remembered = { ...candidate({ sobject: 'Lead', id: '00Qchosen' }), remembered: true };
    const picked = pickMatch([contactOld, contactNew, remembered], settings());
    assert.equal(picked.kind === 'matched' ? picked.record.id : null, '00Qchosen');
    assert.match(picked.reason, /an agent chose this Lead for this number/);
  });

  it('is independent of the order candidates come in (property)', () => {
    const arb = fc.array(
      fc.record({
        sobject: fc.constantFrom('Contact' as const, 'Lead' as const, 'Account' as const),
        id: fc.string({ minLength: 1, maxLength: 4 }),
        lastModifiedDate: fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
        createdDate: fc.constantFrom('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(
        arb,
        fc.constantFrom(
          'Most Recently Modified' as const,
          'Oldest' as const,
          'Do Not Link' as const,
          'Their Common Account' as const,
        ),
        (records, rule) => {
          const unique = [...new Map(records.map((r) => [r.id, candidate(r)])).values()];
          const a = pickMatch(unique, settings({ multipleMatches: rule }));
          const b = pickMatch([...unique].reverse(), settings({ multipleMatches: rule }));
          return (
            a.kind === b.kind &&
            (a.kind !== 'matched' || (b.kind === 'matched' && a.record.id === b.record.id))
          );
        },
      ),
    );
  });
});

/** e164 → sorted ids, to compare indexes whatever order records came in. */
function ids(index: MatchIndex): Record<string, string[]> {
  return Object.fromEntries(
    [...index.entries()]
      .map(([e164, list]) => [e164, list.map((c) => c.id).sort()] as const)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  );
}

const idsFor = (index: MatchIndex, e164: string, line: string | null) =>
  candidatesFor(index, e164, line)
    .map((c) => c.id)
    .sort();

describe('numbers stored without country code', () => {
  // The case: a Contact in Nantes typed the French way, a caller from Milan.
  const nantes = {
    attributes: { type: 'Contact' },
    Id: '003FR',
    Name: 'Léa Martin',
    Phone: '02 12 34 56 78',
    MailingCountry: 'France',
  };
  const milan = { raw: '+39 02 1234 5678', country: 'IT' };

  it('reads them in the record’s country, never in the caller’s', () => {
    const index = consumeSearch([nantes], [milan], settings());
    assert.equal(index.size, 0);
    const french = consumeSearch(
      [nantes],
      [{ raw: '+33 2 12 34 56 78', country: 'IT' }],
      settings(),
    );
    assert.deepEqual(ids(french), { '+33212345678': ['003FR'] });
    assert.deepEqual(french.get('+33212345678')![0]!.readings, [
      {
        field: 'Phone',
        value: '02 12 34 56 78',
        country: 'FR',
        source: 'record',
        why: 'the record\'s MailingCountry is "France"',
        e164: '+33212345678',
      },
    ]);
  });

  it('reads address countries as admins type them, on Contact, Lead and Account', () => {
    const records = [
      {
        attributes: { type: 'Contact' },
        Id: '003A',
        Phone: '02 1234 5678',
        OtherCountry: 'Italie',
      },
      { attributes: { type: 'Lead' }, Id: '00QA', MobilePhone: '0212345678', Country: 'ita' },
      { attributes: { type: 'Account' }, Id: '001A', Phone: '02-1234-5678', ShippingCountry: 'IT' },
      {
        attributes: { type: 'Account' },
        Id: '001B',
        Phone: '02 12 34 56 78',
        BillingCountry: 'Frankreich',
        ShippingCountry: 'Italia',
      },
    ];
    const index = consumeSearch(records, [milan], settings());
    assert.deepEqual(ids(index), { '+390212345678': ['001A', '003A', '00QA'] });
  });

  it('reads international-form numbers as such, with + or 00, whatever the record’s country', () => {
    const records = [
      {
        attributes: { type: 'Contact' },
        Id: '003P',
        Phone: '+39 02 1234 5678',
        MailingCountry: 'France',
      },
      {
        attributes: { type: 'Contact' },
        Id: '0030',
        Phone: '0039 02 1234 5678',
        MailingCountry: 'FR',
      },
      { attributes: { type: 'Contact' }, Id: '003Q', Phone: '(+39) 02 1234 5678' },
    ];
    const index = consumeSearch(records, [{ raw: '+390212345678', country: 'FR' }], settings());
    assert.deepEqual(ids(index), { '+390212345678': ['0030', '003P', '003Q'] });
    assert.equal(index.get('+390212345678')![0]!.readings![0]!.source, 'international');
  });

  it('without a country on the record, reads them in the Default Country, else the line’s country', () => {
    const noCountry = { attributes: { type: 'Contact' }, Id: '003N', Phone: '02 12 34 56 78' };
    const unknown = { ...noCountry, Id: '003U', MailingCountry: 'Europe' };
    const fromMilanToParis = { raw: '+39 02 1234 5678', country: 'FR' };
    const fromNantes = { raw: '+33 2 12 34 56 78', country: 'IT' };
    // Default Country set: the line does not matter.
    const byDefault = consumeSearch(
      [noCountry, unknown],
      [fromMilanToParis, fromNantes],
      settings({ defaultCountry: 'FR' }),
    );
    assert.deepEqual(ids(byDefault), { '+33212345678': ['003N', '003U'] });
    const reading = byDefault.get('+33212345678')!.find((c) => c.id === '003U')!.readings![0]!;
    assert.equal(reading.source, 'default');
    assert.match(
      reading.why,
      /MailingCountry "Europe" names no country; the Default Country setting is FR/,
    );
    // No Default Country: each call reads them in the country of its own line. The Milan caller on a
    // Paris line reads them as French, the Nantes caller on a Milan line as Italian: neither links.
    assert.equal(consumeSearch([noCountry], [fromMilanToParis, fromNantes], settings()).size, 0);
    const milanLine = { raw: '+39 02 1234 5678', country: 'IT' };
    const byLine = consumeSearch([noCountry], [milanLine], settings());
    assert.deepEqual(ids(byLine), { '+390212345678': ['003N'] });
    assert.equal(byLine.get('+390212345678')![0]!.readings![0]!.source, 'line');
    // The same caller on both lines in one batch: only the call on the Italian line is linked.
    const both = consumeSearch([noCountry], [fromMilanToParis, milanLine], settings());
    assert.deepEqual(idsFor(both, '+390212345678', 'IT'), ['003N']);
    assert.deepEqual(idsFor(both, '+390212345678', 'FR'), []);
  });

  it('does not read them at all when no country is known', () => {
    const [searched] = readSearchRecords(
      [{ attributes: { type: 'Lead' }, Id: '00QN', Phone: '0612345678' }],
      [{ raw: '+33612345678' }],
      settings(),
    );
    assert.equal(searched!.readings[0]!.source, 'none');
    assert.equal(searched!.readings[0]!.e164, null);
  });

  it('never links a record in one country to a caller from another whose national number collides (property)', () => {
    fc.assert(
      fc.property(
        collidingNumber.chain((n) =>
          fc.record({
            n: fc.constant(n),
            mode: fc.constantFrom('record' as const, 'default' as const, 'line' as const),
            textA: countryText(n.a),
            textB: countryText(n.b),
            storedA: fc.constantFrom(n.national, n.formatted),
            lineA: fc.constantFrom(n.a, n.b, 'US' as const),
            lineB: fc.constantFrom(n.a, n.b, 'US' as const),
            seed: fc.integer(),
          }),
        ),
        ({ n, mode, textA, textB, storedA, lineA, lineB, seed }) => {
          const recordA: Record<string, unknown> = {
            attributes: { type: 'Contact' },
            Id: '003A',
            Phone: storedA,
            ...(mode === 'record' ? { MailingCountry: textA } : {}),
          };
          const recordB = {
            attributes: { type: 'Lead' },
            Id: '00QB',
            MobilePhone: n.national,
            Country: textB,
          };
          const numbers = [
            { raw: n.e164InA, country: lineA },
            { raw: n.e164InB, country: lineB },
          ];
          const s = settings(mode === 'default' ? { defaultCountry: n.a } : {});
          const index = consumeSearch([recordA, recordB], numbers, s);
          // Whatever the order of the batch and of the search results.
          const shuffled = fc.sample(
            fc.tuple(fc.shuffledSubarray(numbers, { minLength: 2 }), fc.boolean()),
            { seed, numRuns: 1 },
          )[0]!;
          const again = consumeSearch(
            shuffled[1] ? [recordB, recordA] : [recordA, recordB],
            shuffled[0],
            s,
          );
          assert.deepEqual(ids(again), ids(index));
          // A record in one country is never linked to the caller from the other; same-country
          // national formats still match. Read on a line where it is no valid number at all, it
          // links only the caller whose own country reads it as their very number.
          const links = (line: string, e164: string) => {
            const chosen = normalizeNumber(storedA, line);
            if (chosen) return chosen === e164;
            const caller = parsePhoneNumberFromString(e164)!.country;
            const own = caller ? parsePhoneNumberFromString(storedA, caller) : undefined;
            return !!own?.isValid() && own.country === caller && own.number === e164;
          };
          const aForA = mode !== 'line' || links(lineA, n.e164InA);
          const aForB = mode === 'line' && links(lineB, n.e164InB);
          assert.deepEqual(idsFor(index, n.e164InA, lineA), aForA ? ['003A'] : []);
          assert.deepEqual(idsFor(index, n.e164InB, lineB), aForB ? ['003A', '00QB'] : ['00QB']);
          if (mode !== 'line') assert.ok(aForA && !aForB);
          // Valid where it was read first, it is never read in the caller's country.
          for (const [line, e164] of [
            [lineA, n.e164InA],
            [lineB, n.e164InB],
          ] as const) {
            const first = mode === 'line' ? line : n.a;
            if (normalizeNumber(storedA, first) && normalizeNumber(storedA, first) !== e164)
              assert.deepEqual(idsFor(index, e164, line).includes('003A'), false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('numbers that are not valid in the country they are read in', () => {
  // A support line in Madrid; a Contact with no address country stores the New York number the way
  // US users type it.
  const newYorker = {
    attributes: { type: 'Contact' },
    Id: '003NY',
    Name: 'Sam Park',
    Phone: '(212) 555-0199',
  };
  const fromNewYork = { raw: '+1 212-555-0199', country: 'ES' };

  it('reads them in the caller’s country, and links only the caller they are equal to', () => {
    const index = consumeSearch([newYorker], [fromNewYork], settings());
    assert.deepEqual(ids(index), { '+12125550199': ['003NY'] });
    const reading = index.get('+12125550199')![0]!.readings![0]!;
    assert.deepEqual(reading, {
      field: 'Phone',
      value: '(212) 555-0199',
      country: 'US',
      source: 'caller',
      why: 'not a valid number in ES',
      e164: '+12125550199',
      chosen: {
        country: 'ES',
        source: 'line',
        why: 'the record has no address country and no Default Country is set; the Aircall line that took the call is in ES',
      },
    });
    const decision = pickMatch(candidatesFor(index, '+12125550199', 'ES'), settings());
    assert.equal(decision.kind, 'matched');
    // Another New York caller is not equal to it: not linked.
    const other = consumeSearch(
      [newYorker],
      [{ raw: '+1 212-555-0100', country: 'ES' }],
      settings(),
    );
    assert.equal(other.size, 0);
  });

  it('keeps today’s reading when the number is valid where it is read first: validity, not format, decides', () => {
    // Read in Germany, "(212) 555-0199" is Solingen's +49 212 5550199: not the New York caller.
    for (const s of [settings({ defaultCountry: 'DE' }), settings()]) {
      const record = s.defaultCountry ? newYorker : { ...newYorker, MailingCountry: 'Germany' };
      assert.equal(consumeSearch([record], [fromNewYork], s).size, 0);
      const [searched] = readSearchRecords([record], [fromNewYork], s);
      assert.deepEqual(
        searched!.readings.map((r) => [r.source, r.country, r.e164]),
        [[s.defaultCountry ? 'default' : 'record', 'DE', '+492125550199']],
      );
    }
    // The French number of a Contact in Nantes is never linked to a caller from Milan.
    const nantes = {
      attributes: { type: 'Contact' },
      Id: '003FR',
      Phone: '02 12 34 56 78',
      MailingCountry: 'France',
    };
    assert.equal(
      consumeSearch([nantes], [{ raw: '+39 02 1234 5678', country: 'ES' }], settings()).size,
      0,
    );
  });

  it('depends on the line when the line’s country was the one read first', () => {
    // The same caller on a Madrid line and on a Berlin line in one batch: in Berlin the stored number
    // is a valid German number, so only the Madrid call is linked.
    const onBerlin = { raw: '+1 212-555-0199', country: 'DE' };
    const both = consumeSearch([newYorker], [fromNewYork, onBerlin], settings());
    assert.deepEqual(idsFor(both, '+12125550199', 'ES'), ['003NY']);
    assert.deepEqual(idsFor(both, '+12125550199', 'DE'), []);
  });

  it('is read in the caller’s own country, not in one sharing its calling code', () => {
    // A Toronto caller (+1 416) and the New York number: read with CA as the default, "(212) 555-0199"
    // is a US number, so no reading "in CA" is made.
    const [searched] = readSearchRecords(
      [newYorker],
      [{ raw: '+1 416-555-0123', country: 'ES' }],
      settings(),
    );
    assert.deepEqual(
      searched!.readings.map((r) => r.source),
      ['line'],
    );
  });

  it('does not read a number in the caller’s country when no country was known to read it in first', () => {
    const [searched] = readSearchRecords([newYorker], [{ raw: '+12125550199' }], settings());
    assert.deepEqual(
      searched!.readings.map((r) => r.source),
      ['none'],
    );
  });

  it('links a number invalid where it is read first and equal to the caller’s in the caller’s country, with the reason (property)', () => {
    fc.assert(
      fc.property(
        callerOnlyNumber.chain((n) =>
          fc.record({
            n: fc.constant(n),
            mode: fc.constantFrom('record' as const, 'default' as const, 'line' as const),
            text: countryText(n.chosen),
            stored: fc.constantFrom(n.national, n.formatted),
            field: fc.constantFrom('Phone', 'MobilePhone', 'HomePhone'),
          }),
        ),
        ({ n, mode, text, stored, field }) => {
          const record = {
            attributes: { type: 'Contact' },
            Id: '003C',
            [field]: stored,
            ...(mode === 'record' ? { MailingCountry: text } : {}),
          };
          const line = mode === 'line' ? n.chosen : n.caller;
          const s = settings(mode === 'default' ? { defaultCountry: n.chosen } : {});
          const index = consumeSearch([record], [{ raw: n.e164, country: line }], s);
          assert.deepEqual(idsFor(index, n.e164, line), ['003C']);
          const link = decideLink(n.e164, s, index, new Map(), line);
          assert.equal(link.kind, 'matched');
          assert.ok(
            link.reason.includes(
              `its ${field} "${stored}" was read in ${n.caller}: not a valid number in ${n.chosen}, and equal to the caller's number in ${n.caller}`,
            ),
            link.reason,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('state and province fields', () => {
  const madrid = 'ES';
  it('read the record’s numbers in the country a state names, on Contact, Lead and Account', () => {
    const records = [
      {
        attributes: { type: 'Lead' },
        Id: '00QCA',
        Phone: '(212) 555-0199',
        State: 'California',
      },
      {
        attributes: { type: 'Contact' },
        Id: '003WA',
        MobilePhone: '212-555-0199',
        OtherState: 'WA',
        OtherPostalCode: '98101',
      },
      {
        attributes: { type: 'Account' },
        Id: '001BY',
        Phone: '0212 5550199',
        BillingState: 'Bavaria',
      },
    ];
    const index = consumeSearch(
      records,
      [
        { raw: '+1 212-555-0199', country: madrid },
        { raw: '+49 212 5550199', country: madrid },
      ],
      settings(),
    );
    assert.deepEqual(ids(index), {
      '+12125550199': ['003WA', '00QCA'],
      '+492125550199': ['001BY'],
    });
    const [lead, contact, account] = readSearchRecords(
      records,
      [{ raw: '+12125550199', country: madrid }],
      settings(),
    );
    assert.deepEqual(
      [lead!, contact!, account!].map((r) => [r.readings[0]!.source, r.readings[0]!.why]),
      [
        ['record', 'the record\'s State is "California", in US'],
        ['record', 'the record\'s OtherState is "WA" with OtherPostalCode "98101", in US'],
        ['record', 'the record\'s BillingState is "Bavaria", in DE'],
      ],
    );
  });

  it('give way to a country field that names a country', () => {
    const record = {
      attributes: { type: 'Contact' },
      Id: '003FR',
      Phone: '02 12 34 56 78',
      MailingState: 'California',
      OtherCountry: 'France',
    };
    const [searched] = readSearchRecords(
      [record],
      [{ raw: '+33212345678', country: madrid }],
      settings(),
    );
    assert.deepEqual(
      searched!.readings.map((r) => [r.country, r.why]),
      [['FR', 'the record\'s OtherCountry is "France"']],
    );
  });

  it('name no country when ambiguous, so the Default Country or the line’s is used, and say why', () => {
    const records = [
      { attributes: { type: 'Contact' }, Id: '003WA', Phone: '(212) 555-0199', MailingState: 'WA' },
      {
        attributes: { type: 'Contact' },
        Id: '003CA',
        Phone: '(212) 555-0199',
        MailingState: 'CA',
        MailingPostalCode: 'H2X 1Y4',
      },
    ];
    const searched = readSearchRecords(
      records,
      [{ raw: '+12125550199', country: 'DE' }],
      settings(),
    );
    assert.deepEqual(
      searched.map((r) => [r.readings[0]!.source, r.readings[0]!.country, r.readings[0]!.why]),
      [
        [
          'line',
          'DE',
          'the record\'s MailingState "WA" could be in AU or US and no Default Country is set; the Aircall line that took the call is in DE',
        ],
        [
          'line',
          'DE',
          'the record\'s MailingState "CA" is in US but MailingPostalCode "H2X 1Y4" is not and no Default Country is set; the Aircall line that took the call is in DE',
        ],
      ],
    );
    // Read in DE, "(212) 555-0199" is a valid German number: neither is linked to New York.
    assert.equal(
      consumeSearch(records, [{ raw: '+12125550199', country: 'DE' }], settings()).size,
      0,
    );
  });
});
