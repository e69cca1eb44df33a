/**
 * A record created for an unknown number is remembered in the inbox (`created_records`), one of the
 * ways the next call from that number links to it rather than to a second new record (here the
 * local org also hides new records from SOSL for an hour). The table keeps every number ever
 * created for, so a batch reads only the entries of its own numbers: reading it whole at every
 * batch cost time and memory in proportion to the history (docs/RELIABILITY.md, "Soak").
 *
 * The inbox reads are counted by wrapping the connector's own inbox (a spy that calls through).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureCall, startHarness } from './harness';

describe('records created for unknown numbers', () => {
  it('link the next call from the number, reading only the batch’s own numbers', async () => {
    const h = await startHarness({ org: { searchIndexLagMs: 3_600_000 } });
    try {
      const first = fixtureCall('inbound-answered', 301, { raw_digits: '+33 6 11 22 33 44' });
      const other = fixtureCall('inbound-answered', 302, { raw_digits: '+33 6 55 66 77 88' });
      for (const events of [first, other]) {
        assert.ok((await h.send(events)).every((r) => r.status === 'accepted'));
        assert.deepEqual(await h.drain(), { timedOut: false });
      }

      const inbox = h.connector.inbox;
      const asked: (readonly string[] | undefined)[] = [];
      const createdRecords = inbox.createdRecords.bind(inbox);
      inbox.createdRecords = (e164s) => {
        asked.push(e164s);
        return createdRecords(e164s);
      };
      const again = fixtureCall('inbound-answered', 303, {
        raw_digits: '+33 6 11 22 33 44',
        contact: null,
      });
      assert.ok((await h.send(again)).every((r) => r.status === 'accepted'));
      assert.deepEqual(await h.drain(), { timedOut: false });

      assert.ok(asked.length > 0, 'the batch read the created records');
      for (const e164s of asked) assert.deepEqual(e164s, ['+33611223344']);
      const leads = await h.org.client.query<{ Id: string }>(
        "SELECT Id FROM Lead WHERE Aircall_Phone_Key__c = '+33611223344'",
      );
      assert.equal(leads.length, 1, 'one Lead for the number, not a second one');
      const voices = await h.org.client.query<{ Aircall_Call_Id__c: string; Lead__c: string }>(
        "SELECT Aircall_Call_Id__c, Lead__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c IN ('301', '303')",
      );
      assert.deepEqual(
        voices.map((v) => v.Lead__c),
        [leads[0]!.Id, leads[0]!.Id],
        'both calls from the number link to its Lead',
      );
    } finally {
      await h.close();
    }
  });
});
