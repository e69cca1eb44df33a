/**
 * The shared inbox in PostgreSQL, for several connector processes on one database
 * (`--inbox postgres://…` or `DATABASE_URL`). The same tables as the SQLite inbox, plus:
 *
 * - `claims`: which process works on which call. A call (or an event without a call, keyed
 *   `#<seq>`) is claimed before its events are read and planned, so one call is processed by one
 *   worker at a time while a batch still holds many calls. A claim is a lease: it expires
 *   `leaseMs` after it was taken or last renewed (by the database's clock, so the machines' clocks
 *   do not matter). A live process renews its claims every `leaseMs / 3` while a batch is in flight;
 *   a SIGKILLed one stops renewing, and its calls are claimed by another process once the lease
 *   has expired. Settling a batch (done, retry, dead letter, new sync state) only touches calls the
 *   process still owns, so a process that lost its lease (paused longer than the lease) cannot
 *   overwrite the work of the one that took over.
 * - `match_cache`: the phone-number → CRM candidates cache, shared so that consecutive batches
 *   of one call on different processes do not each search the same number.
 * - The turn (`takeTurn`): the processes drain the inbox one batch at a time, each batch taking the
 *   due work of the whole inbox, whoever received it. N processes then make the batches one
 *   process would (the org's bill does not grow with the number of processes), instead of N
 *   workers each flushing small batches of what it received. The turn is a transaction-level
 *   advisory lock held by an open transaction on one pooled connection for the batch: the server
 *   releases it when the holder commits, or when its connection dies (a SIGKILLed process hands the
 *   turn over at once; its calls' claims still wait for their lease). A transaction-level lock also
 *   works through a pooler in transaction mode (PgBouncer), which a session-level lock does not.
 * - `shared_state`: small facts the processes share rather than each fetching them from the org:
 *   the org's settings snapshot (src/connector/context.ts) and when the link sweep last ran.
 *
 * A webhook redelivered to another process is stored once: the event key is UNIQUE and the insert
 * is `ON CONFLICT DO NOTHING`. Times the worker schedules (next attempt, replan, link sweeps) are in
 * the application's milliseconds, as in SQLite.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { CallSyncState, CrmObject, OpenFollowUp } from '../engine';
import type {
  Claimed,
  CreatedRecord,
  DeadLetter,
  Inbox,
  InboxCounts,
  NewEvent,
  SharedMatchCache,
  SharedState,
  StoredEvent,
  CallRow,
  FollowUpRow,
  TaskNote,
} from './inbox';
import {
  CALL_COLUMNS,
  OPEN_FOLLOW_UPS_SQL,
  TASK_EVENT,
  toOpenFollowUps,
  COUNT_OPEN_SQL,
  DEAD_LETTERS_SQL,
  EVENT_COLUMNS,
  EVENT_TOTALS_INIT_SQL,
  EVENT_TOTALS_SQL,
  NEW_CALL_SYNC,
  storedSync,
  toCounts,
  toDeadLetter,
  toEvent,
  toSyncState,
  type DeadLetterRow,
  type EventRow,
} from './inbox';

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  call_id TEXT,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  error_code TEXT,
  finished_at BIGINT
);
CREATE INDEX IF NOT EXISTS events_pending ON events (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS events_call ON events (call_id);
CREATE INDEX IF NOT EXISTS events_status ON events (status);
CREATE TABLE IF NOT EXISTS calls (
  call_id TEXT PRIMARY KEY,
  sync TEXT NOT NULL,
  replan_at BIGINT
);
ALTER TABLE calls ADD COLUMN IF NOT EXISTS voice_call_id TEXT;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS voice_call_posted_at BIGINT;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS task_id TEXT;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS task_posted_at BIGINT;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS follow_up_task_id TEXT;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS follow_up_posted_at BIGINT;
CREATE TABLE IF NOT EXISTS follow_ups (
  call_id TEXT PRIMARY KEY,
  e164 TEXT,
  category TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX IF NOT EXISTS follow_ups_open ON follow_ups (e164) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS calls_replan ON calls (replan_at) WHERE replan_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS pending_links (
  call_id TEXT PRIMARY KEY,
  aircall_voice_id TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS pending_links_due ON pending_links (due_at);
CREATE TABLE IF NOT EXISTS stream_positions (
  channel TEXT PRIMARY KEY,
  replay_id BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS created_records (
  e164 TEXT PRIMARY KEY,
  sobject TEXT NOT NULL,
  id TEXT,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_totals (
  status TEXT PRIMARY KEY CHECK (status IN ('done', 'skipped')),
  n BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS match_cache (
  key TEXT PRIMARY KEY,
  candidates TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS shared_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  at BIGINT NOT NULL
);
`;

/** Any number: the advisory lock that serializes schema creation between starting processes. */
const SCHEMA_LOCK = 0x41_69_72_43;
/**
 * The turn's advisory lock: this first key and the schema's name hashed, so that deployments
 * sharing a database (one schema each) take turns only among themselves.
 */
const TURN_LOCK = 0x41_69_72_54;
/** SQLSTATE of a lock wait that reached `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

/** BIGINT (int8) and COUNT come back as strings by default; every one here fits a double. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** What the connections of this process are called in pg_stat_activity: `aircall-sfv <pid>@<host>`. */
export function applicationName(): string {
  return `${APPLICATION} ${process.pid}@${hostname()}`.slice(0, 63);
}
const APPLICATION = 'aircall-sfv';

/** PostgreSQL text cannot hold NUL; an error message echoing a webhook string might. */
const text = (value: string) => value.replace(/\0/g, '\uFFFD');

/** The claim key of an event: its call, or the event itself when it has no call (agent events). */
const CLAIM_KEY = "COALESCE(call_id, '#' || seq)";

const DEADLOCK = '40P01';

/** SQL condition: the event's call (or the event itself) is claimed by the owner in `param`. */
const owned = (param: string) => `${CLAIM_KEY} IN (SELECT key FROM claims WHERE owner = ${param})`;

export class PostgresInbox implements Inbox {
  readonly pool: pg.Pool;
  readonly owner: string;
  readonly leaseMs: number;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(url: string, options: PostgresInboxOptions) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 8,
      types,
      // Tells an operator (pg_stat_activity) and `doctor` which process a connection belongs to.
      application_name: applicationName(),
    });
    // An idle connection that the server closes must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Connects and creates the tables if needed (several processes may start at once). */
  static async open(url: string, options: PostgresInboxOptions = {}): Promise<PostgresInbox> {
    const inbox = new PostgresInbox(url, options);
    try {
      await inbox.transaction(async (c) => {
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

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
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
       AND NOT EXISTS (
         SELECT 1 FROM claims c WHERE c.key = COALESCE(e.call_id, '#' || e.seq)
         AND c.owner <> $3 AND c.expires_at > clock_timestamp())
       ORDER BY seq LIMIT $2`,
      [now, limit, this.owner],
    );
    return rows.map(toEvent);
  }

  /**
   * Waits up to `waitMs` for this process's turn to drain the inbox (see the top of this file).
   * Resolves a release (call it when the batch is settled) or null when another process kept the
   * turn that long. One round trip to take it, one to give it back.
   */
  async takeTurn(waitMs: number): Promise<{ release(): Promise<void> } | null> {
    const client = await this.pool.connect();
    // The connection is held for the whole batch: should the server end it meanwhile (a restart,
    // a failover, idle_in_transaction_session_timeout), that must not crash the process. The lock
    // goes with the connection; the batch's writes are still checked against its claims.
    let broken: Error | null = null;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      // lock_timeout bounds the wait, so a stopping worker is not stuck behind a long batch.
      await client.query(
        `BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.round(waitMs))};
         SELECT pg_advisory_xact_lock(${TURN_LOCK}, hashtext(current_schema()))`,
      );
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.off('error', onError);
      const code = (error as { code?: string }).code;
      client.release(code === LOCK_NOT_AVAILABLE ? undefined : (error as Error));
      if (code === LOCK_NOT_AVAILABLE) return null;
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        let failed: Error | null = broken;
        if (!failed) await client.query('COMMIT').catch((error: Error) => (failed = error));
        client.off('error', onError);
        // A broken connection is not given back to the pool.
        client.release(failed ?? undefined);
      },
    };
  }

  readonly sharedState: SharedState = {
    get: async (key) => {
      const rows = await this.rows<{ value: string; at: number }>(
        'SELECT value, at FROM shared_state WHERE key = $1',
        [key],
      );
      const row = rows[0];
      return row ? { value: JSON.parse(row.value) as unknown, at: row.at } : null;
    },
    put: async (key, value, at) => {
      await this.pool.query(
        `INSERT INTO shared_state (key, value, at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at`,
        [key, text(JSON.stringify(value)), at],
      );
    },
  };

  /**
   * Claims up to `limit` due events and up to `limit` calls to re-plan, skipping calls another
   * process holds a live claim on. Only what is returned is this process's to work on.
   */
  async claimDue(now: number, limit: number): Promise<Claimed> {
    const candidates = await this.rows<{ seq: number; k: string }>(
      `SELECT seq, ${CLAIM_KEY} AS k FROM events e
       WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT EXISTS (
         SELECT 1 FROM claims c WHERE c.key = COALESCE(e.call_id, '#' || e.seq)
         AND c.owner <> $3 AND c.expires_at > clock_timestamp())
       ORDER BY seq LIMIT $2`,
      [now, limit, this.owner],
    );
    const replanCandidates = await this.rows<{ call_id: string }>(
      `SELECT call_id FROM calls WHERE replan_at IS NOT NULL AND replan_at <= $1 AND NOT EXISTS (
         SELECT 1 FROM claims c WHERE c.key = calls.call_id
         AND c.owner <> $3 AND c.expires_at > clock_timestamp())
       ORDER BY replan_at LIMIT $2`,
      [now, limit, this.owner],
    );
    const held = await this.claim([
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

  /**
   * Takes (or renews) the claims on these keys that nobody else holds alive; returns the keys now
   * held. Keys are inserted in sorted order so two processes claiming overlapping sets cannot
   * deadlock; should the server still report one, this round simply claims nothing.
   */
  private async claim(keys: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return new Set();
    try {
      const rows = await this.rows<{ key: string }>(
        `INSERT INTO claims (key, owner, expires_at)
         SELECT k, $2, clock_timestamp() + $3 * interval '1 millisecond'
         FROM unnest($1::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE claims.owner = excluded.owner OR claims.expires_at <= clock_timestamp()
         RETURNING key`,
        [unique, this.owner, this.leaseMs],
      );
      if (rows.length > 0) this.startHeartbeat();
      return new Set(rows.map((r) => r.key));
    } catch (error) {
      if ((error as { code?: string }).code === DEADLOCK) return new Set();
      throw error;
    }
  }

  /** Renews this process's claims while a batch is in flight, so a slow org does not lose them. */
  private startHeartbeat(): void {
    if (this.heartbeat || this.closed) return;
    this.heartbeat = setInterval(
      () => {
        this.pool
          .query(
            `UPDATE claims SET expires_at = clock_timestamp() + $2 * interval '1 millisecond'
             WHERE owner = $1`,
            [this.owner, this.leaseMs],
          )
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    this.heartbeat.unref();
  }

  /**
   * Gives up every claim this process holds (end of a batch), and removes the claims a dead process
   * left behind once they have been expired for a whole lease: a SIGKILLed process never releases,
   * and the claims on calls nobody needs again (finished ones) would otherwise stay forever. An
   * expired claim already blocks nobody, so removing it changes no decision; a process that was
   * only paused that long finds its calls no longer owned and leaves them to be redone, as after a
   * takeover.
   */
  async releaseClaims(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.pool.query(
      `DELETE FROM claims WHERE owner = $1
       OR expires_at < clock_timestamp() - $2 * interval '1 millisecond'`,
      [this.owner, this.leaseMs],
    );
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
  async heldClaims(): Promise<string[]> {
    const rows = await this.rows<{ key: string }>(
      'SELECT key FROM claims WHERE owner = $1 ORDER BY key',
      [this.owner],
    );
    return rows.map((r) => r.key);
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

  async syncStates(callIds: readonly string[]): Promise<Map<string, CallSyncState>> {
    const states = new Map<string, CallSyncState>();
    if (callIds.length === 0) return states;
    const rows = await this.rows<CallRow>(
      `SELECT ${CALL_COLUMNS} FROM calls WHERE call_id = ANY($1::text[])`,
      [[...callIds]],
    );
    for (const row of rows) states.set(row.call_id, toSyncState(row));
    return states;
  }

  /**
   * Written whether or not this process still holds the call's claim: a VoiceCall that exists is a
   * fact, and forgetting it is what would make the next owner POST again.
   */
  async recordVoiceCalls(
    entries: readonly { callId: string; voiceCallId: string | null }[],
    now: number,
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(
      `INSERT INTO calls (call_id, sync, voice_call_id, voice_call_posted_at)
       SELECT c, $3, v, $4 FROM unnest($1::text[], $2::text[]) AS u(c, v)
       ON CONFLICT (call_id) DO UPDATE SET
         voice_call_id = COALESCE(excluded.voice_call_id, calls.voice_call_id),
         voice_call_posted_at = COALESCE(calls.voice_call_posted_at, excluded.voice_call_posted_at)`,
      [entries.map((e) => e.callId), entries.map((e) => e.voiceCallId), NEW_CALL_SYNC, now],
    );
  }

  /** Written whether or not this process still holds the call's claim, like recordVoiceCalls. */
  async recordTasks(entries: readonly TaskNote[], now: number): Promise<void> {
    if (entries.length === 0) return;
    for (const kind of ['call', 'follow-up'] as const) {
      const mine = entries.filter((e) => e.kind === kind);
      if (mine.length === 0) continue;
      const [id, at] =
        kind === 'call'
          ? ['task_id', 'task_posted_at']
          : ['follow_up_task_id', 'follow_up_posted_at'];
      await this.pool.query(
        `INSERT INTO calls (call_id, sync, ${id}, ${at})
         SELECT c, $3, v, $4 FROM unnest($1::text[], $2::text[]) AS u(c, v)
         ON CONFLICT (call_id) DO UPDATE SET
           ${id} = COALESCE(excluded.${id}, calls.${id}),
           ${at} = COALESCE(calls.${at}, excluded.${at})`,
        [mine.map((e) => e.callId), mine.map((e) => e.taskId), NEW_CALL_SYNC, now],
      );
    }
    const opened = entries.filter((e) => e.followUp);
    if (opened.length > 0)
      await this.pool.query(
        `INSERT INTO follow_ups (call_id, e164, category, opened_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (call_id) DO NOTHING`,
        [
          opened.map((e) => e.callId),
          opened.map((e) => e.followUp!.e164),
          opened.map((e) => e.followUp!.category),
          opened.map((e) => e.followUp!.openedAt),
        ],
      );
  }

  async openFollowUps(e164s: readonly string[]): Promise<Map<string, OpenFollowUp[]>> {
    if (e164s.length === 0) return new Map();
    const rows = await this.rows<FollowUpRow>(
      OPEN_FOLLOW_UPS_SQL.replace('IN ($NUMBERS)', '= ANY($1::text[])'),
      [[...e164s]],
    );
    return toOpenFollowUps(rows);
  }

  async closeFollowUps(callIds: readonly string[], now: number): Promise<void> {
    if (callIds.length === 0) return;
    await this.pool.query(
      'UPDATE follow_ups SET closed_at = $1 WHERE closed_at IS NULL AND call_id = ANY($2::text[])',
      [now, [...callIds]],
    );
  }

  async deadLetterTask(
    callId: string,
    reason: string,
    errorCode: string | null,
    now: number,
  ): Promise<void> {
    await this.transaction(async (c) => {
      const updated = await c.query(
        `UPDATE events SET status = 'dead', attempts = attempts + 1, last_error = $1, error_code = $2,
         finished_at = $3 WHERE call_id = $4 AND name = $5 AND status IN ('pending', 'dead')`,
        [text(reason), errorCode === null ? null : text(errorCode), now, callId, TASK_EVENT],
      );
      if ((updated.rowCount ?? 0) > 0) return;
      await c.query(
        `INSERT INTO events (key, call_id, name, body, received_at, status, attempts, last_error,
         error_code, finished_at) VALUES ($1, $2, $3, '{}', $4, 'dead', 1, $5, $6, $4)
         ON CONFLICT (key) DO NOTHING`,
        [
          `task:${callId}:${now}`,
          callId,
          TASK_EVENT,
          now,
          text(reason),
          errorCode === null ? null : text(errorCode),
        ],
      );
    });
  }

  async complete(
    done: readonly number[],
    skipped: readonly number[],
    sync: readonly { callId: string; state: CallSyncState }[],
    created: ReadonlyMap<string, CreatedRecord>,
    now = Date.now(),
  ): Promise<void> {
    await this.transaction(async (c) => {
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
      : await this.pool.query(
          "UPDATE events SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE status = 'dead'",
        );
    return result.rowCount ?? 0;
  }

  async createdRecords(e164s?: readonly string[]): Promise<Map<string, CreatedRecord>> {
    type Row = { e164: string; sobject: CrmObject; id: string | null };
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
    const rows = await this.rows<{ t: number | null }>(
      "SELECT MIN(received_at) AS t FROM events WHERE status = 'pending'",
    );
    return rows[0]?.t ?? null;
  }

  /** Due events that no other process has claimed (what this process could take now). */
  async dueSummary(now: number): Promise<{ count: number; oldestReceivedAt: number | null }> {
    const rows = await this.rows<{ n: number; t: number | null }>(
      `SELECT COUNT(*) AS n, MIN(received_at) AS t FROM events e
       WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT EXISTS (
         SELECT 1 FROM claims c WHERE c.key = COALESCE(e.call_id, '#' || e.seq)
         AND c.owner <> $2 AND c.expires_at > clock_timestamp())`,
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

  async addPendingLinks(
    links: readonly { callId: string; aircallVoiceId: string }[],
    dueAt: number,
  ): Promise<void> {
    if (links.length === 0) return;
    await this.pool.query(
      `INSERT INTO pending_links (call_id, aircall_voice_id, due_at)
       SELECT c, a, $3 FROM unnest($1::text[], $2::text[]) AS u(c, a)
       ON CONFLICT (call_id) DO UPDATE SET aircall_voice_id = excluded.aircall_voice_id`,
      [links.map((l) => l.callId), links.map((l) => l.aircallVoiceId), dueAt],
    );
  }

  /**
   * Links due now whose calls this process could claim: the sweep writes the VoiceCall id into
   * the call's sync state, so it owns the call like a batch does (the claims are released with
   * the batch's).
   */
  async pendingLinksDue(
    now: number,
    limit: number,
  ): Promise<{ callId: string; aircallVoiceId: string; attempts: number }[]> {
    const candidates = await this.rows<{
      call_id: string;
      aircall_voice_id: string;
      attempts: number;
    }>(
      `SELECT call_id, aircall_voice_id, attempts FROM pending_links l WHERE due_at <= $1
       AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.key = l.call_id AND c.owner <> $3
         AND c.expires_at > clock_timestamp())
       ORDER BY due_at LIMIT $2`,
      [now, limit, this.owner],
    );
    const held = await this.claim(candidates.map((c) => c.call_id));
    const rows = await this.rows<{ call_id: string; aircall_voice_id: string; attempts: number }>(
      `SELECT call_id, aircall_voice_id, attempts FROM pending_links
       WHERE call_id = ANY($1::text[]) AND due_at <= $2 ORDER BY due_at`,
      [candidates.filter((c) => held.has(c.call_id)).map((c) => c.call_id), now],
    );
    return rows.map((r) => ({
      callId: r.call_id,
      aircallVoiceId: r.aircall_voice_id,
      attempts: r.attempts,
    }));
  }

  async resolveLinks(found: ReadonlyMap<string, string>): Promise<void> {
    if (found.size === 0) return;
    await this.transaction(async (c) => {
      const held = new Set(
        (
          await c.query<{ key: string }>(
            'SELECT key FROM claims WHERE owner = $1 AND key = ANY($2::text[]) FOR UPDATE',
            [this.owner, [...found.keys()]],
          )
        ).rows.map((r) => r.key),
      );
      const mine = [...found].filter(([callId]) => held.has(callId));
      if (mine.length === 0) return;
      await c.query(
        `UPDATE calls SET sync = (sync::jsonb || jsonb_build_object('voiceCallId', u.v))::text,
           voice_call_id = u.v
         FROM unnest($1::text[], $2::text[]) AS u(c, v) WHERE calls.call_id = u.c`,
        [mine.map(([k]) => k), mine.map(([, v]) => v)],
      );
      await c.query('DELETE FROM pending_links WHERE call_id = ANY($1::text[])', [
        mine.map(([k]) => k),
      ]);
    });
  }

  async postponeLinks(callIds: readonly string[], at: number, failedSweep = true): Promise<void> {
    if (callIds.length === 0) return;
    await this.pool.query(
      'UPDATE pending_links SET due_at = $1, attempts = attempts + $2 WHERE call_id = ANY($3::text[])',
      [at, failedSweep ? 1 : 0, [...callIds]],
    );
  }

  async dropLinks(callIds: readonly string[]): Promise<void> {
    if (callIds.length === 0) return;
    await this.pool.query('DELETE FROM pending_links WHERE call_id = ANY($1::text[])', [
      [...callIds],
    ]);
  }

  async pendingLinkCount(): Promise<number> {
    const rows = await this.rows<{ n: number }>('SELECT COUNT(*) AS n FROM pending_links');
    return rows[0]?.n ?? 0;
  }

  async nextDueAt(): Promise<number | null> {
    const rows = await this.rows<{ t: number | null }>(
      "SELECT MIN(next_attempt_at) AS t FROM events WHERE status = 'pending'",
    );
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

  async streamPosition(channel: string): Promise<number | null> {
    const rows = await this.rows<{ replay_id: number }>(
      'SELECT replay_id FROM stream_positions WHERE channel = $1',
      [channel],
    );
    return rows[0] ? rows[0].replay_id : null;
  }

  async setStreamPosition(channel: string, replayId: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO stream_positions (channel, replay_id, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id, updated_at = excluded.updated_at`,
      [channel, replayId, Date.now()],
    );
  }

  readonly sharedMatches: SharedMatchCache = {
    get: (keys, now, maxAgeMs) => this.cachedMatches(keys, now, maxAgeMs),
    put: (entries, now, forgetBefore) => this.cacheMatches(entries, now, forgetBefore),
    clear: () => this.clearMatchCache(),
  };

  /** Cached CRM candidates by key, searched less than `maxAgeMs` before `now`, and when. */
  async cachedMatches(
    keys: readonly string[],
    now: number,
    maxAgeMs: number,
  ): Promise<Map<string, { candidates: unknown; at: number }>> {
    const found = new Map<string, { candidates: unknown; at: number }>();
    if (keys.length === 0) return found;
    const rows = await this.rows<{ key: string; candidates: string; at: number }>(
      'SELECT key, candidates, at FROM match_cache WHERE key = ANY($1::text[]) AND at > $2',
      [[...new Set(keys)], now - maxAgeMs],
    );
    for (const row of rows)
      found.set(row.key, { candidates: JSON.parse(row.candidates) as unknown, at: row.at });
    return found;
  }

  /** When this process last deleted the stale rows of `match_cache` (its own clock). */
  private matchCachePrunedAt = -Infinity;

  async cacheMatches(
    entries: readonly { key: string; candidates: unknown }[],
    now: number,
    forgetBefore = -Infinity,
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(
      `INSERT INTO match_cache (key, candidates, at)
       SELECT k, c, $3 FROM unnest($1::text[], $2::text[]) AS u(k, c)
       ON CONFLICT (key) DO UPDATE SET candidates = excluded.candidates, at = excluded.at`,
      [entries.map((e) => e.key), entries.map((e) => JSON.stringify(e.candidates)), now],
    );
    // Stale rows go at most every 10 minutes per process (one DELETE), so the table holds about
    // the numbers of the last `matchCallMs` (3 h) instead of every number ever searched.
    if (forgetBefore > -Infinity && now - this.matchCachePrunedAt >= 10 * 60_000) {
      this.matchCachePrunedAt = now;
      await this.pool.query('DELETE FROM match_cache WHERE at < $1', [forgetBefore]);
    }
  }

  async clearMatchCache(): Promise<void> {
    await this.pool.query('DELETE FROM match_cache');
  }

  /** Releases this process's claims (others take its calls at once) and closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.releaseClaims().catch(() => undefined);
    this.closed = true;
    await this.pool.end();
  }
}
