/**
 * The inbox contract (src/inbox/inbox.ts), run on both implementations: the embedded SQLite inbox
 * and the shared PostgreSQL one (a real server: see ./database.ts). What only PostgreSQL does,
 * with several processes, is in ./postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TASK_EVENT } from '../../src/errors/catalogue';
import type { Inbox } from '../../src/inbox/inbox';
import { PostgresInbox } from '../../src/inbox/postgres';
import { SqliteInbox } from '../../src/inbox/sqlite';
import { freshSchema, type TestSchema } from './database';
import { event, state } from './events';

interface Backend {
  name: string;
  open(): Promise<{ inbox: Inbox; claim?: (now: number) => Promise<void> } | null>;
  done(): Promise<void>;
}

const schemas: TestSchema[] = [];
let skipReason: string | null = null;

const backends: Backend[] = [
  {
    name: 'SQLite',
    open: () => Promise.resolve({ inbox: new SqliteInbox(':memory:') }),
    done: () => Promise.resolve(),
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = await freshSchema('contract');
      if ('skip' in schema) {
        skipReason = schema.skip;
        return null;
      }
      schemas.push(schema);
      const inbox = await PostgresInbox.open(schema.url, { leaseMs: 60_000 });
      // Settling needs the calls claimed, as the worker does before it plans.
      return { inbox, claim: async (now) => void (await inbox.claimDue(now, 1000)) };
    },
    async done() {
      for (const s of schemas.splice(0)) await s.drop();
    },
  },
];

for (const backend of backends) {
  describe(`inbox contract on ${backend.name}`, () => {
    let inbox: Inbox;
    let claim: (now: number) => Promise<void> = () => Promise.resolve();
    let skip = false;
    before(async () => {
      const opened = await backend.open();
      if (!opened) {
        skip = true;
        return;
      }
      inbox = opened.inbox;
      if (opened.claim) claim = opened.claim;
    });
    after(async () => {
      if (!skip) await inbox.close();
      await backend.done();
    });

    it('stores an event once, keeps its body exactly, and serves due events oldest first', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      assert.equal(await inbox.add(event('a', 'c1', 1000)), true);
      assert.equal(await inbox.add(event('a', 'c1', 1000)), false, 'a redelivery is not stored');
      assert.equal(await inbox.addMany([event('b', 'c2', 1001), event('a', 'c1')]), 1);
      await inbox.addMany([event('u', null, 1002)]);
      const due = await inbox.due(5000, 10);
      assert.deepEqual(
        due.map((e) => [e.key, e.callId, e.attempts]),
        [
          ['a', 'c1', 0],
          ['b', 'c2', 0],
          ['u', null, 0],
        ],
      );
      assert.deepEqual(due[0]?.body, { event: 'call.created', key: 'a', nul: 'a\u0000b' });
      assert.deepEqual(await inbox.counts(), { pending: 3, done: 0, skipped: 0, dead: 0 });
      assert.deepEqual((await inbox.dueSummary(5000)).count, 3);
      assert.equal(await inbox.oldestPendingAt(), 1000);
    });

    it('completes events with the calls’ sync states and created records in one step', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      await claim(5000);
      const due = await inbox.due(5000, 10);
      const seq = (key: string) => due.find((e) => e.key === key)!.seq;
      await inbox.complete(
        [seq('a'), seq('u')],
        [seq('b')],
        [
          {
            callId: 'c1',
            state: { ...state('0LQ1'), finalPatchDueAt: '1970-01-01T00:00:09.000Z' },
          },
        ],
        new Map([['+33612345678', { sobject: 'Lead', id: '00Q1' }]]),
      );
      assert.deepEqual(await inbox.counts(), { pending: 0, done: 2, skipped: 1, dead: 0 });
      // Completing an event twice (a batch replayed after a crash) counts it once.
      await inbox.complete([seq('a')], [seq('u')], [], new Map());
      assert.deepEqual(await inbox.counts(), { pending: 0, done: 2, skipped: 1, dead: 0 });
      assert.deepEqual((await inbox.syncStates(['c1', 'c2'])).get('c1')?.voiceCallId, '0LQ1');
      assert.equal((await inbox.syncStates(['c2'])).size, 0);
      assert.deepEqual(
        [...(await inbox.createdRecords())],
        [['+33612345678', { sobject: 'Lead', id: '00Q1' }]],
      );
      assert.deepEqual(
        [...(await inbox.createdRecords(['+33612345678', '+33698765432']))],
        [['+33612345678', { sobject: 'Lead', id: '00Q1' }]],
      );
      assert.equal((await inbox.createdRecords(['+33698765432'])).size, 0);
      assert.equal((await inbox.createdRecords([])).size, 0);
      assert.deepEqual(await inbox.callsToReplan(8999, 10), []);
      assert.deepEqual(await inbox.callsToReplan(9000, 10), ['c1']);
      const events = await inbox.eventsOfCalls(['c1', 'c2', 'none']);
      assert.deepEqual([...events.keys()].sort(), ['c1', 'c2']);
      assert.deepEqual(Object.fromEntries([...(await inbox.statusOf(['a', 'b', 'u', 'zz']))]), {
        a: 'done',
        b: 'skipped',
        u: 'done',
      });
    });

    it('retries later with a growing attempt count, dead-letters with the reason, and requeues', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      await inbox.addMany([event('r1', 'c3', 2000), event('r2', 'c4', 2001)]);
      await claim(5000);
      const [r1, r2] = await inbox.due(5000, 10);
      await inbox.retryLater([r1!.seq], 7000, 'UNABLE_TO_LOCK_ROW');
      assert.deepEqual(
        (await inbox.due(6999, 10)).map((e) => e.key),
        ['r2'],
      );
      assert.equal(await inbox.nextDueAt(), 0, 'r2 is due since it was stored');
      await inbox.deadLetter([r2!.seq], 'FIELD_CUSTOM_VALIDATION_EXCEPTION: no', 'FIELD_X', 6000);
      const dead = await inbox.deadLetters();
      assert.deepEqual(
        dead.map((d) => [d.key, d.callId, d.reason, d.errorCode, d.failedAt, d.attempts]),
        [['r2', 'c4', 'FIELD_CUSTOM_VALIDATION_EXCEPTION: no', 'FIELD_X', 6000, 1]],
      );
      assert.deepEqual(await inbox.counts(), { pending: 1, done: 2, skipped: 1, dead: 1 });
      assert.equal((await inbox.eventsOfCalls(['c4'])).size, 0, 'dead letters leave the fold');
      const due = await inbox.due(7000, 10);
      assert.deepEqual(
        due.map((e) => [e.key, e.attempts]),
        [['r1', 1]],
      );
      assert.equal(await inbox.requeueDead(), 1);
      assert.deepEqual((await inbox.deadLetters()).length, 0);
      assert.deepEqual(await inbox.counts(), { pending: 2, done: 2, skipped: 1, dead: 0 });
      assert.deepEqual(
        (await inbox.due(7000, 10)).map((e) => e.key),
        ['r1', 'r2'],
      );
    });

    it('keeps VoiceCall links until resolved, postponed or dropped', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      await inbox.addPendingLinks(
        [
          { callId: 'c1', aircallVoiceId: 'a01' },
          { callId: 'c5', aircallVoiceId: 'a05' },
          { callId: 'c6', aircallVoiceId: 'a06' },
        ],
        3000,
      );
      assert.equal(await inbox.pendingLinkCount(), 3);
      assert.deepEqual(await inbox.pendingLinksDue(2999, 10), []);
      const due = await inbox.pendingLinksDue(3000, 10);
      assert.deepEqual(due.map((l) => [l.callId, l.aircallVoiceId, l.attempts]).sort(), [
        ['c1', 'a01', 0],
        ['c5', 'a05', 0],
        ['c6', 'a06', 0],
      ]);
      await inbox.resolveLinks(new Map([['c1', '0LQ9']]));
      assert.equal((await inbox.syncStates(['c1'])).get('c1')?.voiceCallId, '0LQ9');
      await inbox.postponeLinks(['c5'], 4000);
      await inbox.postponeLinks(['c6'], 4000, false);
      assert.deepEqual(
        (await inbox.pendingLinksDue(4000, 10)).map((l) => [l.callId, l.attempts]).sort(),
        [
          ['c5', 1],
          ['c6', 0],
        ],
      );
      await inbox.dropLinks(['c5', 'c6']);
      assert.equal(await inbox.pendingLinkCount(), 0);
    });

    it('keeps a VoiceCall POST and its id apart from batch settlements (voice_call_id)', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      // Before the POST: its outcome is unknown until recorded.
      await inbox.recordVoiceCalls(
        [
          { callId: 'v1', voiceCallId: null },
          { callId: 'v2', voiceCallId: null },
        ],
        8000,
      );
      let states = await inbox.syncStates(['v1', 'v2']);
      assert.deepEqual(states.get('v1'), {
        telephonyCreated: false,
        telephonyCompleted: false,
        voiceCallPosted: true,
      });
      // v1's POST answered; v2's answer was lost (a crash): it stays "posted", id unknown.
      await inbox.recordVoiceCalls([{ callId: 'v1', voiceCallId: '0LQv1' }], 8001);
      await inbox.recordVoiceCalls([{ callId: 'v1', voiceCallId: null }], 8002);
      states = await inbox.syncStates(['v1', 'v2']);
      assert.deepEqual(states.get('v1'), {
        telephonyCreated: true,
        telephonyCompleted: false,
        voiceCallId: '0LQv1',
      });
      assert.equal(states.get('v2')?.voiceCallPosted, true);
      // A settlement that does not carry the id (the batch failed before it) never clears it.
      await inbox.addMany([event('v1-e', 'v1', 8003)]);
      await claim(9000);
      await inbox.complete(
        [],
        [],
        [{ callId: 'v1', state: { telephonyCreated: false, telephonyCompleted: false } }],
        new Map(),
      );
      states = await inbox.syncStates(['v1']);
      assert.equal(states.get('v1')?.voiceCallId, '0LQv1');
      assert.equal(states.get('v1')?.telephonyCreated, true);
    });

    it('remembers streaming replay ids per channel', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      assert.equal(await inbox.streamPosition('/event/X'), null);
      await inbox.setStreamPosition('/event/X', 41);
      await inbox.setStreamPosition('/event/X', 42);
      assert.equal(await inbox.streamPosition('/event/X'), 42);
    });

    it('postpones a call’s re-plan', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      await claim(9000);
      await inbox.postponeReplan(['c1'], 12_000);
      assert.deepEqual(await inbox.callsToReplan(11_999, 10), []);
      assert.deepEqual(await inbox.callsToReplan(12_000, 10), ['c1']);
    });

    it('notes Task creates apart from settlements, and lists follow-ups until closed', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      const e164 = '+33611111111';
      await inbox.recordTasks(
        [
          { callId: 't1', kind: 'call', taskId: null },
          {
            callId: 't1',
            kind: 'follow-up',
            taskId: null,
            followUp: { e164, category: 'missedInbound', openedAt: 100 },
          },
          {
            callId: 't2',
            kind: 'follow-up',
            taskId: '00Tf2',
            followUp: { e164, category: 'voicemail', openedAt: 200 },
          },
        ],
        10_000,
      );
      let states = await inbox.syncStates(['t1', 't2']);
      assert.equal(states.get('t1')?.taskPosted, true, 'sent, its id unknown');
      assert.equal(states.get('t1')?.followUpPosted, true);
      assert.equal(states.get('t2')?.followUpTaskId, '00Tf2');
      assert.equal(states.get('t2')?.followUpPosted, undefined);
      await inbox.recordTasks([{ callId: 't1', kind: 'call', taskId: '00Tc1' }], 10_001);
      await inbox.recordTasks([{ callId: 't1', kind: 'call', taskId: null }], 10_002);
      states = await inbox.syncStates(['t1']);
      assert.equal(states.get('t1')?.taskId, '00Tc1', 'a known id is never cleared');
      assert.equal(states.get('t1')?.taskPosted, undefined);
      const open = await inbox.openFollowUps([e164, '+33622222222']);
      assert.deepEqual([...open.keys()], [e164]);
      assert.deepEqual(
        open.get(e164)!.sort((a, b) => a.callId.localeCompare(b.callId)),
        [
          { callId: 't1', taskId: null, openedAt: 100, category: 'missedInbound', e164 },
          { callId: 't2', taskId: '00Tf2', openedAt: 200, category: 'voicemail', e164 },
        ],
      );
      await inbox.closeFollowUps(['t1'], 10_003);
      assert.deepEqual(
        (await inbox.openFollowUps([e164])).get(e164)?.map((f) => f.callId),
        ['t2'],
      );
      assert.equal((await inbox.openFollowUps([])).size, 0);
    });

    it('keeps one retryable dead letter per call for a refused Task', async (t) => {
      if (skip) return t.skip(skipReason ?? '');
      const taskLetters = async () =>
        (await inbox.deadLetters())
          .filter((d) => d.callId === 'tk1')
          .map((d) => [d.name, d.reason, d.errorCode, d.failedAt, d.attempts]);
      await inbox.deadLetterTask('tk1', 'INVALID_FIELD: no', 'INVALID_FIELD', 20_000);
      await inbox.deadLetterTask('tk1', 'INVALID_FIELD: again', null, 20_001);
      assert.deepEqual(await taskLetters(), [
        [TASK_EVENT, 'INVALID_FIELD: again', null, 20_001, 2],
      ]);
      const [letter] = (await inbox.deadLetters()).filter((d) => d.callId === 'tk1');
      assert.equal(await inbox.requeueDead([letter!.seq]), 1);
      assert.equal((await inbox.statusOf([letter!.key])).get(letter!.key), 'pending');
      // Refused again while being retried: the same dead letter, not a second one.
      await inbox.deadLetterTask('tk1', 'INVALID_FIELD: still', 'INVALID_FIELD', 20_002);
      assert.deepEqual(await taskLetters(), [
        [TASK_EVENT, 'INVALID_FIELD: still', 'INVALID_FIELD', 20_002, 1],
      ]);
    });
  });
}
