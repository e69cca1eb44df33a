import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumeSearch, explain, readSearchRecords, type ExplainInput } from '../../src/engine';
import fc from 'fast-check';
import { candidate, load, parisHours, parseAll, planWith, settings } from './helpers';

const base: ExplainInput = {
  number: '06 12 34 56 78',
  country: 'FR',
  at: new Date('2026-09-29T08:00:00Z'), // Tuesday 10:00 Paris
  settings: settings(),
  matches: new Map(),
  businessHours: parisHours(),
};

describe('explain', () => {
  it('says a new Lead is created for an unknown number, and how the call is logged', () => {
    const text = explain(base);
    assert.match(text, /^Inbound call from 06 12 34 56 78 at 2026-09-29T08:00:00.000Z:/);
    assert.match(text, /- Number: \+33612345678 \(E\.164\)\./);
    assert.match(text, /- Logged: Log Calls is "Always"\./);
    assert.match(
      text,
      /- New Lead with Aircall_Phone_Key__c \+33612345678: no Contact, Lead or Account has this number; a Lead is created \("Create Lead"\)/,
    );
    assert.match(text, /VoiceCall: created when the call connects/);
    assert.match(text, /- Recording: linked on the Aircall Voice \(stable Aircall asset link\)\./);
  });

  it('says why a call outside business hours is not logged, and stops there', () => {
    const text = explain({
      ...base,
      at: new Date('2026-10-03T10:00:00Z'),
      settings: settings({ logCalls: 'Business Hours Only' }),
    });
    assert.match(
      text,
      /- Not logged: Saturday 2026-10-03 12:00 Europe\/Paris is outside "Paris office", and Log Calls is "Business Hours Only"/,
    );
    assert.doesNotMatch(text, /VoiceCall/);
  });

  it('names the matched record and the rule that chose it', () => {
    const older = candidate({
      sobject: 'Contact',
      id: '003A',
      name: 'Ann Lee',
      lastModifiedDate: '2026-01-01T00:00:00Z',
    });
    const newer = candidate({
      sobject: 'Contact',
      id: '003B',
      name: 'Ann Lee (new)',
      lastModifiedDate: '2026-06-01T00:00:00Z',
    });
    const text = explain({ ...base, matches: new Map([['+33612345678', [older, newer]]]) });
    assert.match(
      text,
      /- Linked to Contact Ann Lee \(new\) \(003B\): 2 Contact records have this number; the most recently modified wins/,
    );
    assert.match(text, /Match order: Contact > Lead > Account\./);
  });

  it('explains the invalid-number path for an outbound call', () => {
    const text = explain({ ...base, number: '+33 12', direction: 'outbound' });
    assert.match(text, /not a valid phone number/);
    assert.match(text, /only a VoiceCall is created, after the call ends/);
  });

  it('explains reuse of a record this product created earlier', () => {
    const text = explain({
      ...base,
      known: new Map([['+33612345678', { sobject: 'Lead' as const, id: '00Q1' }]]),
    });
    assert.match(
      text,
      /- Linked to Lead 00Q1: this product already created a Lead for \+33612345678; it is reused/,
    );
  });

  it('explains "Do Nothing" and a hidden caller id', () => {
    assert.match(
      explain({ ...base, settings: settings({ unknownNumberAction: 'Do Nothing' }) }),
      /Not linked: .*"Do Nothing"/,
    );
    assert.match(explain({ ...base, number: 'anonymous' }), /hidden caller id/);
  });
});

describe('explain agrees with planBatch', () => {
  it('says "Not logged" exactly when the plan skips the call, for any start time in a week', () => {
    const missed = load('inbound-missed.json');
    fc.assert(
      fc.property(fc.integer({ min: 1790546400, max: 1790546400 + 7 * 86400 }), (startedAt) => {
        const events = parseAll(
          missed.map((e) => ({
            ...e.raw,
            data: { ...(e.raw.data as object), started_at: startedAt },
          })),
        );
        const only = settings({ logCalls: 'Business Hours Only' });
        const skipped = planWith(events, { settings: only }).plan.skipped.length > 0;
        const text = explain({ ...base, at: new Date(startedAt * 1000), settings: only });
        assert.equal(/- Not logged:/.test(text), skipped);
      }),
      { numRuns: 200 },
    );
  });
});

describe('explain: numbers stored without country code', () => {
  const records = [
    {
      attributes: { type: 'Contact' },
      Id: '003FR',
      Name: 'Léa Martin',
      Phone: '02 12 34 56 78',
      MailingCountry: 'France',
    },
    { attributes: { type: 'Lead' }, Id: '00QNO', Name: 'No Country', Phone: '02 1234 5678' },
    { attributes: { type: 'Account' }, Id: '001IN', Name: 'Milano SpA', Phone: '+39 02 1234 5678' },
  ];
  const numbers = [{ raw: '+39 02 1234 5678', country: 'IT' }];

  it('shows which country each stored number was read in, and why', () => {
    const s = settings();
    const text = explain({
      ...base,
      number: '+39 02 1234 5678',
      country: 'IT',
      settings: s,
      matches: consumeSearch(records, numbers, s),
      searched: readSearchRecords(records, numbers, s),
    });
    assert.match(
      text,
      /- Contact Léa Martin \(003FR\): its Phone "02 12 34 56 78" was read in FR \(the record's MailingCountry is "France"\) → \+33212345678, another number\./,
    );
    assert.match(
      text,
      /- Lead No Country \(00QNO\): its Phone "02 1234 5678" was read in IT \(the record has no address country and no Default Country is set; the Aircall line that took the call is in IT\) → \+390212345678, this number\./,
    );
    assert.match(
      text,
      /- Account Milano SpA \(001IN\): its Phone "\+39 02 1234 5678" is in international form → \+390212345678, this number\./,
    );
    // Match order Contact > Lead > Account: the Lead wins, and the link says how it was read.
    assert.match(
      text,
      /- Linked to Lead No Country \(00QNO\): one Lead has this number \(its Phone "02 1234 5678" was read in IT/,
    );
  });

  it('reads records without a country in the Default Country when one is set', () => {
    const s = settings({ defaultCountry: 'FR' });
    const text = explain({
      ...base,
      number: '+39 02 1234 5678',
      country: 'IT',
      settings: s,
      matches: consumeSearch(records, numbers, s),
      searched: readSearchRecords(records, numbers, s),
    });
    assert.match(
      text,
      /Lead No Country \(00QNO\): its Phone "02 1234 5678" was read in FR \(the record has no address country; the Default Country setting is FR\) → \+33212345678, another number\./,
    );
    assert.match(text, /- Linked to Account Milano SpA \(001IN\)/);
  });
});

describe('explain: each way a stored number is read', () => {
  const explainFor = (
    records: Record<string, unknown>[],
    number: string,
    country: string | null,
    s = settings(),
  ) => {
    const numbers = [{ raw: number, country }];
    return explain({
      ...base,
      number,
      country,
      settings: s,
      matches: consumeSearch(records, numbers, s),
      searched: readSearchRecords(records, numbers, s),
    });
  };
  const ny = {
    attributes: { type: 'Contact' },
    Id: '003NY',
    Name: 'Sam Park',
    Phone: '(212) 555-0199',
  };

  it('in the caller’s country, when it is not a valid number where it is read first', () => {
    const text = explainFor([ny], '+1 212-555-0199', 'ES');
    assert.match(
      text,
      /- Contact Sam Park \(003NY\): its Phone "\(212\) 555-0199" was read in ES \(the record has no address country and no Default Country is set; the Aircall line that took the call is in ES\) → not a valid number there\./,
    );
    assert.match(
      text,
      /- Contact Sam Park \(003NY\): its Phone "\(212\) 555-0199" was read in US: not a valid number in ES, and equal to the caller's number in US → \+12125550199, this number\./,
    );
    assert.match(
      text,
      /- Linked to Contact Sam Park \(003NY\): one Contact has this number \(its Phone "\(212\) 555-0199" was read in US: not a valid number in ES, and equal to the caller's number in US/,
    );
  });

  it('in the caller’s country but another number: not linked, and not called equal', () => {
    const text = explainFor([ny], '+1 212-555-0100', 'ES');
    assert.match(
      text,
      /its Phone "\(212\) 555-0199" was read in US, the caller's country: not a valid number in ES → \+12125550199, another number\./,
    );
    assert.doesNotMatch(text, /equal to the caller's number/);
    assert.match(text, /- New Lead with Aircall_Phone_Key__c \+12125550100/);
  });

  it('in the country a state names', () => {
    const text = explainFor(
      [{ ...ny, MailingState: 'CA', MailingPostalCode: '94105' }],
      '+1 212-555-0199',
      'ES',
    );
    assert.match(
      text,
      /its Phone "\(212\) 555-0199" was read in US \(the record's MailingState is "CA" with MailingPostalCode "94105", in US\) → \+12125550199, this number\./,
    );
    assert.match(text, /- Linked to Contact Sam Park \(003NY\)/);
  });

  it('in the line’s country when the state is ambiguous, and valid there: not linked', () => {
    const text = explainFor([{ ...ny, MailingState: 'WA' }], '+1 212-555-0199', 'DE');
    assert.match(
      text,
      /its Phone "\(212\) 555-0199" was read in DE \(the record's MailingState "WA" could be in AU or US and no Default Country is set; the Aircall line that took the call is in DE\) → \+492125550199, another number\./,
    );
    assert.doesNotMatch(text, /read in US/);
    assert.match(text, /- New Lead with Aircall_Phone_Key__c \+12125550199/);
  });

  it('in the Default Country, then in the caller’s when it is not valid there', () => {
    const text = explainFor([ny], '+1 212-555-0199', 'DE', settings({ defaultCountry: 'FR' }));
    assert.match(
      text,
      /was read in FR \(the record has no address country; the Default Country setting is FR\) → not a valid number there\./,
    );
    assert.match(
      text,
      /was read in US: not a valid number in FR, and equal to the caller's number in US → \+12125550199, this number\./,
    );
  });

  it('not at all when no country is known', () => {
    const text = explainFor([ny], '+1 212-555-0199', null);
    assert.match(
      text,
      /its Phone "\(212\) 555-0199" was not read \(the record has no address country, no Default Country is set and the line's country is unknown, so it is not read\) → not a valid number there\./,
    );
  });
});
