/**
 * The shared inbox in PostgreSQL, for several connector processes on one database
 * (`--inbox postgres://…` or `DATABASE_URL`). The same tables as the SQLite inbox
 * (src/inbox/rows.ts), plus which process works on which call and whose turn it is to drain
 * (src/inbox/postgres-claims.ts), and the caches and small facts the processes share
 * (src/inbox/postgres-shared.ts).
 *
 * A webhook redelivered to another process is stored once: the event key is UNIQUE and the insert
 * is `ON CONFLICT DO NOTHING`. Times the worker schedules (next attempt, replan, link sweeps) are in
 * the application's milliseconds, as in SQLite.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { CallSyncState, CreatedObject, OpenFollowUp } from '../engine';
import { TASK_EVENT } from '../errors/catalogue';
import {
  type Claimed,
  type CreatedRecord,
  type DeadLetter,
  type Inbox,
  type InboxCounts,
  type NewEvent,
  type SharedMatchCache,
  type SharedState,
  type StoredEvent,
  type TaskNote,
} from './inbox';
import { PostgresCalls } from './postgres-calls';
import {
  CLAIMS_SCHEMA,
  CLAIM_KEY,
  EVENT_CLAIM_KEY,
  PostgresClaims,
  owned,
  unclaimedByOthers,
} from './postgres-claims';
import { APPLICATION, PostgresDb, applicationName, numbered, text } from './postgres-db';

export { applicationName };
import { PostgresMatchCache, PostgresSharedState, SHARED_SCHEMA } from './postgres-shared';
import {
  COUNT_OPEN_SQL,
  DEAD_LETTERS_SQL,
  EVENT_COLUMNS,
  EVENT_TOTALS_INIT_SQL,
  EVENT_TOTALS_SQL,
  SQL,
  storedSync,
  tablesSql,
  taskDeadLetterKey,
  toCounts,
  toDeadLetter,
  toEvent,
  type DeadLetterRow,
  type EventRow,
} from './rows';

export interface PostgresInboxOptions {
  /** How long a claim lives without renewal (default 30 s): the takeover delay after a crash. */
  leaseMs?: number;
  /** Connections per process (default 8). */
  poolSize?: number;
  /**
   * Who owns the claims (default: `host:pid:random`, one per inbox, i.e. per process, so the claims
   * table tells an operator which process holds which call).
   */
  owner?: string;
}

/** The shared tables, PostgreSQL's indexes on events, then the tables of several processes. */
const SCHEMA = `${tablesSql('postgres')}
CREATE INDEX IF NOT EXISTS events_pending ON events (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS events_status ON events (status);
${CLAIMS_SCHEMA}${SHARED_SCHEMA}`;

/** Any number: the advisory lock that serializes schema creation between starting processes. */
const SCHEMA_LOCK = 0x41_69_72_43;

export class PostgresInbox implements Inbox {
  readonly pool: pg.Pool;
  readonly owner: string;
  readonly leaseMs: number;
  private readonly db: PostgresDb;
  private readonly claims: PostgresClaims;
  private readonly calls: PostgresCalls;
  private closed = false;
  readonly sharedState: SharedState;
  readonly sharedMatches: SharedMatchCache;

  private constructor(url: string, options: PostgresInboxOptions) {
    this.db = new PostgresDb(url, options.poolSize ?? 8);
    this.pool = this.db.pool;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.claims = new PostgresClaims(this.pool, this.owner, this.leaseMs);
    this.calls = new PostgresCalls(this.db, this.claims);
    this.sharedState = new PostgresSharedState(this.pool);
    this.sharedMatches = new PostgresMatchCache(this.pool);
  }

  /** Connects and creates the tables if needed (several processes may start at once). */
  static async open(url: string, options: PostgresInboxOptions = {}): Promise<PostgresInbox> {
    const inbox = new PostgresInbox(url, options);
    try {
      await inbox.db.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await c.query(SCHEMA);
        await c.query(EVENT_TOTALS_INIT_SQL);
      });
    } catch (error) {
      await inbox.pool.end().catch(() => undefined);
      throw error;
    }
    return inbox;
  }

  private rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.rows<T>(sql, params);
  }

  async add(event: NewEvent): Promise<boolean> {
    return (await this.addMany([event])) === 1;
  }

  async addMany(events: NewEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    // One statement: a redelivery (here or to another process) hits the UNIQUE key and is ignored.
    const result = await this.pool.query(
      `INSERT INTO events (key, call_id, name, body, received_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       ON CONFLICT (key) DO NOTHING`,
      [
        events.map((e) => e.key),
        events.map((e) => e.callId),
        events.map((e) => e.name),
        events.map((e) => JSON.stringify(e.body)),
        events.map((e) => e.receivedAt),
      ],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Pending events whose retry time has come, oldest first, but for those whose call another
   * process holds a live claim on (in a batch of its own, or left by a process that died, until
   * the lease expires): this process could not take them, so they must not make it flush.
   */
  async due(now: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.rows<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE status = 'pending' AND next_attempt_at <= $1
       AND ${unclaimedByOthers(EVENT_CLAIM_KEY, '$3')} ORDER BY seq LIMIT $2`,
      [now, limit, this.owner],
    );
    return rows.map(toEvent);
  }

  /** Waits up to `waitMs` for this process's turn to drain the inbox (src/inbox/postgres-claims.ts). */
  takeTurn(waitMs: number): Promise<{ release(): Promise<void> } | null> {
    return this.claims.takeTurn(waitMs);
  }

  /**
   * Claims up to `limit` due events and up to `limit` calls to re-plan, skipping calls another
   * process holds a live claim on. Only what is returned is this process's to work on.
   */
  async claimDue(now: number, limit: number): Promise<Claimed> {
    const candidates = await this.rows<{ seq: number; k: string }>(
      `SELECT seq, ${CLAIM_KEY} AS k FROM events e
       WHERE status = 'pending' AND next_attempt_at <= $1
       AND ${unclaimedByOthers(EVENT_CLAIM_KEY, '$3')} ORDER BY seq LIMIT $2`,
      [now, limit, this.owner],
    );
    const replanCandidates = await this.rows<{ call_id: string }>(
      `SELECT call_id FROM calls WHERE replan_at IS NOT NULL AND replan_at <= $1
       AND ${unclaimedByOthers('calls.call_id', '$3')} ORDER BY replan_at LIMIT $2`,
      [now, limit, this.owner],
    );
    const held = await this.claims.claim([
      ...candidates.map((c) => c.k),
      ...replanCandidates.map((r) => r.call_id),
    ]);
    if (held.size === 0) return { events: [], replan: [] };
    // Read again now that the calls are ours: another process may have settled them meanwhile.
    const rows = await this.rows<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq = ANY($1::bigint[]) AND status = 'pending'
       AND next_attempt_at <= $2 ORDER BY seq`,
      [candidates.filter((c) => held.has(c.k)).map((c) => c.seq), now],
    );
    const replan = await this.rows<{ call_id: string }>(
      `SELECT call_id FROM calls WHERE call_id = ANY($1::text[]) AND replan_at <= $2
       ORDER BY replan_at`,
      [replanCandidates.filter((r) => held.has(r.call_id)).map((r) => r.call_id), now],
    );
    return { events: rows.map(toEvent), replan: replan.map((r) => r.call_id) };
  }

  /** Gives up the calls this process claimed (end of a batch; src/inbox/postgres-claims.ts). */
  releaseClaims(): Promise<void> {
    return this.claims.release();
  }

  /**
   * Who shares this database now (`doctor`): connector processes and their connections (by
   * application_name, see `applicationName`; this process's own connection is left out), calls in
   * a batch (live claims) and claims a stopped process left that have expired.
   */
  async sharing(): Promise<{
    processes: number;
    connections: number;
    liveClaims: number;
    expiredClaims: number;
  }> {
    const rows = await this.rows<{ p: number; c: number; live: number; expired: number }>(
      `SELECT
         (SELECT COUNT(DISTINCT application_name)::bigint FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE $1
          AND application_name <> $2) AS p,
         (SELECT COUNT(*)::bigint FROM pg_stat_activity WHERE datname = current_database()
          AND application_name LIKE $1 AND application_name <> $2) AS c,
         (SELECT COUNT(*)::bigint FROM claims WHERE expires_at > clock_timestamp()) AS live,
         (SELECT COUNT(*)::bigint FROM claims WHERE expires_at <= clock_timestamp()) AS expired`,
      [`${APPLICATION} %`, applicationName()],
    );
    const row = rows[0];
    return {
      processes: row?.p ?? 0,
      connections: row?.c ?? 0,
      liveClaims: row?.live ?? 0,
      expiredClaims: row?.expired ?? 0,
    };
  }

  /** The keys (calls, or `#seq` for events without a call) this process holds claims on. */
  heldClaims(): Promise<string[]> {
    return this.claims.held();
  }

  async eventsOfCalls(callIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const byCall = new Map<string, StoredEvent[]>();
    if (callIds.length === 0) return byCall;
    const rows = await this.rows<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE call_id = ANY($1::text[]) AND status <> 'dead'
       ORDER BY seq`,
      [[...callIds]],
    );
    for (const row of rows) {
      const list = byCall.get(row.call_id ?? '') ?? [];
      list.push(toEvent(row));
      byCall.set(row.call_id ?? '', list);
    }
    return byCall;
  }

  async deadLetterTask(
    callId: string,
    reason: string,
    errorCode: string | null,
    now: number,
  ): Promise<void> {
    await this.db.transaction(async (c) => {
      const reasonText = text(reason);
      const code = errorCode === null ? null : text(errorCode);
      const updated = await c.query(numbered(SQL.updateTaskDeadLetter), [
        reasonText,
        code,
        now,
        callId,
        TASK_EVENT,
      ]);
      if ((updated.rowCount ?? 0) > 0) return;
      await c.query(numbered(SQL.insertTaskDeadLetter), [
        taskDeadLetterKey(callId, now),
        callId,
        TASK_EVENT,
        now,
        reasonText,
        code,
        now,
      ]);
    });
  }

  async complete(
    done: readonly number[],
    skipped: readonly number[],
    sync: readonly { callId: string; state: CallSyncState }[],
    created: ReadonlyMap<string, CreatedRecord>,
    now = Date.now(),
  ): Promise<void> {
    await this.db.transaction(async (c) => {
      // Lock this process's claims so no takeover happens between the check and the commit.
      const held = new Set(
        (
          await c.query<{ key: string }>('SELECT key FROM claims WHERE owner = $1 FOR UPDATE', [
            this.owner,
          ])
        ).rows.map((r) => r.key),
      );
      const changed = { done: 0, skipped: 0 };
      for (const [status, seqs] of [
        ['done', done],
        ['skipped', skipped],
      ] as const) {
        if (seqs.length === 0) continue;
        const result = await c.query(
          `UPDATE events SET status = $1, finished_at = $2, last_error = NULL, error_code = NULL
           WHERE seq = ANY($3::bigint[]) AND status = 'pending' AND ${owned('$4')}`,
          [status, now, [...seqs], this.owner],
        );
        changed[status] = result.rowCount ?? 0;
      }
      const mine = sync.filter((s) => held.has(s.callId));
      if (mine.length > 0) {
        await c.query(
          `INSERT INTO calls (call_id, sync, replan_at, voice_call_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
           ON CONFLICT (call_id) DO UPDATE SET sync = excluded.sync, replan_at = excluded.replan_at,
             voice_call_id = COALESCE(excluded.voice_call_id, calls.voice_call_id)`,
          [
            mine.map((s) => s.callId),
            mine.map((s) => storedSync(s.state)),
            mine.map((s) => {
              const at = s.state.finalPatchDueAt ? Date.parse(s.state.finalPatchDueAt) : NaN;
              return Number.isNaN(at) ? null : at;
            }),
            mine.map((s) => s.state.voiceCallId ?? null),
          ],
        );
      }
      if (created.size > 0) {
        const entries = [...created];
        await c.query(
          `INSERT INTO created_records (e164, sobject, id, created_at)
           SELECT e, s, i, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(e, s, i)
           ON CONFLICT (e164) DO UPDATE SET id = COALESCE(excluded.id, created_records.id)`,
          [
            entries.map(([e]) => e),
            entries.map(([, r]) => r.sobject),
            entries.map(([, r]) => r.id),
            now,
          ],
        );
      }
      // Last, so the row lock that other processes' completions wait for is held only until the
      // commit that follows.
      for (const status of ['done', 'skipped'] as const) {
        if (changed[status] > 0) {
          await c.query('UPDATE event_totals SET n = n + $1 WHERE status = $2', [
            changed[status],
            status,
          ]);
        }
      }
    });
  }

  async retryLater(seqs: readonly number[], at: number, error: string): Promise<void> {
    if (seqs.length === 0) return;
    await this.pool.query(
      `UPDATE events SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2
       WHERE seq = ANY($3::bigint[]) AND status = 'pending'
       AND ${owned('$4')}`,
      [at, text(error), [...seqs], this.owner],
    );
  }

  async deadLetter(
    seqs: readonly number[],
    reason: string,
    errorCode: string | null,
    now: number,
  ): Promise<void> {
    if (seqs.length === 0) return;
    await this.pool.query(
      `UPDATE events SET status = 'dead', attempts = attempts + 1, last_error = $1, error_code = $2,
       finished_at = $3 WHERE seq = ANY($4::bigint[]) AND status = 'pending'
       AND ${owned('$5')}`,
      [text(reason), errorCode === null ? null : text(errorCode), now, [...seqs], this.owner],
    );
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.rows<DeadLetterRow>(DEAD_LETTERS_SQL)).map(toDeadLetter);
  }

  async requeueDead(seqs?: readonly number[]): Promise<number> {
    const result = seqs
      ? await this.pool.query(
          `UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = 0
           WHERE status = 'dead' AND seq = ANY($1::bigint[])`,
          [[...seqs]],
        )
      : await this.pool.query(SQL.requeueAllDead);
    return result.rowCount ?? 0;
  }

  async createdRecords(e164s?: readonly string[]): Promise<Map<string, CreatedRecord>> {
    type Row = { e164: string; sobject: CreatedObject; id: string | null };
    const rows = e164s
      ? await this.rows<Row>(
          'SELECT e164, sobject, id FROM created_records WHERE e164 = ANY($1::text[])',
          [[...e164s]],
        )
      : await this.rows<Row>('SELECT e164, sobject, id FROM created_records');
    return new Map(rows.map((r) => [r.e164, { sobject: r.sobject, id: r.id }]));
  }

  async counts(): Promise<InboxCounts> {
    type Row = { status: string; n: number };
    const [open, totals] = await Promise.all([
      this.rows<Row>(COUNT_OPEN_SQL),
      this.rows<Row>(EVENT_TOTALS_SQL),
    ]);
    return toCounts(open, totals);
  }

  async oldestPendingAt(): Promise<number | null> {
    const rows = await this.rows<{ t: number | null }>(SQL.oldestPendingAt);
    return rows[0]?.t ?? null;
  }

  /** Due events that no other process has claimed (what this process could take now). */
  async dueSummary(now: number): Promise<{ count: number; oldestReceivedAt: number | null }> {
    const rows = await this.rows<{ n: number; t: number | null }>(
      `SELECT COUNT(*) AS n, MIN(received_at) AS t FROM events e
       WHERE status = 'pending' AND next_attempt_at <= $1
       AND ${unclaimedByOthers(EVENT_CLAIM_KEY, '$2')}`,
      [now, this.owner],
    );
    return { count: rows[0]?.n ?? 0, oldestReceivedAt: rows[0]?.t ?? null };
  }

  async callsToReplan(now: number, limit: number): Promise<string[]> {
    const rows = await this.rows<{ call_id: string }>(
      `SELECT call_id FROM calls WHERE replan_at IS NOT NULL AND replan_at <= $1
       ORDER BY replan_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.call_id);
  }

  async postponeReplan(callIds: readonly string[], at: number): Promise<void> {
    if (callIds.length === 0) return;
    await this.pool.query(
      `UPDATE calls SET replan_at = $1 WHERE call_id = ANY($2::text[])
       AND call_id IN (SELECT key FROM claims WHERE owner = $3)`,
      [at, [...callIds], this.owner],
    );
  }

  async nextDueAt(): Promise<number | null> {
    const rows = await this.rows<{ t: number | null }>(SQL.nextDueAt);
    return rows[0]?.t ?? null;
  }

  async statusOf(keys: readonly string[]): Promise<Map<string, keyof InboxCounts>> {
    const status = new Map<string, keyof InboxCounts>();
    if (keys.length === 0) return status;
    const rows = await this.rows<{ key: string; status: keyof InboxCounts }>(
      'SELECT key, status FROM events WHERE key = ANY($1::text[])',
      [[...new Set(keys)]],
    );
    for (const row of rows) status.set(row.key, row.status);
    return status;
  }

  // ---- Sync state, follow-ups, VoiceCall links, stream positions: src/inbox/postgres-calls.ts ----

  syncStates(callIds: readonly string[]): Promise<Map<string, CallSyncState>> {
    return this.calls.syncStates(callIds);
  }
  recordVoiceCalls(
    entries: readonly { callId: string; voiceCallId: string | null }[],
    now: number,
  ): Promise<void> {
    return this.calls.recordVoiceCalls(entries, now);
  }
  recordTasks(entries: readonly TaskNote[], now: number): Promise<void> {
    return this.calls.recordTasks(entries, now);
  }
  openFollowUps(e164s: readonly string[]): Promise<Map<string, OpenFollowUp[]>> {
    return this.calls.openFollowUps(e164s);
  }
  closeFollowUps(callIds: readonly string[], now: number): Promise<void> {
    return this.calls.closeFollowUps(callIds, now);
  }
  addPendingLinks(
    links: readonly { callId: string; aircallVoiceId: string }[],
    dueAt: number,
  ): Promise<void> {
    return this.calls.addPendingLinks(links, dueAt);
  }
  pendingLinksDue(
    now: number,
    limit: number,
  ): Promise<{ callId: string; aircallVoiceId: string; attempts: number }[]> {
    return this.calls.pendingLinksDue(now, limit);
  }
  resolveLinks(found: ReadonlyMap<string, string>): Promise<void> {
    return this.calls.resolveLinks(found);
  }
  postponeLinks(callIds: readonly string[], at: number, failedSweep?: boolean): Promise<void> {
    return this.calls.postponeLinks(callIds, at, failedSweep);
  }
  dropLinks(callIds: readonly string[]): Promise<void> {
    return this.calls.dropLinks(callIds);
  }
  pendingLinkCount(): Promise<number> {
    return this.calls.pendingLinkCount();
  }
  streamPosition(channel: string): Promise<number | null> {
    return this.calls.streamPosition(channel);
  }
  setStreamPosition(channel: string, replayId: number): Promise<void> {
    return this.calls.setStreamPosition(channel, replayId);
  }

  /** Releases this process's claims (others take its calls at once) and closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.claims.close();
    this.closed = true;
    await this.pool.end();
  }
}
