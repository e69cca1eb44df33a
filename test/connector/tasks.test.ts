/**
 * Call Tasks against the local org: one Task per logged call, updated as the call goes on, never
 * duplicated (a Composite that fails after the create was noted, a process killed between the
 * create and recording its id, a second PostgreSQL worker taking the call over), and a Task the org
 * refuses the way a validation rule does leaves the call logged with one Task dead letter, which
 * `dead-letters --retry` writes once the rule is fixed. A Task cannot be upserted by an external id
 * (its key, CallObject, is a plain string field: Object Reference "Task",
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm),
 * so the connector remembers the id and looks the Task up by CallObject (src/connector/tasks.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { startConnector } from '../../src/connector/connector';
import { drainUntilDone } from '../../src/cli/drain';
import { query } from '../../src/cli/query';
import { TASK_EVENT } from '../../src/errors/catalogue';
import { backendSkip, INBOX_BACKENDS, testInbox } from '../inbox/database';
import { fixture, fixtureCall, LogCapture, startHarness, TOKEN, type Harness } from './harness';

const CALL = '4186790001';
const events = fixture('inbound-answered');
const ended = events.slice(0, events.findIndex((e) => e.event === 'call.ended') + 1);
const later = events.slice(ended.length);

interface TaskRow {
  [field: string]: unknown;
  Id: string;
  Subject: string;
  TaskSubtype: string;
  Type: string;
  CallType: string;
  CallObject: string;
  CallDisposition: string;
  CallDurationInSeconds: number;
  Status: string;
  ActivityDate: string;
  Description: string | null;
  WhoId: string | null;
  WhatId: string | null;
  Aircall_Voice__c: string | null;
}

const TASK_SOQL = (callId: string) =>
  `SELECT Id, Subject, TaskSubtype, Type, CallType, CallObject, CallDisposition, CallDurationInSeconds, Status, ActivityDate, Description, WhoId, WhatId, Aircall_Voice__c FROM Task WHERE CallObject = '${callId}'`;

async function tasksOf(h: Harness, callId = CALL): Promise<TaskRow[]> {
  return h.org.client.query<TaskRow>(TASK_SOQL(callId));
}

async function turnOnTasks(h: Harness, extra: Record<string, unknown> = {}): Promise<void> {
  const [result] = await h.org.client.create([
    {
      attributes: { type: 'Aircall_Settings__c' },
      Name: 'Settings',
      Activity_Task__c: 'Completed Task',
      ...extra,
    },
  ]);
  assert.ok(result?.success, JSON.stringify(result));
}

async function contactWithAccount(h: Harness): Promise<{ contact: string; account: string }> {
  const [account] = await h.org.client.create([{ attributes: { type: 'Account' }, Name: 'Acme' }]);
  const [contact] = await h.org.client.create([
    {
      attributes: { type: 'Contact' },
      LastName: 'Durand',
      AccountId: account!.id,
      MobilePhone: '06 12 34 56 78',
    },
  ]);
  return { contact: contact!.id!, account: account!.id! };
}

async function assertOneTask(h: Harness): Promise<TaskRow> {
  const tasks = await tasksOf(h);
  assert.equal(tasks.length, 1, 'exactly one Task for the call');
  const voices = await h.org.client.query<{ Id: string }>(
    `SELECT Id FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${CALL}'`,
  );
  assert.equal(tasks[0]!.Aircall_Voice__c, voices[0]?.Id, 'the Task points at its Aircall Voice');
  return tasks[0]!;
}

for (const backend of INBOX_BACKENDS) {
  describe(`call Tasks (${backend} inbox)`, { skip: backendSkip(backend) }, () => {
    it('one completed call Task per call, linked like the Aircall Voice, updated as the call goes on', async () => {
      const h = await startHarness({ backend });
      try {
        const { contact, account } = await contactWithAccount(h);
        await turnOnTasks(h);
        await h.send(ended);
        assert.deepEqual(await h.drain(), { timedOut: false });
        const task = await assertOneTask(h);
        assert.equal(task.TaskSubtype, 'Call');
        assert.equal(task.Type, 'Call');
        assert.equal(task.CallType, 'Inbound');
        assert.equal(task.Status, 'Completed');
        assert.equal(task.CallDisposition, 'Answered');
        assert.equal(task.Subject, 'Inbound call · Answered');
        assert.equal(task.ActivityDate, '2026-09-29');
        assert.equal(task.WhoId, contact);
        assert.equal(task.WhatId, account);
        assert.ok(task.CallDurationInSeconds > 0);

        await h.send(later); // recording, tags, comment, assignment
        assert.deepEqual(await h.drain(), { timedOut: false });
        const updated = await assertOneTask(h);
        assert.equal(updated.Id, task.Id, 'the same Task, updated');
        assert.match(updated.Description ?? '', /Comments:/);
        assert.match(updated.Description ?? '', /Tags:/);
        assert.deepEqual(await h.connector.inbox.deadLetters(), []);

        // The scripting contract reads it by CallObject.
        const out = new LogCapture();
        const code = await query({
          args: [`SELECT Id, Subject, CallObject FROM Task WHERE CallObject = '${CALL}'`, '--json'],
          io: {
            out: out as unknown as NodeJS.WriteStream,
            err: process.stderr,
            env: { SF_INSTANCE_URL: h.local.instanceUrl, SF_ACCESS_TOKEN: h.local.accessToken },
          },
        });
        assert.equal(code, 0);
        const printed = JSON.parse(out.lines.at(-1)!) as {
          totalSize: number;
          records: { Id: string; CallObject: string }[];
        };
        assert.equal(printed.totalSize, 1);
        assert.deepEqual(
          printed.records.map((r) => [r.Id, r.CallObject]),
          [[task.Id, CALL]],
        );
      } finally {
        await h.close();
      }
    });

    it('a Composite that fails after the create was noted does not create a second Task', async () => {
      const h = await startHarness({ backend });
      try {
        await turnOnTasks(h);
        const inbox = h.connector.inbox;
        const record = inbox.recordTasks.bind(inbox);
        let down = true;
        inbox.recordTasks = async (entries, now) => {
          await record(entries, now);
          // The org goes down right after the create is noted: the Composite gets 503.
          if (down && entries.some((e) => e.taskId === null)) {
            down = false;
            h.local.setFaults({ outageMs: 3_600_000 });
          }
        };
        await h.send(ended);
        const first = await h.connector.worker.drainOnce();
        assert.ok(first.retried > 0, 'the batch is retried');
        h.local.setFaults({});
        assert.equal((await tasksOf(h)).length, 0, 'nothing was written');
        assert.deepEqual(await h.drain(), { timedOut: false });
        await h.send(later);
        assert.deepEqual(await h.drain(), { timedOut: false });
        await assertOneTask(h);
      } finally {
        await h.close();
      }
    });

    it('a process killed between the create and recording its id finds the Task by CallObject', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'aircall-task-'));
      const inboxAt = await testInbox(backend, path.join(dir, 'inbox.db'));
      const h = await startHarness({ backend, inboxFile: inboxAt.location });
      try {
        await turnOnTasks(h);
        await h.send(ended);
        // From the Composite's answer on, nothing the process would write reaches the inbox.
        const inbox = h.connector.inbox;
        const record = inbox.recordTasks.bind(inbox);
        const killed = () => Promise.reject(new Error('killed: the process died here'));
        inbox.recordTasks = (entries, now) =>
          entries.some((e) => e.taskId !== null) ? killed() : record(entries, now);
        inbox.complete = killed;
        inbox.retryLater = killed;
        inbox.deadLetter = killed;
        await assert.rejects(h.connector.worker.drainOnce(), /killed/);
        assert.equal((await tasksOf(h)).length, 1, 'the Task was created');

        await h.restart();
        const state = (await h.connector.inbox.syncStates([CALL])).get(CALL);
        assert.equal(state?.taskPosted, true, 'the create is known, its answer is not');
        assert.deepEqual(await h.drain(), { timedOut: false });
        assert.match(
          (await h.connector.inbox.syncStates([CALL])).get(CALL)?.taskId ?? '',
          /^00T/,
          'the Task found by CallObject is recorded',
        );
        await h.send(later);
        assert.deepEqual(await h.drain(), { timedOut: false });
        const task = await assertOneTask(h);
        assert.match(task.Description ?? '', /Comments:/, 'and it is the one updated');
      } finally {
        await h.close();
        await inboxAt.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a Task refused by a validation rule leaves the call logged, one Task dead letter, retryable', async () => {
      const h = await startHarness({ backend });
      try {
        await turnOnTasks(h);
        const rule = {
          sobject: 'Task',
          message: 'Inbound calls need a Call Result before they are saved.',
          field: 'CallDisposition',
          when: { CallType: 'Inbound' },
        };
        h.local.setFaults({ validationRules: [rule] });
        const outbound = fixture('outbound-answered');
        const other = fixtureCall('inbound-missed', 4186799999, {});
        await h.send([...ended, ...outbound, ...other]);
        assert.deepEqual(await h.drain(), { timedOut: false });

        // The calls are logged: Aircall Voice and VoiceCall.
        const voices = await h.org.client.query<{ Aircall_Call_Id__c: string }>(
          'SELECT Aircall_Call_Id__c FROM Aircall_Voice__c',
        );
        assert.equal(voices.length, 3);
        const voiceCalls = await h.org.client.query<{ Id: string }>(
          `SELECT Id FROM VoiceCall WHERE VendorCallKey = '${CALL}'`,
        );
        assert.equal(voiceCalls.length, 1);
        // The outbound call's Task is not blocked by the others' refusal.
        assert.equal((await tasksOf(h, '4186780376')).length, 1);
        assert.equal((await tasksOf(h)).length, 0);

        const dead = await h.connector.inbox.deadLetters();
        assert.equal(dead.length, 2, 'one Task dead letter per refused call, nothing else');
        assert.ok(dead.every((d) => d.name === TASK_EVENT));
        const mine = dead.find((d) => d.callId === CALL)!;
        assert.equal(mine.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
        assert.match(mine.reason, /call Task of call 4186790001 was refused by the org/);
        assert.match(mine.reason, /Inbound calls need a Call Result/);
        assert.match(mine.reason, /dead-letters --retry/);
        assert.equal((await h.connector.inbox.counts()).pending, 0);

        // A later event of the call retries its Task and fails again: still one dead letter.
        await h.send(later);
        assert.deepEqual(await h.drain(), { timedOut: false });
        assert.equal(
          (await h.connector.inbox.deadLetters()).filter((d) => d.callId === CALL).length,
          1,
        );

        // The admin fixes the rule; the dead letters are retried.
        h.local.setFaults({});
        assert.equal(await h.connector.inbox.requeueDead(), 2);
        assert.deepEqual(await h.drain(), { timedOut: false });
        await assertOneTask(h);
        assert.equal((await tasksOf(h, '4186799999')).length, 1);
        assert.deepEqual(await h.connector.inbox.deadLetters(), []);
      } finally {
        await h.close();
      }
    });
  });
}

describe('a Task refused while its call is re-linked', () => {
  it('is re-linked when its dead letter is retried, as the Aircall Voice was', async () => {
    // A call's match is kept for its later events (3 h); here not at all, as once that has passed.
    const h = await startHarness({ connector: { worker: { matchCacheMs: 0, matchCallMs: 0 } } });
    try {
      await turnOnTasks(h, { Unknown_Number_Action__c: 'Do Nothing' });
      await h.send(ended);
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.equal((await assertOneTask(h)).WhoId, null, 'nobody has the number yet');

      // The number gets a Contact; a rule refuses the Task's update that would name it.
      const { contact, account } = await contactWithAccount(h);
      h.local.setFaults({
        validationRules: [
          {
            sobject: 'Task',
            message: 'Locked while the audit runs.',
            when: { CallType: 'Inbound' },
          },
        ],
      });
      await h.send(later);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const [voice] = await h.org.client.query<{ Contact__c: string | null }>(
        `SELECT Contact__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${CALL}'`,
      );
      assert.equal(voice?.Contact__c, contact, 'the call is re-linked');
      assert.equal((await assertOneTask(h)).WhoId, null, 'its Task was refused');
      assert.equal((await h.connector.inbox.deadLetters()).length, 1);

      h.local.setFaults({});
      assert.equal(await h.connector.inbox.requeueDead(), 1);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const task = await assertOneTask(h);
      assert.deepEqual(
        [task.WhoId, task.WhatId],
        [contact, account],
        'the retry names the Contact',
      );
      assert.deepEqual(await h.connector.inbox.deadLetters(), []);
    } finally {
      await h.close();
    }
  });
});

describe('call Tasks with two PostgreSQL workers', { skip: backendSkip('PostgreSQL') }, () => {
  it('a worker that takes a call over after the first died mid-batch finds its Task, never a second', async () => {
    const inboxAt = await testInbox('PostgreSQL', '');
    const h = await startHarness({
      backend: 'PostgreSQL',
      inboxFile: inboxAt.location,
      connector: { inboxOptions: { leaseMs: 300 } },
    });
    let second: Awaited<ReturnType<typeof startConnector>> | null = null;
    try {
      await turnOnTasks(h);
      await h.send(ended);
      const inbox = h.connector.inbox;
      const record = inbox.recordTasks.bind(inbox);
      const killed = () => Promise.reject(new Error('killed: the first worker died here'));
      inbox.recordTasks = (entries, now) =>
        entries.some((e) => e.taskId !== null) ? killed() : record(entries, now);
      inbox.complete = killed;
      inbox.retryLater = killed;
      inbox.deadLetter = killed;
      await assert.rejects(h.connector.worker.drainOnce(), /killed/);
      assert.equal((await tasksOf(h)).length, 1);

      // Another process on the same inbox takes the call over once the first one's lease expires.
      second = await startConnector({
        org: h.org,
        logger: pino({ level: 'silent' }),
        inboxFile: inboxAt.location,
        inboxOptions: { leaseMs: 300 },
        tokens: [TOKEN],
        listen: false,
        runWorker: false,
        worker: { backoffBaseMs: 20, backoffMaxMs: 200, windowMs: 0, linkDelayMs: 0 },
      });
      assert.deepEqual(await drainUntilDone(second, { deadlineMs: 20_000 }), { timedOut: false });
      await assertOneTask(h);
      assert.match((await second.inbox.syncStates([CALL])).get(CALL)?.taskId ?? '', /^00T/);
    } finally {
      await second?.close();
      await h.close();
      await inboxAt.drop();
    }
  });
});
