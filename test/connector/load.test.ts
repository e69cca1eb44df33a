/**
 * The load stage of a worker batch (src/connector/load.ts) on a real SQLite inbox: due events are
 * claimed and parsed once (the plan stage reuses what load parsed), an event of a call that the
 * webhook schema no longer accepts is dead-lettered alone, and the rest is sorted into calls, user
 * events and events of no use. Then a batch split in halves by call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadBatch, splitBatch } from '../../src/connector/load';
import { ConnectorMetrics } from '../../src/connector/metrics';
import { openInbox } from '../../src/inbox/open';
import { fixture } from './harness';

const NOW = 1_790_000_000_000;

describe('load stage', () => {
  it('parses each due event once, dead-letters one no longer valid, and sorts the rest', async () => {
    const inbox = await openInbox(':memory:');
    try {
      const [created, ringing] = fixture('inbound-answered');
      const [user] = fixture('user-events');
      assert.ok(created && ringing && user);
      // Stored by an older version: a time past 4000-12-31, which the schema now refuses.
      const invalid = structuredClone(ringing) as { data: Record<string, unknown> };
      invalid.data.started_at = 64_092_211_200; // 4001-01-01
      const events = [
        { key: 'a', callId: '4186790001', name: 'call.created', body: created },
        { key: 'b', callId: '4186790001', name: 'call.ringing_on_agent', body: invalid },
        { key: 'c', callId: null, name: String(user.event), body: user },
        { key: 'd', callId: null, name: 'other.thing', body: { event: 'other.thing' } },
      ];
      for (const e of events) await inbox.add({ ...e, receivedAt: NOW - 1000 });
      const batch = await loadBatch(
        { inbox, metrics: new ConnectorMetrics(), logger: pino({ level: 'silent' }) },
        NOW,
        100,
      );
      assert.deepEqual(batch.callIds, ['4186790001']);
      assert.deepEqual(
        batch.due.map((e) => e.key),
        ['a', 'c', 'd'],
      );
      assert.equal(batch.userEvents.length, 1);
      assert.equal(batch.unusedSeqs.length, 1);
      // What the plan stage reads instead of parsing again: the call event and the user event.
      const parsed = [...(batch.parsed?.values() ?? [])].map((e) => e.event);
      assert.deepEqual(parsed.sort(), ['call.created', String(user.event)].sort());
      const [dead] = await inbox.deadLetters();
      assert.equal(dead?.errorCode, 'INVALID_EVENT');
      assert.equal(dead.callId, '4186790001');

      const halves = splitBatch({ ...batch, callIds: ['1', '2', '3'] });
      assert.ok(halves);
      assert.deepEqual(
        halves.map((h) => h.callIds),
        [['1', '2'], ['3']],
      );
      assert.equal(halves[0].userEvents.length, 1, 'events of no call go with the first half');
      assert.equal(halves[1].userEvents.length, 0);
    } finally {
      await inbox.close();
    }
  });
});
