/**
 * The durable inbox: every accepted webhook is stored here before Aircall gets its 2xx, and the
 * worker drains it. SQLite (Node 22's built-in node:sqlite, WAL) by default, for one connector
 * process; the `Inbox` interface is also implemented by the shared PostgreSQL inbox
 * (src/inbox/postgres.ts) that several connector processes use together.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { CallCategory, CallSyncState, CrmObject, OpenFollowUp } from '../engine';

export interface StoredEvent {
  seq: number;
  key: string;
  callId: string | null;
  name: string;
  body: unknown;
  receivedAt: number;
  attempts: number;
}

export interface DeadLetter {
  seq: number;
  key: string;
  callId: string | null;
  name: string;
  reason: string;
  errorCode: string | null;
  failedAt: number;
  attempts: number;
}

export interface NewEvent {
  key: string;
  callId: string | null;
  name: string;
  body: unknown;
  receivedAt: number;
}

/**
 * A call Task or follow-up Task create, noted before it is sent (`taskId` null) and again with its
 * id as soon as it is known. A follow-up noted with `followUp` is listed by `openFollowUps` until
 * `closeFollowUps`.
 */
export interface TaskNote {
  callId: string;
  kind: 'call' | 'follow-up';
  taskId: string | null;
  followUp?: { e164: string | null; category: CallCategory; openedAt: number };
}

/**
 * The event that stands for a call's refused Task in the dead letters (one per call): retried like
 * any dead letter (`dead-letters --retry`), it makes the worker plan the call again, and the engine
 * plans the Task again because its hash was not recorded.
 */
export const TASK_EVENT = 'aircall-sfv.task';

export interface CreatedRecord {
  sobject: CrmObject;
  id: string | null;
}

export interface InboxCounts {
  pending: number;
  done: number;
  skipped: number;
  dead: number;
}

/** What a worker claimed: due events and calls to re-plan, all of whose calls it now owns. */
export interface Claimed {
  events: StoredEvent[];
  replan: string[];
}

/**
 * The inbox as the connector uses it. Every answer is asynchronous: the SQLite inbox answers at
 * once, the PostgreSQL one (src/inbox/postgres.ts) over the network.
 */
export interface Inbox {
  /** Stores the event unless one with the same key is already stored. Resolves false for a duplicate. */
  add(event: NewEvent): Promise<boolean>;
  addMany(events: NewEvent[]): Promise<number>;
  /** Pending events whose retry time has come, oldest first. */
  due(now: number, limit: number): Promise<StoredEvent[]>;
  /**
   * The worker's way in: up to `limit` due events and calls to re-plan, whose calls are now this
   * process's until `releaseClaims()` (or, on PostgreSQL, until a lease expires after a crash).
   * With one process (SQLite) this is `due` and `callsToReplan`.
   */
  claimDue(now: number, limit: number): Promise<Claimed>;
  /** Gives up the calls claimed by this process (end of a batch). */
  releaseClaims(): Promise<void>;
  /** Every stored event of these calls that is not dead-lettered, oldest first (the fold needs them all). */
  eventsOfCalls(callIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  syncStates(callIds: readonly string[]): Promise<Map<string, CallSyncState>>;
  /**
   * Durably notes the Telephony `POST /voiceCalls` of these calls, outside any batch settlement:
   * `voiceCallId: null` before the POST is sent (its outcome unknown until recorded), the VoiceCall's
   * id as soon as it answers. Kept in the `voice_call_id` / `voice_call_posted_at` columns of the
   * call, which nothing clears; `syncStates` reports them as `voiceCallId` + `telephonyCreated`, or
   * as `voiceCallPosted` while the id is unknown. This is what makes VoiceCall creation idempotent
   * across a failed batch (its Composite answered 503) and a crash between POST and settlement.
   */
  recordVoiceCalls(
    entries: readonly { callId: string; voiceCallId: string | null }[],
    now: number,
  ): Promise<void>;
  /**
   * Durably notes call Task and follow-up Task creates the same way (columns `task_id` /
   * `task_posted_at`, `follow_up_task_id` / `follow_up_posted_at`): `syncStates` reports them as
   * `taskId` / `followUpTaskId`, or as `taskPosted` / `followUpPosted` while the id is unknown, and
   * the connector then looks the Task up before creating it again. Tasks cannot be upserted.
   */
  recordTasks(entries: readonly TaskNote[], now: number): Promise<void>;
  /** Follow-up Tasks still open, by the customer's E.164 (only these numbers). */
  openFollowUps(e164s: readonly string[]): Promise<Map<string, OpenFollowUp[]>>;
  /** Follow-ups closed by a call back (by the call they follow up). */
  closeFollowUps(callIds: readonly string[], now: number): Promise<void>;
  /**
   * A call's Task the org refused: one dead letter for the call (a `TASK_EVENT` event), with the
   * reason, retryable; the call's own events stay applied.
   */
  deadLetterTask(
    callId: string,
    reason: string,
    errorCode: string | null,
    now: number,
  ): Promise<void>;
  /** Marks events applied and stores the calls' new sync states, in one transaction. */
  complete(
    done: readonly number[],
    skipped: readonly number[],
    sync: readonly { callId: string; state: CallSyncState }[],
    created: ReadonlyMap<string, CreatedRecord>,
    /** When they finished (default: the system clock). */
    now?: number,
  ): Promise<void>;
  retryLater(seqs: readonly number[], at: number, error: string): Promise<void>;
  deadLetter(
    seqs: readonly number[],
    reason: string,
    errorCode: string | null,
    now: number,
  ): Promise<void>;
  deadLetters(): Promise<DeadLetter[]>;
  /** Puts dead letters back in the queue; resolves how many. */
  requeueDead(seqs?: readonly number[]): Promise<number>;
  /**
   * The records created for unknown numbers, by E.164: those of `e164s`, or all of them (`explain`).
   * A batch asks only for its own numbers: the table keeps every number ever created for.
   */
  createdRecords(e164s?: readonly string[]): Promise<Map<string, CreatedRecord>>;
  counts(): Promise<InboxCounts>;
  oldestPendingAt(): Promise<number | null>;
  /** How many events are due now (and not claimed by another process), and the oldest's arrival. */
  dueSummary(now: number): Promise<{ count: number; oldestReceivedAt: number | null }>;
  /**
   * Calls the engine asked to look at again at a given time even if no event comes (e.g. the final
   * VoiceCall PATCH when `call.ended` never arrives), whose time has come.
   */
  callsToReplan(now: number, limit: number): Promise<string[]>;
  postponeReplan(callIds: readonly string[], at: number): Promise<void>;
  /** Aircall Voice records waiting for the id of a VoiceCall the Telephony API creates asynchronously. */
  addPendingLinks(
    links: readonly { callId: string; aircallVoiceId: string }[],
    dueAt: number,
  ): Promise<void>;
  /** Due links (on PostgreSQL: whose calls this process could claim, like a batch). */
  pendingLinksDue(
    now: number,
    limit: number,
  ): Promise<{ callId: string; aircallVoiceId: string; attempts: number }[]>;
  /** Records the VoiceCall id found for each linked call (in its sync state) and forgets the link. */
  resolveLinks(found: ReadonlyMap<string, string>): Promise<void>;
  /** `failedSweep` false when the org could not be asked at all (it does not count as an attempt). */
  postponeLinks(callIds: readonly string[], at: number, failedSweep?: boolean): Promise<void>;
  dropLinks(callIds: readonly string[]): Promise<void>;
  pendingLinkCount(): Promise<number>;
  /** When the next pending event becomes due (null when nothing is pending). */
  nextDueAt(): Promise<number | null>;
  /** The status of each stored event among these keys. */
  statusOf(keys: readonly string[]): Promise<Map<string, keyof InboxCounts>>;
  /**
   * The replay id of the last event handled on a streaming channel (null when none was stored),
   * so a restart resumes exactly after it.
   */
  streamPosition(channel: string): Promise<number | null>;
  setStreamPosition(channel: string, replayId: number): Promise<void>;
  /**
   * Number-match results shared between processes (PostgreSQL); absent when the inbox serves one
   * process, whose worker then keeps them in memory only.
   */
  sharedMatches?: SharedMatchCache;
  /**
   * Several processes sharing the inbox (PostgreSQL) drain it one batch at a time: waits up to
   * `waitMs` for this process's turn; resolves its release, or null when the wait ran out. Absent
   * when the inbox serves one process.
   */
  takeTurn?(waitMs: number): Promise<{ release(): Promise<void> } | null>;
  /**
   * Small facts the processes sharing the inbox read instead of each asking the org (the settings
   * snapshot, when the link sweep last ran); absent when the inbox serves one process.
   */
  sharedState?: SharedState;
  close(): Promise<void>;
}

export interface SharedState {
  /** The value stored under `key` and its time (the writer's clock, in ms), or null. */
  get(key: string): Promise<{ value: unknown; at: number } | null>;
  put(key: string, value: unknown, at: number): Promise<void>;
}

export interface SharedMatchCache {
  /** Cached CRM candidates by key, searched less than `maxAgeMs` before `now`, and when. */
  get(
    keys: readonly string[],
    now: number,
    maxAgeMs: number,
  ): Promise<Map<string, { candidates: unknown; at: number }>>;
  /**
   * Stores what was searched at `now`. Entries searched before `forgetBefore` are of no use to
   * any reader any more: the store deletes them now and then, so it does not grow with every
   * number ever seen.
   */
  put(
    entries: readonly { key: string; candidates: unknown }[],
    now: number,
    forgetBefore: number,
  ): Promise<void>;
  clear(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  call_id TEXT,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  error_code TEXT,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS events_due ON events (status, next_attempt_at, seq);
CREATE INDEX IF NOT EXISTS events_call ON events (call_id);
CREATE TABLE IF NOT EXISTS calls (
  call_id TEXT PRIMARY KEY,
  sync TEXT NOT NULL,
  replan_at INTEGER,
  voice_call_id TEXT,
  voice_call_posted_at INTEGER,
  task_id TEXT,
  task_posted_at INTEGER,
  follow_up_task_id TEXT,
  follow_up_posted_at INTEGER
);
CREATE TABLE IF NOT EXISTS follow_ups (
  call_id TEXT PRIMARY KEY,
  e164 TEXT,
  category TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE INDEX IF NOT EXISTS follow_ups_open ON follow_ups (e164) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS calls_replan ON calls (replan_at) WHERE replan_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS pending_links (
  call_id TEXT PRIMARY KEY,
  aircall_voice_id TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS pending_links_due ON pending_links (due_at);
CREATE TABLE IF NOT EXISTS stream_positions (
  channel TEXT PRIMARY KEY,
  replay_id INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS created_records (
  e164 TEXT PRIMARY KEY,
  sobject TEXT NOT NULL,
  id TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS event_totals (
  status TEXT PRIMARY KEY CHECK (status IN ('done', 'skipped')),
  n INTEGER NOT NULL
);
`;

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

// ---- Row mapping, shared by both backends (SQLite here, PostgreSQL in postgres.ts) ---------------

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

/** SQLite's default limit on bound parameters is 32766; stay far below it. */
const CHUNK = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
const placeholders = (n: number) => new Array<string>(n).fill('?').join(',');

/** The SQLite inbox's synchronous store (node:sqlite answers synchronously); see SqliteInbox. */
export class SqliteStore {
  private readonly db: DatabaseSync;

  /**
   * `file` is a path, or ':memory:' for a throwaway inbox (tests). `synchronous` is SQLite's
   * setting: FULL (the default) makes every commit wait until the write-ahead log is on disk
   * (fsync), so an event answered 200 survives a power loss or an OS crash, not only a crash of
   * the process — Aircall does not resend what it got a 200 for. NORMAL (the SQLite default in WAL
   * mode) only syncs at checkpoints: the last commits can roll back on a power loss; it exists here
   * so the durability bench can measure what FULL costs.
   */
  constructor(file: string, options: { synchronous?: 'FULL' | 'NORMAL' } = {}) {
    this.db = new DatabaseSync(file);
    // WAL lets the HTTP handler append while the worker reads.
    const synchronous = options.synchronous ?? 'FULL';
    this.db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}; PRAGMA busy_timeout = 5000;`,
    );
    this.migrate();
    this.transaction(() => {
      this.db.exec(SCHEMA);
      this.db.exec(EVENT_TOTALS_INIT_SQL);
    });
  }

  /** The journal mode and sync setting this inbox's connection runs with (`doctor`, the tests). */
  durability(): { journalMode: string; synchronous: string } {
    const mode = this.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
    const sync = this.db.prepare('PRAGMA synchronous').get() as { synchronous: number };
    const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
    return {
      journalMode: mode.journal_mode,
      synchronous: names[sync.synchronous] ?? String(sync.synchronous),
    };
  }

  /** Inboxes written by an earlier version lack newer columns. */
  private migrate(): void {
    const columns = this.db.prepare("SELECT name FROM pragma_table_info('calls')").all() as {
      name: string;
    }[];
    for (const [name, type] of [
      ['replan_at', 'INTEGER'],
      ['voice_call_id', 'TEXT'],
      ['voice_call_posted_at', 'INTEGER'],
      ['task_id', 'TEXT'],
      ['task_posted_at', 'INTEGER'],
      ['follow_up_task_id', 'TEXT'],
      ['follow_up_posted_at', 'INTEGER'],
    ] as const) {
      if (columns.length > 0 && !columns.some((c) => c.name === name)) {
        this.db.exec(`ALTER TABLE calls ADD COLUMN ${name} ${type}`);
      }
    }
  }

  private transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  add(event: NewEvent): boolean {
    return this.addMany([event]) === 1;
  }

  /** Prepared once: every webhook (or group of them) goes through it. */
  private insertEvent: StatementSync | null = null;

  addMany(events: NewEvent[]): number {
    const insert = (this.insertEvent ??= this.db.prepare(
      'INSERT OR IGNORE INTO events (key, call_id, name, body, received_at) VALUES (?, ?, ?, ?, ?)',
    ));
    return this.transaction(() => {
      let added = 0;
      for (const e of events) {
        const result = insert.run(e.key, e.callId, e.name, JSON.stringify(e.body), e.receivedAt);
        added += Number(result.changes);
      }
      return added;
    });
  }

  due(now: number, limit: number): StoredEvent[] {
    const rows = this.db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?`,
      )
      .all(now, limit) as unknown as EventRow[];
    return rows.map(toEvent);
  }

  eventsOfCalls(callIds: readonly string[]): Map<string, StoredEvent[]> {
    const byCall = new Map<string, StoredEvent[]>();
    for (const part of chunks(callIds)) {
      const rows = this.db
        .prepare(
          `SELECT ${EVENT_COLUMNS} FROM events
           WHERE call_id IN (${placeholders(part.length)}) AND status != 'dead' ORDER BY seq`,
        )
        .all(...part) as unknown as EventRow[];
      for (const row of rows) {
        const list = byCall.get(row.call_id ?? '') ?? [];
        list.push(toEvent(row));
        byCall.set(row.call_id ?? '', list);
      }
    }
    return byCall;
  }

  syncStates(callIds: readonly string[]): Map<string, CallSyncState> {
    const states = new Map<string, CallSyncState>();
    for (const part of chunks(callIds)) {
      const rows = this.db
        .prepare(
          `SELECT ${CALL_COLUMNS} FROM calls WHERE call_id IN (${placeholders(part.length)})`,
        )
        .all(...part) as unknown as CallRow[];
      for (const row of rows) states.set(row.call_id, toSyncState(row));
    }
    return states;
  }

  recordVoiceCalls(
    entries: readonly { callId: string; voiceCallId: string | null }[],
    now: number,
  ): void {
    if (entries.length === 0) return;
    const upsert = this.db.prepare(
      `INSERT INTO calls (call_id, sync, voice_call_id, voice_call_posted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET
         voice_call_id = COALESCE(excluded.voice_call_id, calls.voice_call_id),
         voice_call_posted_at = COALESCE(calls.voice_call_posted_at, excluded.voice_call_posted_at)`,
    );
    this.transaction(() => {
      for (const e of entries) upsert.run(e.callId, NEW_CALL_SYNC, e.voiceCallId, now);
    });
  }

  recordTasks(entries: readonly TaskNote[], now: number): void {
    if (entries.length === 0) return;
    const call = this.db.prepare(
      `INSERT INTO calls (call_id, sync, task_id, task_posted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET
         task_id = COALESCE(excluded.task_id, calls.task_id),
         task_posted_at = COALESCE(calls.task_posted_at, excluded.task_posted_at)`,
    );
    const followUp = this.db.prepare(
      `INSERT INTO calls (call_id, sync, follow_up_task_id, follow_up_posted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET
         follow_up_task_id = COALESCE(excluded.follow_up_task_id, calls.follow_up_task_id),
         follow_up_posted_at = COALESCE(calls.follow_up_posted_at, excluded.follow_up_posted_at)`,
    );
    const open = this.db.prepare(
      `INSERT INTO follow_ups (call_id, e164, category, opened_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id) DO NOTHING`,
    );
    this.transaction(() => {
      for (const e of entries) {
        (e.kind === 'call' ? call : followUp).run(e.callId, NEW_CALL_SYNC, e.taskId, now);
        if (e.followUp)
          open.run(e.callId, e.followUp.e164, e.followUp.category, e.followUp.openedAt);
      }
    });
  }

  openFollowUps(e164s: readonly string[]): Map<string, OpenFollowUp[]> {
    const rows: FollowUpRow[] = [];
    for (const part of chunks(e164s)) {
      rows.push(
        ...(this.db
          .prepare(OPEN_FOLLOW_UPS_SQL.replace('$NUMBERS', placeholders(part.length)))
          .all(...part) as unknown as FollowUpRow[]),
      );
    }
    return toOpenFollowUps(rows);
  }

  closeFollowUps(callIds: readonly string[], now: number): void {
    for (const part of chunks(callIds)) {
      this.db
        .prepare(
          `UPDATE follow_ups SET closed_at = ? WHERE closed_at IS NULL AND call_id IN (${placeholders(part.length)})`,
        )
        .run(now, ...part);
    }
  }

  deadLetterTask(callId: string, reason: string, errorCode: string | null, now: number): void {
    this.transaction(() => {
      // The call's Task dead letter being retried (pending) or still dead takes the new reason; once
      // an earlier one was applied (done), a new failure is a new dead letter.
      const updated = this.db
        .prepare(
          `UPDATE events SET status = 'dead', attempts = attempts + 1, last_error = ?, error_code = ?,
           finished_at = ? WHERE call_id = ? AND name = ? AND status IN ('pending', 'dead')`,
        )
        .run(reason, errorCode, now, callId, TASK_EVENT);
      if (Number(updated.changes) > 0) return;
      this.db
        .prepare(
          `INSERT INTO events (key, call_id, name, body, received_at, status, attempts, last_error,
           error_code, finished_at) VALUES (?, ?, ?, '{}', ?, 'dead', 1, ?, ?, ?)
           ON CONFLICT (key) DO NOTHING`,
        )
        .run(`task:${callId}:${now}`, callId, TASK_EVENT, now, reason, errorCode, now);
    });
  }

  complete(
    done: readonly number[],
    skipped: readonly number[],
    sync: readonly { callId: string; state: CallSyncState }[],
    created: ReadonlyMap<string, CreatedRecord>,
    now = Date.now(),
  ): void {
    // Only pending events change, so `event_totals` counts each event once.
    const total = this.db.prepare('UPDATE event_totals SET n = n + ? WHERE status = ?');
    const mark = (status: 'done' | 'skipped', seqs: readonly number[]) => {
      let changed = 0;
      for (const part of chunks(seqs)) {
        const result = this.db
          .prepare(
            `UPDATE events SET status = ?, finished_at = ?, last_error = NULL, error_code = NULL
             WHERE seq IN (${placeholders(part.length)}) AND status = 'pending'`,
          )
          .run(status, now, ...part);
        changed += Number(result.changes);
      }
      if (changed > 0) total.run(changed, status);
    };
    const upsertCall = this.db.prepare(
      `INSERT INTO calls (call_id, sync, replan_at, voice_call_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET sync = excluded.sync, replan_at = excluded.replan_at,
         voice_call_id = COALESCE(excluded.voice_call_id, calls.voice_call_id)`,
    );
    const upsertCreated = this.db.prepare(
      `INSERT INTO created_records (e164, sobject, id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (e164) DO UPDATE SET id = COALESCE(excluded.id, created_records.id)`,
    );
    this.transaction(() => {
      mark('done', done);
      mark('skipped', skipped);
      for (const s of sync) {
        const replanAt = s.state.finalPatchDueAt ? Date.parse(s.state.finalPatchDueAt) : NaN;
        upsertCall.run(
          s.callId,
          storedSync(s.state),
          Number.isNaN(replanAt) ? null : replanAt,
          s.state.voiceCallId ?? null,
        );
      }
      for (const [e164, record] of created) upsertCreated.run(e164, record.sobject, record.id, now);
    });
  }

  retryLater(seqs: readonly number[], at: number, error: string): void {
    this.transaction(() => {
      for (const part of chunks(seqs)) {
        this.db
          .prepare(
            `UPDATE events SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
             WHERE seq IN (${placeholders(part.length)})`,
          )
          .run(at, error, ...part);
      }
    });
  }

  deadLetter(seqs: readonly number[], reason: string, errorCode: string | null, now: number): void {
    this.transaction(() => {
      for (const part of chunks(seqs)) {
        this.db
          .prepare(
            `UPDATE events SET status = 'dead', attempts = attempts + 1, last_error = ?, error_code = ?,
             finished_at = ? WHERE seq IN (${placeholders(part.length)})`,
          )
          .run(reason, errorCode, now, ...part);
      }
    });
  }

  deadLetters(): DeadLetter[] {
    const rows = this.db.prepare(DEAD_LETTERS_SQL).all() as unknown as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }

  requeueDead(seqs?: readonly number[]): number {
    return this.transaction(() => {
      if (!seqs) {
        const result = this.db
          .prepare(
            "UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE status = 'dead'",
          )
          .run();
        return Number(result.changes);
      }
      let changed = 0;
      for (const part of chunks(seqs)) {
        const result = this.db
          .prepare(
            `UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = 0
             WHERE status = 'dead' AND seq IN (${placeholders(part.length)})`,
          )
          .run(...part);
        changed += Number(result.changes);
      }
      return changed;
    });
  }

  createdRecords(e164s?: readonly string[]): Map<string, CreatedRecord> {
    type Row = { e164: string; sobject: CrmObject; id: string | null };
    const select = 'SELECT e164, sobject, id FROM created_records';
    const rows = e164s
      ? chunks(e164s).flatMap(
          (part) =>
            this.db
              .prepare(`${select} WHERE e164 IN (${placeholders(part.length)})`)
              .all(...part) as unknown as Row[],
        )
      : (this.db.prepare(select).all() as unknown as Row[]);
    return new Map(rows.map((r) => [r.e164, { sobject: r.sobject, id: r.id }]));
  }

  counts(): InboxCounts {
    type Row = { status: string; n: number };
    return toCounts(
      this.db.prepare(COUNT_OPEN_SQL).all() as unknown as Row[],
      this.db.prepare(EVENT_TOTALS_SQL).all() as unknown as Row[],
    );
  }

  oldestPendingAt(): number | null {
    const row = this.db
      .prepare("SELECT MIN(received_at) AS t FROM events WHERE status = 'pending'")
      .get() as { t: number | null } | undefined;
    return row?.t ?? null;
  }

  dueSummary(now: number): { count: number; oldestReceivedAt: number | null } {
    const row = this.db
      .prepare(
        "SELECT COUNT(*) AS n, MIN(received_at) AS t FROM events WHERE status = 'pending' AND next_attempt_at <= ?",
      )
      .get(now) as { n: number; t: number | null } | undefined;
    return { count: row?.n ?? 0, oldestReceivedAt: row?.t ?? null };
  }

  callsToReplan(now: number, limit: number): string[] {
    const rows = this.db
      .prepare(
        'SELECT call_id FROM calls WHERE replan_at IS NOT NULL AND replan_at <= ? ORDER BY replan_at LIMIT ?',
      )
      .all(now, limit) as unknown as { call_id: string }[];
    return rows.map((r) => r.call_id);
  }

  postponeReplan(callIds: readonly string[], at: number): void {
    for (const part of chunks(callIds)) {
      this.db
        .prepare(`UPDATE calls SET replan_at = ? WHERE call_id IN (${placeholders(part.length)})`)
        .run(at, ...part);
    }
  }

  addPendingLinks(
    links: readonly { callId: string; aircallVoiceId: string }[],
    dueAt: number,
  ): void {
    const insert = this.db.prepare(
      `INSERT INTO pending_links (call_id, aircall_voice_id, due_at) VALUES (?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET aircall_voice_id = excluded.aircall_voice_id`,
    );
    this.transaction(() => {
      for (const link of links) insert.run(link.callId, link.aircallVoiceId, dueAt);
    });
  }

  pendingLinksDue(
    now: number,
    limit: number,
  ): { callId: string; aircallVoiceId: string; attempts: number }[] {
    const rows = this.db
      .prepare(
        'SELECT call_id, aircall_voice_id, attempts FROM pending_links WHERE due_at <= ? ORDER BY due_at LIMIT ?',
      )
      .all(now, limit) as unknown as {
      call_id: string;
      aircall_voice_id: string;
      attempts: number;
    }[];
    return rows.map((r) => ({
      callId: r.call_id,
      aircallVoiceId: r.aircall_voice_id,
      attempts: r.attempts,
    }));
  }

  resolveLinks(found: ReadonlyMap<string, string>): void {
    const states = this.syncStates([...found.keys()]);
    const update = this.db.prepare(
      'UPDATE calls SET sync = ?, voice_call_id = ? WHERE call_id = ?',
    );
    const remove = this.db.prepare('DELETE FROM pending_links WHERE call_id = ?');
    this.transaction(() => {
      for (const [callId, voiceCallId] of found) {
        const state = states.get(callId);
        if (state) update.run(storedSync({ ...state, voiceCallId }), voiceCallId, callId);
        remove.run(callId);
      }
    });
  }

  postponeLinks(callIds: readonly string[], at: number, failedSweep = true): void {
    for (const part of chunks(callIds)) {
      this.db
        .prepare(
          `UPDATE pending_links SET due_at = ?, attempts = attempts + ? WHERE call_id IN (${placeholders(part.length)})`,
        )
        .run(at, failedSweep ? 1 : 0, ...part);
    }
  }

  dropLinks(callIds: readonly string[]): void {
    for (const part of chunks(callIds)) {
      this.db
        .prepare(`DELETE FROM pending_links WHERE call_id IN (${placeholders(part.length)})`)
        .run(...part);
    }
  }

  pendingLinkCount(): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM pending_links').get() as
      { n: number } | undefined;
    return row?.n ?? 0;
  }

  nextDueAt(): number | null {
    const row = this.db
      .prepare("SELECT MIN(next_attempt_at) AS t FROM events WHERE status = 'pending'")
      .get() as { t: number | null } | undefined;
    return row?.t ?? null;
  }

  statusOf(keys: readonly string[]): Map<string, keyof InboxCounts> {
    const status = new Map<string, keyof InboxCounts>();
    for (const part of chunks([...new Set(keys)])) {
      const rows = this.db
        .prepare(`SELECT key, status FROM events WHERE key IN (${placeholders(part.length)})`)
        .all(...part) as unknown as { key: string; status: keyof InboxCounts }[];
      for (const row of rows) status.set(row.key, row.status);
    }
    return status;
  }

  streamPosition(channel: string): number | null {
    const row = this.db
      .prepare('SELECT replay_id FROM stream_positions WHERE channel = ?')
      .get(channel) as { replay_id: number } | undefined;
    return row ? Number(row.replay_id) : null;
  }

  setStreamPosition(channel: string, replayId: number): void {
    this.db
      .prepare(
        'INSERT INTO stream_positions (channel, replay_id, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id, updated_at = excluded.updated_at',
      )
      .run(channel, replayId, Date.now());
  }

  close(): void {
    this.db.close();
  }
}

/** Runs a synchronous store call as the asynchronous interface's answer (a throw rejects). */
function answer<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The embedded inbox of one connector process. One process means one worker: claiming is reading
 * what is due, and there is nothing to release.
 */
export class SqliteInbox implements Inbox {
  readonly store: SqliteStore;

  /** `file` is a path, or ':memory:' for a throwaway inbox (tests); see SqliteStore for `synchronous`. */
  constructor(file: string, options: { synchronous?: 'FULL' | 'NORMAL' } = {}) {
    this.store = new SqliteStore(file, options);
  }

  /** The journal mode and sync setting this inbox's connection runs with (`doctor`, the tests). */
  durability(): { journalMode: string; synchronous: string } {
    return this.store.durability();
  }

  add(event: NewEvent) {
    return answer(() => this.store.add(event));
  }
  addMany(events: NewEvent[]) {
    return answer(() => this.store.addMany(events));
  }
  due(now: number, limit: number) {
    return answer(() => this.store.due(now, limit));
  }
  claimDue(now: number, limit: number) {
    return answer(() => ({
      events: this.store.due(now, limit),
      replan: this.store.callsToReplan(now, limit),
    }));
  }
  releaseClaims() {
    return Promise.resolve();
  }
  eventsOfCalls(callIds: readonly string[]) {
    return answer(() => this.store.eventsOfCalls(callIds));
  }
  syncStates(callIds: readonly string[]) {
    return answer(() => this.store.syncStates(callIds));
  }

  recordVoiceCalls(
    entries: readonly { callId: string; voiceCallId: string | null }[],
    now: number,
  ) {
    return answer(() => this.store.recordVoiceCalls(entries, now));
  }
  recordTasks(entries: readonly TaskNote[], now: number) {
    return answer(() => this.store.recordTasks(entries, now));
  }
  openFollowUps(e164s: readonly string[]) {
    return answer(() => this.store.openFollowUps(e164s));
  }
  closeFollowUps(callIds: readonly string[], now: number) {
    return answer(() => this.store.closeFollowUps(callIds, now));
  }
  deadLetterTask(callId: string, reason: string, errorCode: string | null, now: number) {
    return answer(() => this.store.deadLetterTask(callId, reason, errorCode, now));
  }
  complete(
    done: readonly number[],
    skipped: readonly number[],
    sync: readonly { callId: string; state: CallSyncState }[],
    created: ReadonlyMap<string, CreatedRecord>,
    now?: number,
  ) {
    return answer(() => this.store.complete(done, skipped, sync, created, now));
  }
  retryLater(seqs: readonly number[], at: number, error: string) {
    return answer(() => this.store.retryLater(seqs, at, error));
  }
  deadLetter(seqs: readonly number[], reason: string, errorCode: string | null, now: number) {
    return answer(() => this.store.deadLetter(seqs, reason, errorCode, now));
  }
  deadLetters() {
    return answer(() => this.store.deadLetters());
  }
  requeueDead(seqs?: readonly number[]) {
    return answer(() => this.store.requeueDead(seqs));
  }
  createdRecords(e164s?: readonly string[]) {
    return answer(() => this.store.createdRecords(e164s));
  }
  counts() {
    return answer(() => this.store.counts());
  }
  oldestPendingAt() {
    return answer(() => this.store.oldestPendingAt());
  }
  dueSummary(now: number) {
    return answer(() => this.store.dueSummary(now));
  }
  callsToReplan(now: number, limit: number) {
    return answer(() => this.store.callsToReplan(now, limit));
  }
  postponeReplan(callIds: readonly string[], at: number) {
    return answer(() => this.store.postponeReplan(callIds, at));
  }
  addPendingLinks(links: readonly { callId: string; aircallVoiceId: string }[], dueAt: number) {
    return answer(() => this.store.addPendingLinks(links, dueAt));
  }
  pendingLinksDue(now: number, limit: number) {
    return answer(() => this.store.pendingLinksDue(now, limit));
  }
  resolveLinks(found: ReadonlyMap<string, string>) {
    return answer(() => this.store.resolveLinks(found));
  }
  postponeLinks(callIds: readonly string[], at: number, failedSweep?: boolean) {
    return answer(() => this.store.postponeLinks(callIds, at, failedSweep));
  }
  dropLinks(callIds: readonly string[]) {
    return answer(() => this.store.dropLinks(callIds));
  }
  pendingLinkCount() {
    return answer(() => this.store.pendingLinkCount());
  }
  nextDueAt() {
    return answer(() => this.store.nextDueAt());
  }
  statusOf(keys: readonly string[]) {
    return answer(() => this.store.statusOf(keys));
  }
  streamPosition(channel: string) {
    return answer(() => this.store.streamPosition(channel));
  }
  setStreamPosition(channel: string, replayId: number) {
    return answer(() => this.store.setStreamPosition(channel, replayId));
  }
  close() {
    return answer(() => this.store.close());
  }
}
