/**
 * Platform event allocations in the local org: hourly publishing, daily delivery counted per
 * subscribed client, concurrent streaming clients — the figures, `/limits` names and refusals of
 * the Platform Events Developer Guide, "Platform Event Allocations"
 * (https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_event_limits.htm),
 * the REST API Developer Guide, "Limits" (resources_limits.htm) and the Streaming API Developer
 * Guide, "Streaming API Error Codes" (streaming_error_codes.htm).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EDITION_ALLOCATIONS, EventAllocations } from '../../dev/local-org';
import type { StreamMessage } from '../../src/salesforce/streaming';
import { openOrg, rest, streamingSubscriber } from './helpers';

type Row = Record<string, unknown>;

describe('event allocation model', () => {
  it('has the documented edition defaults', () => {
    assert.deepEqual(EDITION_ALLOCATIONS.Enterprise, {
      hourlyPublished: 250_000,
      dailyDelivered: 25_000,
      concurrentClients: 1_000,
    });
    assert.deepEqual(EDITION_ALLOCATIONS.Unlimited, {
      hourlyPublished: 250_000,
      dailyDelivered: 50_000,
      concurrentClients: 2_000,
    });
    assert.equal(EDITION_ALLOCATIONS.Developer.dailyDelivered, 10_000);
  });

  it('counts publishes over a rolling hour and refuses past the allocation', () => {
    let now = Date.UTC(2026, 10, 27, 9, 0);
    const a = new EventAllocations({ hourlyPublished: 2 }, () => now);
    assert.equal(a.publish().ok, true);
    now += 30 * 60_000;
    assert.equal(a.publish().ok, true);
    const refused = a.publish();
    assert.equal(refused.ok, false);
    // The first publish leaves the window an hour after it was made.
    now += 31 * 60_000;
    assert.equal(a.publish().ok, true);
    assert.equal(a.limitsResource().HourlyPublishedPlatformEvents.Remaining, 0);
  });

  it('counts each delivery to each subscribed client against one 24-hour allocation', () => {
    let now = Date.UTC(2026, 10, 27, 9, 0);
    const a = new EventAllocations({ dailyDelivered: 3 }, () => now);
    // One event delivered to two clients costs two.
    assert.equal(a.deliver('browser-1').ok, true);
    assert.equal(a.deliver('connector').ok, true);
    assert.equal(a.deliver('connector').ok, true);
    assert.deepEqual(a.usage().deliveredByClient, { 'browser-1': 1, connector: 2 });
    const refused = a.deliver('browser-1');
    assert.deepEqual(refused, {
      ok: false,
      error: '403::Organization total events daily limit exceeded',
    });
    assert.equal(a.deliveryExhausted(), true);
    now += 24 * 60 * 60_000 + 60_000;
    assert.equal(a.deliveryExhausted(), false);
    assert.equal(a.limitsResource().DailyDeliveredPlatformEvents.Remaining, 3);
  });

  it('admits concurrent clients up to the allocation; a reconnect is not a new client', () => {
    const a = new EventAllocations({ concurrentClients: 1 });
    assert.equal(a.connect('agent-1').ok, true);
    assert.equal(a.connect('agent-1').ok, true);
    assert.deepEqual(a.connect('agent-2'), {
      ok: false,
      error: '403::Organization concurrent user limit exceeded',
    });
    a.disconnect('agent-1');
    assert.equal(a.connect('agent-2').ok, true);
    assert.deepEqual(a.limitsResource().DurableStreamingApiConcurrentClients, {
      Max: 1,
      Remaining: 0,
    });
  });
});

describe('local org event allocations', () => {
  it('reports the allocations under their /limits names (Enterprise by default)', async () => {
    const { org } = await openOrg();
    try {
      const limits = (await rest(org, 'GET', '/limits')).body as Record<
        string,
        { Max: number; Remaining: number }
      >;
      assert.deepEqual(limits.HourlyPublishedPlatformEvents, { Max: 250_000, Remaining: 250_000 });
      assert.deepEqual(limits.DailyDeliveredPlatformEvents, { Max: 25_000, Remaining: 25_000 });
      assert.deepEqual(limits.DurableStreamingApiConcurrentClients, {
        Max: 1_000,
        Remaining: 1_000,
      });
    } finally {
      await org.close();
    }
  });

  // Platform Event Error Status Codes: LIMIT_EXCEEDED, "the number of published platform event
  // messages exceeded the hourly publishing limit"; the event is neither published nor queued.
  it('refuses a publish past the hourly allocation with LIMIT_EXCEEDED, per record', async () => {
    const { org, conn } = await openOrg({ eventAllocations: { hourlyPublished: 2 } });
    try {
      const results = await conn
        .sobject('Aircall_Voice_Update__e')
        .create([{ Call_Id__c: '1' }, { Call_Id__c: '2' }, { Call_Id__c: '3' }]);
      assert.deepEqual(
        results.map((r) => r.success),
        [true, true, false],
      );
      const third = results[2] as unknown as { errors: Row[] };
      assert.equal(third.errors[0]!.statusCode, 'LIMIT_EXCEEDED');
      const single = await rest(org, 'POST', '/sobjects/Aircall_Voice_Update__e', {
        Call_Id__c: '4',
      });
      assert.equal(single.status, 400);
      assert.equal((single.body as Row[])[0]!.errorCode, 'LIMIT_EXCEEDED');
      // Records are not events: an ordinary insert still works.
      const account = await conn.sobject('Account').create({ Name: 'Still written' });
      assert.equal(account.success, true);
      const limits = (await rest(org, 'GET', '/limits')).body as Record<string, Row>;
      assert.deepEqual(limits.HourlyPublishedPlatformEvents, { Max: 2, Remaining: 0 });
    } finally {
      await org.close();
    }
  });

  it('counts deliveries per subscriber and disconnects subscribers once the daily allocation is used', async () => {
    const { org, conn } = await openOrg({ eventAllocations: { dailyDelivered: 3 } });
    const a = streamingSubscriber(conn);
    const b = streamingSubscriber(conn);
    try {
      const gotA: StreamMessage[] = [];
      const gotB: StreamMessage[] = [];
      await a.subscribe('/event/Aircall_Voice_Update__e', (m) => gotA.push(m));
      await b.subscribe('/event/Aircall_Voice_Update__e', (m) => gotB.push(m));
      assert.equal(org.eventUsage().clients, 2);
      await conn.sobject('Aircall_Voice_Update__e').create({ Call_Id__c: '1' });
      await waitFor(() => gotA.length === 1 && gotB.length === 1);
      // One publish, two subscribers: two deliveries.
      assert.equal(org.eventUsage().deliveredLast24h, 2);
      await conn.sobject('Aircall_Voice_Update__e').create({ Call_Id__c: '2' });
      // The third delivery fits; the fourth is refused and that subscriber is disconnected; the
      // other one is refused at its next /meta/connect (CometD over the local org's endpoint).
      await waitFor(() => org.eventUsage().clients === 0);
      assert.equal(org.eventUsage().deliveredLast24h, 3);
      await waitFor(() => gotA.length + gotB.length === 3);
      const limits = (await rest(org, 'GET', '/limits')).body as Record<string, Row>;
      assert.deepEqual(limits.DailyDeliveredPlatformEvents, { Max: 3, Remaining: 0 });
      // A new client cannot connect while the allocation is used up.
      const c = streamingSubscriber(conn);
      await assert.rejects(
        c.subscribe('/event/Aircall_Voice_Update__e', () => undefined),
        /403::Organization total events daily limit exceeded/,
      );
    } finally {
      await a.close();
      await b.close();
      await org.close();
    }
  });

  it('refuses a streaming client past the concurrent client allocation', async () => {
    const { org, conn } = await openOrg({ eventAllocations: { concurrentClients: 1 } });
    const a = streamingSubscriber(conn);
    const b = streamingSubscriber(conn);
    try {
      await a.subscribe('/event/Aircall_Agent_Status__e', () => undefined);
      await assert.rejects(
        b.subscribe('/event/Aircall_Agent_Status__e', () => undefined),
        /403::Organization concurrent user limit exceeded/,
      );
    } finally {
      await a.close();
      await b.close();
      await org.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
