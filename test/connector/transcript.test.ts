/**
 * A call's transcript (Aircall `transcription.created`) reaches both places, once:
 *
 * - the Aircall Voice's `Transcript__c` (readable lines), and when it is longer than the field, a
 *   text file (ContentVersion) published on the record with the whole of it;
 * - the VoiceCall's conversation, through the Telephony API's "Create Transcripts in Bulk"
 *   (`POST /telephony/v1/voiceCalls/messages`) of the local org, after the VoiceCall is complete.
 *
 * "Once" holds across redeliveries, a failed transcript request (retried), and a process killed
 * after the request but before it recorded it (restart on the same inbox: the same message ids are
 * sent again and the org keeps one entry per id, as the guide requires them unique per conversation).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, startHarness, type Harness } from './harness';

const CALL = '4186790001';
const call = fixture('inbound-answered');
const transcription = fixture('transcription');

async function voice(h: Harness) {
  const rows = await h.org.client.query<{ Id: string; Transcript__c: string | null }>(
    `SELECT Id, Transcript__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${CALL}'`,
  );
  assert.equal(rows.length, 1);
  return rows[0]!;
}

/**
 * Camille Martin signs in to Salesforce with another address than Aircall's: her
 * `Aircall_User_Id__c` says which Aircall user she is. Returns her User id.
 */
async function linkCamille(h: Harness): Promise<string> {
  const [result] = await h.org.client.create([
    {
      attributes: { type: 'User' },
      Username: 'c.martin@corp.example',
      LastName: 'Martin',
      FirstName: 'Camille',
      Email: 'c.martin@corp.example',
      Alias: 'cmart',
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      Aircall_User_Id__c: '2078001',
    },
  ]);
  assert.ok(result?.success && result.id, JSON.stringify(result));
  return result.id;
}

async function startLinked(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(options);
  return { h, camille: await linkCamille(h) };
}

async function assertSentOnce(h: Harness, camille: string): Promise<void> {
  const entries = h.local.conversation(CALL);
  assert.equal(entries.length, 7, 'seven utterances on the VoiceCall');
  assert.equal(new Set(entries.map((e) => e.messageId)).size, 7);
  assert.deepEqual(
    entries.slice(0, 2).map((e) => [e.senderType, e.participantId, e.content]),
    [
      ['HUMAN_AGENT', camille, 'Good morning, Support France, Camille speaking.'],
      ['END_USER', `${CALL}END_USER`, 'Hello, I would like a quote for twenty seats.'],
    ],
  );
  assert.deepEqual(await h.connector.inbox.deadLetters(), []);
  assert.equal((await h.connector.inbox.counts()).pending, 0);
}

describe('transcripts', () => {
  it('stores the transcript on the Aircall Voice and sends it to the VoiceCall once, even when redelivered', async () => {
    const { h, camille } = await startLinked();
    try {
      await h.send(call);
      assert.deepEqual(await h.drain(), { timedOut: false });
      h.local.resetCounters();
      await h.send(transcription);
      assert.deepEqual(await h.drain(), { timedOut: false });
      // 7 utterances, at most 5 per voice call per request: two requests.
      assert.equal(h.local.counters().telephony, 2);
      const lines = (await voice(h)).Transcript__c!.split('\n');
      assert.equal(lines.length, 7);
      assert.equal(lines[1], '[0:03] Customer: Hello, I would like a quote for twenty seats.');
      await assertSentOnce(h, camille);

      h.local.resetCounters();
      await h.send([...call, ...transcription]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.equal(h.local.counters().telephony, 0, 'a redelivery sends nothing again');
      await assertSentOnce(h, camille);
    } finally {
      await h.close();
    }
  });

  it('keeps a transcript that arrives before its call and applies it when the call arrives', async () => {
    const { h, camille } = await startLinked();
    try {
      await h.send(transcription);
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.deepEqual(
        await h.org.client.query(`SELECT Id FROM Aircall_Voice__c`),
        [],
        'nothing to log before the call is known',
      );
      await h.send(call);
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.match((await voice(h)).Transcript__c ?? '', /^\[0:00\] Agent \(Camille Martin\): /);
      await assertSentOnce(h, camille);
    } finally {
      await h.close();
    }
  });

  it('retries a transcript request that fails, without duplicating an utterance', async () => {
    const { h, camille } = await startLinked();
    try {
      await h.send(call);
      assert.deepEqual(await h.drain(), { timedOut: false });
      await h.send(transcription);
      // Telephony down, REST up: the Aircall Voice is written, the transcript request fails.
      h.local.setFaults({ outageMs: 3_600_000 });
      const first = await h.connector.worker.drainOnce();
      assert.ok(first.retried > 0, 'the transcript event waits for a retry');
      assert.equal(h.local.conversation(CALL).length, 0);
      h.local.setFaults({});
      assert.deepEqual(await h.drain(), { timedOut: false });
      await assertSentOnce(h, camille);
    } finally {
      await h.close();
    }
  });

  it('a process killed after sending the transcript sends the same messages after a restart, and the VoiceCall keeps each once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-transcript-'));
    const { h, camille } = await startLinked({ inboxFile: path.join(dir, 'inbox.db') });
    try {
      await h.send(call);
      assert.deepEqual(await h.drain(), { timedOut: false });
      await h.send(transcription);
      const killed = () => Promise.reject(new Error('killed: the process died here'));
      const inbox = h.connector.inbox;
      inbox.complete = killed;
      inbox.retryLater = killed;
      inbox.deadLetter = killed;
      h.local.resetCounters();
      await assert.rejects(h.connector.worker.drainOnce(), /killed/);
      assert.equal(h.local.counters().telephony, 2, 'the transcript was sent');
      assert.equal(h.local.conversation(CALL).length, 7);

      await h.restart();
      assert.deepEqual(await h.drain(), { timedOut: false });
      await assertSentOnce(h, camille);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the first lines of an oversize transcript in the field and the whole of it in a file on the record', async () => {
    const { h } = await startLinked();
    try {
      const body = structuredClone(transcription[0]!) as {
        data: { content: { utterances: Record<string, unknown>[] } };
      };
      body.data.content.utterances = Array.from({ length: 2500 }, (_, i) => ({
        start_time: i / 10,
        end_time: i / 10 + 0.1,
        text: `Utterance ${i}: ${'we talked about the renewal of twenty seats and the price '.repeat(1)}`,
        participant_type: i % 2 ? 'external' : 'internal',
        user_id: 2078001,
      }));
      await h.send([...call, body]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const record = await voice(h);
      assert.ok(record.Transcript__c!.length <= 131_072);
      assert.match(record.Transcript__c!, /is in the file "Transcript 4186790001\.txt"/);
      const files = await h.org.client.query<{
        Title: string;
        FirstPublishLocationId: string;
        VersionData: string;
      }>(`SELECT Title, FirstPublishLocationId, VersionData FROM ContentVersion`);
      assert.equal(files.length, 1);
      assert.equal(files[0]!.Title, 'Transcript 4186790001.txt');
      assert.equal(files[0]!.FirstPublishLocationId, record.Id);
      const text = Buffer.from(files[0]!.VersionData, 'base64').toString('utf8');
      assert.equal(text.split('\n').length, 2500);
      assert.ok(text.length > 131_072);
      // Every utterance went to the VoiceCall too, 5 per request (the call is 312 s long: the
      // utterances are all within it).
      assert.equal(h.local.conversation(CALL).length, 2500);
      // Delivered again: no second file.
      await h.send([body]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.equal((await h.org.client.query(`SELECT Id FROM ContentVersion`)).length, 1);
    } finally {
      await h.close();
    }
  });
});
