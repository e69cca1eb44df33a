/**
 * Work that must run in one connector process only, whatever the number of processes: the
 * Omni-Channel → Aircall presence sync (one poll of UserServicePresence per interval and one
 * Aircall request per change for the whole deployment, not per process).
 *
 * - SQLite inbox (one process): `LocalCoordination`, always the leader; messages go nowhere.
 * - PostgreSQL inbox: `PostgresCoordination`. Each process keeps one dedicated connection (outside
 *   the inbox's pool) and tries `pg_try_advisory_lock` on it every `retryMs` (default 5 s); the one
 *   that gets it is the leader for as long as that connection lives. A session-level advisory lock
 *   belongs to the connection, so when the leader dies (SIGKILL, machine lost) the server releases
 *   it with the connection, and another process takes it at its next try. The leader checks its
 *   connection every `checkMs` (a query with a timeout): a broken connection means the lock may be
 *   gone, so it stops leading at once, before anyone else can start. (A leader cut off from the
 *   network is noticed by the server when TCP keepalive gives up on its connection; the client sets
 *   keepalive on.) The lock key is derived from the database and schema, so deployments sharing a
 *   server do not elect one leader between them.
 *
 *   The same connection LISTENs on a channel of the schema: the worker of any process applies
 *   phone-side states ("Ringing"/"In Call", the end of a call) that the leader's presence sync must
 *   know (it leaves a rep on a call alone), and the leader's sync tells every worker when a rep
 *   changed status by hand. These go as NOTIFY messages: database traffic only, no Salesforce or
 *   Aircall request. A message sent while a process reconnects is lost; the worst outcome is one
 *   Omni change copied to Aircall during a call, as when the leader changes hands.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AgentStatusEvent, VoiceUpdateEvent } from '../engine';
import { applicationName } from '../inbox/postgres-db';

export type CoordinationMessage =
  | { kind: 'phone-side'; events: (AgentStatusEvent | VoiceUpdateEvent)[] }
  | { kind: 'manual-change'; userId: string };

export interface Coordination {
  /** Whether this process runs the once-per-deployment work now. */
  readonly leader: boolean;
  /** Told true when this process becomes the leader, false when it stops being the leader. */
  onLeadership(listener: (leader: boolean) => void): void;
  /** Tells the other processes (not this one). Never throws; a message may be lost (see above). */
  broadcast(message: CoordinationMessage): void;
  onMessage(listener: (message: CoordinationMessage) => void): void;
  close(): Promise<void>;
}

/** One process: always the leader, nobody to tell. */
export class LocalCoordination implements Coordination {
  private listeners: ((leader: boolean) => void)[] = [];
  leader = false;

  start(): void {
    this.leader = true;
    for (const listener of this.listeners) listener(true);
  }

  onLeadership(listener: (leader: boolean) => void): void {
    this.listeners.push(listener);
    if (this.leader) listener(true);
  }

  broadcast(): void {}

  onMessage(): void {}

  close(): Promise<void> {
    if (this.leader) {
      this.leader = false;
      for (const listener of this.listeners) listener(false);
    }
    return Promise.resolve();
  }
}

export interface PostgresCoordinationOptions {
  /** Whether this process may lead (false: it only sends and hears messages). Default true. */
  compete?: boolean;
  /** How often a follower tries to take the lock (default 5 s): the takeover delay after a death. */
  retryMs?: number;
  /** How often the leader checks its connection, and that check's timeout (default 5 s). */
  checkMs?: number;
  onError?: (error: unknown) => void;
}

/** The advisory lock's first key (any number; the second is derived from database and schema). */
const LEADER_LOCK_CLASS = 0x41_69_72_4c;
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000;

export class PostgresCoordination implements Coordination {
  leader = false;
  private client: pg.Client | null = null;
  private readonly id = randomUUID();
  private channel = '';
  private scope = '';
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private busy: Promise<void> = Promise.resolve();
  private readonly leadership: ((leader: boolean) => void)[] = [];
  private readonly listeners: ((message: CoordinationMessage) => void)[] = [];
  private readonly compete: boolean;
  private readonly retryMs: number;
  private readonly checkMs: number;

  constructor(
    private readonly url: string,
    private readonly options: PostgresCoordinationOptions = {},
  ) {
    this.compete = options.compete ?? true;
    this.retryMs = options.retryMs ?? 5000;
    this.checkMs = options.checkMs ?? 5000;
  }

  /** Connects, listens and makes the first attempt at the lock (so a lone process leads at once). */
  async start(): Promise<void> {
    await this.tick();
    this.schedule();
  }

  onLeadership(listener: (leader: boolean) => void): void {
    this.leadership.push(listener);
    if (this.leader) listener(true);
  }

  onMessage(listener: (message: CoordinationMessage) => void): void {
    this.listeners.push(listener);
  }

  broadcast(message: CoordinationMessage): void {
    const client = this.client;
    if (!client || this.closed) return;
    for (const payload of this.payloads(message)) {
      client.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch(() => undefined);
    }
  }

  /** The message as NOTIFY payloads under the size limit (phone-side events split in chunks). */
  private payloads(message: CoordinationMessage): string[] {
    const wrap = (m: CoordinationMessage) => JSON.stringify({ from: this.id, m });
    if (message.kind !== 'phone-side') return [wrap(message)];
    // Only what the presence sync reads: no prose, and only the ends of calls among call updates.
    const events = message.events
      .map((e) => {
        if (e.sobject !== 'Aircall_Agent_Status__e') return e;
        const { caller: _caller, ...status } = e;
        return { ...status, reason: '' };
      })
      .filter((e) => e.sobject === 'Aircall_Agent_Status__e' || e.change.includes('ended'));
    const out: string[] = [];
    let chunk: typeof events = [];
    for (const event of events) {
      const next = [...chunk, event];
      if (chunk.length > 0 && wrap({ kind: 'phone-side', events: next }).length > MAX_PAYLOAD) {
        out.push(wrap({ kind: 'phone-side', events: chunk }));
        chunk = [event];
      } else chunk = next;
    }
    if (chunk.length > 0) out.push(wrap({ kind: 'phone-side', events: chunk }));
    return out;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(
      () => {
        this.busy = this.tick().finally(() => this.schedule());
      },
      this.leader ? this.checkMs : this.retryMs,
    );
    this.timer.unref();
  }

  /** Connect if needed; a follower tries the lock, the leader checks its connection. */
  private async tick(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.leader) {
        await client.query('SELECT 1');
      } else if (this.compete) {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
          [LEADER_LOCK_CLASS, this.scope],
        );
        if (rows[0]?.ok && !this.closed) this.setLeader(true);
      }
    } catch (error) {
      this.options.onError?.(error);
      this.lost();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      query_timeout: this.checkMs,
      application_name: applicationName(),
    });
    client.on('error', (error) => {
      this.options.onError?.(error);
      if (this.client === client) this.lost();
    });
    client.on('end', () => {
      if (this.client === client) this.lost();
    });
    client.on('notification', (n) => {
      if (n.channel !== this.channel || !n.payload) return;
      try {
        const { from, m } = JSON.parse(n.payload) as { from: string; m: CoordinationMessage };
        if (from === this.id) return;
        for (const listener of this.listeners) listener(m);
      } catch {
        // not one of ours
      }
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ scope: string }>(
        "SELECT current_database() || '.' || current_schema() AS scope",
      );
      this.scope = rows[0]?.scope ?? '';
      this.channel = `aircall_sfv_${createHash('sha256').update(this.scope).digest('hex').slice(0, 16)}`;
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  /** The connection is gone or broken: so is the lock. Stop leading; the next tick reconnects. */
  private lost(): void {
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
    if (this.leader) this.setLeader(false);
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    for (const listener of this.leadership) listener(leader);
  }

  /** Gives the lock up (another process leads at its next try) and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
    const client = this.client;
    this.client = null;
    this.setLeader(false);
    // Closing the connection releases the lock and the LISTEN.
    await client?.end().catch(() => undefined);
  }
}
