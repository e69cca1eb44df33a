/**
 * Which process of those sharing the PostgreSQL inbox works on what (src/inbox/postgres.ts):
 *
 * - `claims`: which process works on which call. A call (or an event without a call, keyed
 *   `#<seq>`) is claimed before its events are read and planned, so one call is processed by one
 *   worker at a time while a batch still holds many calls. A claim is a lease, and `leaseMs` bounds
 *   how long the calls of a dead process wait: a claim expires three quarters of it after it was
 *   taken or last renewed (by the database's clock, so the machines' clocks do not matter), and
 *   the last quarter is for another process to notice and claim them (its next look at the inbox,
 *   under a second). A live process renews its claims every quarter of the lease while a batch is
 *   in flight, so it keeps them through two missed renewals; a SIGKILLed one stops renewing, and
 *   its calls are claimed by another process once its claims have expired. Settling a batch (done, retry, dead letter, new sync state) only touches calls the
 *   process still owns (`owned`), so a process that lost its lease (paused longer than the lease)
 *   cannot overwrite the work of the one that took over.
 * - The turn (`takeTurn`): the processes drain the inbox one batch at a time, each batch taking the
 *   due work of the whole inbox, whoever received it. N processes then make the batches one
 *   process would (the org's bill does not grow with the number of processes), instead of N
 *   workers each flushing small batches of what it received. The turn is a transaction-level
 *   advisory lock held by an open transaction on one pooled connection for the batch: the server
 *   releases it when the holder commits, or when its connection dies (a SIGKILLed process hands the
 *   turn over at once; its calls' claims still wait for their lease). A transaction-level lock also
 *   works through a pooler in transaction mode (PgBouncer), which a session-level lock does not.
 */
import type pg from 'pg';

export const CLAIMS_SCHEMA = `
CREATE TABLE IF NOT EXISTS claims (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
`;

/**
 * The turn's advisory lock: this first key and the schema's name hashed, so that deployments
 * sharing a database (one schema each) take turns only among themselves.
 */
const TURN_LOCK = 0x41_69_72_54;
/** SQLSTATE of a lock wait that reached `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK = '40P01';

/** The claim key of an event: its call, or the event itself when it has no call (agent events). */
export const CLAIM_KEY = "COALESCE(call_id, '#' || seq)";

/** CLAIM_KEY of an event read as `e`. */
export const EVENT_CLAIM_KEY = "COALESCE(e.call_id, '#' || e.seq)";

/** SQL condition: the event's call (or the event itself) is claimed by the owner in `param`. */
export const owned = (param: string) =>
  `${CLAIM_KEY} IN (SELECT key FROM claims WHERE owner = ${param})`;

/**
 * SQL condition: no other process than the owner in `ownerParam` holds a live claim on `key` (an
 * SQL expression: a call id, or `COALESCE(e.call_id, '#' || e.seq)` for an event `e`).
 */
export const unclaimedByOthers = (key: string, ownerParam: string) =>
  `NOT EXISTS (SELECT 1 FROM claims c WHERE c.key = ${key} AND c.owner <> ${ownerParam}
    AND c.expires_at > clock_timestamp())`;

/** The claims of one process (one `owner`) on the shared inbox, and its turn. */
export class PostgresClaims {
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  /** How long a claim lives after it was taken or renewed: three quarters of the lease. */
  private readonly ttlMs: number;

  constructor(
    private readonly pool: pg.Pool,
    readonly owner: string,
    readonly leaseMs: number,
  ) {
    this.ttlMs = Math.max(1, Math.floor((leaseMs * 3) / 4));
  }

  /**
   * Takes (or renews) the claims on these keys that nobody else holds alive; returns the keys now
   * held. Keys are inserted in sorted order so two processes claiming overlapping sets cannot
   * deadlock; should the server still report one, this round simply claims nothing.
   */
  async claim(keys: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return new Set();
    try {
      const { rows } = await this.pool.query<{ key: string }>(
        `INSERT INTO claims (key, owner, expires_at)
         SELECT k, $2, clock_timestamp() + $3 * interval '1 millisecond'
         FROM unnest($1::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i
         ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE claims.owner = excluded.owner OR claims.expires_at <= clock_timestamp()
         RETURNING key`,
        [unique, this.owner, this.ttlMs],
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
            [this.owner, this.ttlMs],
          )
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(this.leaseMs / 4)),
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
  async release(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.pool.query(
      `DELETE FROM claims WHERE owner = $1
       OR expires_at < clock_timestamp() - $2 * interval '1 millisecond'`,
      [this.owner, this.leaseMs],
    );
  }

  /** Releases the claims; no heartbeat starts after this. */
  async close(): Promise<void> {
    await this.release().catch(() => undefined);
    this.closed = true;
  }

  /** The keys (calls, or `#seq` for events without a call) this process holds claims on. */
  async held(): Promise<string[]> {
    const { rows } = await this.pool.query<{ key: string }>(
      'SELECT key FROM claims WHERE owner = $1 ORDER BY key',
      [this.owner],
    );
    return rows.map((r) => r.key);
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
}
