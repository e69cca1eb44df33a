/**
 * Plan: the second stage of a worker batch (load → plan → apply → settle). For the batch's calls it
 * reads every stored event (the fold is order-independent, so late or duplicated deliveries are
 * harmless) and what was written already, folds each call once, matches the batch's numbers
 * (matcher.ts), reads the open Cases / Opportunities of calls that choose theirs (cases.ts), asks
 * the engine for one plan, and keeps in it the links people set (person-links.ts).
 */
import {
  caseLanguageOf,
  foldCall,
  needsOpenRecords,
  normalizeNumber,
  openRecordKeys,
  planBatch,
  type CallState,
  type CallSyncState,
  type NumberToSearch,
  type OpenRecords,
  type Plan,
  type PublishedAgentStatus,
  type Settings,
} from '../engine';
import type { AiEvent, CallEvent } from '../aircall';
import { CASE_REFUSED_EVENT, ErrorCode } from '../errors/catalogue';
import type { Inbox } from '../inbox/inbox';
import type { SalesforceClient } from '../salesforce/client';
import { SalesforceError } from '../salesforce/errors';
import { OpenRecordCache, openRecordQueries, readOpenRecords, type OpenRecordKeys } from './cases';
import type { OrgContextLoader } from './context';
import { AircallLines } from './lines';
import { parseStored } from './load';
import type { Matcher } from './matcher';
import { keepPersonLinks } from './person-links';
import type { LoadedBatch } from './settle';

/** Open-record queries riding on a batch's write Composite, and the records they are about. */
export interface Prefetch {
  keys: OpenRecordKeys;
  queries: ReturnType<typeof openRecordQueries>;
  reads: string[];
}

export interface PlannedBatch {
  plan: Plan;
  previous: Map<string, CallSyncState>;
  /** Calls whose events made the engine throw, left out of the plan (dead-lettered). */
  unplannable: Map<string, SalesforceError>;
  /** Open-record reads to send with the batch's writes (calls still ringing), or null. */
  prefetch: Prefetch | null;
  settings: Settings;
}

export interface PlanDeps {
  inbox: Pick<Inbox, 'eventsOfCalls' | 'syncStates' | 'createdRecords' | 'openFollowUps'>;
  client: SalesforceClient;
  context: OrgContextLoader;
  matcher: Matcher;
  openRecords: OpenRecordCache;
  callCenterApiName: string;
  /** Told when the batch was planned with an expired org context (housekeeping refreshes it). */
  onStaleContext: () => void;
  /** The engine's planner (a seam for tests, see WorkerDeps.planBatch). */
  planBatch?: typeof planBatch;
}

/** A call of the batch: its parsed events, what was written, and its events folded (once). */
interface BatchCall {
  callId: string;
  events: (CallEvent | AiEvent)[];
  sync: CallSyncState | undefined;
  state: CallState | null;
}

export class BatchPlanner {
  /**
   * The Omni status last published per Salesforce user (phone → Omni), so a phone event that
   * leaves it unchanged costs no request. In memory only: after a restart the first event of each
   * rep is published again, which is harmless (Omni already shows that status).
   */
  readonly publishedAgentStatus = new Map<string, PublishedAgentStatus>();
  /** The account's own Aircall lines (lines.ts): internal calls are known across restarts. */
  private readonly aircallLines: AircallLines;

  constructor(private readonly deps: PlanDeps) {
    this.aircallLines = new AircallLines(deps.client);
  }

  /** Plan: every stored event of the batch's calls, the org's context and matches → one plan. */
  async plan(batch: LoadedBatch, now: number): Promise<PlannedBatch> {
    const { inbox } = this.deps;
    const { context, stale } = await this.deps.context.forBatch(now);
    if (stale) this.deps.onStaleContext();
    const settings = context.settings;
    const [eventsByCall, previous] = await Promise.all([
      inbox.eventsOfCalls(batch.callIds),
      inbox.syncStates(batch.callIds),
    ]);
    // A Case dead letter retried from the CLI is due again: its call plans its Case once more.
    for (const e of batch.due) {
      if (e.name !== CASE_REFUSED_EVENT || !e.callId) continue;
      const state = previous.get(e.callId);
      if (state?.caseRefused) {
        const retried = { ...state };
        delete retried.caseRefused;
        previous.set(e.callId, retried);
      }
    }
    const calls: BatchCall[] = batch.callIds.map((callId) => {
      const events = (eventsByCall.get(callId) ?? [])
        .map((stored) => batch.parsed?.get(stored.seq) ?? parseStored(stored))
        .filter(
          (e): e is CallEvent | AiEvent => e !== null && (e.kind === 'call' || e.kind === 'ai'),
        );
      return { callId, events, sync: previous.get(callId), state: foldCall(callId, events) };
    });
    // A call whose record is written keeps the match it was written with for its whole life
    // (hang-up, recording, tags and AI results come minutes later): no second search for it.
    const numbers = calls.flatMap((c) =>
      numbersOf(c.state).map((n) => ({ ...n, written: c.sync?.aircallVoiceHash !== undefined })),
    );
    // Only the records created for this batch's numbers: the table keeps every number ever created
    // for, and reading it whole at every batch cost time and memory in proportion to the history
    // (the 100,000-call soak's RSS kept growing with it).
    const e164s = [...new Set(numbers.flatMap((n) => normalizeNumber(n.raw, n.country) ?? []))];
    for (const call of calls)
      for (const e of call.events) {
        if (e.kind !== 'call' || !e.data.number?.digits) continue;
        const line = normalizeNumber(e.data.number.digits, e.data.number.country ?? null);
        if (line) this.aircallLines.add(line);
      }
    if (settings.skipInternalCalls) await this.aircallLines.load();
    // Open follow-up Tasks of the batch's numbers, so an answered call back closes them.
    const [matches, known, openFollowUps] = await Promise.all([
      this.deps.matcher.match(numbers, settings, now),
      inbox.createdRecords(e164s),
      settings.callbackWindowHours > 0 ? inbox.openFollowUps(e164s) : new Map(),
    ]);
    const { openRecords, prefetch } = await this.openRecordsOf(calls, matches, settings, now);
    const input = {
      calls: calls.map((c) => ({
        callId: c.callId,
        events: c.events,
        sync: c.sync,
        state: c.state,
      })),
      userEvents: batch.userEvents,
      settings,
      statusMappings: context.statusMappings,
      businessHours: context.businessHours,
      matches,
      users: context.users,
      known: new Map(
        [...known].map(([e164, r]) => [e164, { sobject: r.sobject, id: r.id ?? undefined }]),
      ),
      callCenterApiName: this.deps.callCenterApiName,
      now: new Date(now),
      presenceStatuses: context.presenceStatuses,
      publishedAgentStatus: this.publishedAgentStatus,
      language: context.language,
      aircallLines: this.aircallLines.all,
      openFollowUps,
      openRecords,
      caseLanguage: caseLanguageOf(context.language),
    };
    const planned = { previous, prefetch, settings };
    const unplannable = new Map<string, SalesforceError>();
    const planBatchOf = this.deps.planBatch ?? planBatch;
    let plan: Plan;
    try {
      plan = planBatchOf(input);
    } catch (batchError) {
      // Some call's events make the engine throw (a value the schema let through and the engine
      // cannot use): find which by planning each call alone, and plan the batch without them.
      for (const call of input.calls) {
        try {
          planBatchOf({ ...input, calls: [call], userEvents: [] });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          unplannable.set(
            call.callId,
            new SalesforceError(
              `The events of call ${call.callId} could not be planned (${reason}); the other calls of the batch are applied.`,
              ErrorCode.PLANNING_FAILED,
              false,
            ),
          );
        }
      }
      if (unplannable.size === 0) throw batchError;
      const rest = input.calls.filter((c) => !unplannable.has(c.callId));
      plan = planBatchOf({ ...input, calls: rest });
    }
    // A link a person set since the call was written is kept (person-links.ts: one query, and
    // only for a batch that would re-link a call or create the Task of a call written earlier).
    await keepPersonLinks(plan, previous, this.deps.client);
    return { plan, unplannable, ...planned };
  }

  /**
   * The open Cases / Opportunities of the records matched by the calls that still have to choose
   * theirs. Only calls whose Aircall Voice this plan writes for the first time choose (a call that
   * still rings is written later). What a batch read while the call rang (riding on its write
   * Composite, see `prefetch`) is used; the rest is read now, in one Composite for the batch.
   */
  private async openRecordsOf(
    calls: readonly BatchCall[],
    matches: Awaited<ReturnType<Matcher['match']>>,
    settings: Settings,
    now: number,
  ): Promise<{ openRecords: OpenRecords | undefined; prefetch: Prefetch | null }> {
    const cache = this.deps.openRecords;
    const keysOf = (of: readonly BatchCall[]) =>
      openRecordKeys(
        of.flatMap((c) =>
          numbersOf(c.state).flatMap((n) => {
            const e164 = normalizeNumber(n.raw, n.country);
            return e164 ? (matches.get(e164) ?? []) : [];
          }),
        ),
      );
    const undecided = calls.filter((c) => needsOpenRecords(c.sync, settings));
    const choosing = undecided.filter((c) => connected(c.state));
    let openRecords: OpenRecords | undefined;
    if (choosing.length > 0) {
      const keys = keysOf(choosing);
      const missing = cache.missing(keys, settings, now);
      if (missing.contactIds.length + missing.accountIds.length > 0)
        cache.put(
          missing,
          await readOpenRecords(this.deps.client, missing, settings),
          settings,
          now,
        );
      openRecords = cache.get(keys, settings);
    }
    // Calls still ringing: their records' open Cases / Opportunities ride on this batch's write
    // Composite when there is room in it, so that their answer costs no read.
    const ringing = undecided.filter((c) => !choosing.includes(c));
    const keys = cache.missing(keysOf(ringing), settings, now);
    const queries = openRecordQueries(keys, settings);
    const reads = [...queries.cases, ...queries.opportunities, ...queries.roles];
    return { openRecords, prefetch: reads.length > 0 ? { keys, queries, reads } : null };
  }
}

/** Whether the call's Aircall Voice is written by a plan now: it connected, or ended unanswered. */
function connected(state: CallState | null): boolean {
  return (
    state !== null &&
    (state.answeredAt !== null || state.ended || state.seen.includes('call.answered'))
  );
}

/**
 * The number the engine will link the call by: the fold's (src/engine/fold.ts), so that what is
 * searched is what the planner looks up. Taking the last stored snapshot instead let one call id
 * whose events name different numbers (a sender that reuses ids, a hostile one) be planned with a
 * number nobody searched: "no Contact, Lead or Account has this number", and a Lead created for a
 * number that has records, which then changed the record later calls from it were linked to.
 */
function numbersOf(state: CallState | null): NumberToSearch[] {
  if (!state?.rawDigits) return [];
  const numbers: NumberToSearch[] = [{ raw: state.rawDigits, country: state.numberCountry }];
  // The planner reads the number in `lineCountry` (the line's country, else the caller's
  // country_code_a2): when that gives another E.164, search that one too.
  if (
    normalizeNumber(state.rawDigits, state.lineCountry) !==
    normalizeNumber(state.rawDigits, state.numberCountry)
  )
    numbers.push({ raw: state.rawDigits, country: state.lineCountry });
  return numbers;
}
