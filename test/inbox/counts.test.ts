/**
 * `/healthz` and `/metrics` ask the inbox for its counts. Applied events are kept, so counting
 * them all there read the whole history each time: ~100 ms at 800,000 events, on the event loop
 * (node:sqlite answers synchronously), and growing every day. Pending and dead events are now
 * counted through the status index and done/skipped totals are kept by `complete`; these tests
 * check the SQLite side (the contract test in ./contract.test.ts runs the totals on both backends).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import type { NewEvent } from '../../src/inbox/inbox';
import { COUNT_OPEN_SQL } from '../../src/inbox/rows';
import { SqliteInbox } from '../../src/inbox/sqlite';

const dir = mkdtempSync(path.join(tmpdir(), 'aircall-counts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const event = (i: number): NewEvent => ({
  key: `k${i}`,
  callId: `c${i}`,
  name: 'call.created',
  body: { i },
  receivedAt: i,
});

describe('inbox counts', () => {
  it('counts pending and dead events through the status index, not by reading every event', async () => {
    const file = path.join(dir, 'plan.db');
    await new SqliteInbox(file).close();
    const db = new DatabaseSync(file);
    try {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${COUNT_OPEN_SQL}`).all() as { detail: string }[]
      )
        .map((row) => row.detail)
        .join('\n');
      assert.match(plan, /SEARCH events USING COVERING INDEX events_due \(status=\?\)/);
      assert.doesNotMatch(plan, /SCAN events/);
    } finally {
      db.close();
    }
  });

  it('fills the totals once for an inbox written before they existed, then keeps them', async () => {
    const file = path.join(dir, 'upgrade.db');
    const before = new SqliteInbox(file);
    await before.addMany([1, 2, 3, 4, 5].map(event));
    const due = await before.due(10, 10);
    await before.complete([due[0]!.seq, due[1]!.seq], [due[2]!.seq], [], new Map());
    await before.deadLetter([due[3]!.seq], 'INVALID_FIELD: x', 'INVALID_FIELD', 10);
    await before.close();
    // What an earlier version left: the same events, no totals table.
    const db = new DatabaseSync(file);
    db.exec('DROP TABLE event_totals');
    db.close();

    const upgraded = new SqliteInbox(file);
    try {
      assert.deepEqual(await upgraded.counts(), { pending: 1, done: 2, skipped: 1, dead: 1 });
      const [last] = await upgraded.due(10, 10);
      await upgraded.complete([last!.seq], [], [], new Map());
      assert.deepEqual(await upgraded.counts(), { pending: 0, done: 3, skipped: 1, dead: 1 });
    } finally {
      await upgraded.close();
    }
    // Reopened, it reads the same totals.
    const reopened = new SqliteInbox(file);
    try {
      assert.deepEqual(await reopened.counts(), { pending: 0, done: 3, skipped: 1, dead: 1 });
    } finally {
      await reopened.close();
    }
  });
});
