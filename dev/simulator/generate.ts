/**
 * Deterministic Aircall webhook streams: the real envelope (`resource`, `event`, `timestamp`,
 * `token`, `data`) with the Call object of docs/PLATFORM.md §1, in the sequences Aircall sends
 * (call.created → ringing → answered → hungup, call.ended ~30 s later, then tags, comments,
 * assignment, media and AI events), plus user.*.v2 events; duplicates and out-of-order delivery at
 * configurable rates. Each call's ground truth is returned next to the stream, so tests can check
 * what ended up in Salesforce against what really happened.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  DEFAULT_AGENTS,
  DEFAULT_KNOWN_NUMBERS,
  DEFAULT_LINES,
  INVALID_NUMBERS,
  type SimAgent,
  type SimLine,
} from './agents';

export type Scenario =
  | 'answered'
  | 'held'
  | 'transferred'
  | 'missed'
  | 'voicemail'
  | 'abandoned'
  | 'answered_outbound'
  | 'unanswered_outbound'
  | 'invalid_number';

export const SCENARIOS: readonly Scenario[] = [
  'answered',
  'held',
  'transferred',
  'missed',
  'voicemail',
  'abandoned',
  'answered_outbound',
  'unanswered_outbound',
  'invalid_number',
];

/** Missed reasons (Aircall `missed_call_reason`), cycled so every reason appears in a long enough stream. */
export const MISSED_REASONS = [
  'out_of_opening_hours',
  'no_available_agent',
  'agents_did_not_answer',
] as const;
export const ABANDONED_REASONS = [
  'short_abandoned',
  'abandoned_in_ivr',
  'abandoned_in_classic',
] as const;

export interface WebhookEnvelope {
  resource: string;
  event: string;
  timestamp: number;
  token: string;
  data: Record<string, unknown>;
}

export interface SimulatedCall {
  id: number;
  direction: 'inbound' | 'outbound';
  scenario: Scenario;
  missedReason: string | null;
  /** The other party's number as Aircall reports it in raw_digits. */
  customerNumber: string;
  /** E.164 of customerNumber, null for an invalid number. */
  customerE164: string | null;
  /** Whether customerNumber belongs to the known list (seeded CRM records). */
  known: boolean;
  line: SimLine;
  /** The agent who took or made the call (the last one after a transfer); null when nobody answered an inbound call. */
  agentEmail: string | null;
  transferredFromEmail: string | null;
  tags: string[];
  comments: string[];
  assigneeEmail: string | null;
  recording: string | null;
  voicemail: string | null;
  asset: string;
  aiEvents: string[];
  holds: number;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  ringSeconds: number;
  talkSeconds: number;
  /** Event names in the order Aircall emits them (before duplicates and reordering). */
  events: string[];
}

export interface GenerateOptions {
  count: number;
  /** PRNG seed: the same options always give the same stream. */
  seed?: number;
  /** Start of the first call (Date or Unix seconds). Default 2026-01-05T08:00:00Z (a Monday). */
  startAt?: Date | number;
  agents?: SimAgent[];
  lines?: SimLine[];
  numbers?: {
    /** Numbers of existing CRM records, as Aircall reports them. */
    known?: string[];
    /** Fraction of calls from/to a number nobody knows (default 0.3). */
    unknownRate?: number;
    /** Fraction of unknown-number calls that reuse an earlier unknown number (default 0.2). */
    repeatUnknownRate?: number;
  };
  /** Fraction of envelopes delivered twice (default 0). */
  duplicateRate?: number;
  /** Fraction of envelopes delivered after a later one (default 0). */
  outOfOrderRate?: number;
  /** Webhook token put in every envelope. */
  token?: string;
  /** Relative weights of scenarios (default: a realistic contact-center mix). */
  scenarios?: Partial<Record<Scenario, number>>;
  /** Mean seconds between call starts (default 20). */
  meanIntervalSeconds?: number;
  /** Fraction of answered calls with AI events (default 0.5). */
  aiRate?: number;
  /** Emit user.*.v2 events (opened/closed, wrap-up start/end). Default true. */
  userEvents?: boolean;
  /**
   * Fraction of inbound calls whose call.created arrives twice, once per linked IVR number (docs/PLATFORM.md §1:
   * "If an IVR's parent and child numbers are both linked, call.created can arrive twice"). Default 0.
   */
  ivrDoubleCreatedRate?: number;
}

const DEFAULT_WEIGHTS: Record<Scenario, number> = {
  answered: 33,
  held: 5,
  transferred: 5,
  missed: 12,
  voicemail: 8,
  abandoned: 8,
  answered_outbound: 15,
  unanswered_outbound: 9,
  invalid_number: 5,
};

const TAGS = ['Sales', 'Support', 'Billing', 'VIP', 'Follow-up', 'Complaint'];
const COMMENTS = [
  'Customer asked for a callback tomorrow morning.',
  'Sent the quote by e-mail.',
  'Escalated to the billing team.',
  'Wants to upgrade to the premium plan.',
  'Wrong number, nothing to do.',
];
const SUMMARIES = [
  'The customer called about an invoice discrepancy; the agent explained the pro-rata charge.',
  'A prospect asked for pricing for 25 seats and a demo next week.',
  'The caller reported a delivery delay; the agent opened a ticket and promised an update.',
];
const TOPICS = [
  ['billing', 'invoice'],
  ['pricing', 'demo'],
  ['delivery', 'delay'],
];
const ACTIONS = ['Send the updated invoice', 'Schedule a demo', 'Call back with the delivery date'];

/** mulberry32: small and deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }
}

function toE164(raw: string): string | null {
  const p = parsePhoneNumberFromString(raw);
  return p?.isValid() ? p.number : null;
}

function unknownNumber(rng: Rng): string {
  if (rng.chance(0.5)) {
    return `+33 6 ${[rng.int(10, 99), rng.int(10, 99), rng.int(10, 99), rng.int(10, 99)].join(' ')}`;
  }
  const areas = [212, 303, 415, 503, 617, 702, 808];
  return `+1 ${rng.pick(areas)}-${rng.int(201, 989)}-${String(rng.int(1000, 9999))}`;
}

function userObject(a: SimAgent, availability = 'available'): Record<string, unknown> {
  return {
    id: a.id,
    direct_link: `https://api.aircall.io/v1/users/${a.id}`,
    name: a.name,
    email: a.email,
    available: true,
    availability_status: availability,
    substatus: 'always_opened',
  };
}

interface Timeline {
  at: number;
  event: string;
  resource: string;
  data: Record<string, unknown>;
}

export function generateCalls(opts: GenerateOptions): {
  envelopes: WebhookEnvelope[];
  calls: SimulatedCall[];
} {
  const rng = new Rng(prng(opts.seed ?? 42));
  const agents = opts.agents ?? DEFAULT_AGENTS;
  const lines = opts.lines ?? DEFAULT_LINES;
  const known = opts.numbers?.known ?? DEFAULT_KNOWN_NUMBERS;
  const unknownRate = opts.numbers?.unknownRate ?? 0.3;
  const repeatRate = opts.numbers?.repeatUnknownRate ?? 0.2;
  const token = opts.token ?? 'simulator-token';
  const weights = { ...DEFAULT_WEIGHTS, ...opts.scenarios };
  const totalWeight = SCENARIOS.reduce((s, k) => s + Math.max(0, weights[k]), 0);
  const start =
    opts.startAt === undefined
      ? Date.UTC(2026, 0, 5, 8, 0, 0) / 1000
      : typeof opts.startAt === 'number'
        ? opts.startAt
        : Math.floor(opts.startAt.getTime() / 1000);
  const interval = opts.meanIntervalSeconds ?? 20;
  const aiRate = opts.aiRate ?? 0.5;
  const timeline: Timeline[] = [];
  const calls: SimulatedCall[] = [];
  const unknownUsed: string[] = [];
  let missedIdx = 0;
  let abandonedIdx = 0;
  let t = start;
  let idSeq = 0;
  const baseId = 1_800_000_000 + (opts.seed ?? 42) * 100_000;

  if (opts.userEvents !== false) {
    for (const a of agents) {
      timeline.push({
        at: start - 60,
        event: 'user.opened.v2',
        resource: 'user',
        data: userObject(a),
      });
    }
  }

  for (let n = 0; n < opts.count; n++) {
    t += Math.max(1, Math.round(-Math.log(1 - rng.next()) * interval));
    let r = rng.next() * totalWeight;
    let scenario: Scenario = 'answered';
    for (const k of SCENARIOS) {
      r -= Math.max(0, weights[k]);
      if (r < 0) {
        scenario = k;
        break;
      }
    }
    const outbound =
      scenario === 'answered_outbound' ||
      scenario === 'unanswered_outbound' ||
      scenario === 'invalid_number';
    let customer: string;
    let isKnown = false;
    if (scenario === 'invalid_number') {
      customer = rng.pick(INVALID_NUMBERS);
    } else if (rng.chance(unknownRate) || known.length === 0) {
      customer =
        unknownUsed.length > 0 && rng.chance(repeatRate)
          ? rng.pick(unknownUsed)
          : unknownNumber(rng);
      if (!unknownUsed.includes(customer)) unknownUsed.push(customer);
    } else {
      customer = rng.pick(known);
      isKnown = true;
    }
    const line = rng.pick(lines);
    const agent = rng.pick(agents);
    const id = baseId + ++idSeq;
    const answered =
      scenario === 'answered' ||
      scenario === 'held' ||
      scenario === 'transferred' ||
      scenario === 'answered_outbound';
    let missedReason: string | null = null;
    if (scenario === 'missed') missedReason = MISSED_REASONS[missedIdx++ % MISSED_REASONS.length]!;
    if (scenario === 'abandoned')
      missedReason = ABANDONED_REASONS[abandonedIdx++ % ABANDONED_REASONS.length]!;
    if (scenario === 'voicemail')
      missedReason = rng.pick([
        'no_available_agent',
        'agents_did_not_answer',
        'out_of_opening_hours',
      ]);
    const ring =
      scenario === 'invalid_number'
        ? rng.int(1, 3)
        : missedReason === 'short_abandoned'
          ? rng.int(1, 4)
          : missedReason === 'out_of_opening_hours'
            ? 0
            : rng.int(3, 25);
    const talk = answered ? rng.int(20, 600) : scenario === 'voicemail' ? 0 : 0;
    const voicemailSeconds = scenario === 'voicemail' ? rng.int(8, 60) : 0;
    const startedAt = t;
    const answeredAt = answered ? startedAt + ring : null;
    const endedAt = startedAt + ring + talk + voicemailSeconds;
    const transferTo =
      scenario === 'transferred'
        ? rng.pick(
            agents.filter((a) => a.id !== agent.id).length
              ? agents.filter((a) => a.id !== agent.id)
              : agents,
          )
        : null;
    const holds = scenario === 'held' ? rng.int(1, 2) : 0;
    const tags = answered && rng.chance(0.5) ? [rng.pick(TAGS)] : [];
    if (tags.length && rng.chance(0.3)) tags.push(rng.pick(TAGS.filter((x) => x !== tags[0])));
    const comments = answered && rng.chance(0.3) ? [rng.pick(COMMENTS)] : [];
    const assignee = !answered && !outbound && rng.chance(0.4) ? rng.pick(agents) : null;
    const recorded = answered && rng.chance(0.8);
    const recording = recorded
      ? `https://aircall-recordings.s3.amazonaws.com/calls/${id}/recording.mp3?X-Amz-Expires=3600`
      : null;
    const voicemail =
      scenario === 'voicemail'
        ? `https://aircall-voicemails.s3.amazonaws.com/calls/${id}/voicemail.mp3?X-Amz-Expires=3600`
        : null;
    const asset = `https://assets.aircall.io/calls/${id}/recording`;
    const ai = answered && rng.chance(aiRate);
    const finalAgent = transferTo ?? (answered || outbound ? agent : null);

    // The Call object as it evolves; each event carries a snapshot.
    const call: Record<string, unknown> = {
      id,
      direct_link: `https://api.aircall.io/v1/calls/${id}`,
      direction: outbound ? 'outbound' : 'inbound',
      status: 'initial',
      missed_call_reason: null,
      started_at: startedAt,
      answered_at: null,
      ended_at: null,
      duration: 0,
      raw_digits: customer,
      recording: null,
      recording_short_url: null,
      voicemail: null,
      voicemail_short_url: null,
      asset: null,
      user: outbound ? userObject(agent) : null,
      contact: null,
      number: { ...line, direct_link: `https://api.aircall.io/v1/numbers/${line.id}` },
      assigned_to: null,
      teams: outbound
        ? []
        : [{ id: 501, name: 'Support', direct_link: 'https://api.aircall.io/v1/teams/501' }],
      transferred_by: null,
      transferred_to: null,
      tags: [],
      comments: [],
      archived: false,
      country_code_a2: toE164(customer)
        ? (parsePhoneNumberFromString(customer)?.country ?? null)
        : null,
      hangup_cause: null,
      cost: '0.0',
    };
    const events: string[] = [];
    const emit = (at: number, event: string, data?: Record<string, unknown>): void => {
      events.push(event);
      timeline.push({
        at,
        event,
        resource:
          event.split('.')[0] === 'call'
            ? 'call'
            : event.startsWith('user.')
              ? 'user'
              : event.split('.')[0]!,
        data: data ?? structuredClone(call),
      });
    };

    emit(startedAt, 'call.created');
    if (!outbound && lines.length > 1 && rng.chance(opts.ivrDoubleCreatedRate ?? 0)) {
      const child = lines.find((l) => l.id !== line.id)!;
      emit(startedAt, 'call.created', {
        ...structuredClone(call),
        number: { ...child, direct_link: `https://api.aircall.io/v1/numbers/${child.id}` },
      });
    }
    if (
      !outbound &&
      ring > 0 &&
      missedReason !== 'abandoned_in_ivr' &&
      missedReason !== 'short_abandoned'
    ) {
      emit(startedAt + 1, 'call.ringing_on_agent', {
        ...structuredClone(call),
        user: userObject(agent),
      });
      if (missedReason === 'agents_did_not_answer' && rng.chance(0.5)) {
        emit(startedAt + Math.max(2, ring - 1), 'call.agent_declined', {
          ...structuredClone(call),
          user: userObject(agent),
        });
      }
    }
    if (answered) {
      call.status = 'answered';
      call.answered_at = answeredAt;
      call.user = userObject(agent);
      emit(answeredAt!, 'call.answered');
      let cursor = answeredAt!;
      for (let h = 0; h < holds; h++) {
        cursor += rng.int(10, Math.max(11, Math.floor(talk / (holds + 2))));
        emit(cursor, 'call.hold');
        cursor += rng.int(5, 40);
        emit(Math.min(cursor, endedAt - 1), 'call.unhold');
      }
      if (transferTo) {
        call.transferred_by = userObject(agent);
        call.transferred_to = userObject(transferTo);
        call.user = userObject(transferTo);
        emit(answeredAt! + Math.floor(talk / 2), 'call.transferred');
      }
    }
    call.status = 'done';
    call.ended_at = endedAt;
    call.duration = endedAt - startedAt;
    call.missed_call_reason = missedReason;
    call.asset = answered || voicemail ? asset : null;
    if (recording) {
      call.recording = recording;
      call.recording_short_url = `https://short.aircall.io/r/${id}`;
    }
    emit(endedAt, 'call.hungup');
    if (voicemail) {
      call.voicemail = voicemail;
      call.voicemail_short_url = `https://short.aircall.io/v/${id}`;
      emit(endedAt + 5, 'call.voicemail_left');
    }
    emit(endedAt + 30, 'call.ended');
    if (recording || voicemail) emit(endedAt + 45, 'call.comm_assets_generated');
    let after = endedAt + 50;
    for (const name of tags) {
      after += rng.int(5, 60);
      (call.tags as unknown[]).push({
        id: 300 + TAGS.indexOf(name),
        name,
        created_at: after,
        tagged_by: userObject(finalAgent ?? agent),
      });
      emit(after, 'call.tagged');
    }
    comments.forEach((content, i) => {
      after += rng.int(5, 120);
      (call.comments as unknown[]).push({
        id: id * 10 + i,
        content,
        posted_at: after,
        posted_by: userObject(finalAgent ?? agent),
      });
      emit(after, 'call.commented');
    });
    if (assignee) {
      after += rng.int(30, 300);
      call.assigned_to = userObject(assignee);
      emit(after, 'call.assigned');
    }
    const aiEvents: string[] = [];
    if (ai) {
      const k = rng.int(0, SUMMARIES.length - 1);
      const base = { call_id: id, call_uuid: `call-${id}`, created_at: endedAt + 90 };
      emit(endedAt + 90, 'summary.created', { ...base, id: id * 10 + 1, content: SUMMARIES[k] });
      emit(endedAt + 95, 'sentiment.created', {
        ...base,
        id: id * 10 + 2,
        participants: [
          { participant_type: 'external', value: rng.pick(['POSITIVE', 'NEUTRAL', 'NEGATIVE']) },
        ],
      });
      emit(endedAt + 100, 'topics.created', { ...base, id: id * 10 + 3, content: TOPICS[k] });
      emit(endedAt + 105, 'action_item.created', {
        ...base,
        id: id * 10 + 4,
        content: [ACTIONS[k]],
      });
      aiEvents.push(
        'summary.created',
        'sentiment.created',
        'topics.created',
        'action_item.created',
      );
    }
    if (opts.userEvents !== false && answered && finalAgent) {
      const wrap = rng.int(15, 90);
      timeline.push({
        at: endedAt + 1,
        event: 'user.wut_start.v2',
        resource: 'user',
        data: userObject(finalAgent, 'after_call_work'),
      });
      timeline.push({
        at: endedAt + 1 + wrap,
        event: 'user.wut_end.v2',
        resource: 'user',
        data: userObject(finalAgent),
      });
    }
    calls.push({
      id,
      direction: outbound ? 'outbound' : 'inbound',
      scenario,
      missedReason,
      customerNumber: customer,
      customerE164: toE164(customer),
      known: isKnown,
      line,
      agentEmail: finalAgent?.email ?? null,
      transferredFromEmail: transferTo ? agent.email : null,
      tags,
      comments,
      assigneeEmail: assignee?.email ?? null,
      recording,
      voicemail,
      asset,
      aiEvents,
      holds,
      startedAt,
      answeredAt,
      endedAt,
      ringSeconds: answered ? ring : endedAt - startedAt,
      talkSeconds: answered ? endedAt - answeredAt! : 0,
      events,
    });
  }
  if (opts.userEvents !== false) {
    const last = timeline.reduce((m, e) => Math.max(m, e.at), start) + 60;
    for (const a of agents)
      timeline.push({
        at: last,
        event: 'user.closed.v2',
        resource: 'user',
        data: userObject(a, 'unavailable'),
      });
  }

  // Delivery order: by time, then perturbed (Aircall delivers at least once and unordered).
  const ordered = timeline
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }): WebhookEnvelope => ({
      resource: e.resource,
      event: e.event,
      timestamp: e.at,
      token,
      data: e.data,
    }));
  const outOfOrder = opts.outOfOrderRate ?? 0;
  for (let i = 0; i < ordered.length - 1; i++) {
    if (rng.chance(outOfOrder)) {
      const j = Math.min(ordered.length - 1, i + rng.int(1, 5));
      [ordered[i], ordered[j]] = [ordered[j]!, ordered[i]!];
    }
  }
  const duplicateRate = opts.duplicateRate ?? 0;
  const envelopes: WebhookEnvelope[] = [];
  const later: { at: number; env: WebhookEnvelope }[] = [];
  ordered.forEach((env, i) => {
    envelopes.push(env);
    if (rng.chance(duplicateRate))
      later.push({ at: i + rng.int(0, 10), env: structuredClone(env) });
    for (let k = later.length - 1; k >= 0; k--) {
      if (later[k]!.at <= i) {
        envelopes.push(later[k]!.env);
        later.splice(k, 1);
      }
    }
  });
  for (const l of later) envelopes.push(l.env);
  return { envelopes, calls };
}
