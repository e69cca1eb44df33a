/**
 * Omni-Channel → Aircall: when a rep's Omni status changes, set their Aircall availability.
 *
 * A rep's status lives in UserServicePresence (read-only through the API; one record per status
 * period, IsCurrentState marks the open one). Two sources (docs/PLATFORM.md §6):
 * - 'poll' (default): one SOQL query per interval for the rows modified since a watermark kept in
 *   the inbox (10 s while someone is online, 60 s otherwise): API requests, no event delivery.
 * - 'cdc': Change Data Capture on `/data/UserServicePresenceChangeEvent` (API 62.0+) over CometD
 *   (jsforce's streaming client, `src/salesforce/streaming.ts`), the same against a real org and
 *   the local org: event deliveries, no API request. The replay id of the last change handled is
 *   kept in the inbox, so a restart copies exactly the changes made while the connector was
 *   stopped; when that id is older than the org's retention window (72 hours) the current status
 *   of every rep is read instead, and that is recorded.
 * Either way a record opened as current (or the open record's status changed) sets the rep's
 * status; the open record closed (IsCurrentState false) with no newer one means offline. (How Omni
 * sequences these writes in a real org is not verified here; the handling does not depend on
 * their order.)
 *
 * The Salesforce user is matched to the Aircall user by e-mail. Aircall allows 60 requests a
 * minute per company, so changes are queued per user and coalesced (only the latest status of a
 * rep matters), and requests are paced; a 429 waits for Aircall's reset. Nothing here throws into
 * the connector: failures are logged and the change is dropped or retried.
 *
 * As in Service Cloud Voice, changes are ignored while the rep is on a call: the worker tells this
 * sync, in-process, of the phone-side states it writes ("Ringing"/"In Call", ended by the call's
 * end — `notePhoneSide`); and an Omni change that merely echoes what the phone side just set (the
 * Omni-Channel utility bar applying it) is not sent back to Aircall. The connector subscribes to
 * none of its own events: each would cost one event delivery.
 */
import type { Logger } from 'pino';
import {
  agentStatusFields,
  aircallAvailabilityFor,
  type AgentStatusEvent,
  type AircallAvailability,
  type PresenceStatus,
  type VoiceUpdateEvent,
} from '../engine';
import type { SalesforceClient } from '../salesforce/client';
import {
  REPLAY_NEW,
  ReplayIdInvalidError,
  type StreamMessage,
  type SubscribeOptions,
  type Subscriber,
} from '../salesforce/streaming';
import { AircallApiError, type AircallApi } from './aircall-api';
import type { OrgContextLoader } from './context';
import { sleep, wakeableSleep } from '../util/sleep';

export const PRESENCE_CHANNEL = '/data/UserServicePresenceChangeEvent';
export const STATUSES_SOQL = 'SELECT Id, DeveloperName FROM ServicePresenceStatus';
/** Published by the connector for phone → Omni (see the engine's planner). */
const AGENT_STATUS_CHANNEL = 'Aircall_Agent_Status__e';
const CALL_UPDATE_CHANNEL = 'Aircall_Voice_Update__e';
const ON_CALL_MAX_MS = 4 * 3600_000;
/** How long an Omni change matching what the phone side just published counts as its echo. */
const ECHO_MS = 60_000;

/** The part of the Aircall client this needs (the real one is `AircallApi`). */
export type PresenceAircall = Pick<AircallApi, 'listUsers' | 'setAvailability'>;

export interface PresenceSyncOptions {
  client: SalesforceClient;
  aircall: PresenceAircall;
  context: OrgContextLoader;
  /**
   * How Omni-Channel changes are learnt (default 'poll'): 'poll' reads UserServicePresence with one
   * SOQL query per interval (API requests, no event delivery); 'cdc' follows its change events
   * over CometD (event deliveries, no API request). See docs/PLATFORM.md §6.
   */
  source?: PresenceSource;
  /** For 'cdc': the streaming subscriber (jsforce's CometD client). */
  subscriber?: Subscriber;
  /** For 'poll': the interval while a rep is online in Omni or changed lately (default 10 s). */
  pollMs?: number;
  /** For 'poll': the interval while nobody is online in Omni (default 60 s). */
  idlePollMs?: number;
  logger: Logger;
  /**
   * Aircall requests a minute this sync may spend. Aircall allows 60 per company, shared with
   * save-to-phone and backfill, so the default leaves some room.
   */
  requestsPerMinute?: number;
  /** A rep's change waits this long for a newer one before it is sent (default 300 ms). */
  coalesceMs?: number;
  /** How long the Aircall user directory is trusted (default 15 min). */
  directoryTtlMs?: number;
  /** Told when a rep changes their Omni status by hand (not an echo of the phone side). */
  onManualChange?: (userId: string) => void;
  /** Where the replay id of the last presence change handled is kept (the inbox). */
  positions?: StreamPositions;
  /** Told when a stored replay id was past the retention window (a metric). */
  onReplayGap?: () => void;
}

/**
 * Stored instead of a replay id after a gap (a replay id past the retention window): the
 * subscription went on from new events after reading every rep's current status, so the next start
 * reads current status again rather than offer the org the refused id a second time.
 */
export const RESUME_BY_READING = -1;

export type PresenceSource = 'poll' | 'cdc';
/**
 * Where the poll keeps its watermark in the inbox's stream positions: the newest SystemModstamp
 * handled (epoch ms), and how many rows carried exactly that stamp.
 */
export const POLL_POSITION = 'poll:UserServicePresence';
const POLL_POSITION_COUNT = 'poll:UserServicePresence#atStamp';
/**
 * Rows are read again this far behind the newest SystemModstamp seen, so a row committed late with
 * an earlier stamp is not missed; rows already handled are recognised and skipped.
 */
const POLL_OVERLAP_MS = 30_000;
/** A stored watermark older than this is not replayed: current statuses are read instead. */
const POLL_MAX_CATCH_UP_MS = 72 * 3600_000;
/** The poll's intervals by default: while someone is online, while nobody is. */
export const DEFAULT_POLL_MS = 10_000;
export const DEFAULT_IDLE_POLL_MS = 60_000;
/** The interval stays fast this long after the last change seen. */
const POLL_RECENT_MS = 5 * 60_000;
const POLL_PAGE = 2000;

type PresenceRow = {
  Id: string;
  UserId: string;
  ServicePresenceStatusId: string | null;
  IsAway: boolean | null;
  IsCurrentState: boolean | null;
  SystemModstamp: string;
};

/**
 * The poll's adaptive interval: `fastMs` while a rep is online in Omni (has an open
 * UserServicePresence record) or a change was seen in the last five minutes, `idleMs` otherwise.
 * Pure, so `npm run bench:events` prices the same rule.
 */
export function pollIntervalMs(
  state: { online: number; sinceLastChangeMs: number },
  fastMs: number,
  idleMs: number,
): number {
  return state.online > 0 || state.sinceLastChangeMs < POLL_RECENT_MS ? fastMs : idleMs;
}

/** A SOQL datetime literal (second precision, UTC). */
const soqlDateTime = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Durable replay ids per channel (the inbox implements it). */
export interface StreamPositions {
  streamPosition(channel: string): Promise<number | null>;
  setStreamPosition(channel: string, replayId: number): Promise<void>;
}

/** What the rep's Omni state became: a status (with whether Omni counts it as Away), or offline. */
interface Desired {
  statusId: string | null;
  away: boolean | null;
  /** When the newest change for this rep arrived, and when the first unsent one did. */
  updatedAt: number;
  firstAt: number;
  /** Failed attempts so far (an Aircall 5xx, a network error, the org unreachable). */
  attempts: number;
}

interface PresenceRecord {
  userId: string;
  statusId: string | null;
  away: boolean | null;
  /** IsCurrentState: whether this record is the rep's open status (null: not known). */
  open: boolean | null;
}

type ChangePayload = Record<string, unknown> & {
  ChangeEventHeader?: { entityName?: string; changeType?: string; recordIds?: string[] };
};

/** Salesforce ids compare on their 15-character case-sensitive form. */
const id15 = (id: string): string => id.slice(0, 15);

export class PresenceSync {
  private readonly pending = new Map<string, Desired>();
  /** UserServicePresence records seen, so an UPDATE (which carries only changed fields) is placed. */
  private readonly records = new Map<string, PresenceRecord>();
  /** Each rep's open UserServicePresence record, as far as the stream has told. */
  private readonly current = new Map<string, string>();
  private statusNames: Map<string, string> | null = null;
  private statusesLoadedAt = 0;
  private directory: Map<string, string> | null = null;
  private directoryLoadedAt = 0;
  private readonly reportedMissing = new Set<string>();
  private readonly sent: number[] = [];
  private blockedUntil = 0;
  private chain: Promise<void> = Promise.resolve();
  private pump: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly subscriptions: { unsubscribe(): void }[] = [];
  /** Reps on a call, from the phone-side events the connector publishes (by 15-char user id). */
  private readonly onCall = new Map<string, { callId: string | null; since: number }>();
  /** The Omni status last published for a rep from the phone side, and when. */
  private readonly published = new Map<string, { status: string; at: number }>();
  private stopped = false;
  private readonly source: PresenceSource;
  /** Poll: the newest SystemModstamp second handled, and how many rows of that second were. */
  private watermark: { stamp: number; atStamp: number } | null = null;
  /** Poll: the first query after a restart (the rows handled are known only by the watermark). */
  private resuming = false;
  /** Poll: after a full page, where the next page starts (the last row's stamp). */
  private pageFrom: number | null = null;
  /** Poll: rows handled within the overlap window (`Id@SystemModstamp` → stamp). */
  private readonly seenRows = new Map<string, number>();
  private lastChangeAt = 0;
  private polling: Promise<void> | null = null;
  private wakePoll: (() => void) | null = null;
  private pollFailing = false;
  /** Poll: SOQL queries sent (each one API request). */
  polls = 0;
  private readonly perMinute: number;
  private readonly coalesceMs: number;
  private readonly directoryTtlMs: number;

  constructor(private readonly options: PresenceSyncOptions) {
    this.perMinute = options.requestsPerMinute ?? 50;
    this.coalesceMs = options.coalesceMs ?? 300;
    this.directoryTtlMs = options.directoryTtlMs ?? 15 * 60_000;
    this.source = options.source ?? 'poll';
  }

  /**
   * Subscribes to presence changes, and to the connector's own phone-side events (so a rep on a
   * call is left alone). A failure is logged, never thrown, and a subscription slower than
   * `startTimeoutMs` goes on in the background: calls keep being logged either way.
   */
  async start(startTimeoutMs = 10_000): Promise<void> {
    if (this.source === 'poll') return this.startPolling();
    const { logger, positions } = this.options;
    const subscriber = this.options.subscriber;
    if (!subscriber) throw new Error("PresenceSync: source 'cdc' needs a subscriber.");
    const stored = (await positions?.streamPosition(PRESENCE_CHANNEL)) ?? null;
    const handler = (message: StreamMessage) => {
      const replayId = message.data.event.replayId;
      this.chain = this.chain
        .then(() => this.onMessage(message))
        .catch((error: unknown) =>
          logger.error(
            { err: error },
            'Could not read an Omni-Channel presence change; it is skipped.',
          ),
        )
        .then(() => positions?.setStreamPosition(PRESENCE_CHANNEL, replayId));
    };
    const options: SubscribeOptions = {
      replayFrom: stored ?? REPLAY_NEW,
      onGap: (error) => this.fellBehind(error),
    };
    const onError = (error: unknown) =>
      logger.error(
        { err: error },
        `Could not subscribe to ${PRESENCE_CHANNEL}: Omni-Channel statuses will not be copied ` +
          `to Aircall (${(error as Error).message}). In Setup → Change Data Capture, select User ` +
          'Service Presence (the package deploys it), and check the integration user can read ' +
          'UserServicePresence (API 62.0 or later).',
      );
    const live = () =>
      logger.info(
        stored === null || stored === RESUME_BY_READING
          ? `Copying Omni-Channel status changes to Aircall (${PRESENCE_CHANNEL}).`
          : `Copying Omni-Channel status changes to Aircall (${PRESENCE_CHANNEL}), from the ` +
              `changes after replay id ${stored} (made while the connector was stopped).`,
      );
    if (stored === RESUME_BY_READING) {
      // The last run fell behind the retention window and has not received a change since.
      this.readCurrent(
        `The last run resumed ${PRESENCE_CHANNEL} from new events after a gap; reading every ` +
          "rep's current status in case it changed while the connector was stopped.",
        'info',
      );
    }
    const presence = subscriber.subscribe(PRESENCE_CHANNEL, handler, options).then(
      (subscription) => this.keep(subscription, live),
      (error: unknown) => {
        if (!(error instanceof ReplayIdInvalidError)) return onError(error);
        // Too old: the changes made meanwhile are gone; read where every rep stands now.
        this.fellBehind(error);
        return this.subscribe(PRESENCE_CHANNEL, handler, live, onError, {
          ...options,
          replayFrom: REPLAY_NEW,
        });
      },
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      presence,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, startTimeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Poll: one SOQL query per interval for the UserServicePresence rows modified since the
   * watermark (kept in the inbox, so a restart reads exactly the changes made while stopped).
   * The interval is `pollMs` while a rep is online in Omni or a change was seen in the last five
   * minutes, `idlePollMs` otherwise (nights, weekends). A first start reads the current statuses
   * once to know who is online, without sending them to Aircall; a watermark older than 72 hours is
   * not replayed row by row: every rep's current status is read and sent instead.
   */
  private async startPolling(): Promise<void> {
    const { logger, positions } = this.options;
    const stored = (await positions?.streamPosition(POLL_POSITION)) ?? null;
    const fast = this.options.pollMs ?? DEFAULT_POLL_MS;
    const idle = Math.max(this.options.idlePollMs ?? DEFAULT_IDLE_POLL_MS, fast);
    if (stored !== null && stored >= 0 && Date.now() - stored <= POLL_MAX_CATCH_UP_MS) {
      this.watermark = {
        stamp: stored,
        atStamp: (await positions?.streamPosition(POLL_POSITION_COUNT)) ?? 0,
      };
      this.resuming = true;
      logger.info(
        `Copying Omni-Channel status changes to Aircall (reading UserServicePresence every ${fast / 1000} s, ` +
          `${idle / 1000} s while nobody is online), from the changes after ` +
          `${new Date(this.watermark.stamp).toISOString()} (made while the connector was stopped).`,
      );
    } else {
      if (stored !== null) {
        logger.warn(
          `The last Omni-Channel change read was at ${new Date(Math.max(0, stored)).toISOString()}, more than ` +
            "72 hours ago; reading every rep's current status instead of each change since.",
        );
      }
      await this.readCurrentForPoll(stored !== null);
      logger.info(
        `Copying Omni-Channel status changes to Aircall (reading UserServicePresence every ${fast / 1000} s, ` +
          `${idle / 1000} s while nobody is online).`,
      );
    }
    this.polling = this.pollLoop(fast, idle);
  }

  /** Reads the open records: who is online now (and, with `send`, copies their status). */
  private async readCurrentForPoll(send: boolean): Promise<void> {
    const { logger, client } = this.options;
    try {
      this.polls++;
      const rows = await client.query<PresenceRow>(
        'SELECT Id, UserId, ServicePresenceStatusId, IsAway, IsCurrentState, SystemModstamp ' +
          'FROM UserServicePresence WHERE IsCurrentState = true',
      );
      let mark = { stamp: Date.now() - POLL_OVERLAP_MS, atStamp: 0 };
      for (const row of rows) {
        const stamp = Date.parse(row.SystemModstamp);
        if (stamp > mark.stamp) mark = { stamp, atStamp: 1 };
        else if (stamp === mark.stamp) mark.atStamp++;
        this.seenRows.set(`${id15(row.Id)}@${row.SystemModstamp}`, stamp);
        this.records.set(id15(row.Id), this.rowRecord(row));
        this.current.set(id15(row.UserId), id15(row.Id));
        if (send && !this.isOnCall(row.UserId)) {
          this.enqueue(row.UserId, { statusId: row.ServicePresenceStatusId, away: row.IsAway });
        }
      }
      this.watermark = mark;
      if (send) logger.info(`Read the current Omni-Channel status of ${rows.length} rep(s).`);
    } catch (error) {
      logger.error(
        { err: error },
        `Could not read the current Omni-Channel statuses: ${(error as Error).message}`,
      );
      this.watermark = { stamp: Date.now() - POLL_OVERLAP_MS, atStamp: 0 };
    }
  }

  private rowRecord(row: PresenceRow): PresenceRecord {
    return {
      userId: row.UserId,
      statusId: row.ServicePresenceStatusId,
      away: row.IsAway,
      open: row.IsCurrentState,
    };
  }

  private async pollLoop(fast: number, idle: number): Promise<void> {
    while (!this.stopped) {
      let full = false;
      const poll = this.chain.then(async () => {
        full = await this.pollOnce();
      });
      this.chain = poll;
      await poll;
      if (this.stopped) return;
      if (full) continue; // a full page: the rest at once
      const interval = pollIntervalMs(
        { online: this.current.size, sinceLastChangeMs: Date.now() - this.lastChangeAt },
        fast,
        idle,
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, interval);
        const wake = () => done();
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakePoll = wake;
      });
      this.wakePoll = null;
    }
  }

  /** One query; returns whether the page was full (more rows wait). Never throws. */
  private async pollOnce(): Promise<boolean> {
    const { logger, client, positions } = this.options;
    const mark = this.watermark ?? { stamp: Date.now() - POLL_OVERLAP_MS, atStamp: 0 };
    const resuming = this.resuming;
    // Steady state: re-read the overlap window and skip the rows already handled (kept in memory).
    // After a restart that memory is gone: read from the watermark's second, skip the rows stamped
    // before it and as many stamped exactly at it as the last run handled.
    const since = this.pageFrom ?? (resuming ? mark.stamp : mark.stamp - POLL_OVERLAP_MS);
    let rows: PresenceRow[];
    try {
      this.polls++;
      rows = await client.query<PresenceRow>(
        'SELECT Id, UserId, ServicePresenceStatusId, IsAway, IsCurrentState, SystemModstamp ' +
          `FROM UserServicePresence WHERE SystemModstamp >= ${soqlDateTime(since)} ` +
          `ORDER BY SystemModstamp ASC, Id ASC LIMIT ${POLL_PAGE}`,
      );
      if (this.pollFailing) logger.info('Reading Omni-Channel statuses works again.');
      this.pollFailing = false;
    } catch (error) {
      if (!this.pollFailing) {
        logger.error(
          { err: error },
          `Could not read Omni-Channel statuses (UserServicePresence): ${(error as Error).message}. ` +
            'Trying again at the next interval; check the integration user can read UserServicePresence.',
        );
      }
      this.pollFailing = true;
      return false;
    }
    this.resuming = false;
    let skipAtStamp = resuming ? mark.atStamp : 0;
    let { stamp: newest, atStamp } = mark;
    for (const row of rows) {
      const stamp = Date.parse(row.SystemModstamp);
      const key = `${id15(row.Id)}@${row.SystemModstamp}`;
      if (this.seenRows.has(key)) continue;
      this.seenRows.set(key, stamp);
      if (resuming && (stamp < mark.stamp || (stamp === mark.stamp && skipAtStamp-- > 0))) continue;
      if (stamp > newest) {
        newest = stamp;
        atStamp = 1;
      } else if (stamp === newest) atStamp++;
      if (this.records.size > 10_000) this.records.clear();
      const record = this.rowRecord(row);
      const before = this.records.get(id15(row.Id));
      this.records.set(id15(row.Id), record);
      // The same record saved again with nothing the sync reads changed (durations, say).
      if (
        before &&
        before.open === record.open &&
        before.statusId === record.statusId &&
        before.away === record.away
      )
        continue;
      this.consider(id15(row.Id), record, row.IsCurrentState ?? undefined, true);
    }
    this.watermark = { stamp: newest, atStamp };
    await positions?.setStreamPosition(POLL_POSITION, newest);
    await positions?.setStreamPosition(POLL_POSITION_COUNT, atStamp);
    for (const [key, stamp] of this.seenRows) {
      if (stamp < newest - 2 * POLL_OVERLAP_MS) this.seenRows.delete(key);
    }
    const full = rows.length === POLL_PAGE;
    this.pageFrom = full ? Date.parse(rows.at(-1)!.SystemModstamp) : null;
    return full;
  }

  private subscribe(
    channel: string,
    handler: (message: StreamMessage) => void,
    onLive: () => void,
    onError: (error: unknown) => void,
    options?: SubscribeOptions,
  ): Promise<void> {
    return this.options
      .subscriber!.subscribe(channel, handler, options)
      .then((subscription) => this.keep(subscription, onLive), onError);
  }

  private keep(subscription: { unsubscribe(): void }, onLive: () => void): void {
    if (this.stopped) subscription.unsubscribe();
    else this.subscriptions.push(subscription);
    onLive();
  }

  /**
   * A gap in the change stream (a stored replay id past the retention window, at start or on a
   * reconnect): says so, counts it, records that the stream now resumes from new events, and reads
   * every rep's current status instead of the changes that are gone.
   */
  private fellBehind(error: ReplayIdInvalidError): void {
    this.options.onReplayGap?.();
    this.options.positions
      ?.setStreamPosition(PRESENCE_CHANNEL, RESUME_BY_READING)
      .catch((e: unknown) =>
        this.options.logger.warn({ err: e }, 'Could not record the presence stream position.'),
      );
    this.readCurrent(
      `${error.message} Omni-Channel changes made while the connector was stopped are past ` +
        "Salesforce's 72-hour retention window; reading every rep's current status instead, " +
        `then resuming from new events (replay id ${REPLAY_NEW}).`,
      'warn',
    );
  }

  /**
   * Reads the open UserServicePresence record of every rep and copies it, as if each had just
   * changed. Costs one query, and one Aircall request per rep whose rule gives an availability. A
   * rep who went offline meanwhile has no open record and is left as Aircall has them.
   */
  private readCurrent(why: string, level: 'info' | 'warn'): void {
    const { logger, client } = this.options;
    logger[level](why);
    this.chain = this.chain
      .then(async () => {
        const rows = await client.query<{
          Id: string;
          UserId: string;
          ServicePresenceStatusId: string | null;
          IsAway: boolean | null;
        }>(
          'SELECT Id, UserId, ServicePresenceStatusId, IsAway FROM UserServicePresence ' +
            'WHERE IsCurrentState = true',
        );
        for (const row of rows) {
          const record: PresenceRecord = {
            userId: row.UserId,
            statusId: row.ServicePresenceStatusId,
            away: row.IsAway,
            open: true,
          };
          this.records.set(id15(row.Id), record);
          this.current.set(id15(row.UserId), id15(row.Id));
          if (this.isOnCall(row.UserId)) continue;
          this.enqueue(row.UserId, { statusId: record.statusId, away: record.away });
        }
        logger.info(`Read the current Omni-Channel status of ${rows.length} rep(s).`);
      })
      .catch((e: unknown) =>
        logger.error(
          { err: e },
          `Could not read the current Omni-Channel statuses: ${(e as Error).message}`,
        ),
      );
  }

  /**
   * The connector's own phone-side events, told in-process by the worker for each applied batch
   * (subscribing to them would cost one event delivery per event): "Ringing"/"In Call" put a rep
   * on a call until the call ends or a later phone state arrives; the Omni status the utility bar
   * will set from it is remembered, so the change it causes in Omni is not echoed back to Aircall.
   */
  notePhoneSide(events: readonly (AgentStatusEvent | VoiceUpdateEvent)[]): void {
    for (const e of events) {
      if (e.sobject === 'Aircall_Agent_Status__e') {
        this.onPhoneSide(AGENT_STATUS_CHANNEL, { ...agentStatusFields(e) });
      } else {
        this.onPhoneSide(CALL_UPDATE_CHANNEL, { Call_Id__c: e.callId, Change__c: e.change });
      }
    }
  }

  private onPhoneSide(channel: string, payload: Record<string, unknown>): void {
    const now = Date.now();
    if (channel === AGENT_STATUS_CHANNEL) {
      if (typeof payload.User_Id__c !== 'string') return;
      const user = id15(payload.User_Id__c);
      if (typeof payload.Omni_Status__c === 'string')
        this.published.set(user, { status: payload.Omni_Status__c, at: now });
      // The event's fields, never its Reason__c prose (rewording a sentence must not change this).
      if (payload.Phone_Event__c === 'Ringing' || payload.Phone_Event__c === 'In Call') {
        this.onCall.set(user, {
          callId: typeof payload.Call_Id__c === 'string' ? payload.Call_Id__c : null,
          since: now,
        });
      } else {
        this.onCall.delete(user);
      }
      return;
    }
    const change = typeof payload.Change__c === 'string' ? payload.Change__c.split(',') : [];
    if (!change.includes('ended') || typeof payload.Call_Id__c !== 'string') return;
    for (const [user, call] of this.onCall) {
      if (call.callId === payload.Call_Id__c) this.onCall.delete(user);
    }
  }

  /** Whether the rep (Salesforce user id) is on a call, as far as the phone-side events tell. */
  isOnCall(userId: string): boolean {
    const user = id15(userId);
    const call = this.onCall.get(user);
    // A call whose end was never seen stops counting after a few hours.
    if (call && Date.now() - call.since > ON_CALL_MAX_MS) this.onCall.delete(user);
    return this.onCall.has(user);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    await this.options.subscriber?.close();
    this.wakeUp?.();
    this.wakePoll?.();
    await this.polling;
    await this.chain;
    await this.pump;
  }

  /** Resolves once every change received so far has been sent, dropped or given up on. */
  async idle(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      await chain;
      if (this.pump) await this.pump;
      else if (chain === this.chain) return;
    }
  }

  private async onMessage(message: StreamMessage): Promise<void> {
    const payload = message.data.payload as ChangePayload;
    const header = payload.ChangeEventHeader;
    if (!header || header.entityName !== 'UserServicePresence') return;
    // GAP_* and OVERFLOW events carry no field values; the next ordinary change corrects the rep.
    if (header.changeType !== 'CREATE' && header.changeType !== 'UPDATE') return;
    for (const recordId of header.recordIds ?? []) {
      const key = id15(recordId);
      const record = await this.placeRecord(key, recordId, payload);
      if (!record) continue;
      // Omni opens a new record per status; a status changed inside the open record counts too.
      const statusChanged = 'ServicePresenceStatusId' in payload || 'IsAway' in payload;
      const isCurrent =
        typeof payload.IsCurrentState === 'boolean' ? payload.IsCurrentState : undefined;
      this.consider(key, record, isCurrent, statusChanged);
    }
  }

  /**
   * One UserServicePresence record as it now is (`isCurrent`: its IsCurrentState when the change
   * tells it): an open record gives the rep's status, the open record closed means offline.
   */
  private consider(
    key: string,
    record: PresenceRecord,
    isCurrent: boolean | undefined,
    statusChanged: boolean,
  ): void {
    const user = id15(record.userId);
    let change: { statusId: string | null; away: boolean | null } | null = null;
    if (record.open === true && (isCurrent === true || statusChanged)) {
      this.current.set(user, key);
      change = { statusId: record.statusId, away: record.away };
    } else if (isCurrent === false) {
      // Closing a record the rep has already left (a newer status opened first) changes nothing.
      const open = this.current.get(user);
      if (open !== undefined && open !== key) return;
      this.current.delete(user);
      change = { statusId: null, away: null };
    }
    if (!change) return;
    this.lastChangeAt = Date.now();
    if (this.isOnCall(user)) {
      // As in Service Cloud Voice: status changes are ignored while the rep is on a call.
      this.options.logger.debug(
        `User ${record.userId} is on a call: their Omni-Channel change is not copied to Aircall.`,
      );
      return;
    }
    this.enqueue(record.userId, change);
  }

  /**
   * The record after this change. A CREATE carries every field; an UPDATE only the changed ones,
   * so the rest comes from the records seen before, or — for a record opened before the connector
   * started — from one query.
   */
  private async placeRecord(
    key: string,
    recordId: string,
    payload: ChangePayload,
  ): Promise<PresenceRecord | null> {
    let known = this.records.get(key);
    if (!known && typeof payload.UserId !== 'string') {
      const [row] = await this.options.client.query<{
        UserId: string;
        ServicePresenceStatusId: string | null;
        IsAway: boolean | null;
        IsCurrentState: boolean | null;
      }>(
        'SELECT UserId, ServicePresenceStatusId, IsAway, IsCurrentState FROM UserServicePresence ' +
          `WHERE Id = '${recordId.replace(/[^A-Za-z0-9]/g, '')}'`,
      );
      if (!row) return null;
      known = {
        userId: row.UserId,
        statusId: row.ServicePresenceStatusId,
        away: row.IsAway,
        open: row.IsCurrentState,
      };
    }
    const userId = typeof payload.UserId === 'string' ? payload.UserId : known?.userId;
    if (!userId) return null;
    const record: PresenceRecord = {
      userId,
      statusId:
        typeof payload.ServicePresenceStatusId === 'string'
          ? payload.ServicePresenceStatusId
          : (known?.statusId ?? null),
      away: typeof payload.IsAway === 'boolean' ? payload.IsAway : (known?.away ?? null),
      open:
        typeof payload.IsCurrentState === 'boolean'
          ? payload.IsCurrentState
          : (known?.open ?? null),
    };
    if (this.records.size > 10_000) this.records.clear();
    this.records.set(key, record);
    return record;
  }

  private enqueue(userId: string, change: { statusId: string | null; away: boolean | null }): void {
    const now = Date.now();
    const previous = this.pending.get(userId);
    this.pending.set(userId, {
      ...change,
      updatedAt: now,
      firstAt: previous?.firstAt ?? now,
      attempts: 0,
    });
    this.wakeUp?.();
    this.pump ??= this.drain().finally(() => {
      this.pump = null;
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.pending.size > 0) {
      const now = Date.now();
      // The rep whose latest change has been quiet for coalesceMs (or has waited long enough).
      let next: [string, Desired] | null = null;
      let wait = Infinity;
      for (const entry of this.pending) {
        const readyAt = Math.min(
          entry[1].updatedAt + this.coalesceMs,
          entry[1].firstAt + 5 * this.coalesceMs,
        );
        if (readyAt <= now) {
          next = entry;
          break;
        }
        wait = Math.min(wait, readyAt - now);
      }
      if (!next) {
        await this.pause(wait);
        continue;
      }
      const [userId, desired] = next;
      try {
        await this.apply(userId, desired);
        if (this.pending.get(userId) === desired) this.pending.delete(userId);
      } catch (error) {
        if (error instanceof AircallApiError && error.status === 429) {
          // Keep the change (or a newer one) and try again once Aircall's window resets.
          this.blockedUntil = error.resetAt ?? Date.now() + 60_000;
          this.options.logger.warn(
            `Aircall rate limit reached; Omni-Channel status changes wait until ${new Date(this.blockedUntil).toISOString()}.`,
          );
          continue;
        }
        if (this.stopped) return;
        const transient = !(error instanceof AircallApiError) || error.status >= 500;
        if (transient && desired.attempts < 2 && this.pending.get(userId) === desired) {
          desired.attempts++;
          desired.updatedAt = Date.now() + 1000 * 2 ** desired.attempts; // back off 2 s, then 4 s
          desired.firstAt = desired.updatedAt;
          continue;
        }
        if (this.pending.get(userId) === desired) this.pending.delete(userId);
        this.options.logger.error(
          { err: error, userId },
          `Could not copy the Omni-Channel status of user ${userId} to Aircall: ${(error as Error).message}`,
        );
      }
    }
  }

  /** Sleeps, waking early when a change arrives or the sync stops. */
  private async pause(ms: number): Promise<void> {
    const wait = wakeableSleep(ms);
    this.wakeUp = wait.wake;
    await wait.done;
    this.wakeUp = null;
  }

  /**
   * Waits for a free slot in the per-minute budget (and any 429 block), then takes it — unless
   * the request is no longer wanted by then (a newer change of the rep arrived while waiting).
   */
  private async throttle(stillWanted: () => boolean = () => true): Promise<boolean> {
    for (;;) {
      if (this.stopped) throw new Error('The presence sync stopped.');
      const now = Date.now();
      while (this.sent.length > 0 && this.sent[0]! <= now - 60_000) this.sent.shift();
      const until = Math.max(
        this.blockedUntil,
        this.sent.length >= this.perMinute ? this.sent[0]! + 60_000 : 0,
      );
      if (until <= now) {
        if (!stillWanted()) return false;
        this.sent.push(now);
        return true;
      }
      await sleep(Math.min(until - now, 1000));
    }
  }

  private async apply(userId: string, desired: Desired): Promise<void> {
    const { settings, statusMappings, users, presenceStatuses } = await this.options.context.get();
    const user = users.find((u) => id15(u.Id) === id15(userId));
    if (!user?.Email) {
      this.reportMissing(
        `sf:${userId}`,
        `Salesforce user ${userId} is not an active user with an e-mail: their Omni-Channel status is not copied to Aircall.`,
      );
      return;
    }
    const developerName = desired.statusId
      ? (presenceStatuses?.find((s) => id15(s.id) === id15(desired.statusId!))?.developerName ??
        (await this.statusName(desired.statusId)))
      : null;
    if (desired.statusId && developerName === null) {
      this.options.logger.warn(
        `Omni-Channel status ${desired.statusId} is not in ServicePresenceStatus; user ${userId}'s change is skipped.`,
      );
      return;
    }
    const echo = this.published.get(id15(userId));
    if (
      echo &&
      Date.now() - echo.at < ECHO_MS &&
      developerName?.toLowerCase() === echo.status.toLowerCase()
    ) {
      this.options.logger.debug(
        `Omni-Channel status ${developerName} of ${user.Email} came from their phone: Aircall already knows.`,
      );
      return;
    }
    // A change made by hand in Omni: whatever the phone side published last is no longer the
    // rep's status, so the next phone event must be published even if it repeats it.
    this.options.onManualChange?.(userId);
    const target = availabilityFor(
      settings,
      statusMappings,
      developerName,
      desired.away,
      presenceStatuses,
    );
    if (!target) {
      this.options.logger.debug(
        `No "Omni to Aircall" rule for status ${developerName ?? 'offline'}: Aircall is left as it is for ${user.Email}.`,
      );
      return;
    }
    const aircallId = await this.aircallUserId(user.Email);
    if (aircallId === null) {
      this.reportMissing(
        `mail:${user.Email.toLowerCase()}`,
        `No Aircall user has the e-mail ${user.Email} (Salesforce user ${userId}): their Omni-Channel ` +
          'status is not copied to Aircall. Give the Aircall user the same e-mail as in Salesforce.',
      );
      return;
    }
    if (!(await this.throttle(() => this.pending.get(userId) === desired))) return;
    await this.options.aircall.setAvailability(
      aircallId,
      target.availability_status,
      target.substatus,
    );
    this.options.logger.info(
      { userId, aircallUserId: aircallId, omniStatus: developerName ?? 'offline', ...target },
      `Aircall availability of ${user.Email} set to ${target.availability_status}${target.substatus ? ` (${target.substatus})` : ''} after Omni-Channel status ${developerName ?? 'offline'}.`,
    );
  }

  private reportMissing(key: string, line: string): void {
    // Once per rep: every status change of an unmatched rep would otherwise repeat it.
    if (this.reportedMissing.has(key)) return;
    this.reportedMissing.add(key);
    this.options.logger.warn(line);
  }

  /**
   * ServicePresenceStatus DeveloperName by id, for a status newer than the org context's list;
   * re-read (at most once a minute) for a new status.
   */
  private async statusName(statusId: string): Promise<string | null> {
    const key = id15(statusId);
    const stale = Date.now() - this.statusesLoadedAt > 60_000;
    if (!this.statusNames || (!this.statusNames.has(key) && stale)) {
      const rows = await this.options.client.query<{ Id: string; DeveloperName: string }>(
        STATUSES_SOQL,
      );
      this.statusNames = new Map(rows.map((r) => [id15(r.Id), r.DeveloperName]));
      this.statusesLoadedAt = Date.now();
    }
    return this.statusNames.get(key) ?? null;
  }

  /** Aircall user id by e-mail (case-insensitive), from a cached `GET /v1/users` listing. */
  private async aircallUserId(email: string): Promise<string | null> {
    const key = email.toLowerCase();
    const age = Date.now() - this.directoryLoadedAt;
    // A missing e-mail re-reads the directory at most every 5 minutes (each page costs a request).
    if (
      !this.directory ||
      age > this.directoryTtlMs ||
      (!this.directory.has(key) && age > 5 * 60_000)
    ) {
      const users = await this.options.aircall.listUsers({
        beforeRequest: async () => {
          await this.throttle();
        },
      });
      this.directory = new Map(
        users
          .filter((u) => typeof u.email === 'string' && u.email !== '')
          .map((u) => [u.email!.toLowerCase(), String(u.id)]),
      );
      this.directoryLoadedAt = Date.now();
    }
    return this.directory.get(key) ?? null;
  }
}

/**
 * Default mode reads the status by its API name and label among the org's statuses (the engine's
 * rule: Online or Available means available). Only when the org's statuses could not be read does
 * it fall back to UserServicePresence.IsAway, which marks a Busy-type status: a status that is not
 * Away then counts as Online. Custom mode uses the status's DeveloperName, which the admin's rules
 * name.
 */
export function availabilityFor(
  settings: Parameters<typeof aircallAvailabilityFor>[1],
  mappings: Parameters<typeof aircallAvailabilityFor>[2],
  developerName: string | null,
  away: boolean | null,
  presenceStatuses?: readonly PresenceStatus[],
): AircallAvailability | null {
  if (settings.omniMappingMode === 'Default' && presenceStatuses === undefined) {
    const omniStatus = developerName !== null && away === false ? 'Online' : developerName;
    return aircallAvailabilityFor(omniStatus, settings, mappings);
  }
  return aircallAvailabilityFor(developerName, settings, mappings, presenceStatuses);
}
