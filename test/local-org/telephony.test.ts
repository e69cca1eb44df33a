/**
 * Telephony Integration REST API subset, per the Service Cloud Voice developer guide
 * (developer.salesforce.com/docs/atlas.en-us.voice_developer_guide.meta/voice_developer_guide/
 * voice_rest_authorization.htm, voice_rest_create_voicecall.htm, voice_rest_update_voicecall.htm).
 */

import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../../dev/local-org';
import { openOrg, rest } from './helpers';

type Row = Record<string, unknown>;

function jwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${head}.${sign('RSA-SHA256', Buffer.from(head), privateKeyPem).toString('base64url')}`;
}

describe('local org Telephony Integration API', () => {
  let org: LocalOrg;
  let conn: Connection;
  let token: string;

  const call = async (
    method: string,
    path: string,
    body: unknown,
    bearer = token,
  ): Promise<{ status: number; body: Row }> => {
    const res = await fetch(`${org.telephony.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'telephony-provider-name': 'Aircall',
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Row };
  };
  const now = (): number => Math.floor(Date.now() / 1000);

  before(async () => {
    ({ org, conn } = await openOrg());
    token = jwt(org.telephony.privateKeyPem, {
      iss: org.telephony.orgId,
      sub: org.telephony.callCenterApiName,
      aud: 'https://scrt.salesforce.com',
      iat: now(),
      exp: now() + 600,
    });
  });
  after(async () => {
    await org.close();
  });

  it('publishes the contact-center settings a connector needs at a local-only endpoint', async () => {
    const r = await rest(org, 'GET', '/local/contact-center');
    assert.deepEqual(r.body, {
      telephonyBaseUrl: org.telephony.baseUrl,
      callCenterApiName: org.telephony.callCenterApiName,
      orgId: org.telephony.orgId,
      privateKeyPem: org.telephony.privateKeyPem,
    });
    const [row] = (await conn.query<Row>('SELECT Id FROM Organization')).records;
    assert.equal(row!.Id, org.telephony.orgId);
  });

  it('rejects JWTs that are unsigned by the contact-center key, expired, or for another org or contact center', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const base = {
      iss: org.telephony.orgId,
      sub: org.telephony.callCenterApiName,
      iat: now(),
      exp: now() + 600,
    };
    const cases: [string, string][] = [
      ['wrong key', jwt(other, base)],
      ['expired', jwt(org.telephony.privateKeyPem, { ...base, exp: now() - 1 })],
      ['wrong issuer', jwt(org.telephony.privateKeyPem, { ...base, iss: '00D000000000001' })],
      ['wrong subject', jwt(org.telephony.privateKeyPem, { ...base, sub: 'Other' })],
      ['not a JWT', 'abc'],
    ];
    for (const [label, bad] of cases) {
      const r = await call('POST', '/voiceCalls', {}, bad);
      assert.equal(r.status, 401, label);
      assert.ok(Array.isArray(r.body.errors), label);
    }
  });

  it('creates a VoiceCall with POST and completes it with PATCH (times, duration, recording, attributes)', async () => {
    const voice = await conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: 'tel-1' });
    const created = await call('POST', '/voiceCalls', {
      callCenterApiName: org.telephony.callCenterApiName,
      vendorCallKey: 'aircall-tel-1',
      to: '+33184880000',
      from: '+33612345678',
      initiationMethod: 'Inbound',
      startTime: '2026-01-05T08:00:00.000Z',
      participants: [{ participantKey: '+33612345678', type: 'END_USER' }],
    });
    assert.equal(created.status, 200);
    assert.deepEqual(created.body.errors, []);
    const voiceCallId = String(created.body.voiceCallId);
    assert.match(voiceCallId, /^0LQ/);

    const patched = await call('PATCH', '/voiceCalls/aircall-tel-1', {
      acceptTime: '2026-01-05T08:00:07.000Z',
      endTime: '2026-01-05T08:03:07.000Z',
      isActiveCall: false,
      recordingLocation: 'https://aircall-recordings.example/tel-1.mp3',
      totalRecordingDuration: 180,
      callAttributes: JSON.stringify({ Aircall_Voice__c: voice.id }),
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body, { status: 'pending' });

    const [vc] = (
      await conn.query<Row>(
        'SELECT CallType, VendorCallKey, FromPhoneNumber, CallStartDateTime, CallAcceptDateTime, CallEndDateTime, ' +
          `CallDurationInSeconds, CallDisposition, IsRecorded, CallRecordingId, Aircall_Voice__c FROM VoiceCall WHERE Id = '${voiceCallId}'`,
      )
    ).records;
    assert.equal(vc!.CallType, 'Inbound');
    assert.equal(vc!.VendorCallKey, 'aircall-tel-1');
    assert.equal(vc!.CallDurationInSeconds, 187);
    assert.equal(vc!.CallDisposition, 'completed');
    assert.equal(vc!.IsRecorded, true);
    assert.equal(vc!.Aircall_Voice__c, voice.id);
    const [recording] = (
      await conn.query<Row>(
        `SELECT DurationInSeconds, VoiceCallId FROM VoiceCallRecording WHERE VoiceCallId = '${voiceCallId}'`,
      )
    ).records;
    assert.equal(recording!.DurationInSeconds, 180);
  });

  it('creates the VoiceCall of an already ended call with PATCH (outbound, missed)', async () => {
    const r = await call('PATCH', '/voiceCalls/aircall-out-1', {
      callCenterApiName: org.telephony.callCenterApiName,
      callType: 'Outbound',
      fromNumber: '+33184880000',
      toNumber: '+14155550132',
      startTime: '2026-01-05T09:00:00.000Z',
      endTime: '2026-01-05T09:00:12.000Z',
      isActiveCall: false,
    });
    assert.equal(r.status, 200);
    const [vc] = (
      await conn.query<Row>(
        "SELECT CallType, CallDurationInSeconds, ToPhoneNumber FROM VoiceCall WHERE VendorCallKey = 'aircall-out-1'",
      )
    ).records;
    assert.deepEqual(
      [vc!.CallType, vc!.CallDurationInSeconds, vc!.ToPhoneNumber],
      ['Outbound', 12, '+14155550132'],
    );
  });

  it('rejects outbound creation through POST, unknown calls without times, and bad callAttributes', async () => {
    const outbound = await call('POST', '/voiceCalls', {
      callCenterApiName: org.telephony.callCenterApiName,
      vendorCallKey: 'x-out',
      to: '+1',
      from: '+2',
      initiationMethod: 'Outbound',
      startTime: '2026-01-05T09:00:00.000Z',
    });
    assert.equal(outbound.status, 400);
    const unknown = await call('PATCH', '/voiceCalls/nobody', { isActiveCall: false });
    assert.equal(unknown.status, 404);
    const badField = await call('PATCH', '/voiceCalls/aircall-out-1', {
      callAttributes: JSON.stringify({ Nope__c: 1 }),
    });
    assert.equal(badField.status, 400);
    assert.equal((badField.body.errors as Row[])[0]!.code, 'INVALID_FIELD');
  });

  // "Create a Voice Call Record" (Salesforce Voice developer guide,
  // https://developer.salesforce.com/docs/service/voice-dev-guide/guide/voice-rest-voicecalls-create.html;
  // API 53.0 edition: developer.salesforce.com/docs/atlas.en-us.234.0.voice_developer_guide.meta/
  // voice_developer_guide/voice_rest_voicecalls_create.htm) defines vendorCallKey as the "Unique key
  // that identifies the VoiceCall within the telephony system" and the answer as
  // {"voiceCallId", "errors"}. It does not say what a second POST with a key already used answers;
  // the local org refuses it (400, DUPLICATE_VALUE in the errors array, nothing created), and the
  // connector does not depend on that code: after any permanent refusal of a POST it looks the
  // VoiceCall up by VendorCallKey (src/connector/unit-of-work.ts). Verified only here.
  it('refuses a second POST with a vendorCallKey already used, and creates nothing', async () => {
    const body = {
      callCenterApiName: org.telephony.callCenterApiName,
      vendorCallKey: 'aircall-dup-1',
      to: '+33184880000',
      from: '+33612345678',
      initiationMethod: 'Inbound',
      startTime: '2026-01-05T10:00:00.000Z',
      participants: [{ participantKey: '+33612345678', type: 'END_USER' }],
    };
    const first = await call('POST', '/voiceCalls', body);
    assert.equal(first.status, 200);
    const again = await call('POST', '/voiceCalls', body);
    assert.equal(again.status, 400);
    const [error] = again.body.errors as Row[];
    assert.equal(error!.code, 'DUPLICATE_VALUE');
    assert.match(String(error!.message), /vendorCallKey aircall-dup-1 already exists/);
    const rows = (
      await conn.query<Row>("SELECT Id FROM VoiceCall WHERE VendorCallKey = 'aircall-dup-1'")
    ).records;
    assert.deepEqual(
      rows.map((r) => r.Id),
      [first.body.voiceCallId],
    );
  });

  it('counts telephony requests separately and not against the REST allocation', async () => {
    org.resetCounters();
    await call('PATCH', '/voiceCalls/aircall-out-1', { isActiveCall: false });
    const counters = org.counters();
    assert.equal(counters.telephony, 1);
    assert.equal(counters.rest + counters.composite + counters.query, 0);
    const limits = await rest(org, 'GET', '/limits');
    assert.equal(
      (limits.body as { DailyApiRequests: { Remaining: number } }).DailyApiRequests.Remaining,
      150000 - 1,
    );
  });
});
