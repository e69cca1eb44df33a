import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CASE_TEXTS,
  caseLanguageOf,
  needsOpenRecords,
  openRecordKeys,
  type AircallEvent,
  type CallSyncState,
  type OpenRecords,
  type RecordWrite,
} from '../../src/engine';
import { candidate, load, loadRaw, parseAll, planWith, settings, upTo } from './helpers';

const NUMBER = '+33612345678';
const CONTACT = '003000000000001AAA';
const OTHER_CONTACT = '003000000000002AAA';
const ACCOUNT = '001000000000001AAA';
const lea = candidate({
  sobject: 'Contact',
  id: CONTACT,
  firstName: 'Léa',
  lastName: 'Garnier',
  name: 'Léa Garnier',
  accountId: ACCOUNT,
});
const acme = candidate({ sobject: 'Account', id: ACCOUNT, name: 'Acme SA' });

const openCase = (
  id: string,
  at: string,
  over: { contactId?: string | null; accountId?: string | null } = {},
) => ({
  id,
  contactId: over.contactId === undefined ? CONTACT : over.contactId,
  accountId: over.accountId === undefined ? ACCOUNT : over.accountId,
  lastModifiedDate: at,
});

const voicemail = load('inbound-voicemail.json');
const missed = load('inbound-missed.json');
const answered = load('inbound-answered.json');

const text = (value: unknown): string => {
  assert.equal(typeof value, 'string');
  return value as string;
};
const writesOf = (writes: readonly RecordWrite[], sobject: RecordWrite['sobject']) =>
  writes.filter((w) => w.sobject === sobject);
const voiceOf = (writes: readonly RecordWrite[]) => writesOf(writes, 'Aircall_Voice__c')[0]!.fields;

/** Aircall's AI summary of the voicemail call, arriving after the call ended. */
function summaryOf(callId: number, content: string, at: number): AircallEvent[] {
  const [summary] = loadRaw('ai-events.json');
  const data = summary!.data as Record<string, unknown>;
  return parseAll([{ ...summary, timestamp: at, data: { ...data, call_id: callId, content } }]);
}

describe('linking a call to the open Case and Opportunity', () => {
  const links = settings({ linkToOpenCase: true, linkToOpenOpportunity: true });

  it('picks the matched Contact’s most recently modified open Case, and no closed one is ever offered', () => {
    // The connector reads `WHERE IsClosed = false`, so only open Cases are in openRecords.
    const openRecords: OpenRecords = {
      cases: [
        openCase('500000000000001AAA', '2026-09-01T10:00:00.000+0000'),
        openCase('500000000000002AAA', '2026-09-20T10:00:00.000+0000'),
        openCase('500000000000003AAA', '2026-09-10T10:00:00.000+0000'),
      ],
      opportunities: [],
    };
    const { plan, sync } = planWith(answered, {
      settings: links,
      matches: new Map([[NUMBER, [lea]]]),
      openRecords,
    });
    assert.equal(voiceOf(plan.writes).Case__c, '500000000000002AAA');
    assert.equal(voiceOf(plan.writes).Opportunity__c, undefined);
    assert.deepEqual(sync.get('4186790001')!.openLinks, {
      caseId: '500000000000002AAA',
      opportunityId: null,
    });
    // The VoiceCall's related record is that Case.
    const patch = plan.telephony.find((op) => op.kind === 'update');
    assert.equal(patch?.kind === 'update' && patch.relatedCase, '500000000000002AAA');
  });

  it('links no Case when the person has none open, and a call of a Lead never has one', () => {
    const none = planWith(answered, {
      settings: links,
      matches: new Map([[NUMBER, [lea]]]),
      openRecords: { cases: [], opportunities: [] },
    });
    assert.equal(voiceOf(none.plan.writes).Case__c, undefined);
    assert.deepEqual(none.sync.get('4186790001')!.openLinks, {
      caseId: null,
      opportunityId: null,
    });
    const patch = none.plan.telephony.find((op) => op.kind === 'update');
    assert.equal(patch?.kind === 'update' && patch.relatedCase, undefined);
    const lead = candidate({ sobject: 'Lead', id: '00Q000000000001AAA', lastName: 'Garnier' });
    const ofLead = planWith(answered, {
      settings: links,
      matches: new Map([[NUMBER, [lead]]]),
      // A Case of the Contact sharing nothing with the Lead.
      openRecords: {
        cases: [openCase('500000000000001AAA', '2026-09-01T10:00:00Z')],
        opportunities: [],
      },
    });
    assert.equal(voiceOf(ofLead.plan.writes).Case__c, undefined);
  });

  it('takes only the Cases of the Contact the call is linked to when the number matches several Contacts', () => {
    const newer = candidate({
      sobject: 'Contact',
      id: OTHER_CONTACT,
      lastName: 'Garnier',
      lastModifiedDate: '2026-09-28T00:00:00.000+0000',
    });
    const { plan } = planWith(answered, {
      settings: links,
      matches: new Map([[NUMBER, [lea, newer]]]),
      openRecords: {
        cases: [
          // Léa's Case is the most recent one, but the call goes to the most recently modified
          // Contact (Multiple_Matches__c), so it takes that Contact's Case.
          openCase('500000000000001AAA', '2026-09-25T10:00:00Z'),
          openCase('500000000000002AAA', '2026-09-02T10:00:00Z', { contactId: OTHER_CONTACT }),
        ],
        opportunities: [],
      },
    });
    assert.equal(voiceOf(plan.writes).Contact__c, OTHER_CONTACT);
    assert.equal(voiceOf(plan.writes).Case__c, '500000000000002AAA');
  });

  it('takes an Account’s open Case (a Person Account’s Cases are on its Account) and its most recent Opportunity', () => {
    const { plan } = planWith(answered, {
      settings: links,
      matches: new Map([[NUMBER, [acme]]]),
      openRecords: {
        cases: [openCase('500000000000009AAA', '2026-09-02T10:00:00Z', { contactId: null })],
        opportunities: [
          {
            id: '006000000000001AAA',
            accountId: ACCOUNT,
            contactIds: [],
            lastModifiedDate: '2026-09-01T00:00:00Z',
          },
          {
            id: '006000000000002AAA',
            accountId: ACCOUNT,
            contactIds: [],
            lastModifiedDate: '2026-09-03T00:00:00Z',
          },
        ],
      },
    });
    assert.equal(voiceOf(plan.writes).Case__c, '500000000000009AAA');
    assert.equal(voiceOf(plan.writes).Opportunity__c, '006000000000002AAA');
  });

  it('takes a Contact’s Opportunity through its contact roles, not its Account’s other Opportunities', () => {
    const { plan } = planWith(answered, {
      settings: settings({ linkToOpenOpportunity: true }),
      matches: new Map([[NUMBER, [lea]]]),
      openRecords: {
        cases: [openCase('500000000000001AAA', '2026-09-25T10:00:00Z')],
        opportunities: [
          // Newer, on Léa's Account, but Léa has no role on it.
          {
            id: '006000000000001AAA',
            accountId: ACCOUNT,
            contactIds: [],
            lastModifiedDate: '2026-09-28T00:00:00Z',
          },
          {
            id: '006000000000002AAA',
            accountId: ACCOUNT,
            contactIds: [OTHER_CONTACT, CONTACT],
            lastModifiedDate: '2026-09-03T00:00:00Z',
          },
        ],
      },
    });
    assert.equal(voiceOf(plan.writes).Opportunity__c, '006000000000002AAA');
    // Link to Open Case is off: the open Case is not taken.
    assert.equal(voiceOf(plan.writes).Case__c, undefined);
  });

  it('keeps the Case a call was logged on for its later events, which then need no query', () => {
    const first = planWith(upTo(answered, ['call.created', 'call.answered']), {
      settings: links,
      matches: new Map([[NUMBER, [lea]]]),
      openRecords: {
        cases: [openCase('500000000000001AAA', '2026-09-01T10:00:00Z')],
        opportunities: [],
      },
    });
    const state = first.sync.get('4186790001')!;
    assert.equal(needsOpenRecords(state, links), false);
    assert.equal(needsOpenRecords(undefined, links), true);
    assert.equal(needsOpenRecords(undefined, settings()), false);
    // The end of the call, planned without open records (none read): same Case.
    const rest = planWith(
      answered,
      { settings: links, matches: new Map([[NUMBER, [lea]]]) },
      first.sync,
    );
    const write = writesOf(rest.plan.writes, 'Aircall_Voice__c')[0];
    assert.equal(write?.fields.Case__c, '500000000000001AAA');
  });

  it('names the records whose open Cases and Opportunities a batch reads: its matched Contacts and Accounts', () => {
    const lead = candidate({ sobject: 'Lead', id: '00Q000000000001AAA' });
    assert.deepEqual(openRecordKeys([lea, acme, lead, lea]), {
      contactIds: [CONTACT],
      accountIds: [ACCOUNT],
    });
  });
});

describe('Cases for missed calls and voicemails', () => {
  it('creates one Case for a voicemail: Origin Phone, subject, description with the link, the person and the number', () => {
    const { plan, sync } = planWith(voicemail, {
      settings: settings({ createCaseFor: 'Voicemails' }),
      matches: new Map([[NUMBER, [lea]]]),
    });
    const cases = writesOf(plan.writes, 'Case');
    assert.equal(cases.length, 1);
    const c = cases[0]!;
    assert.equal(c.assignmentRules, true);
    assert.equal(c.fields.Aircall_Call_Id__c, '4186790003');
    assert.equal(c.fields.Origin, 'Phone');
    assert.equal(c.fields.Subject, 'Voicemail from Léa Garnier');
    assert.equal(c.fields.SuppliedPhone, NUMBER);
    assert.equal(c.fields.ContactId, CONTACT);
    assert.equal(c.fields.AccountId, ACCOUNT);
    assert.equal(c.fields.OwnerId, undefined);
    assert.match(
      text(c.fields.Description),
      /^Caller: Léa Garnier \(\+33612345678\)\nListen to the voicemail: https:\/\/assets\.aircall\.io\/calls\/4186790003\/voicemail\n/,
    );
    // The Aircall Voice points at it by its external id (it is created in the same request).
    assert.deepEqual(voiceOf(plan.writes).Case__r, { Aircall_Call_Id__c: '4186790003' });
    const patch = plan.telephony.find((op) => op.kind === 'update');
    assert.equal(patch?.kind === 'update' && patch.relatedCase, 'created');
    assert.ok(sync.get('4186790003')!.caseHash);
  });

  it('creates Cases per setting: missed calls, voicemails, both, none; never for answered calls', () => {
    const count = (
      events: AircallEvent[],
      createCaseFor: 'None' | 'Missed Calls' | 'Voicemails' | 'Both',
    ) =>
      writesOf(planWith(events, { settings: settings({ createCaseFor }) }).plan.writes, 'Case')
        .length;
    assert.deepEqual(
      (['None', 'Missed Calls', 'Voicemails', 'Both'] as const).map((s) => [
        count(missed, s),
        count(voicemail, s),
        count(answered, s),
      ]),
      [
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
        [1, 1, 0],
      ],
    );
    const missedCase = writesOf(
      planWith(missed, { settings: settings({ createCaseFor: 'Both' }) }).plan.writes,
      'Case',
    )[0]!;
    // No record matched: the subject names the number.
    assert.equal(missedCase.fields.Subject, 'Missed call from +33612345678');
  });

  it('waits for the call’s final state before creating it, so a missed call that turns into a voicemail gets one Case', () => {
    const hungUp = upTo(voicemail, ['call.created', 'call.voicemail_left']).map((e) => e);
    const early = planWith(hungUp, {
      settings: settings({ createCaseFor: 'Both' }),
      now: new Date(1790668961 * 1000),
    });
    assert.equal(writesOf(early.plan.writes, 'Case').length, 0);
    const late = planWith(voicemail, { settings: settings({ createCaseFor: 'Both' }) }, early.sync);
    const cases = writesOf(late.plan.writes, 'Case');
    assert.equal(cases.length, 1);
    assert.match(text(cases[0]!.fields.Subject), /^Voicemail from/);
  });

  it('updates only the Description when the AI summary arrives later, and writes nothing when nothing changed', () => {
    const opts = {
      settings: settings({ createCaseFor: 'Voicemails' }),
      matches: new Map([[NUMBER, [lea]]]),
    };
    const first = planWith(voicemail, opts);
    const again = planWith(voicemail, opts, first.sync);
    assert.equal(writesOf(again.plan.writes, 'Case').length, 0);
    const summary = summaryOf(
      4186790003,
      'Léa asks to be called back about her invoice.',
      1790669100,
    );
    const later = planWith([...voicemail, ...summary], opts, first.sync);
    const cases = writesOf(later.plan.writes, 'Case');
    assert.equal(cases.length, 1);
    assert.deepEqual(Object.keys(cases[0]!.fields).sort(), ['Aircall_Call_Id__c', 'Description']);
    assert.equal(cases[0]!.assignmentRules, false);
    assert.match(
      text(cases[0]!.fields.Description),
      /\n\nAI summary\nLéa asks to be called back about her invoice\.$/,
    );
    assert.equal(text(cases[0]!.fields.Description).match(/Listen to the voicemail/g)?.length, 1);
  });

  it('adds Aircall’s transcript to the Description when it arrives, once', () => {
    const opts = {
      settings: settings({ createCaseFor: 'Voicemails' }),
      matches: new Map([[NUMBER, [lea]]]),
    };
    const first = planWith(voicemail, opts);
    const [raw] = loadRaw('transcription.json');
    const data = raw!.data as Record<string, unknown>;
    const transcript = parseAll([
      { ...raw, timestamp: 1790669200, data: { ...data, call_id: 4186790003 } },
    ]);
    const later = planWith([...voicemail, ...transcript], opts, first.sync);
    const cases = writesOf(later.plan.writes, 'Case');
    assert.equal(cases.length, 1);
    const description = text(cases[0]!.fields.Description);
    assert.match(description, /\n\nTranscript\n.*I would like a quote for twenty seats\./s);
    const again = planWith([...voicemail, ...transcript], opts, later.sync);
    assert.equal(writesOf(again.plan.writes, 'Case').length, 0);
  });

  it('gives the Case the chosen owner (assignment rules off) and writes it in Spanish in a Spanish org', () => {
    const { plan } = planWith(voicemail, {
      settings: settings({ createCaseFor: 'Voicemails', caseOwnerId: '00G000000000001AAA' }),
      matches: new Map([[NUMBER, [lea]]]),
      caseLanguage: caseLanguageOf('es_MX'),
    });
    const c = writesOf(plan.writes, 'Case')[0]!;
    assert.equal(c.fields.OwnerId, '00G000000000001AAA');
    assert.equal(c.assignmentRules, false);
    assert.equal(c.fields.Subject, 'Mensaje de voz de Léa Garnier');
    assert.match(text(c.fields.Description), /^Llamante: Léa Garnier/);
    assert.equal(CASE_TEXTS.Aircall_Case_Subject_Voicemail.es, 'Mensaje de voz de {0}');
  });

  it('creates no Case for a call linked to the caller’s open Case', () => {
    const { plan } = planWith(voicemail, {
      settings: settings({ createCaseFor: 'Both', linkToOpenCase: true }),
      matches: new Map([[NUMBER, [lea]]]),
      openRecords: {
        cases: [openCase('500000000000001AAA', '2026-09-01T10:00:00Z')],
        opportunities: [],
      },
    });
    assert.equal(writesOf(plan.writes, 'Case').length, 0);
    assert.equal(voiceOf(plan.writes).Case__c, '500000000000001AAA');
  });

  it('plans no Case again once the org refused it for good (until it is retried)', () => {
    const refused: CallSyncState = {
      telephonyCreated: true,
      telephonyCompleted: true,
      caseRefused: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Type is required',
    };
    const { plan } = planWith(
      voicemail,
      { settings: settings({ createCaseFor: 'Both' }) },
      new Map([['4186790003', refused]]),
    );
    assert.equal(writesOf(plan.writes, 'Case').length, 0);
    assert.equal(voiceOf(plan.writes).Case__r, undefined);
  });

  it('links a Case created for a number’s new Contact by its phone key', () => {
    const { plan } = planWith(missed, {
      settings: settings({ createCaseFor: 'Missed Calls', unknownNumberAction: 'Create Contact' }),
    });
    const c = writesOf(plan.writes, 'Case')[0]!;
    assert.deepEqual(c.fields.Contact, { Aircall_Phone_Key__c: NUMBER });
  });
});
