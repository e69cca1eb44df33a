/**
 * "Save to phone": with the setting on, the Salesforce record a caller matched is pushed to Aircall
 * contacts through Aircall's REST API — here the simulator's fake Aircall API (no Aircall account
 * on this machine), which records what it received.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AircallApi } from '../../src/aircall/api';
import { startFakeAircall } from '../../dev/simulator';
import { fixture, startHarness } from './harness';
import { backendSkip, INBOX_BACKENDS } from '../inbox/database';

for (const backend of INBOX_BACKENDS) {
  describe(`save to phone (${backend} inbox)`, { skip: backendSkip(backend) }, () => {
    it('pushes the matched Contact to Aircall contacts once, and not when the setting is off', async () => {
      const aircall = await startFakeAircall({});
      const api = new AircallApi({
        baseUrl: aircall.url,
        apiId: aircall.apiId,
        apiToken: aircall.apiToken,
      });
      const h = await startHarness({ backend, connector: { aircall: api } });
      try {
        const [contact] = await h.org.client.create([
          {
            attributes: { type: 'Contact' },
            FirstName: 'Léa',
            LastName: 'Durand',
            MobilePhone: '06 12 34 56 78',
          },
        ]);
        assert.ok(contact?.success);
        await h.org.client.create([
          { attributes: { type: 'Aircall_Settings__c' }, Name: 'Settings', Save_To_Phone__c: true },
        ]);
        await h.send([...fixture('inbound-answered'), ...fixture('inbound-voicemail')]); // same caller twice
        assert.deepEqual(await h.drain(), { timedOut: false });
        const saved = aircall.contacts();
        assert.equal(saved.length, 1, 'one Aircall contact for the caller, not one per call');
        assert.equal(saved[0]?.last_name, 'Durand');
        assert.equal(saved[0]?.first_name, 'Léa');
        assert.match(JSON.stringify(saved[0]?.phone_numbers), /\+33612345678/);
        const voices = await h.org.client.query<{ Contact__c: string }>(
          'SELECT Contact__c FROM Aircall_Voice__c',
        );
        assert.ok(
          voices.every((v) => v.Contact__c === contact.id),
          'both calls linked to the Contact',
        );
      } finally {
        await h.close();
        await aircall.close();
      }
    });

    it('leaves Aircall contacts alone when the setting is off (the default)', async () => {
      const aircall = await startFakeAircall({});
      const api = new AircallApi({
        baseUrl: aircall.url,
        apiId: aircall.apiId,
        apiToken: aircall.apiToken,
      });
      const h = await startHarness({ backend, connector: { aircall: api } });
      try {
        await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Durand', MobilePhone: '06 12 34 56 78' },
        ]);
        await h.send(fixture('inbound-answered'));
        await h.drain();
        assert.equal(aircall.contacts().length, 0);
        assert.equal(aircall.received().length, 0, 'not a single Aircall API request');
      } finally {
        await h.close();
        await aircall.close();
      }
    });
  });
}
