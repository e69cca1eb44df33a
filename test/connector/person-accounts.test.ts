/**
 * End to end in an org with Person Accounts (the local org's Person Accounts mode): a call from a
 * Person Account's number is linked to the account and its person contact, once; a business
 * Account beside it still links as before; "Create Person Account" creates one Person Account per
 * unknown number, through retries, restarts and a search index that does not show it yet.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AircallApi } from '../../src/aircall/api';
import { startFakeAircall } from '../../dev/simulator';
import { fixture, fixtureCall, startHarness, type Harness } from './harness';

interface PersonRow extends Record<string, unknown> {
  Id: string;
  IsPersonAccount: boolean;
  RecordTypeId: string | null;
  PersonContactId: string | null;
  FirstName: string | null;
  LastName: string | null;
  Phone: string | null;
  PersonLeadSource: string | null;
  Aircall_Phone_Key__pc: string | null;
  Aircall_Phone_Key__c: string | null;
}

const PERSON_SOQL =
  'SELECT Id, IsPersonAccount, RecordTypeId, PersonContactId, FirstName, LastName, Phone, PersonLeadSource, Aircall_Phone_Key__pc, Aircall_Phone_Key__c FROM Account';

async function personType(h: Harness): Promise<string> {
  const [type] = await h.org.client.query<{ Id: string }>(
    "SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true",
  );
  return type!.Id;
}

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

  it('"Create Person Account": one Person Account per unknown number, through retries, a restart and a lagging search index', async () => {
    // The org answers 503 and UNABLE_TO_LOCK_ROW now and then, and SOSL does not show a new record
    // for an hour: only the upsert by Aircall_Phone_Key__pc and the inbox's created records keep
    // the second and third calls from creating a second Person Account.
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-person-'));
    const h = await startHarness({
      inboxFile: path.join(dir, 'inbox.db'),
      org: {
        personAccounts: true,
        searchIndexLagMs: 3_600_000,
      },
      connector: { worker: { windowMs: 0, backoffBaseMs: 5, backoffMaxMs: 50 } },
    });
    try {
      const [settings] = await h.org.client.create([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Name: 'Settings',
          Unknown_Number_Action__c: 'Create Person Account',
        },
      ]);
      assert.ok(settings?.success, JSON.stringify(settings));
      const type = await personType(h);
      h.local.setFaults({
        serviceUnavailableRate: 0.3,
        lockRowRate: 0.3,
        partialFailureRate: 0.3,
        seed: 5,
      });
      const named = fixtureCall('inbound-answered', 9300001, {
        raw_digits: '+34 612 00 11 22',
        contact: { id: 77, first_name: 'Lucía', last_name: 'García', company_name: null },
      });
      // The number calls, calls again (the search index does not show the new record yet), then
      // once more after a restart.
      await h.send(named);
      assert.deepEqual(await h.drain(), { timedOut: false });
      await h.send(fixtureCall('inbound-answered', 9300002, { raw_digits: '+34612001122' }));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const retried = await h.connector.metrics.errors.get();
      assert.ok(
        retried.values.some((v) => v.value > 0),
        'the faults were really hit',
      );
      await h.restart();
      await h.send(fixtureCall('inbound-answered', 9300003, { raw_digits: '0034 612 00 11 22' }));
      assert.deepEqual(await h.drain(), { timedOut: false });
      h.local.setFaults({});

      const accounts = await h.org.client.query<PersonRow>(PERSON_SOQL);
      assert.equal(accounts.length, 1, JSON.stringify(accounts));
      const person = accounts[0]!;
      assert.deepEqual(
        {
          IsPersonAccount: person.IsPersonAccount,
          RecordTypeId: person.RecordTypeId,
          FirstName: person.FirstName,
          LastName: person.LastName,
          Phone: person.Phone,
          PersonLeadSource: person.PersonLeadSource,
          Aircall_Phone_Key__pc: person.Aircall_Phone_Key__pc,
          Aircall_Phone_Key__c: person.Aircall_Phone_Key__c,
        },
        {
          IsPersonAccount: true,
          RecordTypeId: type,
          FirstName: 'Lucía',
          LastName: 'García',
          Phone: '+34612001122',
          PersonLeadSource: 'Phone Inquiry',
          Aircall_Phone_Key__pc: '+34612001122',
          // A business Account's key stays empty: the two kinds never answer for each other.
          Aircall_Phone_Key__c: null,
        },
      );
      // Its person contact carries the key under the Contact's name; no business record was made.
      const contacts = await h.org.client.query<{ Id: string; Aircall_Phone_Key__c: string }>(
        'SELECT Id, Aircall_Phone_Key__c FROM Contact',
      );
      assert.deepEqual(
        contacts.map((c) => [c.Id, c.Aircall_Phone_Key__c]),
        [[person.PersonContactId, '+34612001122']],
      );
      assert.equal((await h.org.client.query('SELECT Id FROM Lead')).length, 0);
      const voices = await h.org.client.query<{
        Aircall_Call_Id__c: string;
        Account__c: string;
        Contact__c: string;
        Match_Reason__c: string;
      }>(
        'SELECT Aircall_Call_Id__c, Account__c, Contact__c, Match_Reason__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
      );
      assert.deepEqual(
        voices.map((v) => [v.Aircall_Call_Id__c, v.Account__c, v.Contact__c]),
        ['9300001', '9300002', '9300003'].map((id) => [id, person.Id, person.PersonContactId]),
      );
      for (const v of voices)
        assert.match(
          v.Match_Reason__c,
          /^Created for this number: .* a Person Account with Aircall_Phone_Key__pc \+34612001122/,
        );
      // The inbox remembers it as a Person Account, for the calls its search index does not show.
      assert.deepEqual(
        await h.connector.inbox.createdRecords(['+34612001122']),
        new Map([['+34612001122', { sobject: 'PersonAccount', id: person.Id }]]),
      );
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"Create Person Account" in an org without Person Accounts: nothing is created, and the settings say why', async () => {
    const h = await startHarness();
    try {
      await h.org.client.create([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Name: 'Settings',
          Unknown_Number_Action__c: 'Create Person Account',
        },
      ]);
      await h.send(fixtureCall('inbound-answered', 9300010, { raw_digits: '+34 612 00 99 88' }));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const [voice] = await h.org.client.query<{
        Account__c: string | null;
        Contact__c: string | null;
        Lead__c: string | null;
        Match_Reason__c: string;
      }>('SELECT Account__c, Contact__c, Lead__c, Match_Reason__c FROM Aircall_Voice__c');
      assert.deepEqual([voice!.Account__c, voice!.Contact__c, voice!.Lead__c], [null, null, null]);
      assert.match(
        voice!.Match_Reason__c,
        /"Create Person Account" but this org has no Person Accounts/,
      );
      for (const object of ['Account', 'Contact', 'Lead'])
        assert.equal((await h.org.client.query(`SELECT Id FROM ${object}`)).length, 0, object);
      const context = await h.connector.context.get();
      assert.ok(
        context.settingsWarnings.some((w) =>
          w.startsWith(
            'Unknown_Number_Action__c is "Create Person Account" but this org has no Person Accounts',
          ),
        ),
        context.settingsWarnings.join('\n'),
      );
    } finally {
      await h.close();
    }
  });

  it('save to phone pushes a matched Person Account to Aircall as a person, once', async () => {
    // The simulator's fake Aircall API (no Aircall account on this machine) records what it got.
    const aircall = await startFakeAircall({});
    const api = new AircallApi({
      baseUrl: aircall.url,
      apiId: aircall.apiId,
      apiToken: aircall.apiToken,
    });
    const h = await startHarness({ org: { personAccounts: true }, connector: { aircall: api } });
    try {
      await h.org.client.create([
        { attributes: { type: 'Aircall_Settings__c' }, Name: 'Settings', Save_To_Phone__c: true },
      ]);
      const [person] = await h.org.client.create([
        {
          attributes: { type: 'Account' },
          RecordTypeId: await personType(h),
          FirstName: 'Lucía',
          LastName: 'García',
          PersonMobilePhone: '+34 612 33 44 55',
        },
      ]);
      assert.ok(person?.success);
      await h.send([
        ...fixtureCall('inbound-answered', 9300101, { raw_digits: '+34 612 33 44 55' }),
        ...fixtureCall('inbound-answered', 9300102, { raw_digits: '+34 612 33 44 55' }),
      ]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const saved = aircall.contacts();
      assert.equal(saved.length, 1, 'one Aircall contact for the person, not one per call');
      assert.equal(saved[0]?.first_name, 'Lucía');
      assert.equal(saved[0]?.last_name, 'García');
      assert.ok(!saved[0]?.company_name, 'a person has no company');
      assert.match(JSON.stringify(saved[0]?.phone_numbers), /\+34612334455/);
    } finally {
      await h.close();
      await aircall.close();
    }
  });
});
