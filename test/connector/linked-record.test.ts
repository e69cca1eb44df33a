/**
 * A record for an unknown number is created once per batch, by the first call from that number;
 * the batch's other calls from the number point at it by its external id (`Lead__r:
 * {Aircall_Phone_Key__c}`). Found by the 10,000-call fault day: when that first call's Telephony
 * `POST /voiceCalls` failed (a 503), its writes — the Lead included — were left out of the batch's
 * Composite, and the other call's Aircall Voice then pointed at a Lead that did not exist:
 * `INVALID_FIELD: Foreign key external ID … not found`, a permanent error, so an innocent call was
 * dead-lettered. The record for the number is now written whatever happened to the call that
 * carries it (an upsert by the number: the failed call's retry finds it, never a second one).
 *
 * The failing POST is made at the Telephony API boundary (TelephonyClient.create answers one 503
 * for one call): the local org's own fault injection is random per request and could not pick the
 * call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SalesforceError } from '../../src/salesforce/errors';
import { TelephonyClient } from '../../src/salesforce/telephony';
import { fixtureCall, startHarness } from './harness';

const call = fixtureCall;

const NUMBER = '+33 6 12 12 34 34';
const FIRST = 5300000001;
const SECOND = 5300000002;
const LIVE = ['call.created', 'call.ringing_on_agent', 'call.answered'];

describe('the record for a new number when the call that creates it fails', () => {
  it('is still written, so another call of the batch linked to it is not dead-lettered', async () => {
    const h = await startHarness();
    const { create } = TelephonyClient.prototype as { create: TelephonyClient['create'] };
    const refused: string[] = [];
    TelephonyClient.prototype.create = async function (body) {
      if (body.vendorCallKey === String(FIRST) && refused.length === 0) {
        refused.push(body.vendorCallKey);
        throw new SalesforceError('Service unavailable (test)', 'SERVER_UNAVAILABLE', true);
      }
      return create.call(this, body);
    };
    try {
      // One batch: a call just answered first (it creates the Lead and POSTs its VoiceCall; later
      // events would let the VoiceCall be created at the end instead), then a missed call from
      // the same number (linked to that Lead by its external id).
      const first = call('inbound-answered', FIRST, { raw_digits: NUMBER, contact: null }).filter(
        (e) => LIVE.includes((e as unknown as { event: string }).event),
      );
      const second = call('inbound-missed', SECOND, { raw_digits: NUMBER, contact: null });
      for (const r of await h.send([...first, ...second]))
        assert.notEqual(r.status, 'rejected', JSON.stringify(r));
      await h.drain();

      assert.deepEqual(refused, [String(FIRST)], 'the first call’s POST was refused once');
      assert.deepEqual(
        (await h.connector.inbox.deadLetters()).map((d) => `${d.callId}: ${d.reason}`),
        [],
        'nothing is dead-lettered',
      );
      const leads = await h.org.client.query<{ Id: string }>(
        "SELECT Id FROM Lead WHERE Aircall_Phone_Key__c = '+33612123434'",
      );
      assert.equal(leads.length, 1, 'one Lead for the number');
      const voices = await h.org.client.query<{ Aircall_Call_Id__c: string; Lead__c: string }>(
        'SELECT Aircall_Call_Id__c, Lead__c FROM Aircall_Voice__c ORDER BY Aircall_Call_Id__c',
      );
      assert.deepEqual(
        voices.map((v) => [v.Aircall_Call_Id__c, v.Lead__c]),
        [
          [String(FIRST), leads[0]!.Id],
          [String(SECOND), leads[0]!.Id],
        ],
        'both calls logged, both linked to the Lead',
      );
      const voiceCalls = await h.org.client.query<{ VendorCallKey: string }>(
        'SELECT VendorCallKey FROM VoiceCall ORDER BY VendorCallKey',
      );
      assert.deepEqual(
        voiceCalls.map((v) => v.VendorCallKey),
        [String(FIRST), String(SECOND)],
        'one VoiceCall per call, the failed POST retried',
      );
    } finally {
      TelephonyClient.prototype.create = create;
      await h.close();
    }
  });
});
