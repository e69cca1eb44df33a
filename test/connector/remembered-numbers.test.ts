/**
 * A number an agent remembers (Change link's "Remember for this number") links the next call from
 * it even when its match is still kept from an earlier call and Salesforce's search index does not
 * have the link yet: the link sweep reads the links changed since its previous read (QueryAll, so
 * deleted ones too), and no batch spends a request on it. Against the local org, its search index
 * made to lag an hour once the Contacts are indexed; the connector on a clock the test moves.
 * A call in progress from the number is re-linked by its next event, unless a person linked it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../src/util/clock';
import { PACKAGE_MODES, fixtureCall, startHarness, type Harness } from './harness';

type Voice = { Contact__c: string | null; Match_Reason__c: string | null };

async function voice(h: Harness, callId: number): Promise<Voice> {
  const [row] = await h.org.client.query<Voice>(
    `SELECT Contact__c, Match_Reason__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${callId}'`,
  );
  assert.ok(row, `call ${callId} is logged`);
  return row;
}

const REMEMBERED = 'Matched: an agent chose this Contact for this number (Aircall Number Link)';

for (const mode of PACKAGE_MODES)
  describe(`a number remembered after its match was kept (${mode.label})`, () => {
    it('links the next call from it after one link sweep, though no search finds the link, at no request more per batch', async (t) => {
      // Real time, moved ahead by the test (the events' deadlines follow real time).
      let ahead = 0;
      const clock: Clock = {
        now: () => Date.now() + ahead,
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      };
      // The sweep runs at most once a minute, as in production; a match is kept 10 minutes for a
      // new call (5 by default: longer, for a loaded machine) and the settings an hour, so that
      // moving the clock changes nothing else.
      const h = await startHarness({
        namespace: mode.namespace,
        connector: {
          clock,
          settingsTtlMs: 3_600_000,
          worker: { linkSweepEveryMs: 60_000, matchCacheMs: 600_000 },
        },
      });
      try {
        const [shared, chosen, plain] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Shared Phone', Phone: '+33 6 12 34 56 78' },
          { attributes: { type: 'Contact' }, LastName: 'Real Caller' },
          { attributes: { type: 'Contact' }, LastName: 'Other Caller', Phone: '+33 6 98 76 54 32' },
        ]);
        assert.ok(shared?.success && chosen?.success && plain?.success);
        // A call, applied whole (its Aircall Voice's link to the VoiceCall waits for the next sweep).
        const call = async (id: number, digits: string) => {
          await h.send(fixtureCall('inbound-answered', id, { raw_digits: digits, contact: null }));
          while ((await h.connector.inbox.counts()).pending > 0)
            await h.connector.worker.drainOnce();
        };
        // Both numbers are matched and their matches kept (the first sweep reads the links too).
        await call(9700001, '+33 6 12 34 56 78');
        await call(9700002, '+33 6 98 76 54 32');
        assert.equal((await voice(h, 9700001)).Contact__c, shared.id);

        // From now on the search index lags an hour. An agent remembers the first number for
        // another Contact: what Change link saves, through the org's REST API.
        h.local.setSearchIndexLag(3_600_000);
        const [link] = await h.org.client.create([
          {
            attributes: { type: 'Aircall_Number_Link__c' },
            Name: '+33612345678',
            Phone_Key__c: '+33612345678',
            Phone__c: '+33 6 12 34 56 78',
            Contact__c: chosen.id,
          },
        ]);
        assert.ok(link?.success, JSON.stringify(link));
        const found = await h.org.client.search(
          'FIND {"33612345678" OR "612345678"} IN PHONE FIELDS RETURNING Aircall_Number_Link__c(Id)',
        );
        assert.deepEqual(found, [], 'no search finds the link yet');

        // A minute later (the matches are kept nine more): the link sweep, with nothing to drain.
        ahead += 61_000;
        h.local.resetCounters();
        await h.connector.worker.drainOnce();
        const sweep = h.local.counters();
        t.diagnostic(`the sweep: ${JSON.stringify(sweep)}`);
        // What the sweep costs anyway: its VoiceCall query, in whose Composite the read of the
        // links changed rides, and the update linking the waiting Aircall Voice to its VoiceCall.
        assert.deepEqual([sweep.composite, sweep.total], [2, 2], 'no request of its own');

        // A call from each number: the remembered one links the Contact chosen, and costs what the
        // other does (neither searches: both matches are still kept).
        ahead += 1_000;
        const counts = [];
        for (const [id, digits] of [
          [9700003, '+33 6 12 34 56 78'],
          [9700004, '+33 6 98 76 54 32'],
        ] as const) {
          h.local.resetCounters();
          await call(id, digits);
          counts.push(h.local.counters());
        }
        t.diagnostic(`remembered number: ${JSON.stringify(counts[0])}`);
        t.diagnostic(`other number: ${JSON.stringify(counts[1])}`);
        assert.equal(counts[0]!.search, 0, 'the match kept is used');
        assert.equal(counts[0]!.query, 0, 'nothing read for the remembered number');
        assert.deepEqual(counts[0], counts[1]);
        const remembered = await voice(h, 9700003);
        assert.deepEqual(
          [remembered.Contact__c, remembered.Match_Reason__c],
          [chosen.id, REMEMBERED],
        );
        assert.equal((await voice(h, 9700004)).Contact__c, plain.id);

        // The link is deleted (an admin, in the list view): after the next sweep the number goes
        // back to the Contact that has it.
        const object = `${mode.namespace ? `${mode.namespace}__` : ''}Aircall_Number_Link__c`;
        const deleted = await h.org.client.conn.sobject(object).destroy(link.id!);
        assert.ok(deleted.success, JSON.stringify(deleted));
        ahead += 61_000;
        await h.connector.worker.drainOnce();
        ahead += 1_000;
        h.local.resetCounters();
        await call(9700005, '+33 6 12 34 56 78');
        assert.deepEqual([h.local.counters().search, h.local.counters().query], [0, 0]);
        const after = await voice(h, 9700005);
        assert.equal(after.Contact__c, shared.id, 'the link deleted no longer applies');
        assert.match(after.Match_Reason__c ?? '', /^Matched: one Contact has this number/);
      } finally {
        await h.close();
      }
    });

    it("re-links a call in progress by its next event, unless a person set the call's link", async () => {
      let ahead = 0;
      const clock: Clock = {
        now: () => Date.now() + ahead,
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      };
      const h = await startHarness({
        namespace: mode.namespace,
        connector: {
          clock,
          settingsTtlMs: 3_600_000,
          worker: { linkSweepEveryMs: 60_000, matchCacheMs: 600_000 },
        },
      });
      try {
        const [shared, chosen, agents] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Shared Phone', Phone: '+33 6 12 34 56 78' },
          { attributes: { type: 'Contact' }, LastName: 'Real Caller' },
          { attributes: { type: 'Contact' }, LastName: 'Agent Choice' },
        ]);
        assert.ok(shared?.success && chosen?.success && agents?.success);
        const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
        assert.ok(user);
        const drain = async () => {
          while ((await h.connector.inbox.counts()).pending > 0)
            await h.connector.worker.drainOnce();
        };
        const calls = [9700101, 9700102].map((id) =>
          fixtureCall('inbound-answered', id, { raw_digits: '+33 6 12 34 56 78', contact: null }),
        );
        const events = (call: { data: unknown }[], ...names: string[]) =>
          call.filter((e) => names.includes((e as unknown as { event: string }).event));
        // Two calls from the number are answered, linked to the Contact that has it.
        for (const call of calls)
          await h.send(events(call, 'call.created', 'call.ringing_on_agent', 'call.answered'));
        await drain();
        assert.equal((await voice(h, 9700101)).Contact__c, shared.id);
        assert.equal((await voice(h, 9700102)).Contact__c, shared.id);

        // During the calls, an agent links the second one to another Contact (Change link's save)…
        const [second] = await h.org.client.query<{ Id: string }>(
          "SELECT Id FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '9700102'",
        );
        assert.ok(second);
        const [saved] = await h.org.client.update([
          {
            attributes: { type: 'Aircall_Voice__c' },
            Id: second.Id,
            Contact__c: agents.id,
            Lead__c: null,
            Account__c: null,
            Match_Reason__c: 'Linked by Ana Agent on 2026-12-07',
            Linked_By__c: user.Id,
          },
        ]);
        assert.ok(saved?.success, JSON.stringify(saved));
        // …and another agent remembers the number for a third: read by the next link sweep.
        h.local.setSearchIndexLag(3_600_000);
        const [link] = await h.org.client.create([
          {
            attributes: { type: 'Aircall_Number_Link__c' },
            Name: '+33612345678',
            Phone_Key__c: '+33612345678',
            Phone__c: '+33 6 12 34 56 78',
            Contact__c: chosen.id,
          },
        ]);
        assert.ok(link?.success, JSON.stringify(link));
        ahead += 61_000;
        await h.connector.worker.drainOnce();

        // The calls end: the first follows the number's link, the second keeps the person's.
        ahead += 1_000;
        for (const call of calls) await h.send(events(call, 'call.hungup', 'call.ended'));
        await drain();
        const relinked = await voice(h, 9700101);
        assert.deepEqual(
          [relinked.Contact__c, relinked.Match_Reason__c],
          [chosen.id, REMEMBERED],
          'the call in progress follows the number remembered',
        );
        const kept = await voice(h, 9700102);
        assert.deepEqual(
          [kept.Contact__c, kept.Match_Reason__c],
          [agents.id, 'Linked by Ana Agent on 2026-12-07'],
          "the person's link stays",
        );
      } finally {
        await h.close();
      }
    });
  });
