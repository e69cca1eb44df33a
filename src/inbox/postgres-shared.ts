/**
 * What the processes sharing the PostgreSQL inbox (src/inbox/postgres.ts) keep in common rather
 * than each asking the org:
 *
 * - `match_cache`: the phone-number → CRM candidates cache, so that consecutive batches of one
 *   call on different processes do not each search the same number.
 * - `shared_state`: small facts, such as the org's settings snapshot (src/connector/context.ts) and
 *   when the link sweep last ran.
 */
import type pg from 'pg';
import type { SharedMatchCache, SharedState } from './inbox';
import { text } from './postgres-db';

export const SHARED_SCHEMA = `
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

export class PostgresSharedState implements SharedState {
  constructor(private readonly pool: pg.Pool) {}

  async get(key: string): Promise<{ value: unknown; at: number } | null> {
    const { rows } = await this.pool.query<{ value: string; at: number }>(
      'SELECT value, at FROM shared_state WHERE key = $1',
      [key],
    );
    const row = rows[0];
    return row ? { value: JSON.parse(row.value) as unknown, at: row.at } : null;
  }

  async put(key: string, value: unknown, at: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO shared_state (key, value, at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at`,
      [key, text(JSON.stringify(value)), at],
    );
  }
}

export class PostgresMatchCache implements SharedMatchCache {
  /** When this process last deleted the stale rows of `match_cache` (its own clock). */
  private prunedAt = -Infinity;

  constructor(private readonly pool: pg.Pool) {}

  /** Cached CRM candidates by key, searched less than `maxAgeMs` before `now`, and when. */
  async get(
    keys: readonly string[],
    now: number,
    maxAgeMs: number,
  ): Promise<Map<string, { candidates: unknown; at: number }>> {
    const found = new Map<string, { candidates: unknown; at: number }>();
    if (keys.length === 0) return found;
    const { rows } = await this.pool.query<{ key: string; candidates: string; at: number }>(
      'SELECT key, candidates, at FROM match_cache WHERE key = ANY($1::text[]) AND at > $2',
      [[...new Set(keys)], now - maxAgeMs],
    );
    for (const row of rows)
      found.set(row.key, { candidates: JSON.parse(row.candidates) as unknown, at: row.at });
    return found;
  }

  async put(
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
    if (forgetBefore > -Infinity && now - this.prunedAt >= 10 * 60_000) {
      this.prunedAt = now;
      await this.pool.query('DELETE FROM match_cache WHERE at < $1', [forgetBefore]);
    }
  }

  async clear(): Promise<void> {
    await this.pool.query('DELETE FROM match_cache');
  }
}
