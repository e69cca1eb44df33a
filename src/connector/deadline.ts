/**
 * Deadline scheduling: when each pending event's effect must be visible in the org.
 *
 * A user looks for a call's record when it is answered (or, for a call nobody answered, when it
 * hangs up): those events are urgent and go out within the batch window. Everything else — the
 * creation and ringing before the answer, the hang-up of an answered call, `call.ended`, the
 * recording, tags, comments, AI results — only has to be in its final state within 45 s of the
 * hang-up, and the agents' own phone states (wrap-up, available, ringing) are read by the utility bar
 * every 5–10 s. The worker holds those events until the earliest deadline among them (or until an
 * urgent event of any call is due), so one Composite request carries the pending writes of many
 * calls instead of one request per event. `npm run bench:day` measures what it saves.
 *
 * Deadlines are computed from the event alone (its name, its Aircall body, when it was received),
 * so a restart or another process finds the same ones. The time since the hang-up is read on
 * Aircall's own clock (the envelope's `timestamp` minus the call's `ended_at`), never compared with
 * ours, so clock skew between Aircall and the connector does not move a deadline.
 */
import type { StoredEvent } from '../inbox/inbox';

export interface DeadlineOptions {
  /** Urgent events (answer, hang-up of an unanswered call): the batch window. */
  urgentMs: number;
  /** Agent phone states (ringing, wrap-up, available…), read by the utility bar every 5–10 s. */
  agentMs: number;
  /** Anything else, at most this long after it was received. */
  holdMs: number;
  /** A call's final state (hang-up, `call.ended`) at most this long after its hang-up. */
  finalMs: number;
}

/** Holding disabled: every event goes out within the batch window, as before deadline scheduling. */
export function noHold(windowMs: number): DeadlineOptions {
  return { urgentMs: windowMs, agentMs: windowMs, holdMs: windowMs, finalMs: windowMs };
}

const AGENT_STATE_EVENTS = new Set(['call.ringing_on_agent', 'call.agent_declined']);
/** Events that end a call: urgent when nobody answered it (the missed call must show at once). */
const END_EVENTS = new Set(['call.hungup', 'call.ended', 'call.voicemail_left']);

interface Envelope {
  event?: unknown;
  timestamp?: unknown;
  data?: { answered_at?: unknown; ended_at?: unknown } | null;
}

const seconds = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v * 1000 : null;

/** The time by which `event`'s effect must be committed in the org. */
export function deadlineOf(event: StoredEvent, o: DeadlineOptions): number {
  const at = event.receivedAt;
  const urgent = at + o.urgentMs;
  // A retried event was due already: it is not held a second time.
  if (event.attempts > 0) return urgent;
  const body = (
    typeof event.body === 'object' && event.body !== null ? event.body : {}
  ) as Envelope;
  const name = event.name;
  if (name === 'call.answered') return urgent;
  const data = typeof body.data === 'object' && body.data !== null ? body.data : {};
  const answered = seconds(data.answered_at) !== null;
  if (END_EVENTS.has(name) && !answered) return urgent;
  if (name.startsWith('user.') || AGENT_STATE_EVENTS.has(name))
    return at + Math.max(o.urgentMs, o.agentMs);
  const hold = at + Math.max(o.urgentMs, o.holdMs);
  const endedAt = seconds(data.ended_at);
  const sentAt = seconds(body.timestamp);
  if (endedAt !== null && sentAt !== null) {
    // How long after the hang-up Aircall sent this event, on Aircall's clock.
    const sinceEnd = Math.max(0, sentAt - endedAt);
    if (sinceEnd < o.finalMs)
      return Math.min(hold, at + Math.max(o.urgentMs, o.finalMs - sinceEnd));
  }
  return hold;
}

/** The earliest deadline among these events (null when there are none). */
export function earliestDeadline(
  events: readonly StoredEvent[],
  o: DeadlineOptions,
): number | null {
  let earliest: number | null = null;
  for (const e of events) {
    const d = deadlineOf(e, o);
    if (earliest === null || d < earliest) earliest = d;
  }
  return earliest;
}
