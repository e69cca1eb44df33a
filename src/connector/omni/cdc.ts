/**
 * The 'cdc' presence source: Change Data Capture on `/data/UserServicePresenceChangeEvent`
 * (API 62.0+) over CometD (jsforce's streaming client, `src/salesforce/streaming.ts`), the same
 * against a real org and the local org: event deliveries, no API request (docs/PLATFORM.md §6).
 * The replay id of the last change handled is kept in the inbox, so a restart copies exactly the
 * changes made while the connector was stopped; when that id is older than the org's retention
 * window (72 hours) the current status of every rep is read instead, and that is recorded.
 */
import type { Logger } from 'pino';
import type { SalesforceClient } from '../../salesforce/client';
import {
  REPLAY_NEW,
  ReplayIdInvalidError,
  type StreamMessage,
  type SubscribeOptions,
  type Subscriber,
} from '../../salesforce/streaming';
import {
  id15,
  rowRecord,
  type OmniRecords,
  type PresenceRecord,
  type StatusChange,
  type StreamPositions,
} from './records';

export const PRESENCE_CHANNEL = '/data/UserServicePresenceChangeEvent';

/**
 * Stored instead of a replay id after a gap (a replay id past the retention window): the
 * subscription went on from new events after reading every rep's current status, so the next start
 * reads current status again rather than offer the org the refused id a second time.
 */
export const RESUME_BY_READING = -1;

type ChangePayload = Record<string, unknown> & {
  ChangeEventHeader?: { entityName?: string; changeType?: string; recordIds?: string[] };
};

export interface PresenceStreamOptions {
  client: SalesforceClient;
  logger: Logger;
  subscriber: Subscriber;
  positions?: StreamPositions;
  records: OmniRecords;
  /** A rep's current status read after a gap (not a change): copied unless they are on a call. */
  copyCurrent(userId: string, change: StatusChange): void;
  /** Told when a stored replay id was past the retention window (a metric). */
  onReplayGap?: () => void;
}

export class PresenceStream {
  /** Every change is handled through this chain, one after the other. */
  chain: Promise<void> = Promise.resolve();
  private readonly subscriptions: { unsubscribe(): void }[] = [];
  private stopped = false;

  constructor(private readonly options: PresenceStreamOptions) {}

  /**
   * Subscribes to presence changes. A failure is logged, never thrown, and a subscription slower
   * than `startTimeoutMs` goes on in the background: calls keep being logged either way.
   */
  async start(startTimeoutMs: number): Promise<void> {
    const { logger, positions, subscriber } = this.options;
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
        return subscriber
          .subscribe(PRESENCE_CHANNEL, handler, { ...options, replayFrom: REPLAY_NEW })
          .then((subscription) => this.keep(subscription, live), onError);
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

  stop(): void {
    this.stopped = true;
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** Resolves once the changes received so far are handled. */
  async done(): Promise<void> {
    await this.chain;
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
    const { logger, client, records } = this.options;
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
          const record = rowRecord({ ...row, IsCurrentState: true });
          records.open(id15(row.Id), record);
          this.options.copyCurrent(row.UserId, { statusId: record.statusId, away: record.away });
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
      this.options.records.consider(key, record, isCurrent, statusChanged);
    }
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
    let known = this.options.records.get(key);
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
      known = rowRecord(row);
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
    this.options.records.remember(key, record);
    return record;
  }
}
