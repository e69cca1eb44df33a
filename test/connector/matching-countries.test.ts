/**
 * Matching across countries, end to end: a Contact in Nantes stored as "02 12 34 56 78" (French national format,
 * MailingCountry France) and a caller from Milan (+39 02 1234 5678) whose national digits are the
 * same. Through the connector and the local org: the Milan call is not linked to the French
 * Contact, a Lead is created for it with its E.164 number, and each Aircall Voice says why.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, startHarness } from './harness';

/** The inbound-answered fixture as call `id` from `digits`, on a line in `country`. */
function callFrom(id: number, digits: string, country: string): Record<string, unknown>[] {
  return fixture('inbound-answered').map((e) => {
    const event = structuredClone(e) as {
      data: { id: number; raw_digits: string; number?: { country?: string } };
    };
    event.data.id = id;
    event.data.raw_digits = digits;
    if (event.data.number) event.data.number.country = country;
    return event;
  });
}

interface Voice {
  [field: string]: unknown;
  Aircall_Call_Id__c: string;
  Contact__c: string | null;
  Lead__c: string | null;
  Match_Reason__c: string | null;
  Aircall_Line_Country__c: string | null;
}

describe('numbers stored without country code, end to end', () => {
  it('links the French caller to the Contact in Nantes, and creates a Lead in E.164 for the caller from Milan', async () => {
    const h = await startHarness();
    try {
      const [created] = await h.org.client.create([
        {
          attributes: { type: 'Contact' },
          FirstName: 'Léa',
          LastName: 'Martin',
          Phone: '02 12 34 56 78',
          MailingCity: 'Nantes',
          MailingCountry: 'France',
        },
      ]);
      assert.ok(created?.success);
      const contactId = created.id!;
      await h.send([
        ...callFrom(9100001, '+39 02 1234 5678', 'FR'),
        ...callFrom(9100002, '+33 2 12 34 56 78', 'FR'),
      ]);
      assert.deepEqual(await h.drain(), { timedOut: false });

      const voices = await h.org.client.query<Voice>(
        'SELECT Aircall_Call_Id__c, Contact__c, Lead__c, Match_Reason__c, Aircall_Line_Country__c FROM Aircall_Voice__c',
      );
      const milan = voices.find((v) => v.Aircall_Call_Id__c === '9100001')!;
      const nantes = voices.find((v) => v.Aircall_Call_Id__c === '9100002')!;
      assert.equal(milan.Contact__c, null, 'the Milan caller is not linked to the French Contact');
      assert.ok(milan.Lead__c, 'a Lead is created for the Milan caller');
      assert.match(milan.Match_Reason__c ?? '', /^Created for this number: /);
      assert.equal(nantes.Contact__c, contactId);
      assert.equal(
        nantes.Match_Reason__c,
        'Matched: one Contact has this number (its Phone "02 12 34 56 78" was read in FR (the record\'s MailingCountry is "France"))',
      );
      assert.equal(nantes.Aircall_Line_Country__c, 'FR');

      const leads = await h.org.client.query<{
        Id: string;
        Phone: string;
        Aircall_Phone_Key__c: string;
      }>('SELECT Id, Phone, Aircall_Phone_Key__c FROM Lead');
      assert.deepEqual(
        leads.map((l) => [l.Id, l.Phone, l.Aircall_Phone_Key__c]),
        [[milan.Lead__c, '+390212345678', '+390212345678']],
        'the created Lead stores the number in E.164',
      );
    } finally {
      await h.close();
    }
  });

  it('links a New York caller on a Madrid line to the Contact whose US-style number is no Spanish number, and says why', async () => {
    const h = await startHarness();
    try {
      const [noCountry, inGermany, inCalifornia] = await h.org.client.create([
        {
          attributes: { type: 'Contact' },
          FirstName: 'Sam',
          LastName: 'Park',
          Phone: '(212) 555-0199',
        },
        {
          attributes: { type: 'Contact' },
          FirstName: 'Jonas',
          LastName: 'Weber',
          MobilePhone: '(212) 555-0199',
          MailingCountry: 'Deutschland',
        },
        {
          attributes: { type: 'Lead' },
          FirstName: 'Ana',
          LastName: 'Ruiz',
          Company: 'Ruiz LLC',
          Phone: '(415) 555-0132',
          State: 'California',
        },
      ]);
      assert.ok(noCountry?.success && inGermany?.success && inCalifornia?.success);
      await h.send([
        ...callFrom(9100011, '+1 212-555-0199', 'ES'),
        ...callFrom(9100012, '+1 415-555-0132', 'ES'),
      ]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const voices = await h.org.client.query<Voice>(
        'SELECT Aircall_Call_Id__c, Contact__c, Lead__c, Match_Reason__c, Aircall_Line_Country__c FROM Aircall_Voice__c',
      );
      const newYork = voices.find((v) => v.Aircall_Call_Id__c === '9100011')!;
      const sanFrancisco = voices.find((v) => v.Aircall_Call_Id__c === '9100012')!;
      // The German Contact's "(212) 555-0199" is Solingen's +49 212 5550199: not this caller.
      assert.equal(newYork.Contact__c, noCountry.id);
      assert.equal(
        newYork.Match_Reason__c,
        'Matched: one Contact has this number (its Phone "(212) 555-0199" was read in US: not a valid number in ES, and equal to the caller\'s number in US)',
      );
      assert.equal(sanFrancisco.Lead__c, inCalifornia.id);
      assert.equal(
        sanFrancisco.Match_Reason__c,
        'Matched: one Lead has this number (its Phone "(415) 555-0132" was read in US (the record\'s State is "California", in US))',
      );
      const leads = await h.org.client.query<{ Id: string }>('SELECT Id FROM Lead');
      assert.deepEqual(
        leads.map((l) => l.Id),
        [inCalifornia.id],
        'no duplicate Lead is created for a customer the org already has',
      );
    } finally {
      await h.close();
    }
  });
});
