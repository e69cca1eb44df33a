/**
 * The plan stage of a worker batch (src/connector/plan.ts) against the local org, with the
 * connector's own inbox and org context: the events load parsed are not parsed again, each call is
 * folded once and the engine is given that fold, the call's number is matched, and a call that
 * still rings gets its open Cases / Opportunities read with the batch's writes (`prefetch`).
 *
 * The engine's planner is wrapped (the `planBatch` seam, which calls through to the real one) to
 * see what it is given.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { OpenRecordCache } from '../../src/connector/cases';
import { loadBatch } from '../../src/connector/load';
import { Matcher } from '../../src/connector/matcher';
import { BatchPlanner } from '../../src/connector/plan';
import { planBatch, type BatchInput } from '../../src/engine';
import { fixture, startHarness } from './harness';

describe('plan stage', () => {
  it('folds each call once, gives the engine that fold, and reads a ringing call’s open records with the writes', async () => {
    const h = await startHarness();
    try {
      const [saved] = await h.org.client.create([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Name: 'Settings',
          Link_To_Open_Case__c: true,
        },
      ]);
      assert.ok(saved?.success);
      const [contact] = await h.org.client.create([
        { attributes: { type: 'Contact' }, LastName: 'Garnier', MobilePhone: '06 12 34 56 78' },
      ]);
      assert.ok(contact?.success);
      // The connector's worker stays idle: this test runs the stages itself.
      await h.connector.worker.stop();
      const [created, ringing] = fixture('inbound-answered');
      const now = Date.now();
      for (const [i, e] of [created, ringing].entries())
        await h.connector.inbox.add({
          key: `k${i}`,
          callId: '4186790001',
          name: String(e!.event),
          body: e,
          receivedAt: now - 60_000,
        });
      const batch = await loadBatch(
        {
          inbox: h.connector.inbox,
          metrics: h.connector.metrics,
          logger: pino({ level: 'silent' }),
        },
        now,
        100,
      );
      const inputs: BatchInput[] = [];
      const planner = new BatchPlanner({
        inbox: h.connector.inbox,
        client: h.org.client,
        context: h.connector.context,
        matcher: new Matcher(
          { client: h.org.client, inbox: h.connector.inbox },
          { matchCacheMs: 60_000, matchCallMs: 60_000, matchCacheEntries: 10 },
        ),
        openRecords: new OpenRecordCache(),
        callCenterApiName: 'Aircall',
        onStaleContext: () => undefined,
        planBatch: (input) => {
          inputs.push(input);
          return planBatch(input);
        },
      });
      const planned = await planner.plan(batch, now);
      const [input] = inputs;
      assert.equal(inputs.length, 1);
      const [call] = input!.calls;
      assert.equal(call?.callId, '4186790001');
      assert.ok(call.state, 'the engine is given the fold');
      assert.equal(call.state.rawDigits, '+33 6 12 34 56 78');
      assert.equal(call.events.length, 2);
      // The call's number is matched to the Contact.
      assert.deepEqual(
        input!.matches.get('+33612345678')?.map((c) => c.id),
        [contact.id],
      );
      // It still rings: its open Cases are not chosen now, but read with this batch's writes.
      assert.equal(input!.openRecords, undefined);
      assert.ok(planned.prefetch);
      assert.deepEqual(planned.prefetch.keys.contactIds, [contact.id]);
      assert.ok(planned.prefetch.reads.every((q) => q.includes('IsClosed = false')));
    } finally {
      await h.close();
    }
  });
});
