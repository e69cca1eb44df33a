/** The webhook endpoint: answers fast only after storing, rejects bad input with a clear 4xx. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { buildIngestServer } from '../../src/connector/ingest';
import { ConnectorMetrics } from '../../src/connector/metrics';
import { SqliteInbox } from '../../src/inbox/sqlite';
import { fixture, TOKEN } from './harness';

describe('POST /webhooks/aircall', () => {
  const inbox = new SqliteInbox(':memory:');
  const metrics = new ConnectorMetrics();
  let woken = 0;
  const app = buildIngestServer({
    inbox,
    tokens: ['other-account-token', TOKEN],
    metrics,
    logger: pino({ level: 'silent' }),
    bodyLimit: 64 * 1024,
    onAccepted: () => woken++,
  });
  const event = fixture('inbound-answered')[0]!;
  const post = (
    payload: unknown,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) =>
    app.inject({
      method: 'POST',
      url: '/webhooks/aircall',
      headers,
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  before(() => app.ready());
  after(async () => {
    await app.close();
    await inbox.close();
  });

  it('stores a valid event and answers 200, then wakes the worker', async () => {
    const res = await post(event);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ status: string }>().status, 'accepted');
    assert.equal((await inbox.counts()).pending, 1);
    assert.equal(woken, 1);
  });

  it('answers 200 to a redelivery without storing it twice', async () => {
    const res = await post(event);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ status: string }>().status, 'duplicate');
    assert.equal((await inbox.counts()).pending, 1);
  });

  it('accepts any of the configured account tokens', async () => {
    const res = await post({ ...fixture('inbound-missed')[0], token: 'other-account-token' });
    assert.equal(res.statusCode, 200);
  });

  it('refuses a wrong or missing token with 401 and stores nothing', async () => {
    const before = (await inbox.counts()).pending;
    const wrong = await post({ ...fixture('inbound-voicemail')[0], token: 'nope' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.json<{ error: string }>().error, /AIRCALL_WEBHOOK_TOKENS/);
    const { token: _t, ...withoutToken } = fixture('inbound-voicemail')[0]!;
    assert.equal((await post(withoutToken)).statusCode, 401);
    assert.equal((await inbox.counts()).pending, before);
  });

  it('refuses invalid JSON with 400 and says so', async () => {
    const res = await post('{"resource": "call", ');
    assert.equal(res.statusCode, 400);
    assert.match(res.json<{ error: string }>().error, /not valid JSON/);
  });

  it('refuses a payload that breaks the schema with 422 naming the field', async () => {
    const bad = structuredClone(fixture('inbound-voicemail')[0]!) as {
      data: Record<string, unknown>;
    };
    bad.data.started_at = 'yesterday';
    const res = await post(bad);
    assert.equal(res.statusCode, 422);
    assert.match(res.json<{ error: string }>().error, /data\.started_at/);
  });

  it('refuses a body that is not an object', async () => {
    const res = await post([event]);
    assert.equal(res.statusCode, 400);
    assert.match(res.json<{ error: string }>().error, /JSON object/);
  });

  it('refuses an oversized body with 413', async () => {
    const huge = { ...event, data: { ...(event.data as object), padding: 'x'.repeat(70 * 1024) } };
    const res = await post(huge);
    assert.equal(res.statusCode, 413);
    assert.match(res.json<{ error: string }>().error, /larger than/);
  });

  it('refuses a body nested thousands of levels deep with 400, before anything overflows the stack', async () => {
    const before = (await inbox.counts()).pending;
    // Found by a hostile test: 5,000 levels under `data` (valid token) overflowed the stack in the
    // recursive walks of the body and answered 500.
    for (const depth of [5_000, 9_000]) {
      const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      for (const where of ['data', 'data.user']) {
        const data =
          where === 'data'
            ? deep
            : `{"id":99,"direction":"inbound","status":"initial","started_at":1,"user":${deep}}`;
        const res = await post(
          `{"token":"${TOKEN}","resource":"call","event":"call.created","timestamp":1,"data":${data}}`,
        );
        assert.equal(res.statusCode, 400, `${depth} levels under ${where}`);
        assert.match(res.json<{ error: string }>().error, /more than 32 levels deep/);
      }
    }
    // An array nest is refused the same way, and a real webhook's depth is far from the limit.
    const arrays = await post(`{"token":"${TOKEN}","data":${'['.repeat(40)}${']'.repeat(40)}}`);
    assert.equal(arrays.statusCode, 400);
    assert.equal((await inbox.counts()).pending, before);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const res = await post('resource=call', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(res.statusCode, 415);
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json<{ inbox: { pending: number } }>().inbox.pending, 2);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /aircall_inbox_pending_events 2/);
    assert.match(text, /aircall_webhooks_received_total\{result="accepted"\} 2/);
    assert.match(text, /aircall_webhooks_received_total\{result="duplicate"\} 1/);
    assert.match(text, /aircall_webhooks_received_total\{result="rejected"\} \d+/);
  });
});
