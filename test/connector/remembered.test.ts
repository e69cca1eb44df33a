/**
 * What the link sweep reads of the numbers agents remembered (src/connector/remembered.ts), read
 * through the local org's QueryAll resource as the sweep reads it, and laid over what a search or
 * a kept match found: a link saved, changed, moved to another number or deleted since a search wins
 * over it; a search made after the read that returns the link wins over the read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CrmCandidate } from '../../src/engine';
import type { SharedState } from '../../src/inbox/inbox';
import { RememberedNumbers } from '../../src/connector/remembered';
import { startHarness, type Harness } from './harness';

const OPTIONS = { matchCacheMs: 300_000, matchCacheEntries: 100, linkSweepEveryMs: 60_000 };
const X = '+33612345678';
const Y = '+33698765432';

const found = (id: string, remembered = false): CrmCandidate => ({
  sobject: 'Contact',
  id,
  name: id,
  firstName: null,
  lastName: null,
  accountId: null,
  company: null,
  lastModifiedDate: null,
  createdDate: null,
  ...(remembered ? { remembered: true } : {}),
});

/** The ids a number's candidates name, the remembered one marked with a star. */
const ids = (candidates: readonly CrmCandidate[]) =>
  candidates.map((c) => (c.remembered ? `*${c.id}` : c.id));

async function read(h: Harness, r: RememberedNumbers, now: number): Promise<string[]> {
  return r.apply(await h.org.client.queryAll(r.soql()), now);
}

describe('remembered numbers read by the link sweep', () => {
  it('win over an older search or kept match, and lose to a newer search that returns them', async () => {
    const h = await startHarness();
    try {
      const [a, b] = await h.org.client.create([
        { attributes: { type: 'Contact' }, LastName: 'A' },
        { attributes: { type: 'Contact' }, LastName: 'B' },
      ]);
      assert.ok(a?.success && b?.success);
      const link = (e164: string, contact: string) => ({
        attributes: { type: 'Aircall_Number_Link__c' },
        Name: e164,
        Phone_Key__c: e164,
        Contact__c: contact,
      });
      const r = new RememberedNumbers(OPTIONS);
      assert.deepEqual(await read(h, r, 1000), [], 'nothing remembered yet');
      const kept = [found('shared')];
      assert.deepEqual(ids(r.overlay(X, kept, 0, 1000)), ['shared']);

      // X remembered for A: a match kept from before is overlaid; a search after the read that
      // returns the link is as fresh (here it says B).
      const [saved] = await h.org.client.create([link(X, a.id!)]);
      assert.ok(saved?.success);
      assert.deepEqual(await read(h, r, 2000), [X]);
      assert.deepEqual(ids(r.overlay(X, kept, 0, 2000)), [`*${a.id}`, 'shared']);
      assert.deepEqual(ids(r.overlay(X, [found(b.id!, true)], 2500, 2600)), [`*${b.id}`]);
      // A search after the read that does not return it (its index lags): the read decides.
      assert.deepEqual(ids(r.overlay(X, kept, 2500, 2600)), [`*${a.id}`, 'shared']);

      // Pointed at B, then moved to Y: X is no longer remembered, Y is, for B.
      await h.org.client.update([
        { attributes: { type: 'Aircall_Number_Link__c' }, Id: saved.id!, Contact__c: b.id },
      ]);
      assert.deepEqual(await read(h, r, 3000), [X]);
      assert.deepEqual(ids(r.overlay(X, kept, 0, 3000)), [`*${b.id}`, 'shared']);
      await h.org.client.update([
        { attributes: { type: 'Aircall_Number_Link__c' }, Id: saved.id!, Phone_Key__c: Y },
      ]);
      assert.deepEqual((await read(h, r, 4000)).sort(), [X, Y].sort());
      assert.deepEqual(ids(r.overlay(X, [found(a.id!, true), ...kept], 0, 4000)), ['shared']);
      assert.deepEqual(ids(r.overlay(Y, [], 0, 4000)), [`*${b.id}`]);

      // Deleted, and Y remembered again for A by a new link: the deletion read in the same read
      // as the new link does not undo it.
      const deleted = await h.org.client.conn.sobject('Aircall_Number_Link__c').destroy(saved.id!);
      assert.ok(deleted.success);
      const [again] = await h.org.client.create([link(Y, a.id!)]);
      assert.ok(again?.success);
      await read(h, r, 5000);
      assert.deepEqual(ids(r.overlay(Y, [found(b.id!, true)], 0, 5000)), [`*${a.id}`]);
      const gone = await h.org.client.conn.sobject('Aircall_Number_Link__c').destroy(again.id!);
      assert.ok(gone.success);
      await read(h, r, 6000);
      assert.deepEqual(ids(r.overlay(Y, [found(a.id!, true)], 0, 6000)), []);

      // Reads that stopped are not trusted: the search is the source again.
      assert.deepEqual(ids(r.overlay(Y, [found(a.id!, true)], 0, 6000 + 300_001)), [`*${a.id}`]);
    } finally {
      await h.close();
    }
  });

  it('are shared with the processes of one inbox, which continue from the same point', async () => {
    const h = await startHarness();
    try {
      const [a] = await h.org.client.create([{ attributes: { type: 'Contact' }, LastName: 'A' }]);
      assert.ok(a?.success);
      // The inbox's shared_state (PostgreSQL, tested with the inbox), as a map: what is stored is
      // what this test checks.
      const stored = new Map<string, { value: unknown; at: number }>();
      const state: SharedState = {
        get: (key) => Promise.resolve(stored.get(key) ?? null),
        put: (key, value, at) => {
          stored.set(key, { value: JSON.parse(JSON.stringify(value)) as unknown, at });
          return Promise.resolve();
        },
      };
      const one = new RememberedNumbers(OPTIONS);
      const other = new RememberedNumbers(OPTIONS);
      await read(h, one, 1000);
      await h.org.client.create([
        {
          attributes: { type: 'Aircall_Number_Link__c' },
          Name: X,
          Phone_Key__c: X,
          Contact__c: a.id,
        },
      ]);
      await read(h, one, 2000);
      await one.share(state, 2000);
      await other.load(state);
      assert.deepEqual(ids(other.overlay(X, [], 0, 2000)), [`*${a.id}`]);
      assert.equal(other.soql(), one.soql(), 'the next read starts where the last one stopped');
      assert.match(other.soql(), /WHERE SystemModstamp >= \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);
    } finally {
      await h.close();
    }
  });
});
