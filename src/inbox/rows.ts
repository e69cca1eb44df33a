/**
 * What the two inbox backends share: the tables, the statements that read the same on both, and
 * the mapping of rows to the contract's types (src/inbox/inbox.ts). Statements are written with
 * `?` parameters (SQLite's); the PostgreSQL inbox numbers them (`numbered`).
 */
import type { CallCategory, CallSyncState, OpenFollowUp } from '../engine';
import type { DeadLetter, InboxCounts, StoredEvent } from './inbox';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Columns of `calls` added after its first version, with their types: an inbox written by an
 * earlier version gets them at start (SQLite: ALTER TABLE after reading the table's columns;
 * PostgreSQL: ADD COLUMN IF NOT EXISTS).
 */
export const ADDED_CALL_COLUMNS = [
  ['replan_at', 'number'],
  ['voice_call_id', 'text'],
  ['voice_call_posted_at', 'number'],
  ['task_id', 'text'],
  ['task_posted_at', 'number'],
  ['follow_up_task_id', 'text'],
  ['follow_up_posted_at', 'number'],
] as const;

/** A column type in a dialect: times and counts are INTEGER in SQLite, BIGINT in PostgreSQL. */
export function columnType(type: 'number' | 'text', dialect: Dialect): string {
  if (type === 'text') return 'TEXT';
  return dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
}

/**
 * The tables both backends keep, in one dialect. Each backend adds its own indexes on `events`
 * (and PostgreSQL its tables for several processes: src/inbox/postgres-claims.ts,
 * src/inbox/postgres-shared.ts).
 */
export function tablesSql(dialect: Dialect): string {
  const int = columnType('number', dialect);
  const seq = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const addedCallColumns =
    dialect === 'postgres'
      ? ADDED_CALL_COLUMNS.map(
          ([name, type]) =>
            `ALTER TABLE calls ADD COLUMN IF NOT EXISTS ${name} ${columnType(type, dialect)};`,
        ).join('\n')
      : '';
  return `
CREATE TABLE IF NOT EXISTS events (
  seq ${seq},
  key TEXT NOT NULL UNIQUE,
  call_id TEXT,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at ${int} NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at ${int} NOT NULL DEFAULT 0,
  last_error TEXT,
  error_code TEXT,
  finished_at ${int}
);
CREATE INDEX IF NOT EXISTS events_call ON events (call_id);
CREATE TABLE IF NOT EXISTS calls (
  call_id TEXT PRIMARY KEY,
  sync TEXT NOT NULL,
  replan_at ${int},
  voice_call_id TEXT,
  voice_call_posted_at ${int},
  task_id TEXT,
  task_posted_at ${int},
  follow_up_task_id TEXT,
  follow_up_posted_at ${int}
);
${addedCallColumns}
CREATE TABLE IF NOT EXISTS follow_ups (
  call_id TEXT PRIMARY KEY,
  e164 TEXT,
  category TEXT NOT NULL,
  opened_at ${int} NOT NULL,
  closed_at ${int}
);
CREATE INDEX IF NOT EXISTS follow_ups_open ON follow_ups (e164) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS calls_replan ON calls (replan_at) WHERE replan_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS pending_links (
  call_id TEXT PRIMARY KEY,
  aircall_voice_id TEXT NOT NULL,
  due_at ${int} NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS pending_links_due ON pending_links (due_at);
CREATE TABLE IF NOT EXISTS stream_positions (
  channel TEXT PRIMARY KEY,
  replay_id ${int} NOT NULL,
  updated_at ${int} NOT NULL
);
CREATE TABLE IF NOT EXISTS created_records (
  e164 TEXT PRIMARY KEY,
  sobject TEXT NOT NULL,
  id TEXT,
  created_at ${int} NOT NULL
);
CREATE TABLE IF NOT EXISTS event_totals (
  status TEXT PRIMARY KEY CHECK (status IN ('done', 'skipped')),
  n ${int} NOT NULL
);
`;
}

/** Statements that read the same on both backends (`?` parameters). */
export const SQL = {
  oldestPendingAt: "SELECT MIN(received_at) AS t FROM events WHERE status = 'pending'",
  nextDueAt: "SELECT MIN(next_attempt_at) AS t FROM events WHERE status = 'pending'",
  pendingLinkCount: 'SELECT COUNT(*) AS n FROM pending_links',
  streamPosition: 'SELECT replay_id FROM stream_positions WHERE channel = ?',
  setStreamPosition: `INSERT INTO stream_positions (channel, replay_id, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id, updated_at = excluded.updated_at`,
  requeueAllDead:
    "UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE status = 'dead'",
  /**
   * A call's Task dead letter being retried (pending) or still dead takes the new reason; once an
   * earlier one was applied (done), a new failure is a new dead letter (`insertTaskDeadLetter`).
   * Parameters: reason, error code, now, call id, TASK_EVENT.
   */
  updateTaskDeadLetter: `UPDATE events SET status = 'dead', attempts = attempts + 1, last_error = ?,
    error_code = ?, finished_at = ? WHERE call_id = ? AND name = ? AND status IN ('pending', 'dead')`,
  /** Parameters: key, call id, TASK_EVENT, now, reason, error code, now. */
  insertTaskDeadLetter: `INSERT INTO events (key, call_id, name, body, received_at, status, attempts,
    last_error, error_code, finished_at) VALUES (?, ?, ?, '{}', ?, 'dead', 1, ?, ?, ?)
    ON CONFLICT (key) DO NOTHING`,
} as const;

/** The key of the dead letter that stands for a call's refused Task (one per call and failure). */
export const taskDeadLetterKey = (callId: string, now: number) => `task:${callId}:${now}`;

/**
 * Applied events are never deleted, so counting them on every `/healthz` and `/metrics` would read
 * the whole history: ~100 ms at 800,000 events (a 50-agent center's month), on the event loop for
 * SQLite. `counts()` counts pending and dead events through the status index (only those rows) and
 * reads done and skipped from `event_totals`, which `complete` keeps in the same transaction as the
 * events it marks. An inbox written before that table existed gets it filled once, by one count
 * (the SELECT runs only while the row is missing). Same SQL on both backends.
 */
export const EVENT_TOTALS_INIT_SQL = `INSERT INTO event_totals (status, n)
  SELECT s.status, (SELECT COUNT(*) FROM events WHERE events.status = s.status)
  FROM (SELECT 'done' AS status UNION ALL SELECT 'skipped') AS s
  WHERE NOT EXISTS (SELECT 1 FROM event_totals t WHERE t.status = s.status)`;
export const COUNT_OPEN_SQL =
  "SELECT status, COUNT(*) AS n FROM events WHERE status IN ('pending', 'dead') GROUP BY status";
export const EVENT_TOTALS_SQL = 'SELECT status, n FROM event_totals';

/** Inbox counts from the two queries above. */
export function toCounts(
  open: readonly { status: string; n: number }[],
  totals: readonly { status: string; n: number }[],
): InboxCounts {
  const counts: InboxCounts = { pending: 0, done: 0, skipped: 0, dead: 0 };
  for (const row of [...open, ...totals]) counts[row.status as keyof InboxCounts] = row.n;
  return counts;
}

// ---- Row mapping ------------------------------------------------------------------------------

/** A row of the events table as the worker reads it. */
export interface EventRow {
  seq: number;
  key: string;
  call_id: string | null;
  name: string;
  body: string;
  received_at: number;
  attempts: number;
}

export const EVENT_COLUMNS = 'seq, key, call_id, name, body, received_at, attempts';

export function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    key: row.key,
    callId: row.call_id,
    name: row.name,
    body: JSON.parse(row.body) as unknown,
    receivedAt: row.received_at,
    attempts: row.attempts,
  };
}

/** A dead letter's row, read with DEAD_LETTERS_SQL (the same SQL on both backends). */
export interface DeadLetterRow {
  seq: number;
  key: string;
  call_id: string | null;
  name: string;
  last_error: string | null;
  error_code: string | null;
  finished_at: number | null;
  attempts: number;
}

export const DEAD_LETTERS_SQL = `SELECT seq, key, call_id, name, last_error, error_code, finished_at, attempts FROM events
  WHERE status = 'dead' ORDER BY seq`;

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    seq: row.seq,
    key: row.key,
    callId: row.call_id,
    name: row.name,
    reason: row.last_error ?? '',
    errorCode: row.error_code,
    failedAt: row.finished_at ?? 0,
    attempts: row.attempts,
  };
}

/** A row of the calls table as syncStates reads it (both backends). */
export interface CallRow {
  call_id: string;
  sync: string;
  voice_call_id: string | null;
  voice_call_posted_at: number | null;
  task_id?: string | null;
  task_posted_at?: number | null;
  follow_up_task_id?: string | null;
  follow_up_posted_at?: number | null;
}

/** The calls columns syncStates reads (both backends). */
export const CALL_COLUMNS =
  'call_id, sync, voice_call_id, voice_call_posted_at, task_id, task_posted_at, follow_up_task_id, follow_up_posted_at';

/** Open follow-ups of some numbers, with their Task ids (both backends; `$NUMBERS` is replaced). */
export const OPEN_FOLLOW_UPS_SQL = `SELECT f.call_id, f.e164, f.category, f.opened_at, c.follow_up_task_id
  FROM follow_ups f LEFT JOIN calls c ON c.call_id = f.call_id
  WHERE f.closed_at IS NULL AND f.e164 IN ($NUMBERS)`;

export interface FollowUpRow {
  call_id: string;
  e164: string | null;
  category: string;
  opened_at: number;
  follow_up_task_id: string | null;
}

export function toOpenFollowUps(rows: readonly FollowUpRow[]): Map<string, OpenFollowUp[]> {
  const byNumber = new Map<string, OpenFollowUp[]>();
  for (const r of rows) {
    if (r.e164 === null) continue;
    const list = byNumber.get(r.e164) ?? [];
    list.push({
      callId: r.call_id,
      taskId: r.follow_up_task_id,
      openedAt: Number(r.opened_at),
      category: r.category as CallCategory,
      e164: r.e164,
    });
    byNumber.set(r.e164, list);
  }
  return byNumber;
}

/** The sync JSON of a call first seen through `recordVoiceCalls` (its columns say the rest). */
export const NEW_CALL_SYNC = JSON.stringify({ telephonyCreated: false, telephonyCompleted: false });

/**
 * A call's sync state: its JSON, with what the `voice_call_id` / `voice_call_posted_at` columns
 * say of its VoiceCall (recorded outside batch settlements, so they are the latest word).
 */
export function toSyncState(row: CallRow): CallSyncState {
  const state = JSON.parse(row.sync) as CallSyncState;
  delete state.voiceCallPosted;
  delete state.taskPosted;
  delete state.followUpPosted;
  if (row.task_id) state.taskId = row.task_id;
  else if (row.task_posted_at != null && !state.taskId) state.taskPosted = true;
  if (row.follow_up_task_id) state.followUpTaskId = row.follow_up_task_id;
  else if (row.follow_up_posted_at != null && !state.followUpTaskId) state.followUpPosted = true;
  if (row.voice_call_id)
    return { ...state, voiceCallId: row.voice_call_id, telephonyCreated: true };
  if (row.voice_call_posted_at !== null && !state.voiceCallId) state.voiceCallPosted = true;
  return state;
}

/** The sync JSON stored for a state (`voiceCallPosted` lives in its own column). */
export function storedSync(state: CallSyncState): string {
  const {
    voiceCallPosted: _posted,
    taskPosted: _taskPosted,
    followUpPosted: _followUpPosted,
    ...rest
  } = state;
  return JSON.stringify(rest);
}
