/**
 * The SQLite inbox's synchronous store (node:sqlite answers synchronously), for one connector
 * process; src/inbox/sqlite.ts gives it the contract's asynchronous shape.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { CallSyncState, CreatedObject, OpenFollowUp } from '../engine';
import { TASK_EVENT } from '../errors/catalogue';
import {
  type CreatedRecord,
  type DeadLetter,
  type InboxCounts,
  type NewEvent,
  type StoredEvent,
  type TaskNote,
} from './inbox';
import {
  ADDED_CALL_COLUMNS,
  CALL_COLUMNS,
  COUNT_OPEN_SQL,
  DEAD_LETTERS_SQL,
  EVENT_COLUMNS,
  EVENT_TOTALS_INIT_SQL,
  EVENT_TOTALS_SQL,
  NEW_CALL_SYNC,
  OPEN_FOLLOW_UPS_SQL,
  SQL,
  columnType,
  storedSync,
  tablesSql,
  taskDeadLetterKey,
  toCounts,
  toDeadLetter,
  toEvent,
  toOpenFollowUps,
  toSyncState,
  type CallRow,
  type DeadLetterRow,
  type EventRow,
  type FollowUpRow,
} from './rows';

/** The shared tables, and the index SQLite's worker reads due events through. */
const SCHEMA = `${tablesSql('sqlite')}
CREATE INDEX IF NOT EXISTS events_due ON events (status, next_attempt_at, seq);
`;

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
    for (const [name, type] of ADDED_CALL_COLUMNS) {
      if (columns.length > 0 && !columns.some((c) => c.name === name)) {
        this.db.exec(`ALTER TABLE calls ADD COLUMN ${name} ${columnType(type, 'sqlite')}`);
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
      const updated = this.db
        .prepare(SQL.updateTaskDeadLetter)
        .run(reason, errorCode, now, callId, TASK_EVENT);
      if (Number(updated.changes) > 0) return;
      this.db
        .prepare(SQL.insertTaskDeadLetter)
        .run(taskDeadLetterKey(callId, now), callId, TASK_EVENT, now, reason, errorCode, now);
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
        const result = this.db.prepare(SQL.requeueAllDead).run();
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
    type Row = { e164: string; sobject: CreatedObject; id: string | null };
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
    const row = this.db.prepare(SQL.oldestPendingAt).get() as { t: number | null } | undefined;
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
    const row = this.db.prepare(SQL.pendingLinkCount).get() as { n: number } | undefined;
    return row?.n ?? 0;
  }

  nextDueAt(): number | null {
    const row = this.db.prepare(SQL.nextDueAt).get() as { t: number | null } | undefined;
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
    const row = this.db.prepare(SQL.streamPosition).get(channel) as
      { replay_id: number } | undefined;
    return row ? Number(row.replay_id) : null;
  }

  setStreamPosition(channel: string, replayId: number): void {
    this.db.prepare(SQL.setStreamPosition).run(channel, replayId, Date.now());
  }

  close(): void {
    this.db.close();
  }
}
