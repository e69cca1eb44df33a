/**
 * "Don't log internal calls" (`Skip_Internal_Calls__c`) after a restart: a call from one Aircall
 * line to another is internal even when the batch has no call on the line it reaches and the
 * connector has just started (the lines of the calls already logged are read back from the org,
 * src/connector/lines.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, startHarness } from './harness';

const SUPPORT_LINE = '+33 1 76 44 01 23';

/** The outbound fixture under another id, placed from another line of the account to `to`. */
function fromSalesLine(id: number, to: string): Record<string, unknown>[] {
  return fixture('outbound-answered').map((e) => {
    const copy = structuredClone(e) as unknown as { data: Record<string, unknown> };
    const number = copy.data.number as Record<string, unknown>;
    copy.data = {
      ...copy.data,
      id,
      raw_digits: to,
      number: { ...number, id: 1389002, name: 'Sales France', digits: '+33 1 76 44 09 99' },
    };
    return copy;
  });
}

describe("don't log internal calls", () => {
  it('knows the account’s lines after a restart, from the calls already logged', async () => {
    const h = await startHarness();
    try {
      const [settings] = await h.org.client.create([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Name: 'Settings',
          Skip_Internal_Calls__c: true,
          Unknown_Number_Action__c: 'Do Nothing',
        },
      ]);
      assert.ok(settings?.success, JSON.stringify(settings));
      // A customer calls the support line: logged, with its line.
      await h.send(fixture('inbound-answered'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const [first] = await h.org.client.query<{ Aircall_Number__c: string }>(
        'SELECT Aircall_Number__c FROM Aircall_Voice__c',
      );
      assert.equal(first?.Aircall_Number__c, '+33176440123');

      await h.restart();
      // A colleague on the sales line calls the support line: nothing in this batch is on it.
      await h.send(fromSalesLine(4186790301, SUPPORT_LINE));
      // And a customer, from the same sales line: logged.
      await h.send(fromSalesLine(4186790302, '+33 6 55 44 33 22'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const voices = await h.org.client.query<{ Aircall_Call_Id__c: string }>(
        'SELECT Aircall_Call_Id__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
      );
      assert.deepEqual(
        voices.map((v) => v.Aircall_Call_Id__c),
        ['4186790001', '4186790302'],
        'the internal call is not logged',
      );
      assert.deepEqual(await h.connector.inbox.deadLetters(), []);
    } finally {
      await h.close();
    }
  });
});
