import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { callIdOf } from '../../src/engine';
import { MAX_UNIX_SECONDS } from '../../src/aircall/schemas';
import { durationsOf, foldCall, MAX_DURATION_SECONDS } from '../../src/engine/fold';
import { callTypeOf } from '../../src/engine/rules';
import { callHistory, shuffledWithDuplicates } from './arbitraries';
import { callEventsOf, load } from './helpers';

describe('call fold', () => {
  it('is order-independent and idempotent over generated call histories (any permutation, any duplicates)', () => {
    fc.assert(
      fc.property(
        callHistory(4186790100).chain((call) =>
          fc.tuple(fc.constant(call), shuffledWithDuplicates(callEventsOf(call.events))),
        ),
        ([call, delivered]) => {
          const canonical = foldCall(call.truth.callId, callEventsOf(call.events));
          assert.deepEqual(foldCall(call.truth.callId, delivered), canonical);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is order-independent for a real-shaped inbound call with AI events', () => {
    const events = callEventsOf([...load('inbound-answered.json'), ...load('ai-events.json')]);
    const canonical = foldCall('4186790001', events);
    fc.assert(
      fc.property(shuffledWithDuplicates(events), (delivered) => {
        assert.deepEqual(foldCall('4186790001', delivered), canonical);
      }),
      { numRuns: 200 },
    );
  });

  it('computes exact durations for generated calls: talk is 0 whenever nobody answered', () => {
    fc.assert(
      fc.property(callHistory(4186790101), ({ events, truth }) => {
        const state = foldCall(truth.callId, callEventsOf(events))!;
        const d = durationsOf(state)!;
        assert.equal(d.totalSeconds, truth.endedAt - truth.startedAt);
        if (truth.answeredAt === null) {
          assert.equal(d.talkSeconds, 0);
          assert.equal(d.ringSeconds, d.totalSeconds);
        } else {
          assert.equal(d.ringSeconds, truth.answeredAt - truth.startedAt);
          assert.equal(d.talkSeconds, truth.endedAt - truth.answeredAt);
        }
        assert.deepEqual(state.tags, truth.tags);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the real captured record ring 3 s, talk 18 s, total 21 s (docs/PLATFORM.md §1)', () => {
    const state = foldCall('4186780376', callEventsOf(load('outbound-answered.json')))!;
    assert.deepEqual(durationsOf(state), { ringSeconds: 3, talkSeconds: 18, totalSeconds: 21 });
  });

  it('keeps durations within what the Number(9, 0) seconds fields hold, whatever the times', () => {
    const state = foldCall('4186780376', callEventsOf(load('outbound-answered.json')))!;
    // Times out of order (ended before it started): no negative ring time.
    const backwards = { ...state, answeredAt: null, endedAt: state.startedAt - 500 };
    assert.deepEqual(durationsOf(backwards), { ringSeconds: 0, talkSeconds: 0, totalSeconds: 0 });
    const endedFirst = { ...state, startedAt: 2000, answeredAt: 1500, endedAt: 1000 };
    assert.deepEqual(durationsOf(endedFirst), { ringSeconds: 0, talkSeconds: 0, totalSeconds: 0 });
    // 2,000 years of talk: capped.
    const endless = { ...state, startedAt: 0, answeredAt: 0, endedAt: MAX_UNIX_SECONDS };
    assert.deepEqual(durationsOf(endless), {
      ringSeconds: 0,
      talkSeconds: MAX_DURATION_SECONDS,
      totalSeconds: MAX_DURATION_SECONDS,
    });
  });

  it('has no durations until the call has ended', () => {
    const [created] = callEventsOf(load('outbound-answered.json'));
    const state = foldCall('4186780376', [created!])!;
    assert.equal(durationsOf(state), null);
    assert.equal(state.ended, false);
  });

  it('keeps the latest tags (untag removes), every comment, the assignment and AI data', () => {
    const state = foldCall(
      '4186790001',
      callEventsOf([...load('inbound-answered.json'), ...load('ai-events.json')]),
    )!;
    assert.deepEqual(state.tags, ['VIP']);
    assert.deepEqual(
      state.comments.map((c) => [c.by, c.content]),
      [['Camille Martin', 'Customer wants a quote by Friday.']],
    );
    assert.equal(state.assignedTo?.email, 'camille.martin@example.com');
    assert.equal(
      state.aiSummary,
      'The customer asked for a quote on 20 seats; the agent promised it by Friday.',
    );
    assert.equal(state.aiSentiment, 'Positive');
    assert.deepEqual(state.aiTopics, ['pricing', 'renewal']);
    assert.deepEqual(state.aiActionItems, ['Send the quote by Friday']);
    assert.equal(state.complete, true);
  });

  it('waits for a call event before folding AI events alone', () => {
    assert.equal(foldCall('4186790001', callEventsOf(load('ai-events.json'))), null);
  });

  it('classifies every call type, keeping the missed reason', () => {
    const type = (file: string) => {
      const events = callEventsOf(load(file));
      return callTypeOf(foldCall(callIdOf(events[0]!)!, events)!);
    };
    assert.equal(type('inbound-answered.json'), 'Answered');
    assert.equal(type('outbound-answered.json'), 'Answered');
    assert.equal(type('inbound-missed.json'), 'Missed');
    assert.equal(type('inbound-voicemail.json'), 'Voicemail');
    assert.equal(type('inbound-abandoned.json'), 'Abandoned');
    assert.equal(type('outbound-unanswered.json'), 'Unanswered Outbound');
    const missed = callEventsOf(load('inbound-missed.json'));
    assert.equal(foldCall('4186790002', missed)!.missedReason, 'agents_did_not_answer');
  });

  it('leaves the type open while an inbound call is still ringing', () => {
    const [created] = callEventsOf(load('inbound-missed.json'));
    assert.equal(callTypeOf(foldCall('4186790002', [created!])!), null);
  });
});
