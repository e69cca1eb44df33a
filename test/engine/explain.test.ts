import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain, type ExplainInput } from '../../src/engine';
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
