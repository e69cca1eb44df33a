/**
 * The product description (seed, in Spanish) row by row: each setting of its table, each FAQ
 * answer, and each of the three limitations it admits, which this product must do better.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseAll,
  planWith,
  replayInSteps,
  settings,
  candidate,
  load,
  voiceWrites,
  AGENT_USER_ID,
} from './helpers';

const missed = load('inbound-missed.json');
const earlyMissed = parseAll(
  missed.map((e) => ({ ...e.raw, data: { ...(e.raw.data as object), started_at: 1790658000 } })), // 07:00 Paris
);
const contact = candidate({
  sobject: 'Contact',
  id: '003000000000001AAA',
  firstName: 'Ann',
  lastName: 'Lee',
});
const matched = new Map([['+33612345678', [contact]]]);

describe('seed settings table', () => {
  it('"La actividad de llamadas debe ser registrada": Always logs every call, Business Hours Only skips calls outside', () => {
    assert.equal(voiceWrites(planWith(earlyMissed).plan).length, 1);
    const only = planWith(earlyMissed, {
      settings: settings({ logCalls: 'Business Hours Only' }),
    }).plan;
    assert.equal(voiceWrites(only).length, 0);
    assert.match(only.skipped[0]!.reason, /outside "Paris office"/);
  });

  it('"Si el número no existe en Salesforce": new Lead, Account or Contact, or no action', () => {
    const created = (action: 'Create Lead' | 'Create Contact' | 'Create Account' | 'Do Nothing') =>
      planWith(missed, { settings: settings({ unknownNumberAction: action }) })
        .plan.writes.filter((w) => w.sobject !== 'Aircall_Voice__c')
        .map((w) => w.sobject);
    assert.deepEqual(created('Create Lead'), ['Lead']);
    assert.deepEqual(created('Create Contact'), ['Contact']);
    assert.deepEqual(created('Create Account'), ['Account']);
    assert.deepEqual(created('Do Nothing'), []);
  });

  it('"Si el número/contacto existe en Salesforce": the call is linked to it, and saved to the phone if set', () => {
    const linked = planWith(missed, {
      matches: matched,
      settings: settings({ saveToPhone: true }),
    }).plan;
    assert.equal(voiceWrites(linked)[0]!.fields.Contact__c, contact.id);
    assert.equal(linked.aircallContacts[0]!.salesforceId, contact.id);
    const notSaved = planWith(missed, { matches: matched }).plan;
    assert.deepEqual(notSaved.aircallContacts, []);
  });

  it('"La grabación de llamadas debe registrarse": whether and where the recording link is stored', () => {
    const outbound = load('outbound-answered.json');
    const where = (d: 'Do Not Log' | 'Aircall Voice' | 'Voice Call' | 'Both') => {
      const { plan } = planWith(outbound, { settings: settings({ recordingDestination: d }) });
      const update = plan.telephony.find((o) => o.kind === 'update');
      return [
        voiceWrites(plan)[0]!.fields.Recording_Url__c !== null,
        update?.kind === 'update' && update.body.recordingLocation !== undefined,
      ];
    };
    assert.deepEqual(where('Do Not Log'), [false, false]);
    assert.deepEqual(where('Aircall Voice'), [true, false]);
    assert.deepEqual(where('Voice Call'), [false, true]);
    assert.deepEqual(where('Both'), [true, true]);
  });

  it('"La URL del buzón de voz debe registrarse": whether and where the voicemail link is stored', () => {
    const voicemail = load('inbound-voicemail.json');
    const where = (d: 'Do Not Log' | 'Aircall Voice' | 'Voice Call' | 'Both') => {
      const { plan } = planWith(voicemail, { settings: settings({ voicemailDestination: d }) });
      const update = plan.telephony.find((o) => o.kind === 'update');
      return [
        voiceWrites(plan)[0]!.fields.Voicemail_Url__c !== null,
        update?.kind === 'update' && update.body.recordingLocation !== undefined,
      ];
    };
    assert.deepEqual(where('Do Not Log'), [false, false]);
    assert.deepEqual(where('Aircall Voice'), [true, false]);
    assert.deepEqual(where('Voice Call'), [false, true]);
    assert.deepEqual(where('Both'), [true, true]);
  });

  it('"Mapeo de disponibilidad de agentes en Omni-Channel": default statuses or the custom Omni-Channel statuses', () => {
    const userEvents = load('user-events.json').slice(0, 1);
    const status = (over: Parameters<typeof planWith>[1]) =>
      planWith(userEvents, over).plan.platformEvents.flatMap((e) =>
        e.sobject === 'Aircall_Agent_Status__e' ? [e.omniStatus] : [],
      );
    assert.deepEqual(status({}), ['Online']);
    assert.deepEqual(
      status({
        settings: settings({ omniMappingMode: 'Custom' }),
        statusMappings: [
          {
            direction: 'Phone to Omni',
            omniStatus: 'Ready_For_Calls',
            aircallAvailability: null,
            aircallSubstatus: null,
            phoneEvent: 'Available',
          },
        ],
      }),
      ['Ready_For_Calls'],
    );
  });
});

describe('seed FAQ', () => {
  it('"¿Dónde se registran las llamadas?": every inbound and outbound call gets a VoiceCall linked to its Aircall Voice', () => {
    for (const file of [
      'inbound-answered.json',
      'outbound-answered.json',
      'inbound-missed.json',
      'outbound-unanswered.json',
    ]) {
      const { plan } = planWith(load(file));
      assert.equal(voiceWrites(plan).length, 1, file);
      const update = plan.telephony.find((o) => o.kind === 'update');
      assert.ok(update?.kind === 'update' && update.linkAircallVoice, file);
    }
  });

  it('"¿Cuándo se generan?": the Aircall Voice is created when the call connects, the VoiceCall updated at the end with its link', () => {
    const [ringing, connect, , end] = replayInSteps(load('inbound-answered.json'), [2, 3, 4, 5]);
    // The VoiceCall is opened in real time at first sight; the Aircall Voice waits for the connect.
    assert.deepEqual(
      ringing!.plan.telephony.map((o) => o.kind),
      ['create'],
    );
    assert.equal(voiceWrites(ringing!.plan).length, 0);
    assert.equal(voiceWrites(connect!.plan).length, 1);
    const update = end!.plan.telephony[0]!;
    assert.ok(update.kind === 'update' && update.linkAircallVoice);
  });

  it('"¿Cuándo se generan?": an invalid number gets only a VoiceCall, after the call ends, and no Aircall Voice', () => {
    const [during, after] = replayInSteps(load('outbound-invalid.json'), [1, 3]);
    assert.deepEqual(during!.plan.telephony, []);
    assert.deepEqual(after!.plan.writes, []);
    assert.equal(after!.plan.telephony.length, 1);
  });

  it('"¿En qué se diferencia?": Aircall Voice holds AI data, call type, ids and CRM links', () => {
    const { plan } = planWith([...load('inbound-answered.json'), ...load('ai-events.json')], {
      matches: matched,
    });
    const voice = voiceWrites(plan)[0]!.fields;
    assert.equal(voice.Aircall_Call_Id__c, '4186790001');
    assert.equal(voice.Call_Type__c, 'Answered');
    assert.equal(voice.Contact__c, contact.id);
    assert.equal(voice.AI_Sentiment__c, 'Positive');
    assert.equal(voice.Agent__c, AGENT_USER_ID);
  });

  it('"¿Puedo personalizar lo que se registra?": each customizable area changes the plan', () => {
    const differs = (events: typeof missed, over: Parameters<typeof settings>[0], extra = {}) =>
      JSON.stringify(planWith(events, extra).plan) !==
      JSON.stringify(planWith(events, { ...extra, settings: settings(over) }).plan);
    const twins = {
      matches: new Map([['+33612345678', [contact, { ...contact, id: '003000000000002AAA' }]]]),
    };
    assert.ok(differs(earlyMissed, { logCalls: 'Business Hours Only' }), 'call activity');
    assert.ok(
      differs(load('outbound-answered.json'), { recordingDestination: 'Both' }),
      'recordings',
    );
    assert.ok(
      differs(load('inbound-voicemail.json'), { voicemailDestination: 'Both' }),
      'voicemail URLs',
    );
    assert.ok(differs(missed, { unknownNumberAction: 'Create Account' }), 'new records');
    assert.ok(differs(missed, { multipleMatches: 'Do Not Link' }, twins), 'existing records');
  });
});

describe('seed known limitations, each done better', () => {
  it('1. "Los registros no son en tiempo real": every batch yields its plan at once, before the call ends', () => {
    const [ringing, answered] = replayInSteps(load('inbound-answered.json'), [1, 3]);
    assert.deepEqual(
      ringing!.plan.telephony.map((o) => o.kind),
      ['create'],
    );
    assert.equal(voiceWrites(answered!.plan)[0]!.fields.Status__c, 'In Progress');
    assert.ok(answered!.plan.platformEvents.some((e) => e.sobject === 'Aircall_Voice_Update__e'));
  });

  it('2. "No se registran etiquetas, comentarios ni asignaciones": tags, comments and assignment are logged', () => {
    const voice = voiceWrites(planWith(load('inbound-answered.json')).plan)[0]!.fields;
    assert.equal(voice.Tags__c, 'VIP');
    assert.match(voice.Comments__c as string, /quote by Friday/);
    assert.equal(voice.Assigned_To__c, 'Camille Martin <camille.martin@example.com>');
  });

  it('3. "Duración inexacta": an unanswered outbound call has 0 s talk time; ring time is kept separately', () => {
    const events = load('outbound-unanswered.json');
    const aircallDuration = (events[2]!.raw.data as { duration: number }).duration;
    assert.equal(aircallDuration, 40); // what Aircall reports: ringing counted as duration
    const { plan } = planWith(events);
    const voice = voiceWrites(plan)[0]!.fields;
    assert.equal(voice.Call_Type__c, 'Unanswered Outbound');
    assert.deepEqual(
      [voice.Talk_Seconds__c, voice.Ring_Seconds__c, voice.Total_Seconds__c],
      [0, 40, 40],
    );
    const update = plan.telephony.find((o) => o.kind === 'update');
    assert.ok(update?.kind === 'update');
    assert.equal(update.body.agentInteractionDuration, 0);
    assert.equal(update.body.acceptTime, undefined);
  });
});
