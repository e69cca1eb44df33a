/**
 * The matcher (src/connector/matcher.ts) against the local org: one SOSL for a batch's numbers, a
 * number known from the last search reused for `matchCacheMs` (a new call) or `matchCallMs` (the
 * call whose record is written), and forgotten by `clear()`. Searches are counted by wrapping the
 * org client's `search` (a spy that calls through to the local org).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Matcher } from '../../src/connector/matcher';
import { DEFAULT_SETTINGS } from '../../src/engine';
import { startHarness, type Harness } from './harness';

const SETTINGS = DEFAULT_SETTINGS;
const NOW = 1_790_000_000_000;

async function withMatcher(
  run: (m: Matcher, searches: string[], h: Harness) => Promise<void>,
): Promise<void> {
  const h = await startHarness();
  try {
    const [contact] = await h.org.client.create([
      { attributes: { type: 'Contact' }, LastName: 'Garnier', MobilePhone: '+33 6 12 34 56 78' },
    ]);
    assert.ok(contact?.success);
    const client = h.org.client;
    const searches: string[] = [];
    const search = client.search.bind(client);
    client.search = (sosl) => {
      searches.push(sosl);
      return search(sosl);
    };
    const matcher = new Matcher(
      { client, inbox: h.connector.inbox },
      { matchCacheMs: 60_000, matchCallMs: 600_000, matchCacheEntries: 100 },
    );
    await run(matcher, searches, h);
  } finally {
    await h.close();
  }
}

describe('matcher', () => {
  it('matches a batch’s numbers with one search, and reuses them while they are fresh', async () => {
    await withMatcher(async (m, searches) => {
      const numbers = [
        { raw: '+33 6 12 34 56 78', country: 'FR' },
        { raw: '+33 1 98 76 54 32', country: 'FR' },
      ];
      const first = await m.match(numbers, SETTINGS, NOW);
      assert.equal(searches.length, 1);
      assert.deepEqual(
        first.get('+33612345678')?.map((c) => c.sobject),
        ['Contact'],
      );
      assert.deepEqual(first.get('+33198765432') ?? [], []);
      const again = await m.match(numbers, SETTINGS, NOW + 59_000);
      assert.equal(searches.length, 1, 'fresh: no second search');
      assert.deepEqual(again.get('+33612345678'), first.get('+33612345678'));
    });
  });

  it('keeps a written call’s match longer than a new call’s, and forgets all on clear()', async () => {
    await withMatcher(async (m, searches) => {
      const number = { raw: '+33 6 12 34 56 78', country: 'FR' };
      await m.match([number], SETTINGS, NOW);
      await m.match([{ ...number, written: true }], SETTINGS, NOW + 120_000);
      assert.equal(searches.length, 1, 'the written call reuses its match for matchCallMs');
      await m.match([number], SETTINGS, NOW + 120_000);
      assert.equal(searches.length, 2, 'a new call searches again after matchCacheMs');
      await m.clear();
      await m.match([{ ...number, written: true }], SETTINGS, NOW + 121_000);
      assert.equal(searches.length, 3, 'nothing is reused after clear()');
    });
  });
});
