/**
 * Omni-Channel → Aircall: when a rep's Omni status changes, set their Aircall availability.
 *
 * A rep's status lives in UserServicePresence (read-only through the API; one record per status
 * period, IsCurrentState marks the open one). It is learnt from one of two sources
 * (docs/PLATFORM.md §6): './poll.ts' (default; API requests, no event delivery) or './cdc.ts'
 * (Change Data Capture; event deliveries, no API request). The records they read
 * (./records.ts) turn into a rep's new status; unless the rep is on a call (./phone-side.ts), it
 * goes to the rate-limited queue (./queue.ts), which sends it when a request slot is free through
 * the mapping (./mapping.ts): Salesforce user → Aircall user by e-mail, Omni status → availability
 * by the settings' rules. Nothing here throws into the connector: failures are logged and the
 * change is dropped or retried.
 */
import type { Logger } from 'pino';
import type { AgentStatusEvent, VoiceUpdateEvent } from '../../engine';
import type { SalesforceClient } from '../../salesforce/client';
import type { Subscriber } from '../../salesforce/streaming';
import type { OrgContextLoader } from '../context';
import { PresenceStream } from './cdc';
import { OmniToAircall, type PresenceAircall } from './mapping';
import { PhoneSide } from './phone-side';
import { PresencePoll } from './poll';
import { AvailabilityQueue } from './queue';
import { OmniRecords, type StatusChange, type StreamPositions } from './records';

export type PresenceSource = 'poll' | 'cdc';

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

export class PresenceSync {
  private readonly phoneSide = new PhoneSide();
  private readonly queue: AvailabilityQueue;
  private readonly source: PresencePoll | PresenceStream | null = null;

  constructor(private readonly options: PresenceSyncOptions) {
    const { logger } = options;
    const mapping = new OmniToAircall({
      client: options.client,
      aircall: options.aircall,
      context: options.context,
      logger,
      phoneSide: this.phoneSide,
      directoryTtlMs: options.directoryTtlMs ?? 15 * 60_000,
      throttle: (stillWanted) => this.queue.throttle(stillWanted),
      ...(options.onManualChange ? { onManualChange: options.onManualChange } : {}),
    });
    this.queue = new AvailabilityQueue({
      perMinute: options.requestsPerMinute ?? 50,
      coalesceMs: options.coalesceMs ?? 300,
      logger,
      send: (userId, desired, stillWanted) => mapping.apply(userId, desired, stillWanted),
    });
    const records = new OmniRecords((userId, change) => {
      if (this.isOnCall(userId)) {
        // As in Service Cloud Voice: status changes are ignored while the rep is on a call.
        logger.debug(
          `User ${userId} is on a call: their Omni-Channel change is not copied to Aircall.`,
        );
        return;
      }
      this.queue.enqueue(userId, change);
    });
    const copyCurrent = (userId: string, change: StatusChange) => {
      if (!this.isOnCall(userId)) this.queue.enqueue(userId, change);
    };
    const common = {
      client: options.client,
      logger,
      records,
      copyCurrent,
      ...(options.positions ? { positions: options.positions } : {}),
    };
    if ((options.source ?? 'poll') === 'poll') {
      this.source = new PresencePoll({
        ...common,
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        ...(options.idlePollMs !== undefined ? { idlePollMs: options.idlePollMs } : {}),
      });
    } else if (options.subscriber) {
      this.source = new PresenceStream({
        ...common,
        subscriber: options.subscriber,
        ...(options.onReplayGap ? { onReplayGap: options.onReplayGap } : {}),
      });
    }
  }

  /** Poll: SOQL queries sent (each one API request). */
  get polls(): number {
    return this.source instanceof PresencePoll ? this.source.polls : 0;
  }

  /**
   * Starts the source. A failure is logged, never thrown, and a subscription slower than
   * `startTimeoutMs` goes on in the background: calls keep being logged either way.
   */
  async start(startTimeoutMs = 10_000): Promise<void> {
    if (!this.source) throw new Error("PresenceSync: source 'cdc' needs a subscriber.");
    if (this.source instanceof PresencePoll) return this.source.start();
    return this.source.start(startTimeoutMs);
  }

  /** The connector's own phone-side events, told in-process by the worker (./phone-side.ts). */
  notePhoneSide(events: readonly (AgentStatusEvent | VoiceUpdateEvent)[]): void {
    this.phoneSide.note(events);
  }

  /** Whether the rep (Salesforce user id) is on a call, as far as the phone-side events tell. */
  isOnCall(userId: string): boolean {
    return this.phoneSide.isOnCall(userId);
  }

  async stop(): Promise<void> {
    this.source?.stop();
    this.queue.stop();
    await this.options.subscriber?.close();
    await this.source?.done();
    await this.queue.busy;
  }

  /** Resolves once every change received so far has been sent, dropped or given up on. */
  async idle(): Promise<void> {
    const none = Promise.resolve();
    const chain = () => this.source?.chain ?? none;
    for (;;) {
      const current = chain();
      await current;
      const busy = this.queue.busy;
      if (busy) await busy;
      else if (current === chain()) return;
    }
  }
}
