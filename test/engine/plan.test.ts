import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planBatch, type AircallEvent, type TelephonyOp } from '../../src/engine';
import { callHistory, shuffledWithDuplicates } from './arbitraries';
import {
  AGENT_USER_ID,
  batch,
  callsOf,
  candidate,
  load,
  loadRaw,
  parseAll,
  planWith,
  replayInSteps,
  settings,
  upTo,
  voiceWrites,
} from './helpers';

const inbound = load('inbound-answered.json');
const outbound = load('outbound-answered.json');

function onlyOp<K extends TelephonyOp['kind']>(
  ops: TelephonyOp[],
  kind: K,
): Extract<TelephonyOp, { kind: K }> {
  const found = ops.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `one ${kind} op expected, got ${found.length}`);
  return found[0] as Extract<TelephonyOp, { kind: K }>;
}

describe('planBatch: connected inbound call, live', () => {
  // created, ringing_on_agent | answered | hungup | ended | comm_assets | tags, comment, assignment
  const steps = replayInSteps(inbound, [2, 3, 4, 5, 6, 11, 11], {
    settings: settings({ recordingDestination: 'Both' }),
  });

  it('creates the VoiceCall at first sight (POST) but writes no Aircall Voice while the call only rings', () => {
    const { plan, sync } = steps[0]!;
    const create = onlyOp(plan.telephony, 'create');
    assert.deepEqual(create.body, {
      callCenterApiName: 'Aircall_Contact_Center',
      vendorCallKey: '4186790001',
      to: '+33176440123',
      from: '+33612345678',
      initiationMethod: 'Inbound',
      startTime: '2026-09-29T07:00:00.000Z',
      participants: [{ participantKey: '+33612345678', type: 'END_USER' }],
    });
    assert.deepEqual(plan.writes, []);
    assert.deepEqual(
      plan.platformEvents.filter((e) => e.sobject === 'Aircall_Voice_Update__e'),
      [],
    );
    // No hash: the next plan still sees the Aircall Voice as never written.
    assert.deepEqual(sync.get('4186790001'), {
      telephonyCreated: true,
      telephonyCompleted: false,
      seen: ['call.created', 'call.ringing_on_agent'],
    });
  });

  it('writes the whole Aircall Voice when answered, with no Telephony request', () => {
    const { plan, sync } = steps[1]!;
    assert.deepEqual(plan.telephony, []);
    const writes = voiceWrites(plan);
    assert.equal(writes.length, 1);
    const voice = writes[0]!.fields;
    assert.equal(voice.Aircall_Call_Id__c, '4186790001');
    assert.equal(voice.Status__c, 'In Progress');
    assert.equal(voice.Call_Type__c, 'Answered');
    assert.equal(voice.Started_At__c, '2026-09-29T07:00:00.000Z');
    assert.equal(voice.Answered_At__c, '2026-09-29T07:00:12.000Z');
    assert.equal(voice.Customer_Number__c, '+33612345678');
    assert.equal(voice.Agent__c, AGENT_USER_ID);
    // The unknown caller's Lead is created with it, and the call linked to it.
    assert.deepEqual(voice.Lead__r, { Aircall_Phone_Key__c: '+33612345678' });
    assert.deepEqual(
      plan.writes.filter((w) => w.sobject !== 'Aircall_Voice__c').map((w) => w.sobject),
      ['Lead'],
    );
    // The VoiceCall id is the connector's to add (from the sync state of the earlier POST).
    assert.equal('Voice_Call__c' in voice, false);
    // The first write of the record announces its creation, whatever event brought it.
    assert.deepEqual(
      plan.platformEvents.filter((e) => e.sobject === 'Aircall_Voice_Update__e'),
      [{ sobject: 'Aircall_Voice_Update__e', callId: '4186790001', change: 'created' }],
    );
    assert.equal(typeof sync.get('4186790001')!.aircallVoiceHash, 'string');
  });

  it('records the end at hang-up but waits for call.ended (complete data) before the one final PATCH', () => {
    const { plan } = steps[2]!;
    const voice = voiceWrites(plan)[0]!.fields;
    assert.equal(voice.Status__c, 'Ended');
    assert.deepEqual(
      [voice.Ring_Seconds__c, voice.Talk_Seconds__c, voice.Total_Seconds__c],
      [12, 300, 312],
    );
    assert.deepEqual(plan.telephony, []);
  });

  it('sends the final PATCH at call.ended, linking the Aircall Voice', () => {
    const { plan, sync } = steps[3]!;
    const update = onlyOp(plan.telephony, 'update');
    assert.equal(update.linkAircallVoice, true);
    assert.equal(update.vendorCallKey, '4186790001');
    assert.deepEqual(update.body, {
      startTime: '2026-09-29T07:00:00.000Z',
      endTime: '2026-09-29T07:05:12.000Z',
      acceptTime: '2026-09-29T07:00:12.000Z',
      agentInteractionDuration: 300,
      // No call.hold in this call: zero holds, said so on the VoiceCall.
      numberOfHolds: 0,
      totalHoldDuration: 0,
      longestHoldDuration: 0,
      agent: '005000000000001AAA',
      isActiveCall: false,
      callAttributes: '{}',
    });
    assert.equal(sync.get('4186790001')!.telephonyCompleted, true);
  });

  it('adds a recording that arrives after the final PATCH with one recording-only PATCH', () => {
    const { plan } = steps[4]!;
    const update = onlyOp(plan.telephony, 'update');
    assert.deepEqual(update.body, {
      recordingLocation: 'https://assets.aircall.io/calls/4186790001/recording',
      totalRecordingDuration: 300,
    });
    assert.equal(update.linkAircallVoice, false);
    assert.equal(
      voiceWrites(plan)[0]!.fields.Recording_Url__c,
      'https://assets.aircall.io/calls/4186790001/recording',
    );
  });

  it('logs tags, comments and assignment on the Aircall Voice (seed limitation 2, done better)', () => {
    const { plan } = steps[5]!;
    const voice = voiceWrites(plan)[0]!.fields;
    assert.equal(voice.Tags__c, 'VIP');
    assert.equal(voice.Comments__c, 'Camille Martin: Customer wants a quote by Friday.');
    assert.equal(voice.Assigned_To__c, 'Camille Martin <camille.martin@example.com>');
    assert.deepEqual(plan.telephony, []);
    assert.equal(
      plan.platformEvents.find((e) => e.sobject === 'Aircall_Voice_Update__e')?.change,
      'assigned,commented,tagged',
    );
  });

  it('writes nothing when a redelivery changes nothing (keeps API requests per call low)', () => {
    const { plan } = steps[6]!;
    assert.deepEqual(
      [plan.writes, plan.telephony, plan.platformEvents, plan.aircallContacts],
      [[], [], [], []],
    );
  });
});

describe('planBatch: Aircall Voice waits for the call to connect or end', () => {
  const missed = load('inbound-missed.json');
  const callVoiceEvents = (plan: ReturnType<typeof planWith>['plan']) =>
    plan.platformEvents.filter((e) => e.sobject === 'Aircall_Voice_Update__e');

  it('plans only the Telephony create for call.created alone: no Aircall Voice, no CRM record, no update event', () => {
    const { plan, sync } = planWith(upTo(inbound, ['call.created']));
    assert.deepEqual(
      plan.telephony.map((o) => [o.kind, o.vendorCallKey]),
      [['create', '4186790001']],
    );
    assert.deepEqual(plan.writes, []);
    assert.deepEqual(callVoiceEvents(plan), []);
    assert.equal(sync.get('4186790001')!.aircallVoiceHash, undefined);
    assert.deepEqual(sync.get('4186790001')!.seen, ['call.created']);
  });

  it('plans the same Telephony create for call.created as for a whole ringing prefix', () => {
    const alone = planWith(upTo(inbound, ['call.created'])).plan.telephony;
    const ringing = planWith(inbound.slice(0, 2)).plan.telephony;
    assert.deepEqual(alone, ringing);
  });

  it('writes nothing for redelivered or further pre-connect events, then the full Aircall Voice once answered', () => {
    const [first, again, ringing, answered] = replayInSteps(inbound, [1, 1, 2, 3]);
    for (const step of [first, again, ringing]) {
      assert.deepEqual(step!.plan.writes, []);
      assert.deepEqual(callVoiceEvents(step!.plan), []);
    }
    assert.deepEqual(again!.plan.telephony, [], 'the POST is sent once');
    // Answered in a later batch: every event so far is folded into the one write.
    const once = planWith(inbound.slice(0, 3)).plan;
    assert.deepEqual(answered!.plan.writes, once.writes);
    assert.equal(voiceWrites(answered!.plan).length, 1);
    assert.equal(voiceWrites(answered!.plan)[0]!.fields.Ring_Seconds__c, null);
    assert.equal('Voice_Call__c' in voiceWrites(answered!.plan)[0]!.fields, false);
    assert.deepEqual(
      callVoiceEvents(answered!.plan).map((e) => e.change),
      ['created'],
    );
  });

  it('writes the Aircall Voice of a never-answered inbound call when it hangs up, and the Lead with it', () => {
    const [ringing, hungup, ended] = replayInSteps(missed, [1, 2, 3]);
    assert.deepEqual(ringing!.plan.writes, []);
    assert.deepEqual(
      ringing!.plan.telephony.map((o) => o.kind),
      ['create'],
    );
    assert.deepEqual(
      hungup!.plan.writes.map((w) => w.sobject),
      ['Lead', 'Aircall_Voice__c'],
    );
    const voice = voiceWrites(hungup!.plan)[0]!.fields;
    assert.equal(voice.Status__c, 'Ended');
    assert.equal(voice.Answered_At__c, null);
    assert.equal(voice.Talk_Seconds__c, 0);
    assert.deepEqual(
      callVoiceEvents(hungup!.plan).map((e) => e.change),
      ['created'],
    );
    // call.ended completes the VoiceCall; the Aircall Voice exists by then for the link.
    const update = onlyOp(ended!.plan.telephony, 'update');
    assert.equal(update.linkAircallVoice, true);
  });

  it('writes the Aircall Voice of a never-answered call when only call.ended arrives', () => {
    const abandoned = load('inbound-abandoned.json');
    const [ringing, ended] = replayInSteps(abandoned, [1, 2]);
    assert.deepEqual(ringing!.plan.writes, []);
    assert.equal(voiceWrites(ended!.plan).length, 1);
    assert.equal(voiceWrites(ended!.plan)[0]!.fields.Status__c, 'Ended');
  });

  it('writes nothing for an outbound call before it is answered', () => {
    const { plan } = planWith(upTo(outbound, ['call.created']));
    assert.deepEqual([plan.writes, plan.telephony, callVoiceEvents(plan)], [[], [], []]);
  });

  it('creates one record for a new number when one of its calls rings and another connects in the batch', () => {
    const ringingElsewhere = parseAll(
      upTo(inbound, ['call.created']).map((e) => ({
        ...e.raw,
        data: { ...(e.raw.data as object), id: 4186799999, started_at: 1790668700 },
      })),
    );
    const { plan } = planWith([...ringingElsewhere, ...missed]);
    assert.deepEqual(
      plan.writes.map((w) => [w.sobject, w.callId]),
      [
        ['Lead', '4186790002'],
        ['Aircall_Voice__c', '4186790002'],
      ],
    );
  });
});

describe('planBatch: VoiceCall paths', () => {
  it('creates the VoiceCall of an outbound call with the PATCH once it ended (POST takes no outbound)', () => {
    const { plan } = planWith(outbound);
    const update = onlyOp(plan.telephony, 'update');
    assert.equal(
      plan.telephony.some((o) => o.kind === 'create'),
      false,
    );
    assert.deepEqual(update.body, {
      startTime: '2026-09-28T13:44:10.000Z',
      endTime: '2026-09-28T13:44:31.000Z',
      acceptTime: '2026-09-28T13:44:13.000Z',
      agentInteractionDuration: 18,
      numberOfHolds: 0,
      totalHoldDuration: 0,
      longestHoldDuration: 0,
      agent: '005000000000001AAA',
      isActiveCall: false,
      callAttributes: '{}',
      callCenterApiName: 'Aircall_Contact_Center',
      callType: 'Outbound',
      fromNumber: '+19843140278',
      toNumber: '+16176105413',
    });
    assert.equal(update.linkAircallVoice, true);
  });

  it('logs an outbound call in progress on Aircall Voice only, until it ends', () => {
    const { plan } = planWith(outbound.slice(0, 2));
    assert.deepEqual(plan.telephony, []);
    assert.equal(voiceWrites(plan)[0]!.fields.Status__c, 'In Progress');
  });

  it('creates an inbound call first seen after it ended (backfill) with one PATCH, no POST', () => {
    const { plan } = planWith(load('inbound-missed.json'));
    const update = onlyOp(plan.telephony, 'update');
    assert.equal(update.body.callType, 'Inbound');
    assert.equal(update.body.fromNumber, '+33612345678');
    assert.equal(update.body.toNumber, '+33176440123');
  });

  it('closes the VoiceCall after a grace period if call.ended never arrives', () => {
    const hungupOnly = outbound.slice(0, 3);
    const soon = planWith(hungupOnly, { now: new Date((1790603071 + 60) * 1000) });
    assert.deepEqual(soon.plan.telephony, []);
    // The sync state tells the connector when to re-plan the call if nothing else arrives.
    assert.equal(
      soon.sync.get('4186780376')!.finalPatchDueAt,
      new Date((1790603071 + 180) * 1000).toISOString(),
    );
    const late = planWith(hungupOnly, { now: new Date((1790603071 + 600) * 1000) }, soon.sync);
    assert.equal(onlyOp(late.plan.telephony, 'update').body.isActiveCall, false);
    assert.equal(late.sync.get('4186780376')!.finalPatchDueAt, undefined);
  });
});

describe('planBatch: invalid numbers', () => {
  const invalid = load('outbound-invalid.json');

  it('creates nothing while the call to an invalid number is in progress', () => {
    const { plan, sync } = planWith(invalid.slice(0, 1));
    assert.deepEqual([plan.writes, plan.telephony, plan.platformEvents], [[], [], []]);
    assert.equal(sync.get('4186790011')!.telephonyCreated, false);
  });

  it('creates only the VoiceCall after the call ends, with no Aircall Voice', () => {
    const [, second] = replayInSteps(invalid, [1, 3]);
    const { plan } = second!;
    assert.deepEqual(plan.writes, []);
    const update = onlyOp(plan.telephony, 'update');
    assert.equal(update.linkAircallVoice, false);
    assert.equal(update.body.callType, 'Outbound');
    assert.equal(update.body.toNumber, '+33 12');
    assert.deepEqual(update.body.disconnectReason, { value: 'Invalid Number', isError: true });
  });

  it('sends that PATCH once, however often the events are redelivered', () => {
    const [, , third] = replayInSteps(invalid, [1, 3, 3]);
    assert.deepEqual(third!.plan.telephony, []);
  });
});

describe('planBatch: unknown numbers', () => {
  const missed = load('inbound-missed.json');

  for (const [action, sobject] of [
    ['Create Lead', 'Lead'],
    ['Create Contact', 'Contact'],
    ['Create Account', 'Account'],
  ] as const) {
    it(`"${action}" upserts a ${sobject} keyed by Aircall_Phone_Key__c and links the call to it`, () => {
      const { plan } = planWith(missed, { settings: settings({ unknownNumberAction: action }) });
      const created = plan.writes.filter((w) => w.sobject === sobject);
      assert.equal(created.length, 1);
      assert.equal(created[0]!.fields.Aircall_Phone_Key__c, '+33612345678');
      assert.equal(created[0]!.fields.Phone, '+33612345678');
      const voice = voiceWrites(plan)[0]!.fields;
      assert.deepEqual(voice[`${sobject}__r`], { Aircall_Phone_Key__c: '+33612345678' });
      assert.equal(`${sobject}__c` in voice, false);
      // Create writes go first (the plan contract's step 1 needs them before the Aircall Voice).
      assert.ok(plan.writes.indexOf(created[0]!) < plan.writes.indexOf(voiceWrites(plan)[0]!));
    });
  }

  it('fills the fields Salesforce requires on a new Lead (LastName, Company)', () => {
    const { plan } = planWith(missed);
    const lead = plan.writes.find((w) => w.sobject === 'Lead')!.fields;
    assert.equal(lead.LastName, 'Caller +33612345678');
    assert.equal(lead.Company, 'Unknown (+33612345678)');
  });

  it('"Do Nothing" logs the call without creating or linking a record', () => {
    const { plan } = planWith(missed, {
      settings: settings({ unknownNumberAction: 'Do Nothing' }),
    });
    assert.deepEqual(
      plan.writes.map((w) => w.sobject),
      ['Aircall_Voice__c'],
    );
    const voice = voiceWrites(plan)[0]!.fields;
    assert.deepEqual([voice.Account__c, voice.Contact__c, voice.Lead__c], [null, null, null]);
  });

  it('creates ONE record when the same new number calls twice in one batch', () => {
    const second = parseAll(
      missed.map((e) => ({
        ...e.raw,
        data: { ...(e.raw.data as object), id: 4186799999, started_at: 1790669000 },
      })),
    );
    const { plan } = planWith([...missed, ...second]);
    assert.equal(plan.writes.filter((w) => w.sobject === 'Lead').length, 1);
    const links = voiceWrites(plan).map((w) => w.fields.Lead__r);
    assert.deepEqual(links, [
      { Aircall_Phone_Key__c: '+33612345678' },
      { Aircall_Phone_Key__c: '+33612345678' },
    ]);
  });

  it('reuses a record created in an earlier batch even before the search index sees it', () => {
    const later = parseAll(
      missed.map((e) => ({ ...e.raw, data: { ...(e.raw.data as object), id: 4186799998 } })),
    );
    const { plan } = planWith(later, {
      known: new Map([['+33612345678', { sobject: 'Lead', id: '00Q000000000042AAA' }]]),
    });
    assert.equal(plan.writes.filter((w) => w.sobject === 'Lead').length, 0);
    assert.equal(voiceWrites(plan)[0]!.fields.Lead__c, '00Q000000000042AAA');
  });

  it('never creates a record for a hidden caller id, but still logs the call', () => {
    const { plan } = planWith(load('inbound-abandoned.json'));
    assert.deepEqual(
      plan.writes.map((w) => w.sobject),
      ['Aircall_Voice__c'],
    );
    assert.equal(voiceWrites(plan)[0]!.fields.Customer_Number__c, null);
    assert.equal(voiceWrites(plan)[0]!.fields.Call_Type__c, 'Abandoned');
    assert.equal(voiceWrites(plan)[0]!.fields.Missed_Reason__c, 'short_abandoned');
  });
});

describe('planBatch: existing records', () => {
  const missed = load('inbound-missed.json');
  const contact = candidate({
    sobject: 'Contact',
    id: '003000000000001AAA',
    accountId: '001000000000001AAA',
    firstName: 'Ann',
    lastName: 'Lee',
    name: 'Ann Lee',
  });

  it('links a matched Contact and its Account, and creates nothing', () => {
    const { plan } = planWith(missed, { matches: new Map([['+33612345678', [contact]]]) });
    assert.deepEqual(
      plan.writes.map((w) => w.sobject),
      ['Aircall_Voice__c'],
    );
    const voice = voiceWrites(plan)[0]!.fields;
    assert.equal(voice.Contact__c, '003000000000001AAA');
    assert.equal(voice.Account__c, '001000000000001AAA');
  });

  it('links nothing and creates nothing when several records match and the rule is "Do Not Link"', () => {
    const twin = candidate({ sobject: 'Contact', id: '003000000000002AAA' });
    const { plan } = planWith(missed, {
      matches: new Map([['+33612345678', [contact, twin]]]),
      settings: settings({ multipleMatches: 'Do Not Link' }),
    });
    assert.deepEqual(
      plan.writes.map((w) => w.sobject),
      ['Aircall_Voice__c'],
    );
    assert.equal(voiceWrites(plan)[0]!.fields.Contact__c, null);
  });

  it('pushes the matched record to Aircall contacts once when Save to phone is on', () => {
    const over = {
      matches: new Map([['+33612345678', [contact]]]),
      settings: settings({ saveToPhone: true }),
    };
    const [first, second] = replayInSteps(missed, [1, 3], over);
    assert.deepEqual(first!.plan.aircallContacts, [
      {
        callId: '4186790002',
        number: '+33612345678',
        firstName: 'Ann',
        lastName: 'Lee',
        salesforceId: '003000000000001AAA',
      },
    ]);
    assert.deepEqual(second!.plan.aircallContacts, []);
    assert.deepEqual(planWith(missed, { matches: over.matches }).plan.aircallContacts, []);
  });
});

describe('planBatch: business hours', () => {
  const early = parseAll(
    load('inbound-missed.json').map((e) => ({
      ...e.raw,
      data: { ...(e.raw.data as object), started_at: 1790658000 }, // Tuesday 07:00 Paris
    })),
  );

  it('skips a call that started outside the hours with "Business Hours Only", with the reason recorded', () => {
    const { plan, sync } = planWith(early, {
      settings: settings({ logCalls: 'Business Hours Only' }),
    });
    assert.deepEqual([plan.writes, plan.telephony, plan.platformEvents], [[], [], []]);
    const reason =
      'Not logged: the call started Tuesday 2026-09-29 07:00 Europe/Paris is outside "Paris office", and Log Calls is "Business Hours Only".';
    assert.deepEqual(plan.skipped, [{ key: '4186790002', reason }]);
    assert.equal(sync.get('4186790002')!.skippedReason, reason);
  });

  it('keeps skipping that call when later events arrive', () => {
    const over = { settings: settings({ logCalls: 'Business Hours Only' }) };
    const [, later] = replayInSteps(early, [1, 3], over);
    assert.deepEqual(later!.plan.writes, []);
    assert.equal(later!.plan.skipped.length, 1);
  });

  it('logs a call inside the hours with "Business Hours Only"', () => {
    const { plan } = planWith(load('inbound-missed.json'), {
      settings: settings({ logCalls: 'Business Hours Only' }),
    });
    assert.equal(voiceWrites(plan)[0]!.fields.Outside_Business_Hours__c, false);
  });

  it('logs every call with "Always", flagging those outside the hours', () => {
    const { plan } = planWith(early);
    assert.equal(voiceWrites(plan)[0]!.fields.Outside_Business_Hours__c, true);
  });

  it('logs and warns when "Business Hours Only" has no business hours to use', () => {
    const { plan } = planWith(early, {
      settings: settings({ logCalls: 'Business Hours Only' }),
      businessHours: { byId: new Map(), defaultId: null },
    });
    assert.equal(voiceWrites(plan).length, 1);
    assert.match(plan.warnings[0]!, /no default business hours; every call is logged/);
  });
});

describe('planBatch: recordings and voicemails', () => {
  const voicemail = load('inbound-voicemail.json');
  const complete = load('outbound-answered.json');
  const asset = 'https://assets.aircall.io/calls/4186780376/recording';

  for (const [destination, onVoice, onVoiceCall] of [
    ['Do Not Log', false, false],
    ['Aircall Voice', true, false],
    ['Voice Call', false, true],
    ['Both', true, true],
  ] as const) {
    it(`recording destination "${destination}" puts the stable asset link ${onVoice ? 'on' : 'not on'} Aircall Voice and ${onVoiceCall ? 'on' : 'not on'} the VoiceCall`, () => {
      const { plan } = planWith(complete, {
        settings: settings({ recordingDestination: destination }),
      });
      assert.equal(voiceWrites(plan)[0]!.fields.Recording_Url__c, onVoice ? asset : null);
      const update = onlyOp(plan.telephony, 'update');
      assert.equal(update.body.recordingLocation, onVoiceCall ? asset : undefined);
      assert.equal(update.body.totalRecordingDuration, onVoiceCall ? 18 : undefined);
    });

    it(`voicemail destination "${destination}" is applied to the voicemail link`, () => {
      const { plan } = planWith(voicemail, {
        settings: settings({ voicemailDestination: destination }),
      });
      const voice = voiceWrites(plan)[0]!.fields;
      assert.equal(voice.Call_Type__c, 'Voicemail');
      assert.equal(
        voice.Voicemail_Url__c,
        onVoice ? 'https://assets.aircall.io/calls/4186790003/voicemail' : null,
      );
      const update = onlyOp(plan.telephony, 'update');
      assert.equal(
        update.body.recordingLocation,
        onVoiceCall ? 'https://assets.aircall.io/calls/4186790003/voicemail' : undefined,
      );
    });
  }

  it('falls back to the expiring short URL only when Aircall sends no asset link', () => {
    const noAsset = parseAll(
      complete.map((e) => ({ ...e.raw, data: { ...(e.raw.data as object), asset: null } })),
    );
    const { plan } = planWith(noAsset);
    assert.equal(
      voiceWrites(plan)[0]!.fields.Recording_Url__c,
      'https://short-urls.aircall.io/r/4186780376',
    );
  });
});

describe('planBatch: Aircall Voice content', () => {
  it('carries AI summary, sentiment, topics and action items', () => {
    const { plan } = planWith([...inbound, ...load('ai-events.json')]);
    const voice = voiceWrites(plan)[0]!.fields;
    assert.equal(voice.AI_Sentiment__c, 'Positive');
    assert.equal(voice.AI_Topics__c, 'pricing; renewal');
    assert.equal(voice.AI_Action_Items__c, 'Send the quote by Friday');
    assert.match(voice.AI_Summary__c as string, /quote on 20 seats/);
  });

  it('fills call ids, numbers, line, times and durations', () => {
    const voice = voiceWrites(planWith(outbound).plan)[0]!.fields;
    assert.deepEqual(
      {
        id: voice.Aircall_Call_Id__c,
        dir: voice.Direction__c,
        type: voice.Call_Type__c,
        status: voice.Status__c,
        customer: voice.Customer_Number__c,
        line: voice.Aircall_Number__c,
        lineName: voice.Aircall_Line_Name__c,
        started: voice.Started_At__c,
        answered: voice.Answered_At__c,
        ended: voice.Ended_At__c,
        ring: voice.Ring_Seconds__c,
        talk: voice.Talk_Seconds__c,
        total: voice.Total_Seconds__c,
        link: voice.Aircall_Link__c,
        last: voice.Last_Event_At__c,
      },
      {
        id: '4186780376',
        dir: 'Outbound',
        type: 'Answered',
        status: 'Ended',
        customer: '+16176105413',
        line: '+19843140278',
        lineName: 'Sales US',
        started: '2026-09-28T13:44:10.000Z',
        answered: '2026-09-28T13:44:13.000Z',
        ended: '2026-09-28T13:44:31.000Z',
        ring: 3,
        talk: 18,
        total: 21,
        link: 'https://api.aircall.io/v1/calls/4186780376',
        last: '2026-09-28T13:45:01.000Z',
      },
    );
  });

  it('drops a missed reason the picklist does not know, with a warning', () => {
    const odd = parseAll(
      load('inbound-missed.json').map((e) => ({
        ...e.raw,
        data: { ...(e.raw.data as object), missed_call_reason: 'moon_phase' },
      })),
    );
    const { plan } = planWith(odd);
    assert.equal(voiceWrites(plan)[0]!.fields.Missed_Reason__c, null);
    assert.match(plan.warnings[0]!, /missed_call_reason "moon_phase"/);
  });
});

describe('planBatch: agent status (Phone to Omni)', () => {
  const userEvents = load('user-events.json');
  const rules = [
    {
      direction: 'Phone to Omni' as const,
      omniStatus: 'Wrap_Up',
      aircallAvailability: null,
      aircallSubstatus: null,
      phoneEvent: 'After-Call Work' as const,
    },
    {
      direction: 'Phone to Omni' as const,
      omniStatus: 'Available_for_Voice',
      aircallAvailability: null,
      aircallSubstatus: null,
      phoneEvent: 'Available' as const,
    },
  ];

  it("publishes each rep's latest phone state mapped to an Omni status (Default mode)", () => {
    const { plan } = planWith(userEvents.slice(0, 2));
    assert.deepEqual(plan.platformEvents, [
      {
        sobject: 'Aircall_Agent_Status__e',
        userId: AGENT_USER_ID,
        omniStatus: 'Busy',
        phoneEvent: 'After-Call Work',
        reason: 'After-Call Work (user.wut_start.v2)',
      },
    ]);
    assert.match(plan.skipped[0]!.reason, /superseded by a later user.wut_start.v2/);
  });

  it("uses the admin's Phone to Omni rules in Custom mode", () => {
    const { plan } = planWith(userEvents.slice(0, 3), {
      settings: settings({ omniMappingMode: 'Custom' }),
      statusMappings: rules,
    });
    assert.deepEqual(
      plan.platformEvents.map((e) => (e.sobject === 'Aircall_Agent_Status__e' ? e.omniStatus : '')),
      ['Available_for_Voice'],
    );
  });

  it('skips with a reason when no rule maps the phone state, or the user has no Salesforce match', () => {
    const custom = planWith(userEvents.slice(1, 2), {
      settings: settings({ omniMappingMode: 'Custom' }),
    }).plan;
    assert.deepEqual(custom.platformEvents, []);
    assert.match(
      custom.skipped[0]!.reason,
      /no "Phone to Omni" status mapping for "After-Call Work"/,
    );
    const stranger = planWith(userEvents.slice(0, 1), { users: [] }).plan;
    assert.match(stranger.skipped[0]!.reason, /matches no Salesforce user by e-mail/);
    const closed = planWith(userEvents.slice(3), {}).plan;
    assert.match(closed.skipped[0]!.reason, /user.closed.v2 has no phone-side status/);
  });

  it('publishes Ringing and In Call from call events while the call is live, once', () => {
    const [ringing, answered, again] = replayInSteps(inbound, [2, 3, 3]);
    const status = (p: typeof ringing) =>
      p!.plan.platformEvents.flatMap((e) =>
        e.sobject === 'Aircall_Agent_Status__e' ? [e.reason] : [],
      );
    assert.deepEqual(status(ringing), ['Ringing (call 4186790001)']);
    assert.deepEqual(status(answered), ['In Call (call 4186790001)']);
    assert.deepEqual(status(again), []);
  });

  it("names the caller of a ringing call for the agent's state: the number, and the matched person", () => {
    const callers = (over: Parameters<typeof replayInSteps>[2]) =>
      replayInSteps(inbound, [2], over)[0]!.plan.platformEvents.flatMap((e) =>
        e.sobject === 'Aircall_Agent_Status__e' ? [e.caller] : [],
      );
    assert.deepEqual(callers({}), [{ number: '+33612345678', name: null }]);
    // A Contact's name as people read it when the record has no Name: first and last name.
    const lee = candidate({
      sobject: 'Contact',
      id: '003000000000001AAA',
      firstName: 'Ann',
      lastName: 'Lee',
    });
    assert.deepEqual(callers({ matches: new Map([['+33612345678', [lee]]]) }), [
      { number: '+33612345678', name: 'Ann Lee' },
    ]);
  });
});

describe('planBatch: bulk and determinism', () => {
  it('gives the same plan whatever the order of calls and events and however often they are delivered', () => {
    const arb = fc
      .tuple(callHistory(5000001), callHistory(5000002), callHistory(5000003))
      .chain((calls) => {
        const all: AircallEvent[] = calls.flatMap((c) => c.events);
        return fc.tuple(fc.constant(all), shuffledWithDuplicates(all));
      });
    fc.assert(
      fc.property(arb, ([all, delivered]) => {
        const a = planBatch(batch(callsOf(all)));
        const b = planBatch(batch(callsOf(delivered)));
        assert.deepEqual(b, a);
      }),
      { numRuns: 100 },
    );
  });

  it('returns one plan for many calls: one Aircall Voice write and one VoiceCall op per call', () => {
    const events = [
      inbound,
      outbound,
      load('inbound-missed.json'),
      load('outbound-unanswered.json'),
    ].flat();
    const { plan } = planWith(events);
    assert.equal(voiceWrites(plan).length, 4);
    assert.equal(plan.telephony.length, 4);
    assert.equal(new Set(plan.sync.map((s) => s.callId)).size, 4);
  });
});

describe('planBatch: across batches', () => {
  it('ends with the same Aircall Voice and one final VoiceCall PATCH however the events are split into batches and ordered', () => {
    const arb = callHistory(6000001).chain((call) =>
      fc.tuple(
        fc.constant(call),
        shuffledWithDuplicates(call.events),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([call, delivered, cuts]) => {
        const once = planWith(call.events).plan;
        // The connector passes every event stored so far, so each batch is a growing prefix.
        const ends = [
          ...new Set([...cuts.map((c) => Math.min(c, delivered.length)), delivered.length]),
        ].sort((a, b) => a - b);
        let sync = new Map();
        let known = new Map();
        const plans = ends.map((n) => {
          const prefix = delivered.slice(0, n);
          const now = new Date((Math.max(...prefix.map((e) => e.timestamp)) + 1) * 1000);
          const r = planWith(prefix, { now, known }, sync);
          sync = r.sync;
          known = r.known;
          return r.plan;
        });
        const strip = (fields: Record<string, unknown>) => {
          const { Last_Event_At__c: _last, ...rest } = fields;
          return rest;
        };
        // Each upsert sets the fields it carries (the link only when it changes): the record
        // ends with every write merged.
        const merged: Record<string, unknown> = Object.assign(
          {},
          ...plans.flatMap(voiceWrites).map((w) => w.fields),
        ) as Record<string, unknown>;
        assert.deepEqual(strip(merged), strip(voiceWrites(once)[0]!.fields));
        const ops = plans.flatMap((p) => p.telephony);
        const finals = ops.filter((o) => o.kind === 'update' && o.linkAircallVoice);
        assert.equal(finals.length, 1);
        assert.ok(ops.filter((o) => o.kind === 'create').length <= 1);
        const pick = (o: TelephonyOp | undefined) =>
          o?.kind === 'update'
            ? [o.body.startTime, o.body.endTime, o.body.acceptTime, o.body.agentInteractionDuration]
            : null;
        assert.deepEqual(pick(finals[0]), pick(once.telephony.find((o) => o.kind === 'update')));
        // One CRM record for the number, whatever the split.
        const crm = plans.flatMap((p) => p.writes).filter((w) => w.sobject !== 'Aircall_Voice__c');
        assert.equal(
          crm.length,
          once.writes.filter((w) => w.sobject !== 'Aircall_Voice__c').length,
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('planBatch: field limits of Aircall_Voice__c', () => {
  it('cuts Text(255) values with an ellipsis instead of letting the upsert fail', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ id: i, name: `Tag number ${i}` }));
    const tagged = parseAll(
      outbound.map((e) => ({ ...e.raw, data: { ...(e.raw.data as object), tags: many } })),
    );
    const tags = voiceWrites(planWith(tagged).plan)[0]!.fields.Tags__c as string;
    assert.equal(tags.length, 255);
    assert.ok(tags.endsWith('…'));
  });
});

describe('planBatch: agent attribution', () => {
  it('links the agent by e-mail, case-insensitively', () => {
    const { plan } = planWith(outbound, {
      users: [{ Id: '005X', Email: 'Camille.Martin@Example.com' }],
    });
    assert.equal(voiceWrites(plan)[0]!.fields.Agent__c, '005X');
  });

  it('leaves Agent__c empty on an inbound call that rang on an agent but was not answered', () => {
    const camille = { id: 1, name: 'Camille Martin', email: 'camille.martin@example.com' };
    const rung = parseAll(
      loadRaw('inbound-missed.json').flatMap((raw) =>
        raw.event === 'call.created'
          ? [
              raw,
              {
                ...raw,
                event: 'call.ringing_on_agent',
                data: { ...(raw.data as object), user: camille },
              },
            ]
          : [raw],
      ),
    );
    const { plan } = planWith(rung, { users: [{ Id: '005X', Email: camille.email }] });
    assert.equal(voiceWrites(plan)[0]!.fields.Call_Type__c, 'Missed');
    assert.equal(voiceWrites(plan)[0]!.fields.Agent__c, null);
  });

  it('logs the call without Agent__c and warns when no Salesforce user has the e-mail', () => {
    const { plan } = planWith(outbound, { users: [] });
    assert.equal(voiceWrites(plan)[0]!.fields.Agent__c, null);
    assert.match(
      plan.warnings.join('\n'),
      /Camille Martin <camille.martin@example.com> matches no active Salesforce user by Aircall user id or e-mail/,
    );
  });
});
