import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { storedTranscript, TRANSCRIPT_FIELD_LENGTH } from '../../src/engine/conversation';
import { foldCall } from '../../src/engine/fold';
import { planBatch as planOf, type TelephonyOp } from '../../src/engine';
import { shuffledWithDuplicates } from './arbitraries';
import { AGENT_USER_ID, batch, callEventsOf, callsOf, load, parseAll } from './helpers';

type TranscriptOp = Extract<TelephonyOp, { kind: 'transcript' }>;

/** A call with generated holds and transfers, and the totals they encode. */
const heldCall = fc
  .record({
    holds: fc.array(
      fc.record({ gap: fc.integer({ min: 1, max: 120 }), held: fc.integer({ min: 0, max: 300 }) }),
      {
        maxLength: 5,
      },
    ),
    transfers: fc.integer({ min: 0, max: 3 }),
    lastHoldOpen: fc.boolean(),
  })
  .map(({ holds, transfers, lastHoldOpen }) => {
    const id = 4186790500;
    const s = 1790672400;
    const agent = { id: 7, name: 'Camille Martin', email: 'camille.martin@example.com' };
    const noah = { id: 8, name: 'Noah Smith', email: 'noah.smith@example.com' };
    const base = {
      id,
      direction: 'inbound',
      started_at: s,
      raw_digits: '+33 6 12 34 56 78',
      user: agent,
    };
    const talking = { ...base, status: 'answered', answered_at: s + 10 };
    const env = (event: string, timestamp: number, data: Record<string, unknown>) => ({
      resource: 'call',
      event,
      timestamp,
      token: 't',
      data,
    });
    const bodies: Record<string, unknown>[] = [
      env('call.created', s, { ...base, status: 'initial' }),
      env('call.answered', s + 10, talking),
    ];
    let t = s + 10;
    let total = 0;
    let longest = 0;
    holds.forEach((h, i) => {
      t += h.gap;
      bodies.push(env('call.hold', t, talking));
      const open = lastHoldOpen && i === holds.length - 1;
      if (!open) {
        t += h.held;
        bodies.push(env('call.unhold', t, talking));
        total += h.held;
        longest = Math.max(longest, h.held);
      }
    });
    for (let i = 0; i < transfers; i++) {
      t += 5;
      const [from, to] = i % 2 === 0 ? [agent, noah] : [noah, agent];
      bodies.push(
        env('call.transferred', t, { ...talking, transferred_by: from, transferred_to: to }),
      );
    }
    const end = t + 20;
    if (lastHoldOpen && holds.length > 0) {
      const held = end - (t - 5 * transfers);
      total += held;
      longest = Math.max(longest, held);
    }
    bodies.push(env('call.ended', end + 30, { ...talking, status: 'done', ended_at: end }));
    return {
      events: callEventsOf(parseAll(bodies)),
      truth: { holds: holds.length, total, longest, transfers },
    };
  });

describe('call journey fold', () => {
  it('counts holds, hold time and transfers whatever the order and duplicates of delivery', () => {
    fc.assert(
      fc.property(
        heldCall.chain((call) => fc.tuple(fc.constant(call), shuffledWithDuplicates(call.events))),
        ([call, delivered]) => {
          const canonical = foldCall('4186790500', call.events)!;
          const folded = foldCall('4186790500', delivered)!;
          assert.deepEqual(folded.journey, canonical.journey);
          assert.equal(folded.journey.holdCount, call.truth.holds);
          assert.equal(folded.journey.holdSeconds, call.truth.total);
          assert.equal(folded.journey.longestHoldSeconds, call.truth.longest);
          assert.equal(folded.journey.transfers.length, call.truth.transfers);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the IVR option, the rings, two holds and a failed then a successful transfer of a real-shaped call', () => {
    const state = foldCall('4186790010', callEventsOf(load('inbound-transferred.json')))!;
    const j = state.journey;
    assert.equal(j.holdCount, 2);
    assert.equal(j.holdSeconds, 30 + 45);
    assert.equal(j.longestHoldSeconds, 45);
    assert.deepEqual(j.ivr, ['1 Sales']);
    assert.deepEqual(j.rangOn, ['Camille Martin', 'Noah Smith']);
    assert.deepEqual(
      j.transfers.map((t) => [t.at - state.startedAt, t.from, t.to, t.outcome]),
      [
        [100, 'Camille Martin', 'Noah Smith', 'failed'],
        [200, 'Camille Martin', 'Noah Smith', 'transferred'],
      ],
    );
    assert.deepEqual(
      j.steps.map((s) => s.kind),
      [
        'ivr',
        'ringing',
        'ringing',
        'answered',
        'hold',
        'resume',
        'transfer',
        'hold',
        'resume',
        'transfer',
        'ended',
      ],
    );
  });

  it('writes holds, transfers, the path and the journey on the Aircall Voice, and the holds and agent on the VoiceCall', () => {
    const p = planOf(batch(callsOf(load('inbound-transferred.json'))));
    const voice = p.writes.find((w) => w.sobject === 'Aircall_Voice__c')!.fields;
    assert.equal(voice.Hold_Count__c, 2);
    assert.equal(voice.Hold_Seconds__c, 75);
    assert.equal(voice.Transfer_Count__c, 1);
    assert.equal(
      voice.Transfers__c,
      '[1:40] Camille Martin → Noah Smith (failed)\n[3:20] Camille Martin → Noah Smith',
    );
    assert.equal(voice.Call_Path__c, 'IVR 1 Sales › Camille Martin › Noah Smith');
    assert.match(
      voice.Call_Journey__c as string,
      /^\[0:04\] IVR: 1 Sales\n\[0:06\] Rang on Camille Martin\n/,
    );
    assert.match(voice.Call_Journey__c as string, /\[1:30\] Resumed after 0:30\n/);
    const update = p.telephony.find((o) => o.kind === 'update');
    assert.ok(update?.kind === 'update');
    assert.equal(update.body.numberOfHolds, 2);
    assert.equal(update.body.totalHoldDuration, 75);
    assert.equal(update.body.longestHoldDuration, 45);
  });
});

describe('transcript', () => {
  const answered = load('inbound-answered.json');
  const transcription = load('transcription.json');

  it('stores the transcript on the Aircall Voice, one readable line per utterance (agent named, customer)', () => {
    const p = planOf(batch(callsOf([...answered, ...transcription])));
    const voice = p.writes.find((w) => w.sobject === 'Aircall_Voice__c')!.fields;
    const lines = (voice.Transcript__c as string).split('\n');
    assert.equal(lines.length, 7);
    assert.equal(
      lines[0],
      '[0:00] Agent (Camille Martin): Good morning, Support France, Camille speaking.',
    );
    assert.equal(lines[1], '[0:03] Customer: Hello, I would like a quote for twenty seats.');
    assert.equal(p.files, undefined);
  });

  it('sends the transcript to the VoiceCall once, after the final PATCH, with times inside the call', () => {
    const p = planOf(batch(callsOf([...answered, ...transcription])));
    const ops = p.telephony.filter((o): o is TranscriptOp => o.kind === 'transcript');
    assert.equal(ops.length, 1);
    const op = ops[0]!;
    assert.equal(op.vendorCallKey, '4186790001');
    assert.equal(op.messages.length, 7);
    const start = 1790665200 * 1000;
    const end = (1790665200 + 312) * 1000;
    for (const m of op.messages) {
      assert.ok(m.startTime >= start && m.endTime <= end && m.startTime <= m.endTime);
    }
    // Recording starts at the answer (12 s in): the first utterance, 0.4 s into it.
    assert.equal(op.messages[0]!.startTime, start + 12_400);
    assert.deepEqual(
      op.messages.slice(0, 2).map((m) => [m.senderType, m.participantId]),
      [
        ['HUMAN_AGENT', AGENT_USER_ID],
        ['END_USER', '4186790001END_USER'],
      ],
    );
    assert.equal(new Set(op.messages.map((m) => m.messageId)).size, 7);
    const state = p.sync.find((s) => s.callId === '4186790001')!.state;
    assert.equal(state.transcriptSent, op.transcriptKey);
    // The next plan, with the sync state saved, sends nothing again.
    const again = planOf(
      batch(callsOf([...answered, ...transcription]).map((c) => ({ ...c, sync: state }))),
    );
    assert.equal(again.telephony.length, 0);
  });

  it('keeps a transcript that arrives before its call, and applies it when the call comes', () => {
    const only = planOf(batch(callsOf(transcription)));
    assert.deepEqual(only.writes, []);
    assert.deepEqual(only.telephony, []);
    const late = planOf(batch(callsOf([...transcription, ...answered])));
    assert.ok(late.writes.some((w) => w.sobject === 'Aircall_Voice__c' && w.fields.Transcript__c));
  });

  it('names the speaker a VIRTUAL_AGENT when the agent has no Salesforce user', () => {
    const p = planOf(batch(callsOf([...answered, ...transcription]), { users: [] }));
    const op = p.telephony.find((o): o is TranscriptOp => o.kind === 'transcript')!;
    assert.equal(op.messages[0]!.senderType, 'VIRTUAL_AGENT');
    assert.equal(op.messages[0]!.participantId, '4186790001VIRTUAL_AGENT');
  });

  it('keeps the first lines of an oversize transcript in the field and the whole text in a file', () => {
    const [t] = transcription;
    const data = t!.raw.data as { content: { utterances: Record<string, unknown>[] } };
    const long = Array.from({ length: 3000 }, (_, i) => ({
      start_time: i * 2,
      end_time: i * 2 + 1.5,
      text: `Sentence number ${i} of a very long conversation about renewing twenty seats, ${'again '.repeat(5)}`,
      participant_type: i % 2 ? 'external' : 'internal',
      user_id: 2078001,
    }));
    const body = {
      ...t!.raw,
      data: { ...data, content: { ...data.content, utterances: long } },
    };
    const p = planOf(batch(callsOf([...answered, ...parseAll([body])])));
    const field = p.writes.find((w) => w.sobject === 'Aircall_Voice__c')!.fields
      .Transcript__c as string;
    assert.ok(field.length <= TRANSCRIPT_FIELD_LENGTH, `${field.length}`);
    assert.match(
      field,
      /more lines: the full transcript \(3000 lines\) is in the file "Transcript 4186790001.txt"/,
    );
    assert.equal(p.files?.length, 1);
    assert.equal(p.files[0]!.text.split('\n').length, 3000);
    assert.ok(p.files[0]!.text.length > TRANSCRIPT_FIELD_LENGTH);
  });

  it('cuts a transcript at whole lines, never past the field', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 80 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 200, max: 2000 }),
        (texts, max) => {
          const transcript = {
            id: 'x',
            language: null,
            lines: texts.map((text, i) => ({
              offset: i,
              end: null,
              speaker: 'customer' as const,
              name: null,
              aircallUserId: null,
              text,
            })),
          };
          const stored = storedTranscript(transcript, 'Transcript 1.txt', max);
          assert.ok(stored.field.length <= max);
          if (stored.fits) assert.equal(stored.field, stored.full);
          else assert.ok(stored.full.startsWith(stored.field.split('\n').slice(0, -1).join('\n')));
        },
      ),
    );
  });
});
