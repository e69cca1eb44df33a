/**
 * Calls on the Activity timeline and the per-call-type rules (src/engine/activity.ts through
 * planBatch): every kind of call × every action, the two filters, the call Task's fields, the
 * follow-up Task and its closing by a call back, and the Log Calls rule deciding first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  explain,
  planBatch,
  type CallCategory,
  type CallTypeAction,
  type Plan,
  type Settings,
  type TaskWrite,
} from '../../src/engine';
import { TASK_WORDS, taskWhat } from '../../src/engine/activity';
import {
  AGENT_USER_ID,
  batch,
  callsOf,
  candidate,
  load,
  parisHours,
  planWith,
  settings,
  voiceWrites,
} from './helpers';

const FIXTURE_OF: Record<string, { fixture: string; category: CallCategory; callId: string }> = {
  'answered inbound': {
    fixture: 'inbound-answered.json',
    category: 'answeredInbound',
    callId: '4186790001',
  },
  'answered outbound': {
    fixture: 'outbound-answered.json',
    category: 'answeredOutbound',
    callId: '4186780376',
  },
  'missed inbound': {
    fixture: 'inbound-missed.json',
    category: 'missedInbound',
    callId: '4186790002',
  },
  'abandoned inbound (a missed inbound call)': {
    fixture: 'inbound-abandoned.json',
    category: 'missedInbound',
    callId: '4186790004',
  },
  voicemail: { fixture: 'inbound-voicemail.json', category: 'voicemail', callId: '4186790003' },
  'unanswered outbound': {
    fixture: 'outbound-unanswered.json',
    category: 'unansweredOutbound',
    callId: '4186790010',
  },
};

const ACTIONS: CallTypeAction[] = ['Log', 'Log + open follow-up Task', "Don't log"];

function withAction(category: CallCategory, action: CallTypeAction, over: Partial<Settings> = {}) {
  const base = settings({ activityTask: 'Completed Task', ...over });
  return { ...base, callTypeActions: { ...base.callTypeActions, [category]: action } };
}

/** A field value that the test expects to be text. */
const text = (value: unknown): string => {
  assert.equal(typeof value, 'string');
  return value as string;
};

const tasksOf = (plan: Plan, kind: TaskWrite['kind']) => plan.tasks.filter((t) => t.kind === kind);

describe('per-call-type actions: every kind of call × every action', () => {
  for (const [name, { fixture, category, callId }] of Object.entries(FIXTURE_OF)) {
    for (const action of ACTIONS) {
      it(`${name}: "${action}"`, () => {
        const { plan } = planWith(load(fixture), { settings: withAction(category, action) });
        const voices = voiceWrites(plan).filter((w) => w.callId === callId);
        const callTasks = tasksOf(plan, 'call');
        const followUps = tasksOf(plan, 'follow-up');
        // The VoiceCall follows the Log Calls rule only, whatever the action.
        assert.ok(
          plan.telephony.some((op) => op.callId === callId),
          'the VoiceCall is still written',
        );
        if (action === "Don't log") {
          assert.equal(voices.length, 0, 'no Aircall Voice');
          assert.deepEqual(plan.tasks, [], 'no Task');
          assert.ok(
            plan.writes.every((w) => w.sobject === 'Aircall_Voice__c'),
            'no record created for the number',
          );
          const skipped = plan.skipped.find((s) => s.key === callId);
          assert.match(skipped?.reason ?? '', /^Not logged: .* calls are "Don't log"\.$/);
          assert.match(
            plan.sync.find((s) => s.callId === callId)?.state.notLoggedReason ?? '',
            /Don't log/,
          );
          return;
        }
        assert.equal(voices.length, 1, 'one Aircall Voice');
        assert.equal(callTasks.length, 1, 'one call Task');
        const task = callTasks[0]!;
        assert.equal(task.callId, callId);
        assert.deepEqual(task.createOnly, { TaskSubtype: 'Call' });
        assert.equal(task.fields.CallObject, callId);
        assert.equal(task.fields.Type, 'Call');
        assert.equal(task.fields.Status, 'Completed');
        assert.equal(task.fields.CallType, name.includes('outbound') ? 'Outbound' : 'Inbound');
        assert.equal(task.fields.CallDurationInSeconds, voices[0]!.fields.Talk_Seconds__c);
        assert.deepEqual(task.fields.Aircall_Voice__r, { Aircall_Call_Id__c: callId });
        if (action === 'Log') assert.equal(followUps.length, 0, 'no follow-up');
        else {
          assert.equal(followUps.length, 1, 'one follow-up Task');
          const f = followUps[0]!;
          assert.equal(f.createOnly.Status, 'Not Started');
          assert.equal(f.createOnly.TaskSubtype, 'Task');
          assert.equal(f.createOnly.ActivityDate, task.fields.ActivityDate, 'due the same day');
          assert.equal(f.createOnly.Aircall_Follow_Up_For__c, callId);
          assert.match(text(f.createOnly.Description), new RegExp(`call ${callId}`));
        }
      });
    }
  }

  it('a call that is not logged is looked at again: a missed call that becomes a voicemail is logged', () => {
    const events = load('inbound-voicemail.json');
    const s = withAction('missedInbound', "Don't log");
    // Without its voicemail event and link the call reads as missed.
    const first = planWith(
      events
        .filter((e) => e.event !== 'call.voicemail_left')
        .map((e) =>
          e.kind === 'call'
            ? {
                ...e,
                data: { ...e.data, voicemail: null, voicemail_short_url: null, asset: null },
              }
            : e,
        ),
      { settings: s },
    );
    assert.equal(voiceWrites(first.plan).length, 0);
    const second = planWith(events, { settings: s }, first.sync);
    assert.equal(voiceWrites(second.plan).length, 1, 'logged once it is a voicemail ("Log")');
    assert.equal(second.sync.get('4186790003')?.notLoggedReason, undefined);
  });

  it('the Log Calls rule decides first: outside business hours nothing is written, VoiceCall included', () => {
    const events = load('inbound-answered.json');
    const s = withAction('answeredInbound', 'Log + open follow-up Task', {
      logCalls: 'Business Hours Only',
    });
    const { plan } = planWith(events, {
      settings: s,
      businessHours: parisHours({
        TuesdayStartTime: '20:00:00.000Z',
        TuesdayEndTime: '21:00:00.000Z',
      }),
    });
    assert.deepEqual(plan.writes, []);
    assert.deepEqual(plan.telephony, []);
    assert.deepEqual(plan.tasks, []);
    assert.match(plan.skipped[0]?.reason ?? '', /Business Hours Only/);
  });
});

describe('filters', () => {
  it('"Don\'t log internal calls": a call to one of the account\'s own lines is not logged', () => {
    const events = load('outbound-unanswered.json');
    const s = settings({ activityTask: 'Completed Task', skipInternalCalls: true });
    const internal = planWith(events, { settings: s, aircallLines: new Set(['+33698765432']) });
    assert.equal(voiceWrites(internal.plan).length, 0);
    assert.deepEqual(internal.plan.tasks, []);
    assert.match(internal.plan.skipped[0]?.reason ?? '', /one of your Aircall lines/);
    assert.ok(internal.plan.telephony.length > 0, 'its VoiceCall follows Log Calls');
    // Filter off: the same call is logged.
    const off = planWith(events, {
      settings: settings({ activityTask: 'Completed Task' }),
      aircallLines: new Set(['+33698765432']),
    });
    assert.equal(voiceWrites(off.plan).length, 1);
    // Filter on, a customer's number: logged.
    const customer = planWith(events, { settings: s });
    assert.equal(voiceWrites(customer.plan).length, 1);
  });

  it("the lines of the batch's own calls count as internal too", () => {
    const events = load('inbound-answered.json').map((e) =>
      e.kind === 'call' ? { ...e, data: { ...e.data, raw_digits: '+33 1 76 44 01 23' } } : e,
    );
    const { plan } = planWith(events, { settings: settings({ skipInternalCalls: true }) });
    assert.equal(voiceWrites(plan).length, 0);
  });

  it('"Only log calls from numbers that match a record": no match, no log and no Lead created', () => {
    const events = load('inbound-missed.json');
    const s = settings({ activityTask: 'Completed Task', onlyMatchedNumbers: true });
    const unmatched = planWith(events, { settings: s });
    assert.deepEqual(unmatched.plan.writes, [], 'no Aircall Voice, no Lead');
    assert.deepEqual(unmatched.plan.tasks, []);
    assert.match(unmatched.plan.skipped[0]?.reason ?? '', /match a record/);

    const contact = candidate({
      sobject: 'Contact',
      id: '003000000000001AAA',
      accountId: '001000000000001AAA',
    });
    const matched = planWith(events, {
      settings: s,
      matches: new Map([['+33612345678', [contact]]]),
    });
    assert.equal(voiceWrites(matched.plan).length, 1);
    const task = tasksOf(matched.plan, 'call')[0]!;
    assert.equal(task.fields.WhoId, '003000000000001AAA');
    assert.equal(task.fields.WhatId, '001000000000001AAA', "WhatId: the Contact's Account");

    // A record this product created earlier for the number is a record.
    const known = planWith(events, {
      settings: s,
      known: new Map([['+33612345678', { sobject: 'Lead' as const, id: '00Q000000000001AAA' }]]),
    });
    assert.equal(voiceWrites(known.plan).length, 1);
    assert.equal(tasksOf(known.plan, 'call')[0]!.fields.WhoId, '00Q000000000001AAA');
    assert.equal(tasksOf(known.plan, 'call')[0]!.fields.WhatId, null, 'no WhatId with a Lead');
  });
});

describe('the call Task', () => {
  it("fields: subject, date in the line's time zone, owner, disposition, description", () => {
    const { plan } = planWith(load('inbound-answered.json'), {
      settings: settings({ activityTask: 'Completed Task' }),
    });
    const task = tasksOf(plan, 'call')[0]!;
    assert.equal(task.fields.Subject, 'Inbound call · Answered');
    assert.equal(task.fields.OwnerId, AGENT_USER_ID, 'the agent owns it');
    assert.equal(task.fields.CallDisposition, 'Answered');
    // 2026-09-29T07:00:00Z is 09:00 in Paris.
    assert.equal(task.fields.ActivityDate, '2026-09-29');
    const description = text(task.fields.Description);
    assert.match(description, /Aircall call 4186790001 · from \+33612345678/);
    assert.match(description, /Comments:/);
    assert.match(description, /Tags: /);
    // Created for an unknown number in the same plan: linked by the Lead's external id.
    assert.deepEqual(task.fields.Who, {
      attributes: { type: 'Lead' },
      Aircall_Phone_Key__c: '+33612345678',
    });
  });

  it("ActivityDate is the call's date where the line is, not in UTC", () => {
    // 1790603050 is 2026-09-28T12:24:10Z... shifted to 04:00Z it is still the 28th in Chicago (UTC−5)
    // but the 29th in UTC: the line's day wins.
    const events = load('outbound-answered.json').map((e) =>
      e.kind === 'call'
        ? {
            ...e,
            data: {
              ...e.data,
              started_at: 1790654400,
              answered_at: e.data.answered_at ? 1790654403 : e.data.answered_at,
              ended_at: e.data.ended_at ? 1790654421 : e.data.ended_at,
            },
          }
        : e,
    );
    assert.equal(new Date(1790654400_000).toISOString().slice(0, 10), '2026-09-29');
    const { plan } = planWith(events, {
      settings: settings({ activityTask: 'Completed Task' }),
      now: new Date(1790660000_000),
    });
    assert.equal(tasksOf(plan, 'call')[0]!.fields.ActivityDate, '2026-09-28');
  });

  it("subject in the org's language, or from the template setting", () => {
    const events = load('inbound-missed.json');
    const es = planWith(events, {
      settings: settings({ activityTask: 'Completed Task' }),
      language: 'es_ES',
    });
    assert.equal(tasksOf(es.plan, 'call')[0]!.fields.Subject, 'Llamada entrante · Perdida');
    const templated = planWith(events, {
      settings: settings({
        activityTask: 'Completed Task',
        taskSubjectTemplate: '{outcome} {direction} call from {number} on {line} {unknown}',
      }),
    });
    assert.equal(
      tasksOf(templated.plan, 'call')[0]!.fields.Subject,
      'Missed Inbound call from +33612345678 on Support France {unknown}',
    );
    assert.equal(TASK_WORDS.es.voicemail, 'Buzón de voz');
  });

  it('no Task when Activity_Task__c is None (the default)', () => {
    const { plan } = planWith(load('inbound-answered.json'));
    assert.deepEqual(plan.tasks, []);
  });

  it('waits for the end of the call, then follows it: a comment updates it, nothing new writes nothing', () => {
    const events = load('inbound-answered.json');
    const s = settings({ activityTask: 'Completed Task' });
    const live = planWith(
      events.filter((e) =>
        ['call.created', 'call.ringing_on_agent', 'call.answered'].includes(e.event),
      ),
      { settings: s },
    );
    assert.deepEqual(live.plan.tasks, [], 'no Task while the call is live');
    const upToEnd = events.slice(0, events.findIndex((e) => e.event === 'call.ended') + 1);
    const ended = planWith(upToEnd, { settings: s }, live.sync);
    assert.equal(tasksOf(ended.plan, 'call').length, 1);
    assert.doesNotMatch(text(tasksOf(ended.plan, 'call')[0]!.fields.Description), /Comments:/);
    const again = planWith(upToEnd, { settings: s }, ended.sync);
    assert.deepEqual(again.plan.tasks, [], 'unchanged: not written again');
    const commented = planWith(events, { settings: s }, again.sync);
    const update = tasksOf(commented.plan, 'call');
    assert.equal(update.length, 1, 'tags and the comment update it');
    assert.match(text(update[0]!.fields.Description), /Comments:/);
  });

  it('taskWhat is the single place choosing WhatId', () => {
    assert.deepEqual(taskWhat({ Account__c: '001000000000001AAA' }), {
      WhatId: '001000000000001AAA',
    });
    assert.deepEqual(taskWhat({ Lead__c: '00Q000000000001AAA', Account__c: null }), {
      WhatId: null,
    });
    assert.deepEqual(
      taskWhat({ Account__c: '001000000000001AAA', Opportunity__c: '006000000000001AAA' }),
      { WhatId: '006000000000001AAA' },
      'an Opportunity before the Account',
    );
    assert.deepEqual(
      taskWhat({
        Account__c: '001000000000001AAA',
        Opportunity__c: '006000000000001AAA',
        Case__r: { Aircall_Call_Id__c: '42' },
      }),
      { What: { attributes: { type: 'Case' }, Aircall_Call_Id__c: '42' } },
      'the Case created for the call first',
    );
    assert.deepEqual(taskWhat({ Account__r: { Aircall_Phone_Key__c: '+33612345678' } }), {
      What: { attributes: { type: 'Account' }, Aircall_Phone_Key__c: '+33612345678' },
    });
  });
});

describe('follow-up Tasks', () => {
  const missed = load('inbound-missed.json');
  const followUp = (over: Partial<Settings> = {}, events = missed) =>
    tasksOf(
      planWith(events, {
        settings: withAction('missedInbound', 'Log + open follow-up Task', over),
      }).plan,
      'follow-up',
    )[0]!;

  it('owned by the settings owner when neither an assignee nor an agent is known', () => {
    assert.deepEqual(followUp().fields, {}, 'the integration user (nobody named)');
    assert.deepEqual(followUp({ followUpOwnerId: '00G000000000001AAA' }).fields, {
      OwnerId: '00G000000000001AAA',
    });
  });

  it('owned by the assignee Aircall names first, else the agent', () => {
    const answered = load('inbound-answered.json');
    const s = { activityTask: 'None' as const, followUpOwnerId: '00G000000000001AAA' };
    const base = settings(s);
    const over: Settings = {
      ...base,
      callTypeActions: { ...base.callTypeActions, answeredInbound: 'Log + open follow-up Task' },
    };
    const plan = planBatch(batch(callsOf(answered), { settings: over }));
    // The fixture's call.assigned names the agent herself: the assignee, who is a Salesforce user.
    assert.deepEqual(tasksOf(plan, 'follow-up')[0]!.fields, { OwnerId: AGENT_USER_ID });
    const unassigned = answered.filter((e) => e.event !== 'call.assigned');
    const plan2 = planBatch(batch(callsOf(unassigned), { settings: over }));
    assert.deepEqual(tasksOf(plan2, 'follow-up')[0]!.fields, { OwnerId: AGENT_USER_ID });
    assert.deepEqual(
      plan2.tasks.filter((t) => t.kind === 'call'),
      [],
      'Activity_Task__c None',
    );
  });

  it('created once: a later event of the call does not open a second one', () => {
    const s = withAction('missedInbound', 'Log + open follow-up Task');
    const first = planWith(missed, { settings: s });
    assert.equal(tasksOf(first.plan, 'follow-up').length, 1);
    const second = planWith(missed, { settings: s }, first.sync);
    assert.equal(tasksOf(second.plan, 'follow-up').length, 0);
  });

  it("follows the call's link when this product links the call to another record, once", () => {
    const s = withAction('missedInbound', 'Log + open follow-up Task');
    const first = planWith(missed, { settings: s });
    const opened = tasksOf(first.plan, 'follow-up')[0]!;
    assert.ok('Who' in opened.createOnly, 'created naming the Lead created for the number');
    // A Contact has the number by the call's next batch (an agent created it, say).
    const matches = new Map([
      [
        '+33612345678',
        [
          candidate({
            sobject: 'Contact',
            id: '003000000000001AAA',
            accountId: '001000000000001AAA',
          }),
        ],
      ],
    ]);
    const second = planWith(missed, { settings: s, matches }, first.sync);
    const relinked = tasksOf(second.plan, 'follow-up');
    assert.equal(relinked.length, 1, 'the follow-up is written again');
    assert.equal(relinked[0]!.fields.WhoId, '003000000000001AAA');
    assert.equal(relinked[0]!.fields.WhatId, '001000000000001AAA');
    assert.deepEqual(relinked[0]!.createOnly, {}, 'an update, not a second follow-up');
    assert.equal(
      tasksOf(planWith(missed, { settings: s, matches }, second.sync).plan, 'follow-up').length,
      0,
      'the same link: nothing to write',
    );
    // A follow-up kept from before its link was remembered took the call's link of that time.
    const legacy = new Map(
      [...second.sync].map(([id, state]) => {
        const { followUpLinkKey: _, ...rest } = state;
        return [id, rest] as const;
      }),
    );
    assert.equal(
      tasksOf(planWith(missed, { settings: s, matches }, legacy).plan, 'follow-up').length,
      0,
    );
  });

  it('closed when the number is called back and answered within the window, saying so', () => {
    const answered = load('inbound-answered.json'); // +33612345678, started 1790665200
    const open = {
      callId: '4186790002',
      taskId: '00T000000000001AAA',
      openedAt: 1790665200 - 3600,
      category: 'missedInbound' as const,
      e164: '+33612345678',
    };
    const s = settings({ callbackWindowHours: 2 });
    const inWindow = planBatch(
      batch(callsOf(answered), {
        settings: s,
        openFollowUps: new Map([['+33612345678', [open]]]),
      }),
    );
    const close = tasksOf(inWindow, 'close-follow-up');
    assert.equal(close.length, 1);
    assert.equal(close[0]!.followUpOf, '4186790002');
    assert.equal(close[0]!.taskId, '00T000000000001AAA');
    assert.equal(close[0]!.fields.Status, 'Completed');
    assert.match(
      text(close[0]!.fields.Description),
      /Closed automatically: \+33612345678 was called back and the call was answered at .* \(Aircall call 4186790001\)/,
    );
    const late = planBatch(
      batch(callsOf(answered), {
        settings: settings({ callbackWindowHours: 0.5 }),
        openFollowUps: new Map([['+33612345678', [open]]]),
      }),
    );
    assert.deepEqual(tasksOf(late, 'close-follow-up'), [], 'outside the window: left open');
    // An unanswered call does not close it.
    const notAnswered = planBatch(
      batch(callsOf(missed), {
        settings: s,
        openFollowUps: new Map([['+33612345678', [{ ...open, callId: '4186790099' }]]]),
      }),
    );
    assert.deepEqual(tasksOf(notAnswered, 'close-follow-up'), []);
  });
});

describe('explain prints the rule applied', () => {
  it('per kind of call and the filters', () => {
    const base = settings({ activityTask: 'Completed Task', onlyMatchedNumbers: true });
    const text = explain({
      number: '+33612345678',
      at: new Date('2026-09-29T07:00:00Z'),
      settings: {
        ...base,
        callTypeActions: { ...base.callTypeActions, voicemail: 'Log + open follow-up Task' },
      },
      matches: new Map(),
      businessHours: parisHours(),
    });
    assert.match(text, /Only log calls from numbers that match a record/);
    assert.match(text, /Not logged: no record has this number/);
    const matchedText = explain({
      number: '+33612345678',
      at: new Date('2026-09-29T07:00:00Z'),
      settings: {
        ...base,
        callTypeActions: { ...base.callTypeActions, voicemail: 'Log + open follow-up Task' },
      },
      matches: new Map([
        ['+33612345678', [candidate({ sobject: 'Contact', id: '003000000000001AAA' })]],
      ]),
      businessHours: parisHours(),
    });
    assert.match(matchedText, /- If answered: logged \(Answered inbound calls are "Log"\)/);
    assert.match(
      matchedText,
      /- If it goes to voicemail: logged, and a follow-up Task is opened \(Voicemail calls are "Log \+ open follow-up Task"\)/,
    );
    assert.match(matchedText, /- Task: a completed call Task/);
  });
});
