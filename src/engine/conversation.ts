/**
 * The conversation of one call, folded from its events: the transcript (`transcription.created`),
 * and the call's journey (rings, IVR options, answer, holds, transfers). Pure and order-independent:
 * each part is computed from the deduplicated set of events sorted by time, never from arrival order.
 *
 * Aircall's transcription payload (`transcription.created`, the Transcription object of its AI API):
 * `{ id, call_id, call_created_at, type, content: { language, utterances: [{ start_time, end_time,
 * text, participant_type: "internal" | "external", user_id | phone_number }] } }`, times in seconds
 * from the start of the recording. The shape is read loosely (an unknown extra field never rejects
 * the event; a payload that nests it under `transcription` is read the same way).
 */
import type { AiEvent, AircallCall, AircallUserRef, CallEvent } from '../aircall/schemas';

export interface TranscriptLine {
  /** Seconds from the start of the conversation. */
  offset: number;
  end: number | null;
  speaker: 'agent' | 'customer';
  /** The agent's name when Aircall says which user spoke and the call names that user. */
  name: string | null;
  /** The Aircall user who spoke (agent lines), as Aircall sent it. */
  aircallUserId: string | null;
  text: string;
}

export interface Transcript {
  /** Which transcription this is (its Aircall id, or a hash of its content). */
  id: string;
  language: string | null;
  lines: TranscriptLine[];
}

export interface Transfer {
  /** Unix seconds. */
  at: number;
  from: string | null;
  to: string | null;
  outcome: 'transferred' | 'external' | 'failed';
}

export type JourneyKind =
  'ringing' | 'ivr' | 'answered' | 'hold' | 'resume' | 'transfer' | 'voicemail' | 'ended';

export interface JourneyStep {
  /** Unix seconds. */
  at: number;
  kind: JourneyKind;
  /** What happened, for people ("Transferred: Camille Martin → Noah Smith"). */
  text: string;
}

export interface Journey {
  holdCount: number;
  holdSeconds: number;
  longestHoldSeconds: number;
  transfers: Transfer[];
  /** IVR options chosen, in order (their titles or keys). */
  ivr: string[];
  /** The agents the call rang on, in order of the first ring. */
  rangOn: string[];
  steps: JourneyStep[];
}

type Timed = { timestamp: number; hash: string };
const byTime = (a: Timed, b: Timed) =>
  a.timestamp - b.timestamp || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function person(user: AircallUserRef | null | undefined): string | null {
  if (!user) return null;
  return (
    text(user.name) ??
    text(user.email) ??
    (user.id !== undefined ? `User ${String(user.id)}` : null)
  );
}

/** Aircall user id → the user as the call's events name them (agent, transfers, assignee). */
export function usersOf(calls: readonly CallEvent[]): Map<string, AircallUserRef> {
  const users = new Map<string, AircallUserRef>();
  const add = (user: AircallUserRef | null | undefined) => {
    if (user?.id === undefined || user.id === null) return;
    const key = String(user.id);
    const known = users.get(key);
    if (!known || (!known.email && user.email) || (!known.name && user.name)) users.set(key, user);
  };
  for (const e of [...calls].sort((a, b) => a.timestamp - b.timestamp)) {
    add(e.data.user);
    add(e.data.transferred_by);
    add(e.data.transferred_to);
    add(e.data.assigned_to);
  }
  return users;
}

/** The latest transcription of the call (events sorted by time), or null when none was received. */
export function transcriptOf(
  ais: readonly (AiEvent & Timed)[],
  users: ReadonlyMap<string, AircallUserRef>,
): Transcript | null {
  const transcriptions = ais.filter((e) => e.event === 'transcription.created').sort(byTime);
  const latest = transcriptions[transcriptions.length - 1];
  if (!latest) return null;
  const data = latest.data as Record<string, unknown>;
  const body = (
    data.transcription && typeof data.transcription === 'object' ? data.transcription : data
  ) as Record<string, unknown>;
  const content = (
    body.content && typeof body.content === 'object' ? body.content : body
  ) as Record<string, unknown>;
  const raw = Array.isArray(content.utterances)
    ? content.utterances
    : Array.isArray(body.utterances)
      ? body.utterances
      : [];
  const lines: TranscriptLine[] = [];
  for (const u of raw as unknown[]) {
    if (!u || typeof u !== 'object') continue;
    const o = u as Record<string, unknown>;
    const said = text(o.text) ?? text(o.content);
    if (!said) continue;
    const type = text(o.participant_type)?.toLowerCase();
    const speaker: TranscriptLine['speaker'] =
      type === 'internal' || type === 'agent' || type === 'user' ? 'agent' : 'customer';
    const userId = text(o.user_id);
    lines.push({
      offset: Math.max(0, num(o.start_time) ?? 0),
      end: num(o.end_time),
      speaker,
      name: speaker === 'agent' && userId ? person(users.get(userId)) : null,
      aircallUserId: speaker === 'agent' ? userId : null,
      // One utterance is one line of the stored transcript.
      text: said.replace(/\s+/g, ' '),
    });
  }
  // Stable: utterances at the same offset keep the order Aircall gave them.
  lines.sort((a, b) => a.offset - b.offset);
  return {
    id: text(body.id) ?? latest.hash,
    language: text(content.language) ?? text(body.language),
    lines,
  };
}

function ivrOptions(d: AircallCall): { at: number | null; label: string }[] {
  const record = d as Record<string, unknown>;
  const list = Array.isArray(record.ivr_options)
    ? record.ivr_options
    : record.ivr_option
      ? [record.ivr_option]
      : [];
  return (list as unknown[]).flatMap((o) => {
    if (!o || typeof o !== 'object') return [];
    const r = o as Record<string, unknown>;
    const label = text(r.title) ?? text(r.branch) ?? text(r.key) ?? text(r.name);
    if (!label) return [];
    const key = text(r.key);
    const at = num(r.created_at) ?? num(r.transition_started_at);
    return [{ at, label: key && key !== label ? `${key} ${label}` : label }];
  });
}

const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** Holds, transfers, the IVR path and the rings, from the call's deduplicated events. */
export function journeyOf(calls: readonly (CallEvent & Timed)[], endedAt: number | null): Journey {
  const sorted = [...calls].sort(byTime);
  const steps: JourneyStep[] = [];
  let onHoldSince: number | null = null;
  let holdCount = 0;
  let holdSeconds = 0;
  let longest = 0;
  const transfers = new Map<string, Transfer>();
  const ivr: { at: number; label: string }[] = [];
  const ivrSeen = new Set<string>();
  const rangOn: string[] = [];
  let answered = false;
  for (const e of sorted) {
    const d = e.data;
    switch (e.event) {
      case 'call.ringing_on_agent': {
        const who = person(d.user);
        if (who && !rangOn.includes(who)) {
          rangOn.push(who);
          steps.push({ at: e.timestamp, kind: 'ringing', text: `Rang on ${who}` });
        }
        break;
      }
      case 'call.ivr_option_selected':
        for (const option of ivrOptions(d)) {
          if (ivrSeen.has(option.label)) continue;
          ivrSeen.add(option.label);
          const at = option.at ?? e.timestamp;
          ivr.push({ at, label: option.label });
          steps.push({ at, kind: 'ivr', text: `IVR: ${option.label}` });
        }
        break;
      case 'call.answered':
        if (!answered) {
          answered = true;
          const who = person(d.user);
          steps.push({
            at: d.answered_at ?? e.timestamp,
            kind: 'answered',
            text: who ? `Answered by ${who}` : 'Answered',
          });
        }
        break;
      case 'call.hold':
        if (onHoldSince === null) {
          onHoldSince = e.timestamp;
          holdCount++;
          steps.push({ at: e.timestamp, kind: 'hold', text: 'On hold' });
        }
        break;
      case 'call.unhold':
        if (onHoldSince !== null) {
          const held = Math.max(0, e.timestamp - onHoldSince);
          holdSeconds += held;
          longest = Math.max(longest, held);
          onHoldSince = null;
          steps.push({ at: e.timestamp, kind: 'resume', text: `Resumed after ${clock(held)}` });
        }
        break;
      case 'call.transferred':
      case 'call.external_transferred':
      case 'call.unsuccessful_transfer': {
        const record = d as Record<string, unknown>;
        const from = person(d.transferred_by) ?? person(d.user);
        const to =
          person(d.transferred_to) ??
          text(record.external_number) ??
          text(record.transferred_to_number) ??
          (e.event === 'call.external_transferred' ? 'an external number' : null);
        const outcome: Transfer['outcome'] =
          e.event === 'call.transferred'
            ? 'transferred'
            : e.event === 'call.external_transferred'
              ? 'external'
              : 'failed';
        const key = `${e.timestamp}:${outcome}:${from ?? ''}:${to ?? ''}`;
        if (transfers.has(key)) break;
        transfers.set(key, { at: e.timestamp, from, to, outcome });
        const arrow = `${from ?? 'Someone'} → ${to ?? 'someone'}`;
        steps.push({
          at: e.timestamp,
          kind: 'transfer',
          text:
            outcome === 'failed'
              ? `Transfer failed: ${arrow}`
              : outcome === 'external'
                ? `Transferred outside: ${arrow}`
                : `Transferred: ${arrow}`,
        });
        break;
      }
      case 'call.voicemail_left':
        steps.push({ at: e.timestamp, kind: 'voicemail', text: 'Voicemail left' });
        break;
      default:
        break;
    }
  }
  // A hold never resumed lasted until the call ended.
  if (onHoldSince !== null && endedAt !== null) {
    const held = Math.max(0, endedAt - onHoldSince);
    holdSeconds += held;
    longest = Math.max(longest, held);
  }
  if (endedAt !== null) steps.push({ at: endedAt, kind: 'ended', text: 'Ended' });
  steps.sort((a, b) => a.at - b.at);
  return {
    holdCount,
    holdSeconds,
    longestHoldSeconds: longest,
    transfers: [...transfers.values()].sort(
      (a, b) => a.at - b.at || (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0),
    ),
    ivr: ivr.sort((a, b) => a.at - b.at).map((o) => o.label),
    rangOn,
    steps,
  };
}

/** `[m:ss]` of a moment of the call, counted from its start. */
export function offsetLabel(seconds: number): string {
  return `[${clock(seconds)}]`;
}

/**
 * `Transcript__c` is a Long Text Area of 131,072 characters, the largest Salesforce allows for one
 * field ("Long Text Area … up to 131,072 characters", Salesforce Help, "Custom Field Types").
 */
export const TRANSCRIPT_FIELD_LENGTH = 131_072;

/** One line of the stored transcript: `[m:ss] Agent (Camille Martin): text` / `[m:ss] Customer: text`. */
export function transcriptLine(line: TranscriptLine): string {
  const who =
    line.speaker === 'agent'
      ? line.name
        ? `Agent (${line.name.replace(/[():]/g, ' ').trim()})`
        : 'Agent'
      : 'Customer';
  return `${offsetLabel(line.offset)} ${who}: ${line.text}`;
}

export interface StoredTranscript {
  /** What the field holds: the whole transcript, or its beginning and a last line naming the file. */
  field: string;
  /** The whole transcript as text; a file holds it when the field cannot. */
  full: string;
  /** False when the transcript is longer than the field. */
  fits: boolean;
}

/**
 * The transcript as the Aircall Voice stores it. When it is longer than the field, the field keeps
 * the whole lines that fit and a last line saying where the rest is (`fileName`): a file attached to
 * the record holds the full text.
 */
export function storedTranscript(
  transcript: Transcript,
  fileName: string,
  max = TRANSCRIPT_FIELD_LENGTH,
): StoredTranscript {
  const lines = transcript.lines.map(transcriptLine);
  const full = lines.join('\n');
  if (full.length <= max) return { field: full, full, fits: true };
  const tail = (kept: number) =>
    `… ${lines.length - kept} more lines: the full transcript (${lines.length} lines) is in the file "${fileName}" attached to this record.`;
  let field = '';
  let kept = 0;
  for (const line of lines) {
    const next = field ? `${field}\n${line}` : line;
    if (next.length + 1 + tail(kept + 1).length > max) break;
    field = next;
    kept++;
  }
  const end = tail(kept);
  return { field: field ? `${field}\n${end}` : end.slice(0, max), full, fits: false };
}

/** The stored journey: one `[m:ss] what happened` line per step, counted from the call's start. */
export function journeyLines(journey: Journey, startedAt: number): string | null {
  if (journey.steps.length === 0) return null;
  return journey.steps.map((s) => `${offsetLabel(s.at - startedAt)} ${s.text}`).join('\n');
}

/** `[m:ss] from → to` per transfer (a failed one says so). */
export function transferLines(journey: Journey, startedAt: number): string | null {
  if (journey.transfers.length === 0) return null;
  return journey.transfers
    .map((t) => {
      const arrow = `${t.from ?? 'Someone'} → ${t.to ?? 'someone'}`;
      const note =
        t.outcome === 'failed' ? ' (failed)' : t.outcome === 'external' ? ' (external)' : '';
      return `${offsetLabel(t.at - startedAt)} ${arrow}${note}`;
    })
    .join('\n');
}

/** The IVR options and the agents it rang on, as Aircall reported them: `IVR 1 Sales › Camille Martin`. */
export function callPath(journey: Journey): string | null {
  const parts = [...journey.ivr.map((o) => `IVR ${o}`), ...journey.rangOn];
  return parts.length ? parts.join(' › ') : null;
}
