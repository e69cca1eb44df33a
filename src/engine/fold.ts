/**
 * Folds every stored event of one Aircall call into one state.
 *
 * Aircall delivers at least once and in any order, so the fold must not depend on arrival order:
 * events are deduplicated by `eventKey`, put in one canonical order (call phase, then envelope
 * timestamp, then event name, then data hash), and applied in that order. Values that only grow
 * (start/answer/end times, comments, flags) are combined with min/max/union, so they do not even
 * depend on the canonical order; values that can be taken back (tags, assignment) follow the latest
 * snapshot.
 */
import type { AiEvent, AircallCall, AircallUserRef, CallEvent } from '../aircall/schemas';
import { journeyOf, transcriptOf, usersOf, type Journey, type Transcript } from './conversation';
import { dataHashOf, eventKey } from './events';

export type AiSentiment = 'Positive' | 'Neutral' | 'Negative' | 'Mixed';

export interface CallComment {
  key: string;
  content: string;
  by: string | null;
  at: number | null;
}

export interface CallState {
  callId: string;
  direction: 'inbound' | 'outbound';
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Hung up, ended, or status "done" in any snapshot. */
  ended: boolean;
  /** `call.ended` seen: Aircall has completed the call's data. */
  complete: boolean;
  missedReason: string | null;
  rawDigits: string | null;
  lineDigits: string | null;
  lineName: string | null;
  lineCountry: string | null;
  /** The Aircall line's own country (`number.country`), without the caller's as fallback. */
  numberCountry: string | null;
  /** The Aircall line's IANA time zone (`number.time_zone`): local dates and hours are read in it. */
  lineTimeZone: string | null;
  agent: AircallUserRef | null;
  assignedTo: AircallUserRef | null;
  aircallContact: {
    firstName: string | null;
    lastName: string | null;
    company: string | null;
  } | null;
  tags: string[];
  comments: CallComment[];
  directLink: string | null;
  asset: string | null;
  recording: string | null;
  recordingShortUrl: string | null;
  voicemail: string | null;
  voicemailShortUrl: string | null;
  voicemailLeft: boolean;
  archived: boolean;
  aiSummary: string | null;
  aiSentiment: AiSentiment | null;
  aiTopics: string[];
  aiActionItems: string[];
  /** The latest transcription Aircall sent for the call (`transcription.created`), or null. */
  transcript: Transcript | null;
  /** Rings, IVR options, holds and transfers. */
  journey: Journey;
  /** Every Aircall user the call's events name, by Aircall user id (who spoke in the transcript). */
  people: Map<string, AircallUserRef>;
  /** Latest envelope timestamp (Unix seconds). */
  lastEventAt: number;
  /** Which event names were seen (sorted), for "what changed" and tests. */
  seen: string[];
}

const PHASE: Record<AircallCall['status'], number> = { initial: 0, answered: 1, done: 2 };

const EVENT_ORDER = [
  'call.created',
  'call.ringing_on_agent',
  'call.agent_declined',
  'call.ivr_option_selected',
  'call.answered',
  'call.hold',
  'call.unhold',
  'call.transferred',
  'call.external_transferred',
  'call.unsuccessful_transfer',
  'call.voicemail_left',
  'call.hungup',
  'call.ended',
  'call.comm_assets_generated',
  'call.assigned',
  'call.tagged',
  'call.untagged',
  'call.commented',
  'call.archived',
];

function rankOf(name: string): number {
  const i = EVENT_ORDER.indexOf(name);
  return i < 0 ? EVENT_ORDER.length : i;
}

interface Sortable {
  phase: number;
  timestamp: number;
  rank: number;
  hash: string;
}

function compare(a: Sortable, b: Sortable): number {
  return (
    a.phase - b.phase ||
    a.timestamp - b.timestamp ||
    a.rank - b.rank ||
    (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0)
  );
}

function minOf(a: number | null, b: number | null | undefined): number | null {
  if (b === null || b === undefined) return a;
  return a === null ? b : Math.min(a, b);
}
function maxOf(a: number | null, b: number | null | undefined): number | null {
  if (b === null || b === undefined) return a;
  return a === null ? b : Math.max(a, b);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  return null;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item): string[] => {
      if (typeof item === 'string') return item.trim() ? [item.trim()] : [];
      if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        const t = text(o.content) ?? text(o.text) ?? text(o.name) ?? text(o.title) ?? text(o.label);
        return t ? [t] : [];
      }
      return [];
    });
  }
  const single = text(value);
  return single ? [single] : [];
}

function sentimentOf(value: unknown): AiSentiment | null {
  const values: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') values.push(v.toLowerCase());
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      collect(o.value ?? o.sentiment ?? o.content);
    }
  };
  collect(value);
  const known = [
    ...new Set(values.filter((v) => ['positive', 'neutral', 'negative', 'mixed'].includes(v))),
  ];
  if (known.length === 0) return null;
  if (known.length > 1) return 'Mixed';
  const v = known[0]!;
  return (v.charAt(0).toUpperCase() + v.slice(1)) as AiSentiment;
}

/**
 * Folds one call's events. Returns null when no call.* event is known yet (only AI events arrived
 * first): there is nothing to log until the call itself is seen.
 */
export function foldCall(
  callId: string,
  events: readonly (CallEvent | AiEvent)[],
): CallState | null {
  const unique = new Map<string, CallEvent | AiEvent>();
  for (const e of events) unique.set(eventKey(e), e);
  const calls: (CallEvent & Sortable)[] = [];
  const ais: (AiEvent & Sortable)[] = [];
  for (const e of unique.values()) {
    const sortable = { timestamp: e.timestamp, rank: rankOf(e.event), hash: dataHashOf(e) };
    if (e.kind === 'call') calls.push({ ...e, ...sortable, phase: PHASE[e.data.status] });
    else ais.push({ ...e, ...sortable, phase: 0 });
  }
  if (calls.length === 0) return null;
  calls.sort(compare);
  ais.sort(compare);

  const first = calls[0]!.data;
  const state: CallState = {
    callId,
    direction: first.direction,
    startedAt: first.started_at,
    answeredAt: null,
    endedAt: null,
    ended: false,
    complete: false,
    missedReason: null,
    rawDigits: null,
    lineDigits: null,
    lineName: null,
    lineCountry: null,
    numberCountry: null,
    lineTimeZone: null,
    agent: null,
    assignedTo: null,
    aircallContact: null,
    tags: [],
    comments: [],
    directLink: null,
    asset: null,
    recording: null,
    recordingShortUrl: null,
    voicemail: null,
    voicemailShortUrl: null,
    voicemailLeft: false,
    archived: false,
    aiSummary: null,
    aiSentiment: null,
    aiTopics: [],
    aiActionItems: [],
    transcript: null,
    people: new Map(),
    journey: {
      holdCount: 0,
      holdSeconds: 0,
      longestHoldSeconds: 0,
      transfers: [],
      ivr: [],
      rangOn: [],
      steps: [],
    },
    lastEventAt: 0,
    seen: [],
  };
  const comments = new Map<string, CallComment>();
  const seen = new Set<string>();
  let startedAt: number | null = null;
  for (const e of calls) {
    const d = e.data;
    seen.add(e.event);
    state.lastEventAt = Math.max(state.lastEventAt, e.timestamp);
    startedAt = minOf(startedAt, d.started_at);
    state.answeredAt = minOf(state.answeredAt, d.answered_at);
    state.endedAt = maxOf(state.endedAt, d.ended_at);
    if (d.status === 'done' || e.event === 'call.hungup' || e.event === 'call.ended')
      state.ended = true;
    if (e.event === 'call.ended') state.complete = true;
    if (e.event === 'call.voicemail_left') state.voicemailLeft = true;
    if (d.archived === true) state.archived = true;
    // Later snapshots (canonical order) override, but never erase a value with a missing one.
    state.direction = d.direction;
    state.missedReason = text(d.missed_call_reason) ?? state.missedReason;
    state.rawDigits = text(d.raw_digits) ?? state.rawDigits;
    state.lineDigits = text(d.number?.digits) ?? state.lineDigits;
    state.lineName = text(d.number?.name) ?? state.lineName;
    state.lineCountry = text(d.number?.country) ?? text(d.country_code_a2) ?? state.lineCountry;
    state.numberCountry = text(d.number?.country)?.toUpperCase() ?? state.numberCountry;
    state.lineTimeZone = text(d.number?.time_zone) ?? state.lineTimeZone;
    state.agent = d.user ?? state.agent;
    state.directLink = text(d.direct_link) ?? state.directLink;
    state.asset = text(d.asset) ?? state.asset;
    state.recording = text(d.recording) ?? state.recording;
    state.recordingShortUrl = text(d.recording_short_url) ?? state.recordingShortUrl;
    state.voicemail = text(d.voicemail) ?? state.voicemail;
    state.voicemailShortUrl = text(d.voicemail_short_url) ?? state.voicemailShortUrl;
    if (d.contact) {
      state.aircallContact = {
        firstName: text(d.contact.first_name),
        lastName: text(d.contact.last_name),
        company: text(d.contact.company_name),
      };
    }
    // Tags and assignment can be taken back (call.untagged, unassign): the latest snapshot rules.
    if (d.assigned_to !== undefined) state.assignedTo = d.assigned_to;
    if (Array.isArray(d.tags))
      state.tags = [...new Set(d.tags.map((t) => t.name.trim()).filter(Boolean))].sort();
    for (const c of d.comments ?? []) {
      const content = text(c.content);
      if (!content) continue;
      const at =
        typeof c.posted_at === 'number'
          ? c.posted_at
          : typeof c.posted_at === 'string'
            ? Date.parse(c.posted_at) / 1000
            : null;
      const key = c.id !== undefined ? String(c.id) : `${at ?? ''}:${content}`;
      comments.set(key, {
        key,
        content,
        by: text(c.posted_by?.name) ?? text(c.posted_by?.email),
        at: Number.isNaN(at) ? null : at,
      });
    }
  }
  state.startedAt = startedAt ?? first.started_at;
  state.comments = [...comments.values()].sort(
    (a, b) => (a.at ?? 0) - (b.at ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );

  const actionItems = new Set<string>();
  for (const e of ais) {
    seen.add(e.event);
    state.lastEventAt = Math.max(state.lastEventAt, e.timestamp);
    const d = e.data as Record<string, unknown>;
    switch (e.event) {
      case 'summary.created':
        state.aiSummary =
          text(d.content) ?? text(d.summary) ?? (asList(d.content).join('\n') || state.aiSummary);
        break;
      case 'sentiment.created':
        state.aiSentiment =
          sentimentOf(d.participants ?? d.sentiment ?? d.value ?? d.content) ?? state.aiSentiment;
        break;
      case 'topics.created': {
        const topics = asList(d.content ?? d.topics);
        if (topics.length) state.aiTopics = [...new Set(topics)].sort();
        break;
      }
      case 'action_item.created':
        for (const item of asList(d.content ?? d.action_items ?? d.action_item))
          actionItems.add(item);
        break;
      default:
        break;
    }
  }
  state.aiActionItems = [...actionItems].sort();
  state.people = usersOf(calls);
  state.transcript = transcriptOf(ais, state.people);
  state.journey = journeyOf(calls, state.endedAt);
  state.seen = [...seen].sort();
  return state;
}

export interface Durations {
  ringSeconds: number;
  talkSeconds: number;
  totalSeconds: number;
}

/**
 * Exact durations once the call has ended. Aircall's `duration` includes ringing, so an unanswered
 * call shows a non-zero "duration" (a known limitation of the vendor's integration); here talk time is 0 whenever
 * nobody answered, inbound or outbound, and ring time is kept on its own.
 */
/**
 * The largest duration written: the Aircall Voice's seconds fields are Number(9, 0), and a larger
 * value is refused by the org (NUMBER_OUTSIDE_VALID_RANGE) for the whole record. Only a call whose
 * times are absurd (an end centuries after its start) reaches it; its durations are capped here,
 * and kept at 0 or more.
 */
export const MAX_DURATION_SECONDS = 999_999_999;

export function durationsOf(state: CallState): Durations | null {
  if (state.endedAt === null) return null;
  // Never negative either: times out of order (an end before the start) would give a negative
  // ring time, which the org refuses (NUMBER_OUTSIDE_VALID_RANGE) as it does one too large.
  const cap = (seconds: number) => Math.max(0, Math.min(MAX_DURATION_SECONDS, seconds));
  const total = Math.max(0, state.endedAt - state.startedAt);
  if (state.answeredAt === null)
    return { ringSeconds: cap(total), talkSeconds: 0, totalSeconds: cap(total) };
  const answered = Math.min(Math.max(state.answeredAt, state.startedAt), state.endedAt);
  return {
    ringSeconds: cap(answered - state.startedAt),
    talkSeconds: cap(state.endedAt - answered),
    totalSeconds: cap(total),
  };
}
