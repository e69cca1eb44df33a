import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_SEARCH_QUERY_CHARS,
  buildSearch,
  buildSearches,
  classifyNumber,
  consumeSearch,
  escapeSosl,
  normalizeNumber,
  pickMatch,
} from '../../src/engine';
import { candidate, settings } from './helpers';

describe('normalizeNumber', () => {
  it('normalizes the formats Salesforce users type to E.164 (REFERENCE §5)', () => {
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
        'Contact(Id, Name, FirstName, LastName, AccountId, Phone, MobilePhone, HomePhone, OtherPhone, AssistantPhone, LastModifiedDate, CreatedDate), ' +
        'Lead(Id, Name, FirstName, LastName, Company, Phone, MobilePhone, LastModifiedDate, CreatedDate WHERE IsConverted = false), ' +
        'Account(Id, Name, Phone, LastModifiedDate, CreatedDate)',
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
    assert.match(sosl!, /AssistantPhone, Work_Phone__c, LastModifiedDate/);
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
