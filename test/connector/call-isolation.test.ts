/**
 * A failure stays with the call that caused it. A time past JavaScript's date
 * range (`started_at` ≥ 8.64e12 s) once made the worker throw `Invalid time value` for the whole
 * batch, and every call in it was retried, then dead-lettered. Now:
 *
 * - a time past 4000-12-31 (the latest DateTime Salesforce stores) is refused at ingest, 422 with a
 *   sentence; a call at the limit is logged, its durations capped to what Number(9, 0) holds
 *   (the org would refuse more with NUMBER_OUTSIDE_VALID_RANGE);
 * - such an event already in an inbox (accepted by an older version) is dead-lettered alone and the
 *   batch's other calls are applied;
 * - a batch that fails as a whole for a permanent reason is applied in halves until only the call
 *   at fault fails. The fault is injected at the Composite request (the org refusing any request
 *   that carries one call's record, which no org does for a valid record), the test's only stand-in.
 * - a call whose events make the engine throw is dead-lettered alone (PLANNING_FAILED) and the
 *   batch's other calls are planned and applied. No event the webhook schema accepts is known to
 *   make the engine throw any more (times are capped at 4000-12-31, types checked), so the test
 *   reaches that path through a seam: the worker's `planBatch` dependency, replaced by the engine's
 *   own planner that throws for one call id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { MAX_UNIX_SECONDS } from '../../src/aircall/schemas';
import { Worker } from '../../src/connector/worker';
import { planBatch } from '../../src/engine';
import { SalesforceError } from '../../src/salesforce/errors';
import { TelephonyClient } from '../../src/salesforce/telephony';
import { fixture, LogCapture, startHarness } from './harness';

type Event = Record<string, unknown> & { data: Record<string, unknown> };

/** A copy of a fixture call under another call id (and its times shifted by `shift` seconds). */
function callAs(name: string, callId: number, times?: Partial<Record<string, number>>): Event[] {
  return fixture(name).map((e) => {
    const copy = structuredClone(e) as Event;
    copy.data.id = callId;
    if (typeof copy.data.call_id === 'number') copy.data.call_id = callId;
    for (const [field, value] of Object.entries(times ?? {}))
      if (field in copy.data && copy.data[field] !== null) copy.data[field] = value;
    return copy;
  });
}

const voices = async (h: Awaited<ReturnType<typeof startHarness>>) =>
  (
    await h.org.client.query<{ Aircall_Call_Id__c: string; Talk_Seconds__c: number | null }>(
      'SELECT Aircall_Call_Id__c, Talk_Seconds__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
    )
  ).map((v) => [v.Aircall_Call_Id__c, v.Talk_Seconds__c] as const);

describe('per-call failure isolation', () => {
  it('refuses times past 4000-12-31 at ingest with a sentence, and caps durations at the limit', async () => {
    const h = await startHarness();
    try {
      const [tooLate] = callAs('inbound-answered', 91, { started_at: 8.64e12 });
      const [refused] = await h.send([tooLate]);
      assert.ok(refused?.status === 'rejected');
      assert.equal(refused.httpStatus, 422);
      assert.match(
        refused.error,
        /data\.started_at.*before 4000-12-31.*latest date Salesforce stores/,
      );
      const [justPast] = callAs('inbound-answered', 92, { ended_at: MAX_UNIX_SECONDS + 1 });
      assert.equal((await h.send([justPast]))[0]!.status, 'accepted', 'call.created has no end');
      const ended = callAs('inbound-answered', 92, { ended_at: MAX_UNIX_SECONDS + 1 }).find(
        (e) => e.event === 'call.ended',
      )!;
      const [late] = await h.send([ended]);
      assert.ok(late?.status === 'rejected' && late.httpStatus === 422);
      assert.equal((await h.connector.inbox.counts()).pending, 1, 'nothing refused is stored');

      // A call answered in 1970 and ended at the limit: accepted; 2,000 years of talk do not fit
      // Talk_Seconds__c, so the duration is capped instead of the record being refused.
      const extreme = callAs('inbound-answered', 93, {
        started_at: 0,
        answered_at: 0,
        ended_at: MAX_UNIX_SECONDS,
      });
      const innocent = callAs('inbound-answered', 94);
      assert.ok((await h.send([...extreme, ...innocent])).every((r) => r.status !== 'rejected'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.deepEqual(await h.connector.inbox.deadLetters(), []);
      const written = new Map(await voices(h));
      assert.equal(written.get('93'), 999_999_999);
      assert.equal(written.get('94'), 300, 'answered at +12 s, ended at +312 s');
    } finally {
      await h.close();
    }
  });

  it('dead-letters alone an event already stored with a time JavaScript cannot date', async () => {
    const h = await startHarness();
    try {
      // Stored by a version that did not check the range (straight into the inbox, as it was).
      const bad = callAs('inbound-answered', 95, { started_at: 8.64e12 + 1 });
      await h.connector.inbox.addMany(
        bad.map((body, i) => ({
          key: `old-${i}`,
          callId: '95',
          name: String(body.event),
          body,
          receivedAt: Date.now(),
        })),
      );
      await h.send([...callAs('inbound-answered', 96), ...callAs('inbound-missed', 97)]);
      const first = await h.connector.worker.drainOnce();
      assert.equal(first.retried, 0, 'no innocent call is retried');
      assert.deepEqual(await h.drain(), { timedOut: false });
      const dead = await h.connector.inbox.deadLetters();
      assert.equal(dead.length, bad.length);
      assert.ok(dead.every((d) => d.callId === '95' && d.errorCode === 'INVALID_EVENT'));
      assert.match(dead[0]!.reason, /data\.started_at/);
      assert.deepEqual(
        (await voices(h)).map(([id]) => id),
        ['96', '97'],
      );
    } finally {
      await h.close();
    }
  });

  it('applies a batch that fails as a whole in halves, so only the call at fault fails', async () => {
    const h = await startHarness({ connector: { worker: { maxAttempts: 2 } } });
    try {
      const client = h.org.client;
      const write = client.writeCollections.bind(client);
      let refused = 0;
      client.writeCollections = (writes) => {
        const carries98 = writes.some((w) => w.records.some((r) => r.Aircall_Call_Id__c === '98'));
        if (!carries98) return write(writes);
        refused++;
        return Promise.reject(
          new SalesforceError('The org refused the request (injected).', 'INJECTED', false),
        );
      };
      const innocents = [99, 100, 101, 102, 103].flatMap((id) =>
        callAs(id % 2 ? 'inbound-answered' : 'outbound-answered', id),
      );
      await h.send([...innocents, ...callAs('inbound-answered', 98)]);
      const first = await h.connector.worker.drainOnce();
      assert.equal(first.deadLettered + first.retried, callAs('inbound-answered', 98).length);
      assert.deepEqual(
        (await voices(h)).map(([id]) => id),
        ['100', '101', '102', '103', '99'],
        'every other call is written by the first batch',
      );
      assert.deepEqual(await h.drain(), { timedOut: false });
      const dead = await h.connector.inbox.deadLetters();
      assert.ok(dead.length > 0 && dead.every((d) => d.callId === '98'), 'only call 98');
      assert.equal(dead[0]!.errorCode, 'INJECTED');
      assert.ok(refused >= 2, 'it was tried again before being dead-lettered');
    } finally {
      await h.close();
    }
  });

  it('searches the number the call is planned with when one call id names several numbers', async () => {
    // Found by the bad-input run (1,000 requests, seed 14): several hostile events reused the call
    // id -1 with different numbers. The worker searched the number of the last event stored, the
    // engine planned with the fold's (its canonical order: the later call phase), found no match
    // for it and created a Lead for a number that had records; later calls from that number were
    // then linked to that Lead (the most recently modified) instead of the existing one.
    const h = await startHarness();
    try {
      const [lead] = await h.org.client.create([
        {
          attributes: { type: 'Lead' },
          LastName: 'Rivera',
          Company: 'Rivera Consulting',
          Phone: '+1 303-555-0186',
        },
      ]);
      assert.ok(lead?.success);
      const [created, , , hungup] = callAs('inbound-answered', 104);
      assert.equal(created!.event, 'call.created');
      assert.equal(hungup!.event, 'call.hungup');
      hungup!.data.raw_digits = '+1 303-555-0186'; // the fold's number: the hang-up comes later
      created!.data.raw_digits = '+33 6 98 76 54 32'; // stored last, a number nobody has
      assert.ok((await h.send([hungup, created])).every((r) => r.status === 'accepted'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const [voice] = await h.org.client.query<{ Lead__c: string | null; Match_Reason__c: string }>(
        "SELECT Lead__c, Match_Reason__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '104'",
      );
      assert.equal(voice?.Lead__c, lead.id, voice?.Match_Reason__c);
      assert.deepEqual(
        await h.org.client.query('SELECT Id FROM Lead WHERE Aircall_Phone_Key__c != null'),
        [],
        'no Lead is created',
      );
    } finally {
      await h.close();
    }
  });

  it('dead-letters alone a call the engine cannot plan (PLANNING_FAILED), the others applied', async () => {
    const h = await startHarness();
    try {
      // The seam (the only stand-in): the engine's planner, throwing whenever call 106 is in it.
      const plan: typeof planBatch = (input) => {
        if (input.calls.some((c) => c.callId === '106'))
          throw new RangeError('Invalid time value (injected)');
        return planBatch(input);
      };
      const logs = new LogCapture();
      const worker = new Worker(
        {
          inbox: h.connector.inbox,
          client: h.org.client,
          telephony: h.org.telephony ? new TelephonyClient(h.org.telephony) : null,
          context: h.connector.context,
          metrics: h.connector.metrics,
          logger: pino({ level: 'debug' }, logs),
          planBatch: plan,
        },
        { windowMs: 0, backoffBaseMs: 20, backoffMaxMs: 200, linkDelayMs: 0, linkSweepEveryMs: 0 },
      );
      const unplannable = callAs('inbound-answered', 106);
      await h.send([
        ...callAs('inbound-answered', 105),
        ...unplannable,
        ...callAs('outbound-answered', 107),
      ]);
      const first = await worker.drainOnce();
      assert.equal(
        first.retried,
        0,
        "nothing is retried: the failure is the call's, not the org's",
      );
      assert.equal(first.deadLettered, unplannable.length);
      assert.equal(first.applied, first.events - unplannable.length);
      const dead = await h.connector.inbox.deadLetters();
      assert.equal(dead.length, unplannable.length);
      assert.ok(dead.every((d) => d.callId === '106' && d.errorCode === 'PLANNING_FAILED'));
      assert.equal(
        dead[0]!.reason,
        'The events of call 106 could not be planned (Invalid time value (injected)); the other calls of the batch are applied.',
      );
      assert.ok(
        logs.text.includes(
          `Dead-lettered ${unplannable.length} event(s): The events of call 106 could not be planned`,
        ),
        logs.text,
      );
      assert.deepEqual(
        (await voices(h)).map(([id]) => id),
        ['105', '107'],
        'the other calls of the batch are written by it',
      );
      assert.equal((await h.connector.inbox.counts()).pending, 0);
    } finally {
      await h.close();
    }
  });
});
