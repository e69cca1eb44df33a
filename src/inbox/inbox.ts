/**
 * The inbox's contract: what the connector stores and reads, as a few roles, each the part one
 * concern needs. The embedded SQLite inbox (src/inbox/sqlite.ts, one connector process) and the
 * shared PostgreSQL one (src/inbox/postgres.ts, several processes) implement all of them; the SQL
 * and row mapping they share is in src/inbox/rows.ts. test/inbox/contract.test.ts runs the same
 * suite on both. Every answer is asynchronous: the SQLite inbox answers at once, the PostgreSQL
 * one over the network.
 */
import type { CallCategory, CallSyncState, CreatedObject, OpenFollowUp } from '../engine';

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

// A call's refused Task is a dead letter of its own, an event named TASK_EVENT (src/errors/catalogue.ts).

export interface CreatedRecord {
  /** `PersonAccount` for a Person Account (an Account keyed by `Aircall_Phone_Key__pc`). */
  sobject: CreatedObject;
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

/** What webhook ingestion needs: store each event once, and tell what became of stored ones. */
export interface IngestInbox {
  /** Stores the event unless one with the same key is already stored. Resolves false for a duplicate. */
  add(event: NewEvent): Promise<boolean>;
  addMany(events: NewEvent[]): Promise<number>;
  /** The status of each stored event among these keys. */
  statusOf(keys: readonly string[]): Promise<Map<string, keyof InboxCounts>>;
}

/** What the worker needs to take due work, read a call's events and settle a batch. */
export interface WorkerInbox {
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
  /**
   * Several processes sharing the inbox (PostgreSQL) drain it one batch at a time: waits up to
   * `waitMs` for this process's turn; resolves its release, or null when the wait ran out. Absent
   * when the inbox serves one process.
   */
  takeTurn?(waitMs: number): Promise<{ release(): Promise<void> } | null>;
  /** Every stored event of these calls that is not dead-lettered, oldest first (the fold needs them all). */
  eventsOfCalls(callIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
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
  /**
   * Calls the engine asked to look at again at a given time even if no event comes (e.g. the final
   * VoiceCall PATCH when `call.ended` never arrives), whose time has come.
   */
  callsToReplan(now: number, limit: number): Promise<string[]>;
  postponeReplan(callIds: readonly string[], at: number): Promise<void>;
  /** When the next pending event becomes due (null when nothing is pending). */
  nextDueAt(): Promise<number | null>;
  /** How many events are due now (and not claimed by another process), and the oldest's arrival. */
  dueSummary(now: number): Promise<{ count: number; oldestReceivedAt: number | null }>;
}

/**
 * What the inbox remembers of each call between batches, apart from its events: the sync state
 * the engine plans from, the creates noted before they are sent, open follow-ups, VoiceCall links
 * waiting for their id, and the streaming channels' replay positions.
 */
export interface SyncStateStore {
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
  /**
   * The replay id of the last event handled on a streaming channel (null when none was stored),
   * so a restart resumes exactly after it.
   */
  streamPosition(channel: string): Promise<number | null>;
  setStreamPosition(channel: string, replayId: number): Promise<void>;
}

/** Events that failed for good, kept with their reason until an operator retries them. */
export interface DeadLetterStore {
  deadLetter(
    seqs: readonly number[],
    reason: string,
    errorCode: string | null,
    now: number,
  ): Promise<void>;
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
  deadLetters(): Promise<DeadLetter[]>;
  /** Puts dead letters back in the queue; resolves how many. */
  requeueDead(seqs?: readonly number[]): Promise<number>;
}

/** What the inbox keeps so the org is not asked again: created records, shared caches. */
export interface InboxCaches {
  /**
   * The records created for unknown numbers, by E.164: those of `e164s`, or all of them (`explain`).
   * A batch asks only for its own numbers: the table keeps every number ever created for.
   */
  createdRecords(e164s?: readonly string[]): Promise<Map<string, CreatedRecord>>;
  /**
   * Number-match results shared between processes (PostgreSQL); absent when the inbox serves one
   * process, whose worker then keeps them in memory only.
   */
  sharedMatches?: SharedMatchCache;
  /**
   * Small facts the processes sharing the inbox read instead of each asking the org (the settings
   * snapshot, when the link sweep last ran); absent when the inbox serves one process.
   */
  sharedState?: SharedState;
}

/** What `/healthz`, `/metrics`, `doctor` and `drain` read. */
export interface InboxHealth {
  counts(): Promise<InboxCounts>;
  oldestPendingAt(): Promise<number | null>;
}

/** The whole inbox, as the connector opens it (src/inbox/open.ts). */
export interface Inbox
  extends IngestInbox, WorkerInbox, SyncStateStore, DeadLetterStore, InboxCaches, InboxHealth {
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
