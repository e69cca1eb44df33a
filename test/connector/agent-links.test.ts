/**
 * Links chosen for people, end to end against the local org: Multiple Matches "Their Common
 * Account" (several Contacts of one Account share a company number: the call goes to the Account).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureCall, startHarness, type Harness } from './harness';

type Voice = {
  Aircall_Call_Id__c: string;
  Account__c: string | null;
  Contact__c: string | null;
  Lead__c: string | null;
  Match_Reason__c: string | null;
};

async function voice(h: Harness, callId: number): Promise<Voice> {
  const [row] = await h.org.client.query<Voice>(
    `SELECT Aircall_Call_Id__c, Account__c, Contact__c, Lead__c, Match_Reason__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${callId}'`,
  );
  assert.ok(row, `call ${callId} is logged`);
  return row;
}

async function settings(h: Harness, fields: Record<string, unknown>): Promise<void> {
  const [saved] = await h.org.client.create([
    { attributes: { type: 'Aircall_Settings__c' }, Name: 'Settings', ...fields },
  ]);
  assert.ok(saved?.success, JSON.stringify(saved));
}

describe('Multiple Matches "Their Common Account"', () => {
  it('links the Account of the Contacts sharing the number, and no Contact', async () => {
    const h = await startHarness();
    try {
      await settings(h, {
        Multiple_Matches__c: 'Their Common Account',
        Activity_Task__c: 'Completed Task',
      });
      const [acme, other] = await h.org.client.create([
        { attributes: { type: 'Account' }, Name: 'Acme' },
        { attributes: { type: 'Account' }, Name: 'Other' },
      ]);
      assert.ok(acme?.success && other?.success);
      const created = await h.org.client.create([
        // A company switchboard on two Contacts of Acme.
        {
          attributes: { type: 'Contact' },
          LastName: 'Ana',
          AccountId: acme.id,
          Phone: '+33 1 40 00 00 01',
        },
        {
          attributes: { type: 'Contact' },
          LastName: 'Bea',
          AccountId: acme.id,
          Phone: '+33 1 40 00 00 01',
        },
        // A number shared by Contacts of two Accounts: no common Account.
        {
          attributes: { type: 'Contact' },
          LastName: 'Cid',
          AccountId: acme.id,
          Phone: '+33 1 40 00 00 02',
        },
        {
          attributes: { type: 'Contact' },
          LastName: 'Dan',
          AccountId: other.id,
          Phone: '+33 1 40 00 00 02',
        },
      ]);
      assert.ok(created.every((c) => c.success));
      await h.send([
        ...fixtureCall('inbound-answered', 9300001, {
          raw_digits: '+33 1 40 00 00 01',
          contact: null,
        }),
        ...fixtureCall('inbound-answered', 9300002, {
          raw_digits: '+33 1 40 00 00 02',
          contact: null,
        }),
      ]);
      assert.deepEqual(await h.drain(), { timedOut: false });

      const common = await voice(h, 9300001);
      assert.deepEqual(
        [common.Account__c, common.Contact__c, common.Lead__c],
        [acme.id, null, null],
      );
      assert.match(common.Match_Reason__c ?? '', /^Matched: 2 Contact records of one Account/);
      const tasks = await h.org.client.query<{ WhoId: string | null; WhatId: string | null }>(
        "SELECT WhoId, WhatId FROM Task WHERE CallObject = '9300001'",
      );
      assert.deepEqual(
        tasks.map((t) => [t.WhoId, t.WhatId]),
        [[null, acme.id]],
        'the Task is on the Account',
      );

      const split = await voice(h, 9300002);
      assert.deepEqual([split.Account__c, split.Contact__c], [null, null]);
      assert.match(split.Match_Reason__c ?? '', /no Account is common to all of them/);
    } finally {
      await h.close();
    }
  });
});
