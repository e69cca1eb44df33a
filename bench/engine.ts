/**
 * Rules-engine benchmark: plans batches of 200, 400 and 800 complete calls (created, answered,
 * hung up, ended, recording, tagged, commented: 7 events each, half from unknown numbers, a quarter
 * matched) and prints events per second and the time ratio to the 200-call batch. Linear planning
 * shows as ratios close to 2 and 4. Run: npm run bench:engine
 */
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_SETTINGS,
  buildBusinessHours,
  parseWebhook,
  planBatch,
  type BatchInput,
  type CrmCandidate,
} from '../src/engine';
import type { AiEvent, CallEvent } from '../src/aircall';

const START = 1790665200; // Tuesday 2026-09-29 09:00 Paris
const line = {
  id: 1,
  name: 'Support',
  digits: '+33 1 76 44 01 23',
  country: 'FR',
  time_zone: 'Europe/Paris',
};
const agents = Array.from({ length: 50 }, (_, i) => ({
  id: i + 1,
  name: `Agent ${i}`,
  email: `agent${i}@example.com`,
}));

function envelopes(callId: number, i: number): unknown[] {
  const s = START + i * 7;
  const number = `+33 6 ${String(10000000 + (i % 5000)).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  const base = {
    id: callId,
    direction: i % 3 === 0 ? 'outbound' : 'inbound',
    started_at: s,
    raw_digits: number,
    number: line,
    user: agents[i % agents.length],
  };
  const done = { ...base, status: 'done', answered_at: s + 5, ended_at: s + 185, duration: 185 };
  const media = {
    asset: `https://assets.aircall.io/calls/${callId}/recording`,
    recording: `https://example.invalid/${callId}.mp3`,
  };
  const env = (event: string, timestamp: number, data: object) => ({
    resource: 'call',
    event,
    timestamp,
    token: 't',
    data,
  });
  return [
    env('call.created', s, { ...base, status: 'initial' }),
    env('call.answered', s + 5, { ...base, status: 'answered', answered_at: s + 5 }),
    env('call.hungup', s + 185, done),
    env('call.ended', s + 215, done),
    env('call.comm_assets_generated', s + 220, { ...done, ...media }),
    env('call.tagged', s + 230, { ...done, ...media, tags: [{ id: 1, name: 'Sales' }] }),
    env('call.commented', s + 240, {
      ...done,
      ...media,
      tags: [{ id: 1, name: 'Sales' }],
      comments: [{ id: i, content: 'Follow up' }],
    }),
  ];
}

function parseCalls(bodiesByCall: unknown[][]): BatchInput['calls'] {
  return bodiesByCall.map((list) => {
    const events = list.map((b) => {
      const r = parseWebhook(b);
      if (!r.ok) throw new Error(r.error);
      return r.event as CallEvent | AiEvent;
    });
    return { callId: String((events[0]!.data as { id: number }).id), events };
  });
}

function makeBatch(size: number): {
  input: Omit<BatchInput, 'calls'>;
  bodiesByCall: unknown[][];
  events: number;
} {
  const matches = new Map<string, CrmCandidate[]>();
  const bodiesByCall: unknown[][] = [];
  for (let i = 0; i < size; i++) {
    bodiesByCall.push(envelopes(4186800000 + i, i));
    if (i % 4 === 0) {
      const e164 = `+336${String(10000000 + (i % 5000))}`;
      matches.set(e164, [
        {
          sobject: 'Contact',
          id: `003${String(i).padStart(15, '0')}`,
          name: 'C',
          firstName: null,
          lastName: 'C',
          accountId: null,
          company: null,
          lastModifiedDate: null,
          createdDate: null,
        },
      ]);
    }
  }
  const businessHours = buildBusinessHours([
    {
      Id: '01m000000000001AAA',
      Name: 'Paris',
      IsDefault: true,
      TimeZoneSidKey: 'Europe/Paris',
      MondayStartTime: '08:00:00.000Z',
      MondayEndTime: '18:00:00.000Z',
      TuesdayStartTime: '08:00:00.000Z',
      TuesdayEndTime: '18:00:00.000Z',
    },
  ]);
  const input: Omit<BatchInput, 'calls'> = {
    userEvents: [],
    settings: { ...DEFAULT_SETTINGS, recordingDestination: 'Both' },
    statusMappings: [],
    businessHours,
    matches,
    users: agents.map((a, i) => ({ Id: `005${String(i).padStart(15, '0')}`, Email: a.email })),
    known: new Map(),
    callCenterApiName: 'Aircall_Contact_Center',
    now: new Date((START + size * 7 + 3600) * 1000),
  };
  return { input, bodiesByCall, events: bodiesByCall.flat().length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median time of `run`, each repetition on fresh inputs from `setup` (not timed): planning sees
 * freshly parsed events, as the connector hands it, so no per-event cache is warm. */
function time<T>(setup: () => T, run: (input: T) => void, reps: number): number {
  for (let w = 0; w < 3; w++) run(setup());
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const input = setup();
    const t0 = performance.now();
    run(input);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const sizes = [200, 400, 800];
// One untimed pass over every size first, so the JIT has compiled the engine before any timing.
for (const size of sizes) {
  const { input, bodiesByCall } = makeBatch(size);
  for (let w = 0; w < 3; w++) planBatch({ ...input, calls: parseCalls(bodiesByCall) });
}
const results: { size: number; events: number; planMs: number; parseMs: number }[] = [];
for (const size of sizes) {
  const { input, bodiesByCall, events } = makeBatch(size);
  const planMs = time(
    () => ({ ...input, calls: parseCalls(bodiesByCall) }),
    (batch) => void planBatch(batch),
    11,
  );
  const parseMs = time(
    () => bodiesByCall.flat(),
    (bodies) => bodies.forEach((b) => void parseWebhook(b)),
    5,
  );
  results.push({ size, events, planMs, parseMs });
}
const base = results[0]!;
console.log('calls  events  plan ms  plan events/s  ratio vs 200  parse ms  parse events/s');
for (const r of results) {
  console.log(
    [
      String(r.size).padStart(5),
      String(r.events).padStart(7),
      r.planMs.toFixed(1).padStart(8),
      Math.round(r.events / (r.planMs / 1000))
        .toLocaleString('en-US')
        .padStart(14),
      (r.planMs / base.planMs).toFixed(2).padStart(13),
      r.parseMs.toFixed(1).padStart(9),
      Math.round(r.events / (r.parseMs / 1000))
        .toLocaleString('en-US')
        .padStart(15),
    ].join(' '),
  );
}
console.log(
  `size ratio 1 : 2 : 4 -> time ratio 1 : ${(results[1]!.planMs / base.planMs).toFixed(2)} : ${(results[2]!.planMs / base.planMs).toFixed(2)}`,
);
