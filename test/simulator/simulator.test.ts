import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AiEvent, CallEvent } from '../../src/aircall';
import { parseWebhook } from '../../src/engine/index';
// The engine's fold and rules are not re-exported by src/engine/index.ts; the cross-check uses them directly.
import { durationsOf, foldCall } from '../../src/engine/fold';
import { callTypeOf } from '../../src/engine/rules';
import {
  ABANDONED_REASONS,
  callsFromEnvelopes,
  DEFAULT_AGENTS,
  generateCalls,
  MISSED_REASONS,
  postToUrl,
  SCENARIOS,
  startFakeAircall,
  writeNdjson,
} from '../../dev/simulator';

const seedUsers = (
  JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'dev', 'local-org', 'seed', 'sample.json'), 'utf8'),
  ) as {
    User: { Email: string }[];
  }
).User.map((u) => u.Email);

describe('Aircall simulator: webhook streams', () => {
  it("produces envelopes that all validate against the engine's webhook schemas", () => {
    const { envelopes } = generateCalls({
      count: 300,
      seed: 1,
      duplicateRate: 0.05,
      outOfOrderRate: 0.1,
      token: 't0k',
    });
    assert.ok(envelopes.length > 300);
    const kinds = new Set<string>();
    for (const env of envelopes) {
      const parsed = parseWebhook(env);
      assert.ok(parsed.ok, `${env.event} rejected: ${parsed.ok ? '' : parsed.error}`);
      kinds.add(parsed.event.kind);
      assert.equal(parsed.event.token, 't0k');
      assert.ok(parsed.event.kind !== 'generic', `${env.event} is an event the engine knows`);
    }
    assert.deepEqual([...kinds].sort(), ['ai', 'call', 'user']);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const a = generateCalls({ count: 50, seed: 9 });
    const b = generateCalls({ count: 50, seed: 9 });
    const c = generateCalls({ count: 50, seed: 10 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.calls, c.calls);
  });

  it('covers every scenario and every missed reason in a long enough stream', () => {
    const { calls } = generateCalls({ count: 400, seed: 3 });
    assert.deepEqual([...new Set(calls.map((c) => c.scenario))].sort(), [...SCENARIOS].sort());
    const reasons = new Set(calls.map((c) => c.missedReason).filter((r) => r !== null));
    for (const r of [...MISSED_REASONS, ...ABANDONED_REASONS])
      assert.ok(reasons.has(r), `missed reason ${r}`);
  });

  it("emits each call's events in Aircall's order, with call.ended about 30 s after call.hungup", () => {
    const { envelopes, calls } = generateCalls({ count: 100, seed: 4 });
    for (const call of calls) {
      const own = envelopes.filter((e) => e.resource === 'call' && e.data.id === call.id);
      const names = own.map((e) => e.event);
      assert.equal(names[0], 'call.created');
      assert.ok(names.indexOf('call.hungup') < names.indexOf('call.ended'));
      const hungup = own.find((e) => e.event === 'call.hungup')!;
      const ended = own.find((e) => e.event === 'call.ended')!;
      assert.equal(ended.timestamp - hungup.timestamp, 30);
      if (call.answeredAt !== null)
        assert.ok(names.indexOf('call.answered') < names.indexOf('call.hungup'));
      assert.equal(ended.data.duration, call.endedAt - call.startedAt);
      assert.equal(ended.data.answered_at, call.answeredAt);
      assert.equal(ended.data.missed_call_reason, call.missedReason);
      assert.equal(ended.data.status, 'done');
      if (call.scenario === 'voicemail') assert.ok(names.includes('call.voicemail_left'));
      if (call.scenario === 'transferred') assert.ok(names.includes('call.transferred'));
      if (call.scenario === 'held')
        assert.ok(names.includes('call.hold') && names.includes('call.unhold'));
      if (call.tags.length)
        assert.equal(names.filter((n) => n === 'call.tagged').length, call.tags.length);
    }
  });

  it('records ground truth consistent with the payloads (talk time 0 when unanswered)', () => {
    const { calls } = generateCalls({ count: 200, seed: 5 });
    for (const c of calls) {
      if (c.answeredAt === null) {
        assert.equal(c.talkSeconds, 0);
        assert.equal(c.ringSeconds, c.endedAt - c.startedAt);
      } else {
        assert.equal(c.ringSeconds + c.talkSeconds, c.endedAt - c.startedAt);
      }
      if (c.scenario === 'invalid_number') assert.equal(c.customerE164, null);
      if (c.known) assert.ok(c.customerE164);
    }
  });

  it('delivers duplicates and out-of-order events at the requested rates', () => {
    const plain = generateCalls({ count: 200, seed: 6 }).envelopes;
    const noisy = generateCalls({
      count: 200,
      seed: 6,
      duplicateRate: 0.1,
      outOfOrderRate: 0.2,
    }).envelopes;
    const extra = noisy.length - plain.length;
    assert.ok(
      extra > plain.length * 0.05 && extra < plain.length * 0.15,
      `duplicates: ${extra} of ${plain.length}`,
    );
    let inversions = 0;
    for (let i = 1; i < noisy.length; i++)
      if (noisy[i]!.timestamp < noisy[i - 1]!.timestamp) inversions++;
    assert.ok(inversions > 0);
    for (let i = 1; i < plain.length; i++)
      assert.ok(plain[i]!.timestamp >= plain[i - 1]!.timestamp);
  });

  it('can deliver call.created twice for calls through a linked IVR, from the second line', () => {
    const { envelopes, calls } = generateCalls({ count: 100, seed: 13, ivrDoubleCreatedRate: 1 });
    for (const call of calls.filter((c) => c.direction === 'inbound')) {
      const created = envelopes.filter((e) => e.event === 'call.created' && e.data.id === call.id);
      assert.equal(created.length, 2);
      const lines = created.map((e) => (e.data.number as { id: number }).id);
      assert.notEqual(lines[0], lines[1]);
    }
  });

  it("uses agents whose e-mails are the local org seed's users", () => {
    for (const a of DEFAULT_AGENTS) assert.ok(seedUsers.includes(a.email), a.email);
  });

  it('writes NDJSON, one envelope per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    try {
      const { envelopes } = generateCalls({ count: 20, seed: 8 });
      const file = join(dir, 'calls.ndjson');
      assert.equal(await writeNdjson(envelopes, file), envelopes.length);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l) as unknown),
        envelopes,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('posts envelopes to a URL as JSON and reports the answers', async () => {
    const bodies: unknown[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.writeHead(bodies.length % 5 === 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { envelopes } = generateCalls({ count: 5, seed: 2 });
      const result = await postToUrl(
        envelopes,
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
        {
          concurrency: 1,
        },
      );
      assert.equal(result.sent, envelopes.length);
      assert.equal(bodies.length, envelopes.length);
      assert.deepEqual(bodies, envelopes);
      assert.equal((result.statuses['200'] ?? 0) + (result.statuses['500'] ?? 0), envelopes.length);
      assert.ok((result.statuses['500'] ?? 0) > 0);
    } finally {
      server.close();
    }
  });
});

describe('fake Aircall REST API', () => {
  it('requires Basic auth and answers in Aircall error format otherwise', async () => {
    const fake = await startFakeAircall();
    try {
      const r = await fetch(`${fake.url}/v1/calls`);
      assert.equal(r.status, 401);
      assert.deepEqual(Object.keys((await r.json()) as object), ['error', 'troubleshoot']);
    } finally {
      await fake.close();
    }
  });

  it('sets availability, saves and finds contacts, pages calls, and records what it received', async () => {
    const { envelopes } = generateCalls({ count: 120, seed: 11 });
    const fake = await startFakeAircall({ calls: callsFromEnvelopes(envelopes) });
    const auth = {
      authorization: `Basic ${Buffer.from(`${fake.apiId}:${fake.apiToken}`).toString('base64')}`,
    };
    const json = { ...auth, 'content-type': 'application/json' };
    try {
      const agent = DEFAULT_AGENTS[0]!;
      const put = await fetch(`${fake.url}/v1/users/${agent.id}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ availability_status: 'custom', substatus: 'Lunch' }),
      });
      assert.equal(put.status, 200);
      assert.equal(
        ((await put.json()) as { user: { availability_status: string } }).user.availability_status,
        'custom',
      );
      assert.equal(
        (await fetch(`${fake.url}/v1/users/1`, { method: 'PUT', headers: json, body: '{}' }))
          .status,
        404,
      );

      const created = await fetch(`${fake.url}/v1/contacts`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          first_name: 'Ada',
          last_name: 'L',
          phone_numbers: [{ label: 'Work', value: '+33 6 12 34 56 78' }],
        }),
      });
      assert.equal(created.status, 201);
      const search = (await (
        await fetch(`${fake.url}/v1/contacts/search?phone_number=%2B33612345678`, { headers: auth })
      ).json()) as {
        contacts: unknown[];
      };
      assert.equal(search.contacts.length, 1);

      const seen = new Set<unknown>();
      let next: string | null = `${fake.url}/v1/calls?from=0&to=9999999999&per_page=50&page=1`;
      let pages = 0;
      while (next) {
        const page = (await (await fetch(next, { headers: auth })).json()) as {
          calls: { id: unknown }[];
          meta: {
            total: number;
            count: number;
            current_page: number;
            per_page: number;
            next_page_link: string | null;
          };
        };
        pages++;
        assert.equal(page.meta.current_page, pages);
        assert.equal(page.meta.count, page.calls.length);
        assert.equal(page.meta.total, 120);
        for (const c of page.calls) seen.add(c.id);
        next = page.meta.next_page_link;
      }
      assert.equal(pages, 3);
      assert.equal(seen.size, 120);

      const received = fake.received();
      assert.deepEqual(received.map((r) => `${r.method} ${r.path}`).slice(0, 4), [
        `PUT /v1/users/${agent.id}`,
        'PUT /v1/users/1',
        'POST /v1/contacts',
        'GET /v1/contacts/search',
      ]);
      assert.deepEqual(received[0]!.body, { availability_status: 'custom', substatus: 'Lunch' });
    } finally {
      await fake.close();
    }
  });
});

describe('simulator ground truth against the engine', () => {
  it('folds each call to the ground truth whatever the duplicates and delivery order', () => {
    const expectedType: Record<string, string> = {
      answered: 'Answered',
      held: 'Answered',
      transferred: 'Answered',
      answered_outbound: 'Answered',
      missed: 'Missed',
      voicemail: 'Voicemail',
      abandoned: 'Abandoned',
      unanswered_outbound: 'Unanswered Outbound',
      // The planner turns an unanswered outbound call to an unparseable number into "Invalid Number".
      invalid_number: 'Unanswered Outbound',
    };
    const { envelopes, calls } = generateCalls({
      count: 250,
      seed: 12,
      duplicateRate: 0.1,
      outOfOrderRate: 0.3,
    });
    const byCall = new Map<string, (CallEvent | AiEvent)[]>();
    for (const env of envelopes) {
      const parsed = parseWebhook(env);
      assert.ok(parsed.ok);
      const e = parsed.event;
      if (e.kind !== 'call' && e.kind !== 'ai') continue;
      const id = String(e.kind === 'call' ? e.data.id : e.data.call_id);
      byCall.set(id, [...(byCall.get(id) ?? []), e]);
    }
    for (const call of calls) {
      const state = foldCall(String(call.id), byCall.get(String(call.id)) ?? []);
      assert.ok(state, `call ${call.id} folds`);
      assert.equal(callTypeOf(state), expectedType[call.scenario], `${call.scenario} ${call.id}`);
      assert.equal(state.direction, call.direction);
      assert.equal(state.answeredAt, call.answeredAt);
      assert.equal(state.endedAt, call.endedAt);
      assert.equal(state.missedReason, call.missedReason);
      assert.deepEqual([...state.tags].sort(), [...call.tags].sort());
      if (call.answeredAt !== null || call.direction === 'outbound')
        assert.equal(state.agent?.email, call.agentEmail);
      const d = durationsOf(state)!;
      assert.deepEqual([d.ringSeconds, d.talkSeconds], [call.ringSeconds, call.talkSeconds]);
    }
  });
});
