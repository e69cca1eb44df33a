/**
 * Creating a VoiceCall is idempotent across retries and crashes. A Telephony
 * `POST /voiceCalls` that succeeded is never sent again: the inbox notes each POST before it is sent
 * and the VoiceCall id as soon as it answers (`voice_call_id`), so
 *
 * - a batch whose Composite write then fails (here: the local org goes down right after the POST,
 *   so the Composite answers 503) retries without a second POST;
 * - a process killed between the POST and recording its answer (here: every inbox write after the
 *   POST fails, as if the process had died there, then the connector is started again on the same
 *   inbox) finds the VoiceCall by VendorCallKey instead of POSTing again;
 * - a POST refused because the VoiceCall exists (DUPLICATE_VALUE) takes the existing one.
 *
 * In each case: one VoiceCall, linked both ways to the call's one Aircall Voice, and no dead letter.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TelephonyClient } from '../../src/salesforce/telephony';
import { backendSkip, INBOX_BACKENDS, testInbox } from '../inbox/database';
import { fixture, startHarness, type Harness } from './harness';

const CALL = '4186790001';
const events = fixture('inbound-answered');
/** The call while it is live (created, ringing, answered): the VoiceCall is created by a POST. */
const live = events.filter((e) =>
  ['call.created', 'call.ringing_on_agent', 'call.answered'].includes(e.event as string),
);
const rest = events.filter((e) => !live.includes(e));

async function assertOneLinkedVoiceCall(h: Harness): Promise<void> {
  const voiceCalls = await h.org.client.query<{ Id: string }>(
    `SELECT Id FROM VoiceCall WHERE VendorCallKey = '${CALL}'`,
  );
  assert.equal(voiceCalls.length, 1, 'one VoiceCall');
  const voices = await h.org.client.query<{ Id: string; Voice_Call__c: string | null }>(
    `SELECT Id, Voice_Call__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${CALL}'`,
  );
  assert.equal(voices.length, 1, 'one Aircall Voice');
  assert.equal(voices[0]!.Voice_Call__c, voiceCalls[0]!.Id, 'the Aircall Voice points at it');
  assert.deepEqual(await h.connector.inbox.deadLetters(), [], 'no dead letter');
  assert.equal((await h.connector.inbox.counts()).pending, 0);
}

for (const backend of INBOX_BACKENDS) {
  describe(
    `VoiceCall creation is idempotent (${backend} inbox)`,
    { skip: backendSkip(backend) },
    () => {
      it('a Composite that fails (503) after the POST does not POST again', async () => {
        const h = await startHarness({ backend });
        try {
          const inbox = h.connector.inbox;
          const record = inbox.recordVoiceCalls.bind(inbox);
          let downAfterPost = true;
          inbox.recordVoiceCalls = async (entries, now) => {
            await record(entries, now);
            // The org goes down right after the POST answered: the Composite that follows gets 503.
            if (downAfterPost && entries.some((e) => e.voiceCallId !== null)) {
              downAfterPost = false;
              h.local.setFaults({ outageMs: 3_600_000 });
            }
          };
          await h.send(live);
          h.local.resetCounters();
          const first = await h.connector.worker.drainOnce();
          assert.equal(first.retried, live.length, 'the batch is retried');
          assert.equal(h.local.counters().telephony, 1, 'one POST');
          assert.match(
            (await inbox.syncStates([CALL])).get(CALL)?.voiceCallId ?? '',
            /^0LQ/,
            'its VoiceCall id is recorded',
          );
          h.local.setFaults({});
          assert.deepEqual(await h.drain(), { timedOut: false });
          assert.equal(h.local.counters().telephony, 1, 'no second POST');
          await h.send(rest);
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOneLinkedVoiceCall(h);
        } finally {
          await h.close();
        }
      });

      it('a process killed between the POST and recording it finds the VoiceCall after a restart', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'aircall-idem-'));
        const inboxAt = await testInbox(backend, path.join(dir, 'inbox.db'));
        const h = await startHarness({ backend, inboxFile: inboxAt.location });
        try {
          await h.send(live);
          // From the POST's answer on, nothing the process would write reaches the inbox: it died.
          const inbox = h.connector.inbox;
          const record = inbox.recordVoiceCalls.bind(inbox);
          const killed = () => Promise.reject(new Error('killed: the process died here'));
          inbox.recordVoiceCalls = (entries, now) =>
            entries.some((e) => e.voiceCallId !== null) ? killed() : record(entries, now);
          inbox.complete = killed;
          inbox.retryLater = killed;
          inbox.deadLetter = killed;
          h.local.resetCounters();
          await assert.rejects(h.connector.worker.drainOnce(), /killed/);
          assert.equal(h.local.counters().telephony, 1, 'the POST was sent');

          await h.restart();
          const state = (await h.connector.inbox.syncStates([CALL])).get(CALL);
          assert.equal(state?.voiceCallPosted, true, 'the POST is known, its answer is not');
          assert.equal(state?.voiceCallId, undefined);
          assert.deepEqual(await h.drain(), { timedOut: false });
          assert.equal(h.local.counters().telephony, 1, 'no second POST');
          assert.match(
            (await h.connector.inbox.syncStates([CALL])).get(CALL)?.voiceCallId ?? '',
            /^0LQ/,
            'the VoiceCall found by VendorCallKey is recorded',
          );
          await h.send(rest);
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOneLinkedVoiceCall(h);
        } finally {
          await h.close();
          await inboxAt.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('a POST refused with DUPLICATE_VALUE takes the existing VoiceCall, not a dead letter', async () => {
        const h = await startHarness({ backend });
        try {
          // A VoiceCall with this VendorCallKey exists, and nothing in the inbox says so (e.g. an
          // inbox from before the POSTs were recorded, or restored from a backup).
          const telephony = new TelephonyClient(h.org.telephony!);
          const existing = await telephony.create({
            callCenterApiName: h.org.telephony!.callCenterApiName,
            vendorCallKey: CALL,
            to: '+33176350000',
            from: '+33612345678',
            initiationMethod: 'Inbound',
            startTime: new Date(1790665200_000).toISOString(),
            participants: [{ participantKey: '+33612345678', type: 'END_USER' }],
          });
          // The live part first, so that the connector POSTs (an ended call's VoiceCall is a PATCH).
          await h.send(live);
          assert.deepEqual(await h.drain(), { timedOut: false });
          assert.match(h.logs.text, /already exists/);
          await h.send(rest);
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOneLinkedVoiceCall(h);
          const voiceCalls = await h.org.client.query<{ Id: string }>(
            `SELECT Id FROM VoiceCall WHERE VendorCallKey = '${CALL}'`,
          );
          assert.equal(voiceCalls[0]!.Id.slice(0, 15), existing.slice(0, 15));
        } finally {
          await h.close();
        }
      });
    },
  );
}
