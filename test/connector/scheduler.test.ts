/**
 * The worker's scheduler (src/connector/scheduler.ts) on a real SQLite inbox: when the next batch
 * goes out (deadlines, a full batch, a call's revisit), wake-ups that are not lost, backoff, and
 * the pause while the org's API budget is spent.
 *
 * The Salesforce client is replaced by its budget (the real ApiBudget) and a `limits` that counts
 * its calls: the pause is decided from the budget alone, and this test is about how often the
 * scheduler asks the org, not about the org's answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { openInbox } from '../../src/inbox/open';
import type { Inbox } from '../../src/inbox/inbox';
import { ConnectorMetrics } from '../../src/connector/metrics';
import { Scheduler, type SchedulerOptions } from '../../src/connector/scheduler';
import { ApiBudget } from '../../src/salesforce/budget';
import type { SalesforceClient } from '../../src/salesforce/client';
import { systemClock } from '../../src/util/clock';
import { fixture } from './harness';

const OPTIONS: SchedulerOptions = {
  batchEvents: 3,
  idleMs: 250,
  windowMs: 100,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  holdMs: 30_000,
  finalMs: 38_000,
  agentMs: 15_000,
};
const NOW = 1_790_000_000_000;

function scheduler(
  inbox: Inbox,
  budget = new ApiBudget(),
): { scheduler: Scheduler; probes: () => number } {
  let probes = 0;
  const client = {
    budget,
    limits: () => {
      probes++;
      return Promise.resolve({});
    },
  } as unknown as Pick<SalesforceClient, 'budget' | 'limits'>;
  const s = new Scheduler(
    {
      inbox,
      client,
      metrics: new ConnectorMetrics(),
      logger: pino({ level: 'silent' }),
      clock: systemClock,
    },
    OPTIONS,
  );
  return { scheduler: s, probes: () => probes };
}

/** Stores the fixture call's event named `name`, received at `at`. */
async function store(inbox: Inbox, name: string, at: number, callId = '4186790001') {
  const envelope = fixture('inbound-answered').find((e) => e.event === name);
  assert.ok(envelope, name);
  await inbox.add({ key: `${callId}:${name}:${at}`, callId, name, body: envelope, receivedAt: at });
}

describe('scheduler', () => {
  it('flushes at the earliest deadline: none when nothing is due, the batch window for an answer', async () => {
    const inbox = await openInbox(':memory:');
    try {
      const { scheduler: s } = scheduler(inbox);
      assert.equal(await s.flushAt(NOW), null);
      // A call's creation can wait (held up to holdMs) …
      await store(inbox, 'call.created', NOW);
      assert.equal(await s.flushAt(NOW), NOW + OPTIONS.holdMs);
      // … until its answer, which goes out within the batch window, taking the held event along.
      await store(inbox, 'call.answered', NOW + 1000);
      assert.equal(await s.flushAt(NOW + 1000), NOW + 1000 + OPTIONS.windowMs);
    } finally {
      await inbox.close();
    }
  });

  it('flushes at once when a batch is full or a call is due for a revisit', async () => {
    const inbox = await openInbox(':memory:');
    try {
      const { scheduler: s } = scheduler(inbox);
      for (const id of ['1', '2', '3']) await store(inbox, 'call.created', NOW, id);
      assert.equal(await s.flushAt(NOW), NOW, 'batchEvents (3) due: now');
    } finally {
      await inbox.close();
    }
    const other = await openInbox(':memory:');
    try {
      const { scheduler: s } = scheduler(other);
      await store(other, 'call.created', NOW);
      await other.complete(
        [],
        [],
        [{ callId: '4186790001', state: { telephonyCreated: true, telephonyCompleted: false } }],
        new Map(),
        NOW,
      );
      await other.postponeReplan(['4186790001'], NOW - 1);
      assert.equal(await s.flushAt(NOW), NOW, 'a revisit is due: now');
    } finally {
      await other.close();
    }
  });

  it('does not lose a wake-up that came while the loop was busy', async () => {
    const inbox = await openInbox(':memory:');
    try {
      const { scheduler: s } = scheduler(inbox);
      s.wake();
      // Would wait an hour if the wake-up were lost.
      await s.idle(3_600_000);
      // Looking at the inbox forgets a wake-up: the look sees that work.
      s.wake();
      s.looking();
      const waiting = s.idle(3_600_000);
      s.wake();
      await waiting;
    } finally {
      await inbox.close();
    }
  });

  it('backs off exponentially with jitter, up to the maximum', async () => {
    const inbox = await openInbox(':memory:');
    try {
      const { scheduler: s } = scheduler(inbox);
      for (const attempts of [0, 1, 3]) {
        const base = OPTIONS.backoffBaseMs * 2 ** attempts;
        for (let i = 0; i < 20; i++) {
          const wait = s.backoff(attempts);
          assert.ok(wait >= base / 2 && wait <= base, `${attempts}: ${wait}`);
        }
      }
      assert.ok(s.backoff(30) <= OPTIONS.backoffMaxMs);
      assert.ok(s.backoff(30) >= OPTIONS.backoffMaxMs / 2);
    } finally {
      await inbox.close();
    }
  });

  it('pauses while the API budget is spent, asking the org for its limits once a minute', async () => {
    const inbox = await openInbox(':memory:');
    try {
      const budget = new ApiBudget();
      const { scheduler: s, probes } = scheduler(inbox, budget);
      assert.equal(await s.budgetAllows(NOW), true);
      budget.observe(95, 100);
      assert.equal(await s.budgetAllows(NOW), false);
      assert.equal(await s.budgetAllows(NOW + 30_000), false);
      assert.equal(probes(), 1, 'one look at /limits in the first minute');
      assert.equal(await s.budgetAllows(NOW + 61_000), false);
      assert.equal(probes(), 2);
      budget.observe(10, 100);
      assert.equal(await s.budgetAllows(NOW + 62_000), true);
    } finally {
      await inbox.close();
    }
  });
});
