// The worker's settle step is a pure function: these tests give it a batch, a plan and what the
// unit of work reported, and read the fate of every event — no org, no inbox, no clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatusEvent, Plan } from '../../src/engine';
import type { CreatedRecord, StoredEvent } from '../../src/inbox/inbox';
import { SalesforceError } from '../../src/salesforce/errors';
import { settle, type LoadedBatch } from '../../src/connector/settle';
import type { ApplyResult } from '../../src/connector/unit-of-work';

function stored(seq: number, callId: string | null, key = `k${seq}`, attempts = 0): StoredEvent {
  return { seq, key, callId, name: 'call.created', body: {}, receivedAt: 1000 + seq, attempts };
}

function batch(due: StoredEvent[], extra: Partial<LoadedBatch> = {}): LoadedBatch {
  return {
    due,
    replan: [],
    callIds: [...new Set(due.flatMap((e) => (e.callId === null ? [] : [e.callId])))],
    userEvents: [],
    userSeqs: [],
    unusedSeqs: [],
    ...extra,
  };
}

function plan(extra: Partial<Plan> = {}): Plan {
  return {
    writes: [],
    telephony: [],
    platformEvents: [],
    aircallContacts: [],
    tasks: [],
    skipped: [],
    sync: [],
    ...extra,
  };
}

function applied(extra: Partial<ApplyResult> = {}): ApplyResult {
  return {
    failed: new Map(),
    taskFailed: new Map(),
    sync: new Map(),
    created: new Map(),
    linksNeeded: [],
    eventsPublished: true,
    publishLimitExceeded: false,
    warnings: [],
    caseRefusals: [],
    timings: { posted: 0, committed: null },
    ...extra,
  };
}

const agentStatus = (userId: string, callId?: string): AgentStatusEvent => ({
  sobject: 'Aircall_Agent_Status__e',
  userId,
  omniStatus: 'Busy',
  phoneEvent: 'In Call',
  reason: 'On a call',
  callId,
});

test('events of calls that succeeded are done, skipped ones (by call or by event key) skipped', () => {
  const due = [stored(1, 'c1'), stored(2, 'c2'), stored(3, 'c3', 'dup-key'), stored(4, 'c1')];
  const s = settle(
    batch(due, { userSeqs: [10], unusedSeqs: [11] }),
    plan({
      skipped: [
        { key: 'c2', reason: 'internal call' },
        { key: 'dup-key', reason: 'duplicate' },
      ],
    }),
    applied(),
  );
  assert.deepEqual(s.done, [10, 1, 4]);
  assert.deepEqual(s.skipped, [11, 2, 3]);
  assert.deepEqual(s.retry, []);
  assert.deepEqual(s.dead, []);
  assert.deepEqual(
    s.finished.map((e) => e.seq),
    [1, 2, 3, 4],
  );
});

test('a transient failure retries each event of its call with its own attempt count', () => {
  const busy = new SalesforceError('Unable to lock row', 'UNABLE_TO_LOCK_ROW', true);
  const due = [stored(1, 'c1', 'a', 0), stored(2, 'c2'), stored(3, 'c1', 'b', 4)];
  const s = settle(batch(due), plan(), applied({ failed: new Map([['c1', busy]]) }));
  assert.deepEqual(s.done, [2]);
  assert.deepEqual(s.retry, [
    { seq: 1, attempts: 0, error: busy },
    { seq: 3, attempts: 4, error: busy },
  ]);
  assert.deepEqual(
    s.finished.map((e) => e.seq),
    [2],
  );
});

test('permanent failures are dead-lettered once per error, naming the first call', () => {
  const bad1 = new SalesforceError('Phone: data value too large', 'STRING_TOO_LONG', false);
  const bad2 = new SalesforceError('Invalid id', 'INVALID_ID_FIELD', false);
  const due = [stored(1, 'c1'), stored(2, 'c2'), stored(3, 'c1'), stored(4, 'c3')];
  const s = settle(
    batch(due),
    plan(),
    applied({
      failed: new Map([
        ['c1', bad1],
        ['c2', bad2],
      ]),
    }),
  );
  assert.deepEqual(s.dead, [
    { error: bad1, seqs: [1, 3], callId: 'c1' },
    { error: bad2, seqs: [2], callId: 'c2' },
  ]);
  assert.deepEqual(s.done, [4]);
  assert.deepEqual(s.retry, []);
});

test('revisited calls that failed are postponed; sync, created records and links pass through', () => {
  const busy = new SalesforceError('Server unavailable', 'SERVER_UNAVAILABLE', true);
  const state = { telephonyCreated: true, telephonyCompleted: true };
  const created = new Map<string, CreatedRecord>([
    ['+33612345678', { sobject: 'Lead', id: '00Q000000000001' }],
  ]);
  const linksNeeded = [{ callId: 'r2', aircallVoiceId: 'a00000000000001' }];
  const s = settle(
    batch([], { replan: ['r1', 'r2'], callIds: ['r1', 'r2'] }),
    plan(),
    applied({
      failed: new Map([['r1', busy]]),
      sync: new Map([['r2', state]]),
      created,
      linksNeeded,
    }),
  );
  assert.deepEqual(s.failedReplans, ['r1']);
  assert.deepEqual(s.sync, [{ callId: 'r2', state }]);
  assert.equal(s.created, created);
  assert.equal(s.linksNeeded, linksNeeded);
});

test('published agent statuses are remembered; after a failed publish they are forgotten', () => {
  const events = [agentStatus('005A', 'c1'), agentStatus('005B')];
  const ok = settle(batch([]), plan({ platformEvents: events }), applied());
  assert.deepEqual(ok.agentStatus, [
    { userId: '005A', status: { omniStatus: 'Busy', callId: 'c1', phoneEvent: 'In Call' } },
    { userId: '005B', status: { omniStatus: 'Busy', callId: null, phoneEvent: 'In Call' } },
  ]);
  assert.equal(ok.publishAllocation, 'accepted');

  const lost = settle(
    batch([]),
    plan({ platformEvents: events }),
    applied({ eventsPublished: false }),
  );
  assert.deepEqual(lost.agentStatus, [
    { userId: '005A', status: null },
    { userId: '005B', status: null },
  ]);
  assert.equal(lost.publishAllocation, null);

  const refused = settle(
    batch([]),
    plan({ platformEvents: events }),
    applied({ eventsPublished: false, publishLimitExceeded: true }),
  );
  assert.equal(refused.publishAllocation, 'exhausted');

  // A batch without agent status events says nothing of the allocation.
  assert.equal(settle(batch([]), plan(), applied()).publishAllocation, null);
});

test('logged calls: Aircall Voice writes of calls that succeeded, with the record created for them', () => {
  const bad = new SalesforceError('Invalid field', 'INVALID_FIELD', false);
  const s = settle(
    batch([stored(1, 'c1'), stored(2, 'c2'), stored(3, 'c3')]),
    plan({
      writes: [
        { sobject: 'Lead', callId: 'c1', fields: { Aircall_Phone_Key__c: '+33612345678' } },
        { sobject: 'Aircall_Voice__c', callId: 'c1', fields: { Aircall_Call_Id__c: 'c1' } },
        { sobject: 'Aircall_Voice__c', callId: 'c2', fields: { Aircall_Call_Id__c: 'c2' } },
        { sobject: 'Aircall_Voice__c', callId: 'c3', fields: { Aircall_Call_Id__c: 'c3' } },
      ],
    }),
    applied({ failed: new Map([['c3', bad]]) }),
  );
  assert.deepEqual(s.loggedCalls, [
    {
      callId: 'c1',
      fields: { Aircall_Call_Id__c: 'c1' },
      createdRecord: { sobject: 'Lead', e164: '+33612345678' },
    },
    { callId: 'c2', fields: { Aircall_Call_Id__c: 'c2' }, createdRecord: undefined },
  ]);
});
