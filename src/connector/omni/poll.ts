/**
 * The 'poll' presence source (the default): one SOQL query per interval for the
 * UserServicePresence rows modified since a watermark kept in the inbox (10 s while someone is
 * online, 60 s otherwise): API requests, no event delivery (docs/PLATFORM.md §6).
 */
import type { Logger } from 'pino';
import type { SalesforceClient } from '../../salesforce/client';
import {
  id15,
  rowRecord,
  type OmniRecords,
  type PresenceRow,
  type StatusChange,
  type StreamPositions,
} from './records';

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
const COLUMNS = 'Id, UserId, ServicePresenceStatusId, IsAway, IsCurrentState, SystemModstamp';

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

export interface PresencePollOptions {
  client: SalesforceClient;
  logger: Logger;
  positions?: StreamPositions;
  records: OmniRecords;
  /** A rep's current status read at start (not a change): copied unless they are on a call. */
  copyCurrent(userId: string, change: StatusChange): void;
  /** The interval while a rep is online in Omni or changed lately (default 10 s). */
  pollMs?: number;
  /** The interval while nobody is online in Omni (default 60 s). */
  idlePollMs?: number;
}

export class PresencePoll {
  /** SOQL queries sent (each one API request). */
  polls = 0;
  /** Everything read is handled through this chain, one after the other. */
  chain: Promise<void> = Promise.resolve();
  /** The newest SystemModstamp second handled, and how many rows of that second were. */
  private watermark: { stamp: number; atStamp: number } | null = null;
  /** The first query after a restart (the rows handled are known only by the watermark). */
  private resuming = false;
  /** After a full page, where the next page starts (the last row's stamp). */
  private pageFrom: number | null = null;
  /** Rows handled within the overlap window (`Id@SystemModstamp` → stamp). */
  private readonly seenRows = new Map<string, number>();
  private polling: Promise<void> | null = null;
  private wakePoll: (() => void) | null = null;
  private failing = false;
  private stopped = false;

  constructor(private readonly options: PresencePollOptions) {}

  /**
   * Starts polling from the watermark kept in the inbox, so a restart reads exactly the changes
   * made while stopped. The interval is `pollMs` while a rep is online in Omni or a change was
   * seen in the last five minutes, `idlePollMs` otherwise (nights, weekends). A first start reads
   * the current statuses once to know who is online, without sending them to Aircall; a watermark
   * older than 72 hours is not replayed row by row: every rep's current status is read and sent.
   */
  async start(): Promise<void> {
    const { logger, positions } = this.options;
    const stored = (await positions?.streamPosition(POLL_POSITION)) ?? null;
    const fast = this.options.pollMs ?? DEFAULT_POLL_MS;
    const idle = Math.max(this.options.idlePollMs ?? DEFAULT_IDLE_POLL_MS, fast);
    const every =
      `reading UserServicePresence every ${fast / 1000} s, ` +
      `${idle / 1000} s while nobody is online`;
    if (stored !== null && stored >= 0 && Date.now() - stored <= POLL_MAX_CATCH_UP_MS) {
      this.watermark = {
        stamp: stored,
        atStamp: (await positions?.streamPosition(POLL_POSITION_COUNT)) ?? 0,
      };
      this.resuming = true;
      logger.info(
        `Copying Omni-Channel status changes to Aircall (${every}), from the changes after ` +
          `${new Date(this.watermark.stamp).toISOString()} (made while the connector was stopped).`,
      );
    } else {
      if (stored !== null) {
        logger.warn(
          `The last Omni-Channel change read was at ${new Date(Math.max(0, stored)).toISOString()}, more than ` +
            "72 hours ago; reading every rep's current status instead of each change since.",
        );
      }
      await this.readCurrent(stored !== null);
      logger.info(`Copying Omni-Channel status changes to Aircall (${every}).`);
    }
    this.polling = this.loop(fast, idle);
  }

  stop(): void {
    this.stopped = true;
    this.wakePoll?.();
  }

  /** Resolves once the loop has ended (after `stop`). */
  async done(): Promise<void> {
    await this.polling;
    await this.chain;
  }

  /** Reads the open records: who is online now (and, with `send`, copies their status). */
  private async readCurrent(send: boolean): Promise<void> {
    const { logger, client, records } = this.options;
    try {
      this.polls++;
      const rows = await client.query<PresenceRow>(
        `SELECT ${COLUMNS} FROM UserServicePresence WHERE IsCurrentState = true`,
      );
      let mark = { stamp: Date.now() - POLL_OVERLAP_MS, atStamp: 0 };
      for (const row of rows) {
        const stamp = Date.parse(row.SystemModstamp);
        if (stamp > mark.stamp) mark = { stamp, atStamp: 1 };
        else if (stamp === mark.stamp) mark.atStamp++;
        this.seenRows.set(`${id15(row.Id)}@${row.SystemModstamp}`, stamp);
        records.open(id15(row.Id), rowRecord(row));
        if (send) {
          this.options.copyCurrent(row.UserId, {
            statusId: row.ServicePresenceStatusId,
            away: row.IsAway,
          });
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

  private async loop(fast: number, idle: number): Promise<void> {
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
        {
          online: this.options.records.online,
          sinceLastChangeMs: Date.now() - this.options.records.lastChangeAt,
        },
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
    const { logger, client, positions, records } = this.options;
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
        `SELECT ${COLUMNS} FROM UserServicePresence WHERE SystemModstamp >= ${soqlDateTime(since)} ` +
          `ORDER BY SystemModstamp ASC, Id ASC LIMIT ${POLL_PAGE}`,
      );
      if (this.failing) logger.info('Reading Omni-Channel statuses works again.');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        logger.error(
          { err: error },
          `Could not read Omni-Channel statuses (UserServicePresence): ${(error as Error).message}. ` +
            'Trying again at the next interval; check the integration user can read UserServicePresence.',
        );
      }
      this.failing = true;
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
      const record = rowRecord(row);
      const before = records.remember(id15(row.Id), record);
      // The same record saved again with nothing the sync reads changed (durations, say).
      if (
        before &&
        before.open === record.open &&
        before.statusId === record.statusId &&
        before.away === record.away
      )
        continue;
      records.consider(id15(row.Id), record, row.IsCurrentState ?? undefined, true);
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
}
