/**
 * The worker's number-match cache is bounded (`matchCacheEntries`): a connector runs for months and
 * sees numbers without end, and before the bound the cache grew to 50,000 entries between two
 * clears (the 100,000-call soak's heap growth, docs/RELIABILITY.md, "Soak"). A match still held saves the
 * search of a call's later events; one forgotten costs exactly that search again, nothing else.
 *
 * Searches are counted by wrapping the connector's own Salesforce client (a spy that calls through
 * to the local org, not a stand-in).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureCall, startHarness } from './harness';

/** Call 201 from one number, then call 202 from another, then call 201's later events. */
async function searchesForLaterEvents(matchCacheEntries: number): Promise<string[]> {
  const h = await startHarness({ connector: { worker: { matchCacheEntries } } });
  try {
    const first = fixtureCall('inbound-answered', 201, { raw_digits: '+33 6 11 22 33 44' });
    const second = fixtureCall('inbound-answered', 202, { raw_digits: '+33 6 55 66 77 88' });
    const [early, later] = [first.slice(0, 3), first.slice(3)];
    for (const events of [early, second]) {
      assert.ok((await h.send(events)).every((r) => r.status === 'accepted'));
      assert.deepEqual(await h.drain(), { timedOut: false });
    }
    const client = h.org.client;
    const searches: string[] = [];
    const search = client.search.bind(client);
    client.search = (sosl) => {
      searches.push(sosl);
      return search(sosl);
    };
    assert.ok((await h.send(later)).every((r) => r.status === 'accepted'));
    assert.deepEqual(await h.drain(), { timedOut: false });
    const [voice] = await client.query<{ Ended_At__c: string | null; Lead__c: string | null }>(
      "SELECT Ended_At__c, Lead__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '201'",
    );
    assert.ok(voice?.Ended_At__c, 'the later events of call 201 are applied either way');
    assert.ok(voice.Lead__c, 'and it stays linked to the Lead created for its number');
    return searches;
  } finally {
    await h.close();
  }
}

describe('number-match cache', () => {
  it("reuses a call's match for its later events while the match is held", async () => {
    assert.deepEqual(await searchesForLaterEvents(5_000), []);
  });

  it('forgets the least recently used match past its size, and searches that number again', async () => {
    const searches = await searchesForLaterEvents(1);
    assert.equal(searches.length, 1, searches.join('\n'));
    assert.match(searches[0]!, /611223344/);
  });
});
