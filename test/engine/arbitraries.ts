/** fast-check generators of whole Aircall call histories (envelopes), with the truth they encode. */
import fc from 'fast-check';
import type { AircallEvent } from '../../src/engine';
import { parseAll } from './helpers';

export interface GeneratedCall {
  events: AircallEvent[];
  truth: {
    callId: string;
    direction: 'inbound' | 'outbound';
    startedAt: number;
    answeredAt: number | null;
    endedAt: number;
    tags: string[];
  };
}

const line = {
  id: 1,
  name: 'Support',
  digits: '+33 1 76 44 01 23',
  country: 'FR',
  time_zone: 'Europe/Paris',
};
const agent = { id: 7, name: 'Camille Martin', email: 'camille.martin@example.com' };

/** A complete call: created → (answered) → hungup → ended, plus tag changes after it ended. */
export const callHistory = (callId: number): fc.Arbitrary<GeneratedCall> =>
  fc
    .record({
      direction: fc.constantFrom('inbound' as const, 'outbound' as const),
      // Working hours of Tuesday 2026-09-29 in Paris, so business-hours rules keep the call.
      startedAt: fc.integer({ min: 1790665200, max: 1790690000 }),
      ring: fc.integer({ min: 0, max: 90 }),
      answered: fc.boolean(),
      talk: fc.integer({ min: 0, max: 3600 }),
      tagSteps: fc.array(fc.subarray(['VIP', 'Callback', 'Sales', 'Complaint']), { maxLength: 3 }),
      number: fc.constantFrom(
        '+33 6 12 34 56 78',
        '06 98 76 54 32',
        'anonymous',
        '+1 617-610-5413',
      ),
    })
    .map((g) => {
      const answeredAt = g.answered ? g.startedAt + g.ring : null;
      const endedAt = answeredAt !== null ? answeredAt + g.talk : g.startedAt + g.ring;
      const base = {
        id: callId,
        direction: g.direction,
        started_at: g.startedAt,
        raw_digits:
          g.direction === 'outbound' && g.number === 'anonymous' ? '+33 6 12 34 56 78' : g.number,
        number: line,
        user: agent,
        answered_at: null as number | null,
        ended_at: null as number | null,
        tags: [] as { id: number; name: string }[],
        comments: [],
        missed_call_reason: null as string | null,
      };
      const env = (event: string, timestamp: number, data: Record<string, unknown>) => ({
        resource: 'call',
        event,
        timestamp,
        token: 't',
        data: { ...base, ...data },
      });
      const done = {
        status: 'done',
        answered_at: answeredAt,
        ended_at: endedAt,
        duration: endedAt - g.startedAt,
        missed_call_reason:
          answeredAt === null && g.direction === 'inbound' ? 'agents_did_not_answer' : null,
      };
      const bodies = [env('call.created', g.startedAt, { status: 'initial' })];
      if (answeredAt !== null)
        bodies.push(
          env('call.answered', answeredAt, { status: 'answered', answered_at: answeredAt }),
        );
      bodies.push(env('call.hungup', endedAt, done));
      bodies.push(env('call.ended', endedAt + 30, done));
      let tags: string[] = [];
      g.tagSteps.forEach((step, i) => {
        const event = step.length >= tags.length ? 'call.tagged' : 'call.untagged';
        tags = step;
        bodies.push(
          env(event, endedAt + 40 + i, { ...done, tags: step.map((name, j) => ({ id: j, name })) }),
        );
      });
      return {
        events: parseAll(bodies),
        truth: {
          callId: String(callId),
          direction: g.direction,
          startedAt: g.startedAt,
          answeredAt,
          endedAt,
          tags: [...tags].sort(),
        },
      };
    });

/** The given events in any order, with any of them delivered several times. */
export function shuffledWithDuplicates<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  if (items.length === 0) return fc.constant([]);
  return fc
    .array(fc.integer({ min: 0, max: items.length - 1 }), { maxLength: items.length * 2 })
    .chain((extra) => {
      const all = [...items, ...extra.map((i) => items[i]!)];
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });
}
