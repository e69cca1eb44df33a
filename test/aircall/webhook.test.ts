import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isAcceptedToken } from '../../src/aircall';
import { callIdOf, eventKey, parseWebhook } from '../../src/engine';
import { FIXTURES, loadRaw } from '../engine/helpers';

const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

function callEnvelope(data: Record<string, unknown> = {}): Record<string, unknown> {
  const [first] = loadRaw('outbound-answered.json');
  return { ...first, data: { ...(first!.data as Record<string, unknown>), ...data } };
}

describe('parseWebhook', () => {
  it('accepts every fixture envelope (call.*, user.*.v2 and AI events)', () => {
    for (const file of fixtureFiles) {
      for (const body of loadRaw(file)) {
        const result = parseWebhook(body);
        assert.ok(result.ok, `${file} ${String(body.event)}: ${result.ok ? '' : result.error}`);
        assert.notEqual(result.event.kind, 'generic', `${String(body.event)} is a known event`);
      }
    }
  });

  it('keeps unknown extra fields of the envelope and of data instead of rejecting them', () => {
    const result = parseWebhook({
      ...callEnvelope({ brand_new_field: { nested: 1 } }),
      envelope_extra: 'x',
    });
    assert.ok(result.ok);
    assert.equal(result.event.kind, 'call');
    assert.deepEqual((result.event.data as Record<string, unknown>).brand_new_field, { nested: 1 });
    assert.equal(result.event.raw.envelope_extra, 'x');
    assert.equal(
      (result.event.data as Record<string, unknown>).sid,
      (callEnvelope().data as Record<string, unknown>).sid,
    );
  });

  it('accepts an unknown event name as a generic event (Aircall adds events over time)', () => {
    const result = parseWebhook({
      resource: 'message',
      event: 'message.sent',
      timestamp: 1790603050,
      token: 't',
      data: { id: 5 },
    });
    assert.ok(result.ok);
    assert.equal(result.event.kind, 'generic');
    assert.equal(result.event.event, 'message.sent');
  });

  it('rejects a known event whose data is invalid, naming the field path and the problem', () => {
    const result = parseWebhook(callEnvelope({ started_at: '2026-09-28T10:00:00Z' }));
    assert.equal(result.ok, false);
    assert.match(
      result.ok ? '' : result.error,
      /^data\.started_at: expected a number \(Unix seconds\)/,
    );
  });

  it('names nested paths and enum problems', () => {
    const result = parseWebhook(callEnvelope({ direction: 'sideways', tags: [{ id: 1 }] }));
    assert.equal(result.ok, false);
    const error = result.ok ? '' : result.error;
    assert.match(error, /data\.direction: expected "inbound" or "outbound"/);
    assert.match(error, /data\.tags\.0\.name: /);
  });

  it('rejects an envelope without event name or timestamp with the envelope field named', () => {
    const noEvent = parseWebhook({ resource: 'call', timestamp: 1, data: {} });
    assert.match(noEvent.ok ? '' : noEvent.error, /^event: expected an event name/);
    const badTs = parseWebhook({
      resource: 'call',
      event: 'call.created',
      timestamp: 'now',
      data: {},
    });
    assert.match(badTs.ok ? '' : badTs.error, /timestamp: expected a number \(Unix seconds\)/);
    const notObject = parseWebhook('hello');
    assert.equal(notObject.ok, false);
  });

  it('accepts user references inside a call that carry no id (only the call fields are required)', () => {
    const result = parseWebhook(
      callEnvelope({ assigned_to: { name: 'Team lead', email: 'lead@example.com' }, user: null }),
    );
    assert.ok(result.ok, result.ok ? '' : result.error);
  });

  it('accepts string call ids (int64 kept losslessly) and nullable media fields', () => {
    const result = parseWebhook(
      callEnvelope({ id: '9007199254740993', recording: null, asset: null, user: null }),
    );
    assert.ok(result.ok);
    assert.equal(callIdOf(result.event), '9007199254740993');
  });

  it('refuses a string id longer than the 32 characters Aircall_Call_Id__c holds', () => {
    assert.ok(parseWebhook(callEnvelope({ id: '9'.repeat(32) })).ok);
    const result = parseWebhook(callEnvelope({ id: '9'.repeat(33) }));
    assert.ok(!result.ok);
    assert.match(result.error, /data\.id: expected an id of at most 32 characters/);
  });
});

describe('eventKey and callIdOf', () => {
  const body = callEnvelope();

  it('gives a redelivered envelope the same key, whatever the key order or token', () => {
    const a = parseWebhook(body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    reordered.data = Object.fromEntries(Object.entries(body.data as object).reverse());
    const b = parseWebhook({ ...reordered, token: 'rotated-token' });
    assert.ok(a.ok && b.ok);
    assert.equal(eventKey(a.event), eventKey(b.event));
  });

  it('gives different keys to different events of one call and to changed data', () => {
    const [created, answered] = loadRaw('outbound-answered.json').map((b) => parseWebhook(b));
    assert.ok(created?.ok && answered?.ok);
    assert.notEqual(eventKey(created.event), eventKey(answered.event));
    const changed = parseWebhook(callEnvelope({ tags: [{ id: 1, name: 'VIP' }] }));
    assert.ok(changed.ok);
    assert.notEqual(eventKey(created.event), eventKey(changed.event));
    assert.match(eventKey(created.event), /^call\.created:4186780376:1790603050:[0-9a-f]{16}$/);
  });

  it('finds the call id of call and AI events, and none for user events', () => {
    const ai = parseWebhook(loadRaw('ai-events.json')[0]);
    const user = parseWebhook(loadRaw('user-events.json')[0]);
    assert.ok(ai.ok && user.ok);
    assert.equal(callIdOf(ai.event), '4186790001');
    assert.equal(callIdOf(user.event), null);
    const generic = parseWebhook({
      resource: 'call',
      event: 'call.future_event',
      timestamp: 1,
      data: { id: 77 },
    });
    assert.ok(generic.ok);
    assert.equal(callIdOf(generic.event), '77');
  });
});

describe('isAcceptedToken', () => {
  it('accepts a token that is one of the configured tokens', () => {
    assert.equal(isAcceptedToken('b-token', ['a-token', 'b-token']), true);
  });
  it('rejects a wrong, empty, missing or non-string token', () => {
    assert.equal(isAcceptedToken('c-token', ['a-token', 'b-token']), false);
    assert.equal(isAcceptedToken('b-toke', ['b-token']), false);
    assert.equal(isAcceptedToken('', ['']), false);
    assert.equal(isAcceptedToken(undefined, ['a']), false);
    assert.equal(isAcceptedToken(42, ['42']), false);
    assert.equal(isAcceptedToken('a', []), false);
  });
});

describe('AI events (shape unverified, read leniently)', () => {
  const [summary] = loadRaw('ai-events.json');

  it('reads the call id from call_id or from a nested call object', () => {
    const nested = parseWebhook({ ...summary, data: { content: 'x', call: { id: 4186790001 } } });
    assert.ok(nested.ok);
    assert.equal(callIdOf(nested.event), '4186790001');
  });

  it('rejects an AI event that names no call, saying which field is missing', () => {
    const result = parseWebhook({ ...summary, data: { content: 'x' } });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /^data\.call_id: expected call_id/);
  });
});
