/**
 * What the PostgreSQL inbox (src/inbox/postgres.ts) remembers of each call apart from its events:
 * sync states, creates noted before they are sent, open follow-ups, VoiceCall links waiting for
 * their id, and the streaming channels' replay positions (the `SyncStateStore` role).
 */
import type { CallSyncState, OpenFollowUp } from '../engine';
import type { SyncStateStore, TaskNote } from './inbox';
import { unclaimedByOthers, type PostgresClaims } from './postgres-claims';
import { numbered, type PostgresDb } from './postgres-db';
import {
  CALL_COLUMNS,
  NEW_CALL_SYNC,
  OPEN_FOLLOW_UPS_SQL,
  SQL,
  toOpenFollowUps,
  toSyncState,
  type CallRow,
  type FollowUpRow,
} from './rows';

export class PostgresCalls implements SyncStateStore {
  constructor(
    private readonly db: PostgresDb,
    private readonly claims: PostgresClaims,
  ) {}

  async syncStates(callIds: readonly string[]): Promise<Map<string, CallSyncState>> {
    const states = new Map<string, CallSyncState>();
    if (callIds.length === 0) return states;
    const rows = await this.db.rows<CallRow>(
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
    await this.db.pool.query(
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
      await this.db.pool.query(
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
      await this.db.pool.query(
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
    const rows = await this.db.rows<FollowUpRow>(
      OPEN_FOLLOW_UPS_SQL.replace('IN ($NUMBERS)', '= ANY($1::text[])'),
      [[...e164s]],
    );
    return toOpenFollowUps(rows);
  }

  async closeFollowUps(callIds: readonly string[], now: number): Promise<void> {
    if (callIds.length === 0) return;
    await this.db.pool.query(
      'UPDATE follow_ups SET closed_at = $1 WHERE closed_at IS NULL AND call_id = ANY($2::text[])',
      [now, [...callIds]],
    );
  }

  async addPendingLinks(
    links: readonly { callId: string; aircallVoiceId: string }[],
    dueAt: number,
  ): Promise<void> {
    if (links.length === 0) return;
    await this.db.pool.query(
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
    const candidates = await this.db.rows<{
      call_id: string;
      aircall_voice_id: string;
      attempts: number;
    }>(
      `SELECT call_id, aircall_voice_id, attempts FROM pending_links l WHERE due_at <= $1
       AND ${unclaimedByOthers('l.call_id', '$3')}
       ORDER BY due_at LIMIT $2`,
      [now, limit, this.claims.owner],
    );
    const held = await this.claims.claim(candidates.map((c) => c.call_id));
    const rows = await this.db.rows<{
      call_id: string;
      aircall_voice_id: string;
      attempts: number;
    }>(
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
    await this.db.transaction(async (c) => {
      const held = new Set(
        (
          await c.query<{ key: string }>(
            'SELECT key FROM claims WHERE owner = $1 AND key = ANY($2::text[]) FOR UPDATE',
            [this.claims.owner, [...found.keys()]],
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
    await this.db.pool.query(
      'UPDATE pending_links SET due_at = $1, attempts = attempts + $2 WHERE call_id = ANY($3::text[])',
      [at, failedSweep ? 1 : 0, [...callIds]],
    );
  }

  async dropLinks(callIds: readonly string[]): Promise<void> {
    if (callIds.length === 0) return;
    await this.db.pool.query('DELETE FROM pending_links WHERE call_id = ANY($1::text[])', [
      [...callIds],
    ]);
  }

  async pendingLinkCount(): Promise<number> {
    const rows = await this.db.rows<{ n: number }>(SQL.pendingLinkCount);
    return rows[0]?.n ?? 0;
  }

  async streamPosition(channel: string): Promise<number | null> {
    const rows = await this.db.rows<{ replay_id: number }>(numbered(SQL.streamPosition), [channel]);
    return rows[0] ? rows[0].replay_id : null;
  }

  async setStreamPosition(channel: string, replayId: number): Promise<void> {
    await this.db.pool.query(numbered(SQL.setStreamPosition), [channel, replayId, Date.now()]);
  }
}
