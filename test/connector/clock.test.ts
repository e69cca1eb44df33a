/**
 * The worker's timers follow the clock it is given (what `npm run bench:day` relies on to replay a
 * business day on a simulated clock): with a batch window of 10 s on a clock that does not move,
 * nothing is written however long real time runs; moving the clock past the window writes the call.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock } from '../../src/util/clock';
import { ingest } from '../../src/connector/ingest';
import { fixture, startHarness, TOKEN } from './harness';

/** A clock that moves only when told; its timers fire when it passes their time. */
class ManualClock implements Clock {
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  constructor(private at: number) {}
  now(): number {
    return this.at;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.timers.set(++this.seq, { at: this.at + ms, fn });
    return this.seq;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    this.at += ms;
    for (const [id, t] of [...this.timers]) {
      if (t.at > this.at) continue;
      this.timers.delete(id);
      t.fn();
    }
  }
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}

test('the worker waits on the injected clock, not on real time', async () => {
  const clock = new ManualClock(Date.now());
  const h = await startHarness({
    connector: { runWorker: true, clock, worker: { windowMs: 10_000, idleMs: 1_000 } },
  });
  try {
    const voices = async () => (await h.org.client.query('SELECT Id FROM Aircall_Voice__c')).length;
    await until(() => clock.pending > 0); // the worker idles on the clock
    await h.send(fixture('inbound-answered'));
    h.connector.worker.wake();
    // It wakes, sees the events inside their batch window and waits on the clock again.
    await until(async () => clock.pending > 0 && (await h.connector.inbox.counts()).pending > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await voices(), 0, 'nothing is written before the clock passes the window');
    assert.ok((await h.connector.inbox.counts()).pending > 0);
    clock.advance(20_000); // (the events were received a little after the clock was set)
    await until(async () => (await voices()) === 1);
    await until(async () => (await h.connector.inbox.counts()).pending === 0);
  } finally {
    await h.close();
  }
});

test('deadline scheduling: a call that can wait rides with the next urgent write of another call', async () => {
  const clock = new ManualClock(Date.now());
  const h = await startHarness({
    connector: {
      runWorker: true,
      clock,
      // Holds far longer than the test moves the clock: only an urgent event lets a batch out.
      worker: { windowMs: 100, idleMs: 1_000, holdMs: 600_000, agentMs: 600_000, finalMs: 600_000 },
    },
  });
  try {
    const voices = async () => (await h.org.client.query('SELECT Id FROM Aircall_Voice__c')).length;
    const deps = { inbox: h.connector.inbox, tokens: [TOKEN], metrics: h.connector.metrics };
    const send = async (name: string, events: string[]) => {
      for (const e of fixture(name).filter((x) => events.includes(String(x.event))))
        await ingest(e, deps, clock.now());
      h.connector.worker.wake();
    };
    const record = async (callId: string) =>
      (
        await h.org.client.query<{ Ended_At__c: string | null }>(
          `SELECT Ended_At__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${callId}'`,
        )
      )[0];
    /** Lets simulated time run in small steps until `condition` holds. */
    const runUntil = (condition: () => Promise<boolean>) =>
      until(async () => {
        clock.advance(50);
        return condition();
      });
    await until(() => clock.pending > 0);
    // An answer is urgent: the call's record is written within the batch window.
    await send('inbound-answered', ['call.created', 'call.ringing_on_agent', 'call.answered']);
    await runUntil(async () => (await voices()) === 1);
    await until(async () => (await h.connector.inbox.counts()).pending === 0);
    // Its hang-up is not (its final state may take up to finalMs): held.
    await send('inbound-answered', ['call.hungup']);
    await until(async () => clock.pending > 0 && (await h.connector.inbox.counts()).pending > 0);
    clock.advance(60_000);
    await until(() => clock.pending > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await record('4186790001'))?.Ended_At__c ?? null, null, 'held a minute later');
    // Another call hangs up unanswered: urgent. Its batch carries the held hang-up too.
    const heldSince = clock.now();
    await send('inbound-missed', ['call.created', 'call.hungup']);
    await runUntil(async () => (await voices()) === 2);
    assert.ok(clock.now() - heldSince < 60_000, "long before the held event's own deadline");
    assert.ok((await record('4186790001'))?.Ended_At__c, 'the held hang-up went with it');
    await until(async () => (await h.connector.inbox.counts()).pending === 0);
  } finally {
    await h.close();
  }
});
