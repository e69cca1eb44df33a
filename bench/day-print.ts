/**
 * What `npm run bench:day` prints for one simulated day (bench/day.ts runs it): requests per call
 * by cause, the share of the org's daily API allocation, and the latencies.
 */
import { fmt } from './common';
import type { DayOptions } from './day';

/** The phases of the batch that made an urgent event visible (see BatchTimings in worker.ts). */
const PHASES = ['queued', 'load', 'plan', 'POST', 'Composite', '(settle, after)'] as const;

export type Cause =
  | 'search'
  | 'open Cases/Opportunities'
  | 'record writes'
  | 'settings/context reads'
  | 'sweeps'
  | 'remembered-number reads'
  | 'other';
export const CAUSES: Cause[] = [
  'search',
  'open Cases/Opportunities',
  'record writes',
  'settings/context reads',
  'sweeps',
  'remembered-number reads',
  'other',
];

export interface DayFigures {
  /** Call Tasks in the org at the end of the day (0 with Activity Task off). */
  tasks: number;
  calls: number;
  webhooks: number;
  rest: number;
  byCause: Record<Cause, number>;
  publishes: number;
  telephony: number;
  /** Milliseconds of simulated time, sorted. */
  answerToVisible: number[];
  hangupToVisible: number[];
  hangupToFinal: number[];
  webhookToEffect: number[];
  neverVisible: number;
  neverFinal: number;
  /** Per urgent event: which, its latency to visible, and the phases it spent (PHASES order). */
  phases: { urgent: 'answer' | 'hangup'; total: number; ms: number[] }[];
  naiveRestPerCall: number;
  naiveTelephonyPerCall: number;
  wallSeconds: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ALLOCATION = (licences: number) => 100_000 + 1_000 * licences;

export function printDay(options: DayOptions, f: DayFigures): void {
  const per = (n: number) => fmt(n / f.calls, 2);
  const s = (ms: number) => `${fmt(ms / 1000, 2)} s`;
  const lat = (label: string, xs: number[]) =>
    console.log(
      `    ${label}: p50 ${s(percentile(xs, 50))}, p99 ${s(percentile(xs, 99))}, max ${s(xs.at(-1) ?? NaN)} (${xs.length} calls)`,
    );
  console.log(
    `  ${options.agents} agents, ${f.calls} calls over ${options.hours} h (Poisson, one every ${fmt((options.hours * 3600) / f.calls, 1)} s on average), ` +
      `${f.webhooks} webhooks; callers among ${options.contacts} Contacts + 30 % unknown numbers; ` +
      `modelled org round trip ${options.requestMs} ms`,
  );
  console.log(
    `    REST requests per call: ${per(f.rest)} + ${per(f.publishes)} event publishes = ${per(f.rest + f.publishes)}  (target ≤ 2.5, publishes included)`,
  );
  console.log(
    `    by cause: ${CAUSES.map((c) => `${c} ${per(f.byCause[c])}`).join(', ')}, event publishes ${per(f.publishes)} (inside the record-write requests)`,
  );
  console.log(`    Telephony API requests per call: ${per(f.telephony)}`);
  const perCall = f.rest / f.calls;
  // Scaled to a 9-hour day at the simulated pace (a shortened run counts as a whole day's traffic).
  const callsPerAgent = (f.calls / options.agents) * (9 / options.hours);
  console.log(
    `    share of an Enterprise org's daily API allocation (100,000 + 1,000 per licence, ${fmt(callsPerAgent, 0)} calls per agent in a 9-hour day):`,
  );
  for (const agents of [50, 200, 1000]) {
    const day = perCall * callsPerAgent * agents;
    console.log(
      `      ${String(agents).padStart(5)} agents: ${fmt(day, 0).padStart(7)} of ${ALLOCATION(agents).toLocaleString('en-US')} = ${fmt((100 * day) / ALLOCATION(agents), 1)} %`,
    );
  }
  lat('answer → record visible', f.answerToVisible);
  lat('hang-up → record visible (unanswered calls)', f.hangupToVisible);
  for (const urgent of ['answer', 'hangup'] as const) {
    const xs = f.phases.filter((p) => p.urgent === urgent).sort((a, b) => a.total - b.total);
    if (xs.length === 0) continue;
    const slow = xs.slice(Math.floor(xs.length * 0.95));
    const mean = (ys: typeof xs, i: number) =>
      ys.reduce((t, y) => t + (y.ms[i] ?? 0), 0) / ys.length;
    const row = (ys: typeof xs) =>
      PHASES.map((name, i) => `${name} ${fmt(mean(ys, i), 0)}`).join(', ') + ' ms';
    console.log(
      `      where the time went (${urgent === 'answer' ? 'answers' : 'unanswered hang-ups'}), mean: ${row(xs)}; slowest 5 % (${slow.length}): ${row(slow)}`,
    );
  }
  lat('hang-up → final state (call fields + VoiceCall final PATCH)', f.hangupToFinal);
  lat('any webhook → its effect committed', f.webhookToEffect);
  if (f.neverVisible || f.neverFinal)
    console.log(`    never visible: ${f.neverVisible} calls; never final: ${f.neverFinal}`);
  console.log(
    `    naive writer on the first ${options.naiveCalls} calls of the same day: ${fmt(f.naiveRestPerCall, 2)} REST + ${fmt(f.naiveTelephonyPerCall, 2)} Telephony requests per call → ` +
      `${fmt(f.naiveRestPerCall / (f.rest / f.calls), 1)}× this connector's REST requests (${fmt(f.naiveRestPerCall / ((f.rest + f.publishes) / f.calls), 1)}× with publishes)`,
  );
  console.log(`    wall time ${fmt(f.wallSeconds, 0)} s`);
}
