/**
 * "Create Transcripts in Bulk" as the local org serves it, per the Salesforce Voice with Telephony
 * Providers Implementation Guide, "Create Transcripts in Bulk"
 * (developer.salesforce.com/docs/atlas.en-us.voice_developer_guide.meta/voice_developer_guide/
 * voice_rest_voicecalls_transcript_bulk.htm): `POST /telephony/v1/voiceCalls/messages`, JWT auth,
 * body `entries[{vendorCallKey, messages[{participantId, messageId, startTime, endTime, content,
 * senderType}]}]` (every property required), "up to 5 different voice calls at a time", "each voice
 * call … up to 5 transcripts", transcripts created only "if the timestamp of the transcript is
 * between the start and end times of the conversation", messageId "unique for the given
 * conversation", HUMAN_AGENT's participantId the rep's Salesforce user id, END_USER's renamed
 * `{vendorCallKey}END_USER` "for privacy reasons". Answer 202 `{"result":"Accepted"}`; per-entry
 * refusals as 207 `errorResponse.errorResponseEntries` (the shape Salesforce's own Amazon Connect
 * integration code reads).
 */
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LocalOrg } from '../../dev/local-org';
import { openOrg } from './helpers';

type Row = Record<string, unknown>;

function jwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${head}.${sign('RSA-SHA256', Buffer.from(head), privateKeyPem).toString('base64url')}`;
}

const START = Date.parse('2026-01-05T08:00:00.000Z');
const END = START + 120_000;

describe('local org Create Transcripts in Bulk', () => {
  let org: LocalOrg;
  let token: string;
  const post = async (body: unknown, bearer = token): Promise<{ status: number; body: Row }> => {
    const res = await fetch(`${org.telephony.baseUrl}/voiceCalls/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'telephony-provider-name': 'Aircall',
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Row };
  };
  const message = (key: string, i: number, over: Row = {}): Row => ({
    messageId: `${key}-m${i}`,
    participantId: `${key}END_USER`,
    senderType: 'END_USER',
    startTime: START + 1000 * (i + 1),
    endTime: START + 1000 * (i + 1) + 500,
    content: `utterance ${i}`,
    ...over,
  });

  before(async () => {
    ({ org } = await openOrg());
    const now = Math.floor(Date.now() / 1000);
    token = jwt(org.telephony.privateKeyPem, {
      iss: org.telephony.orgId,
      sub: org.telephony.callCenterApiName,
      iat: now,
      exp: now + 600,
    });
    // Seven ended calls, created the way the connector creates them (PATCH of an ended call).
    for (let i = 1; i <= 7; i++) {
      const res = await fetch(`${org.telephony.baseUrl}/voiceCalls/bulk-${i}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          callCenterApiName: org.telephony.callCenterApiName,
          callType: 'Inbound',
          fromNumber: '+33612345678',
          toNumber: '+33184880000',
          startTime: new Date(START).toISOString(),
          endTime: new Date(END).toISOString(),
          isActiveCall: false,
        }),
      });
      assert.equal(res.status, 200);
    }
  });
  after(async () => {
    await org.close();
  });

  it('accepts up to 5 messages for each of up to 5 voice calls and stores them (202 Accepted)', async () => {
    const entries = [1, 2, 3, 4, 5].map((n) => ({
      vendorCallKey: `bulk-${n}`,
      messages: [0, 1, 2, 3, 4].map((i) => message(`bulk-${n}`, i)),
    }));
    const r = await post({ entries });
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { result: 'Accepted' });
    for (let n = 1; n <= 5; n++) assert.equal(org.conversation(`bulk-${n}`).length, 5);
  });

  it('requires the JWT', async () => {
    const r = await post({ entries: [] }, 'not-a-jwt');
    assert.equal(r.status, 401);
  });

  it('refuses more than 5 voice calls, more than 5 messages for one call (even split across entries), and missing properties', async () => {
    const six = [1, 2, 3, 4, 5, 6].map((n) => ({
      vendorCallKey: `bulk-${n}`,
      messages: [message(`bulk-${n}`, 9)],
    }));
    const cases: [string, unknown, RegExp][] = [
      ['no entries', {}, /entries is required/],
      ['six calls', { entries: six }, /up to 5 different voice calls/],
      [
        'six messages',
        {
          entries: [
            { vendorCallKey: 'bulk-6', messages: [0, 1, 2].map((i) => message('bulk-6', i)) },
            { vendorCallKey: 'bulk-6', messages: [3, 4, 5].map((i) => message('bulk-6', i)) },
          ],
        },
        /up to 5 transcripts per request/,
      ],
      [
        'no content',
        {
          entries: [{ vendorCallKey: 'bulk-6', messages: [message('bulk-6', 0, { content: '' })] }],
        },
        /content is required/,
      ],
      [
        'time as text',
        {
          entries: [
            { vendorCallKey: 'bulk-6', messages: [message('bulk-6', 0, { startTime: '10:00' })] },
          ],
        },
        /startTime is required: milliseconds/,
      ],
      [
        'unknown sender',
        {
          entries: [
            { vendorCallKey: 'bulk-6', messages: [message('bulk-6', 0, { senderType: 'AGENT' })] },
          ],
        },
        /senderType must be one of/,
      ],
      [
        'agent by name',
        {
          entries: [
            {
              vendorCallKey: 'bulk-6',
              messages: [
                message('bulk-6', 0, { senderType: 'HUMAN_AGENT', participantId: 'camille' }),
              ],
            },
          ],
        },
        /Salesforce user id/,
      ],
    ];
    for (const [label, body, why] of cases) {
      const r = await post(body);
      assert.equal(r.status, 400, label);
      const [error] = r.body.errors as { message: string }[];
      assert.match(error!.message, why, label);
    }
    assert.equal(org.conversation('bulk-6').length, 0, 'nothing stored from a refused request');
  });

  it('refuses an unknown vendor call key per entry (207) and still stores the other entries', async () => {
    const r = await post({
      entries: [
        { vendorCallKey: 'nobody', messages: [message('nobody', 0)] },
        { vendorCallKey: 'bulk-7', messages: [message('bulk-7', 0)] },
      ],
    });
    assert.equal(r.status, 207);
    const refused = (r.body.errorResponse as { errorResponseEntries: Row[] }).errorResponseEntries;
    assert.deepEqual(
      refused.map((e) => e.vendorCallKey),
      ['nobody'],
    );
    assert.equal(org.conversation('bulk-7').length, 1);
  });

  it('creates nothing for a time outside the call or a message id already stored; renames END_USER participants', async () => {
    const r = await post({
      entries: [
        {
          vendorCallKey: 'bulk-7',
          messages: [
            message('bulk-7', 0, { content: 'sent again' }),
            message('bulk-7', 1, { startTime: END + 1, endTime: END + 2 }),
            message('bulk-7', 2, { startTime: START - 1 }),
            message('bulk-7', 3, { participantId: '+33612345678' }),
          ],
        },
      ],
    });
    assert.equal(r.status, 202);
    const stored = org.conversation('bulk-7');
    assert.deepEqual(
      stored.map((e) => [e.messageId, e.content, e.participantId]),
      [
        ['bulk-7-m0', 'utterance 0', 'bulk-7END_USER'],
        ['bulk-7-m3', 'utterance 3', 'bulk-7END_USER'],
      ],
    );
  });
});
