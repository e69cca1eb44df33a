/**
 * The durable inbox of one connector process: every accepted webhook is stored here before Aircall
 * gets its 2xx, and the worker drains it. SQLite (Node 22's built-in node:sqlite, WAL); the store
 * itself is src/inbox/sqlite-store.ts. Several connector processes share the PostgreSQL inbox
 * instead (src/inbox/postgres.ts).
 */
import type { CallSyncState } from '../engine';
import type { CreatedRecord, Inbox, NewEvent, TaskNote } from './inbox';
import { SqliteStore } from './sqlite-store';

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
