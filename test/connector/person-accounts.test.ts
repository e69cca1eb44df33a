/**
 * End to end in an org with Person Accounts (the local org's Person Accounts mode): a call from a
 * Person Account's number is linked to the account and its person contact, once; a business
 * Account beside it still links as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, startHarness } from './harness';

function callFrom(id: number, digits: string): Record<string, unknown>[] {
  return fixture('inbound-answered').map((e) => {
    const event = structuredClone(e) as {
      data: { id: number; raw_digits: string; number?: { country?: string } };
    };
    event.data.id = id;
    event.data.raw_digits = digits;
    if (event.data.number) event.data.number.country = 'ES';
    return event;
  });
}

describe('Person Accounts, end to end', () => {
  it('links a Person Account and its person contact, and a business Account beside it', async () => {
    const h = await startHarness({ org: { personAccounts: true } });
    try {
      const [settings] = await h.org.client.create([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Name: 'Settings',
          Activity_Task__c: 'Completed Task',
        },
      ]);
      assert.ok(settings?.success, JSON.stringify(settings));
      const [type] = await h.org.client.query<{ Id: string }>(
        "SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true",
      );
      const [person, business] = await h.org.client.create([
        {
          attributes: { type: 'Account' },
          RecordTypeId: type!.Id,
          FirstName: 'Lucía',
          LastName: 'García',
          PersonHomePhone: '912 34 56 78',
          PersonMailingCountry: 'España',
        },
        { attributes: { type: 'Account' }, Name: 'Ferretería Ruiz', Phone: '+34 913 00 00 00' },
      ]);
      assert.ok(person?.success && business?.success);
      const [row] = await h.org.client.query<{ PersonContactId: string }>(
        `SELECT PersonContactId FROM Account WHERE Id = '${person.id!}'`,
      );
      const PersonContactId = row!.PersonContactId;
      await h.send([
        ...callFrom(9200001, '+34 912 34 56 78'),
        ...callFrom(9200002, '+34 913 00 00 00'),
      ]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const voices = await h.org.client.query<{
        Aircall_Call_Id__c: string;
        Account__c: string | null;
        Contact__c: string | null;
        Lead__c: string | null;
        Match_Reason__c: string | null;
      }>(
        'SELECT Aircall_Call_Id__c, Account__c, Contact__c, Lead__c, Match_Reason__c FROM Aircall_Voice__c',
      );
      const byId = new Map(voices.map((v) => [v.Aircall_Call_Id__c, v]));
      const lucia = byId.get('9200001')!;
      assert.deepEqual(
        [lucia.Account__c, lucia.Contact__c, lucia.Lead__c],
        [person.id, PersonContactId, null],
      );
      assert.equal(
        lucia.Match_Reason__c,
        'Matched: one Person Account has this number (its PersonHomePhone "912 34 56 78" was read in ES (the record\'s PersonMailingCountry is "España"))',
      );
      // The call's Task names the person (WhoId = the person contact) on the Person Account.
      const tasks = await h.org.client.query<{ WhoId: string | null; WhatId: string | null }>(
        "SELECT WhoId, WhatId FROM Task WHERE CallObject = '9200001'",
      );
      assert.deepEqual(
        tasks.map((t) => [t.WhoId, t.WhatId]),
        [[PersonContactId, person.id]],
      );
      const ruiz = byId.get('9200002')!;
      assert.deepEqual([ruiz.Account__c, ruiz.Contact__c], [business.id, null]);
      // Nothing was created for either caller.
      assert.equal((await h.org.client.query('SELECT Id FROM Lead')).length, 0);
    } finally {
      await h.close();
    }
  });
});
