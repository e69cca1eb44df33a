/**
 * What only the PostgreSQL inbox does: several processes (here: several inboxes, each with its own
 * connection pool and claim owner, as separate processes have) storing redeliveries once, claiming
 * calls exclusively, taking over the calls of a process that died once its lease has expired,
 * taking turns, and sharing caches. The contract both backends keep is ./contract.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresInbox } from '../../src/inbox/postgres';
import { freshSchema, type TestSchema } from './database';
import { event, state } from './events';

describe('several connector processes on one PostgreSQL inbox', () => {
  let schema: TestSchema | null = null;
  let skip: string | null = null;
  const open: PostgresInbox[] = [];
  const process = async (leaseMs = 60_000) => {
    const inbox = await PostgresInbox.open(schema!.url, { leaseMs });
    open.push(inbox);
    return inbox;
  };
  before(async () => {
    const s = await freshSchema('multi');
    if ('skip' in s) skip = s.skip;
    else schema = s;
  });
  after(async () => {
    for (const inbox of open) await inbox.close();
    await schema?.drop();
  });

  it('stores a webhook redelivered to several processes at once exactly once', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b, c] = [await process(), await process(), await process()];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        [a, b, c][i % 3]!.add(event(`dup-${Math.floor(i / 3)}`, `d${Math.floor(i / 3)}`)),
      ),
    );
    assert.equal(results.filter(Boolean).length, 20, 'one stored per distinct key');
    assert.equal((await a.counts()).pending, 20);
  });

  it('gives each call to one process at a time, every event of a call to the same one', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b] = [await process(), await process()];
    await a.addMany([
      event('k1', 'call-1', 1),
      event('k2', 'call-2', 2),
      event('k3', 'call-1', 3),
      event('k4', null, 4),
      event('k5', 'call-3', 5),
    ]);
    // Both claim at once, several times: no call (nor event) is ever held by both.
    const rounds = await Promise.all([a.claimDue(10_000, 2), b.claimDue(10_000, 100)]);
    const keysOf = (c: { events: { callId: string | null; seq: number }[] }) =>
      new Set(c.events.map((e) => e.callId ?? `#${e.seq}`));
    const [ka, kb] = rounds.map(keysOf) as [Set<string>, Set<string>];
    for (const k of ka) assert.ok(!kb.has(k), `${k} claimed by both processes`);
    const heldA = new Set(await a.heldClaims());
    const heldB = new Set(await b.heldClaims());
    for (const k of heldA) assert.ok(!heldB.has(k));
    // A third claim by B finds nothing that A holds.
    const again = await b.claimDue(10_000, 100);
    for (const e of again.events) assert.ok(!heldA.has(e.callId ?? `#${e.seq}`));
    // Settling only touches owned calls: B cannot complete A's events.
    const aSeqs = rounds[0].events.map((e) => e.seq);
    await b.complete(aSeqs, [], [], new Map());
    const before = await a.statusOf(rounds[0].events.map((e) => e.key));
    assert.ok(
      [...before.values()].every((s) => s === 'pending'),
      'B did not settle A’s calls',
    );
    await a.complete(aSeqs, [], [], new Map());
    assert.ok(
      [...(await a.statusOf(rounds[0].events.map((e) => e.key))).values()].every(
        (s) => s === 'done',
      ),
    );
    await a.releaseClaims();
    await b.releaseClaims();
    // What is left (calls B held, now released) goes to whoever claims next.
    const rest = await a.claimDue(10_000, 100);
    await a.complete(
      rest.events.map((e) => e.seq),
      [],
      [],
      new Map(),
    );
    await a.releaseClaims();
    const status = await a.statusOf(['k1', 'k2', 'k3', 'k4', 'k5']);
    assert.deepEqual([...status.values()], ['done', 'done', 'done', 'done', 'done']);
  });

  it('takes over the calls of a process that stopped renewing its claims once the lease expires', async (t) => {
    if (skip) return t.skip(skip);
    const dying = await process(300);
    const survivor = await process(300);
    await dying.add(event('kill-1', 'call-k', 1));
    const first = await dying.claimDue(10_000, 1000);
    assert.ok(first.events.some((e) => e.key === 'kill-1'));
    // The process "dies": its pool closes without releasing (as SIGKILL would leave it).
    await dying.pool.end();
    open.splice(open.indexOf(dying), 1);
    // Until the lease expires the call is not handed out; then it is (waited for, not timed).
    let taken: Awaited<ReturnType<PostgresInbox['claimDue']>> | null = null;
    const deadline = Date.now() + 30_000;
    while (!taken?.events.some((e) => e.key === 'kill-1')) {
      assert.ok(Date.now() < deadline, 'the lease never expired');
      taken = await survivor.claimDue(10_000, 1000);
      if (!taken.events.some((e) => e.key === 'kill-1'))
        await new Promise((r) => setTimeout(r, 50));
    }
    await survivor.complete(
      taken.events.map((e) => e.seq),
      [],
      [{ callId: 'call-k', state: state('0LQK') }],
      new Map(),
    );
    await survivor.releaseClaims();
    assert.equal((await survivor.statusOf(['kill-1'])).get('kill-1'), 'done');
    assert.equal((await survivor.syncStates(['call-k'])).get('call-k')?.voiceCallId, '0LQK');
  });

  it('removes the claims a dead process left on finished calls once they are a lease past expiry', async (t) => {
    if (skip) return t.skip(skip);
    const dying = await process(200);
    const survivor = await process(200);
    await dying.add(event('left-1', 'call-left', 1));
    const mine = await dying.claimDue(10_000, 1000);
    await dying.complete(
      mine.events.map((e) => e.seq),
      [],
      [],
      new Map(),
    );
    // Killed after settling, before releasing: the claim on the finished call stays behind.
    await dying.pool.end();
    open.splice(open.indexOf(dying), 1);
    const left = async () =>
      Number(
        (
          await survivor.pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM claims WHERE key = 'call-left'",
          )
        ).rows[0]!.n,
      );
    assert.equal(await left(), 1);
    // The survivor's batches end with a release; once the claim is a lease past expiry it goes.
    const deadline = Date.now() + 30_000;
    while ((await left()) > 0) {
      assert.ok(Date.now() < deadline, 'the dead claim was never removed');
      await survivor.releaseClaims();
      if ((await left()) > 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await survivor.statusOf(['left-1'])).get('left-1'), 'done');
  });

  it('renews the claims of a live process, so a slow batch keeps its calls', async (t) => {
    if (skip) return t.skip(skip);
    const slow = await process(2000);
    const other = await process(2000);
    await slow.add(event('slow-1', 'call-s', 1));
    const mine = await slow.claimDue(10_000, 1000);
    assert.ok(mine.events.some((e) => e.key === 'slow-1'));
    // Many leases' worth of heartbeats later (counted by the database's clock), still held.
    const client = await other.pool.connect();
    try {
      const start = (await client.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t;
      for (;;) {
        const stolen = await other.claimDue(10_000, 1000);
        assert.ok(!stolen.events.some((e) => e.key === 'slow-1'), 'a live claim was taken over');
        const now = (await client.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t;
        if (now.getTime() - start.getTime() > 3000) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      client.release();
    }
    await slow.complete(
      mine.events.map((e) => e.seq),
      [],
      [],
      new Map(),
    );
    await slow.releaseClaims();
    await other.releaseClaims();
  });

  it('lets one process drain at a time (the turn): handed over on release, at once when its holder dies', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b] = [await process(), await process()];
    const turnA = await a.takeTurn(1000);
    assert.ok(turnA, 'a free turn is taken at once');
    assert.equal(await b.takeTurn(50), null, 'B waits as long as it was told, then gives up');
    // B waits for it while A holds it, and gets it as soon as A releases it.
    const waiting = b.takeTurn(60_000);
    await turnA.release();
    const turnB = await waiting;
    assert.ok(turnB);
    // A process that dies holding the turn: the server ends its connection, and the lock with it.
    const dying = await PostgresInbox.open(schema!.url, { leaseMs: 60_000 });
    await turnB.release();
    const held = await dying.takeTurn(1000);
    assert.ok(held);
    const next = a.takeTurn(60_000);
    await dying.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND pid <> pg_backend_pid() AND classid = ${0x41_69_72_54}
       AND objid = hashtext(current_schema())::oid`,
    );
    const after = await next;
    assert.ok(after, 'the turn of a dead holder is taken at once, without waiting for a lease');
    await after.release();
    await held.release(); // its connection is gone: releasing it does not throw
    await dying.close();
  });

  it('counts as due only the events no other process holds a live claim on', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b] = [await process(), await process()];
    await a.addMany([event('due-1', 'call-due-1', 1), event('due-2', 'call-due-2', 2)]);
    const mine = (events: { key: string }[]) =>
      events.map((e) => e.key).filter((k) => k.startsWith('due-'));
    assert.deepEqual(mine(await b.due(10_000, 1000)), ['due-1', 'due-2']);
    const claimed = await a.claimDue(10_000, 1000);
    assert.ok(claimed.events.some((e) => e.key === 'due-1'));
    assert.deepEqual(mine(await b.due(10_000, 1000)), [], 'A holds them: nothing for B to flush');
    assert.deepEqual(mine(await a.due(10_000, 1000)), ['due-1', 'due-2'], 'A still sees its own');
    await a.complete(
      claimed.events.map((e) => e.seq),
      [],
      [],
      new Map(),
    );
    await a.releaseClaims();
  });

  it('shares small facts between processes (settings snapshot, last link sweep)', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b] = [await process(), await process()];
    assert.equal(await b.sharedState.get('test-key'), null);
    await a.sharedState.put('test-key', { more: true, text: 'a\u0000b' }, 1234);
    assert.deepEqual(await b.sharedState.get('test-key'), {
      value: { more: true, text: 'a\u0000b' },
      at: 1234,
    });
  });

  it('shares the number-match cache between processes', async (t) => {
    if (skip) return t.skip(skip);
    const [a, b] = [await process(), await process()];
    await a.sharedMatches.put([{ key: '+33612345678||', candidates: [{ id: '003X' }] }], 10_000, 0);
    assert.deepEqual(
      [...(await b.sharedMatches.get(['+33612345678||', 'other'], 10_500, 1000))],
      [['+33612345678||', { candidates: [{ id: '003X' }], at: 10_000 }]],
    );
    assert.equal((await b.sharedMatches.get(['+33612345678||'], 11_001, 1000)).size, 0, 'expired');
  });

  it('deletes the shared matches no reader can use any more', async (t) => {
    if (skip) return t.skip(skip);
    const inbox = await process();
    const keys = async () =>
      (
        await inbox.pool.query<{ key: string }>(
          "SELECT key FROM match_cache WHERE key LIKE '+3369%' ORDER BY key",
        )
      ).rows.map((r) => r.key);
    await inbox.sharedMatches.put([{ key: '+33691111111||', candidates: [] }], 0, -Infinity);
    // Three hours later the first entry is older than any reader accepts: the next write deletes it.
    const later = 3 * 3_600_000 + 1;
    await inbox.sharedMatches.put(
      [{ key: '+33692222222||', candidates: [] }],
      later,
      later - 3 * 3_600_000,
    );
    assert.deepEqual(await keys(), ['+33692222222||']);
  });
});
