/**
 * Deadline scheduling (src/connector/deadline.ts): which events go out at once and how long the
 * others may wait, from the event alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlineOf, earliestDeadline, noHold } from '../../src/connector/deadline';
import type { StoredEvent } from '../../src/inbox/inbox';
import { fixture } from './harness';

const O = { urgentMs: 100, agentMs: 15_000, holdMs: 30_000, finalMs: 40_000 };
const RECEIVED = 1_000_000;

function stored(envelope: Record<string, unknown>, attempts = 0): StoredEvent {
  return {
    seq: 1,
    key: 'k',
    callId: '1',
    name: String(envelope.event),
    body: envelope,
    receivedAt: RECEIVED,
    attempts,
  };
}

function byEvent(name: string): Record<string, unknown> {
  const e = fixture(name.split(':')[0]!).find((x) => x.event === name.split(':')[1]);
  assert.ok(e, name);
  return e;
}

test('an answer, and the hang-up of a call nobody answered, go out within the batch window', () => {
  assert.equal(deadlineOf(stored(byEvent('inbound-answered:call.answered')), O), RECEIVED + 100);
  assert.equal(deadlineOf(stored(byEvent('inbound-missed:call.hungup')), O), RECEIVED + 100);
  assert.equal(deadlineOf(stored(byEvent('inbound-missed:call.ended')), O), RECEIVED + 100);
});

test('the hang-up of an answered call and its call.ended reach the org within finalMs of the hang-up', () => {
  // call.hungup is sent at the hang-up: 40 s; call.ended 30 s after it (Aircall's clock): 10 s.
  assert.equal(deadlineOf(stored(byEvent('inbound-answered:call.hungup')), O), RECEIVED + 30_000);
  assert.equal(
    deadlineOf(stored(byEvent('inbound-answered:call.ended')), { ...O, holdMs: 60_000 }),
    RECEIVED + 10_000,
  );
  assert.equal(
    deadlineOf(stored(byEvent('inbound-answered:call.hungup')), { ...O, holdMs: 60_000 }),
    RECEIVED + 40_000,
  );
});

test('creation, ringing, recordings and tags wait; agent states wait agentMs', () => {
  assert.equal(deadlineOf(stored(byEvent('inbound-answered:call.created')), O), RECEIVED + 30_000);
  assert.equal(
    deadlineOf(stored(byEvent('inbound-answered:call.ringing_on_agent')), O),
    RECEIVED + 15_000,
  );
  // Sent 88 s after the hang-up, past finalMs: the ordinary hold.
  assert.equal(deadlineOf(stored(byEvent('inbound-answered:call.tagged')), O), RECEIVED + 30_000);
  const [opened] = fixture('user-events');
  assert.equal(deadlineOf(stored(opened!), O), RECEIVED + 15_000);
});

test('a retried event is not held again, and noHold holds nothing', () => {
  assert.equal(deadlineOf(stored(byEvent('inbound-answered:call.created'), 1), O), RECEIVED + 100);
  const events = fixture('inbound-answered').map((e) => stored(e));
  assert.equal(earliestDeadline(events, noHold(100)), RECEIVED + 100);
  assert.equal(earliestDeadline([], O), null);
  // A body that is not an Aircall envelope is held, never thrown on.
  assert.equal(
    deadlineOf({ ...stored({ event: 'call.created' }), body: 'not json' }, O),
    RECEIVED + 30_000,
  );
});
