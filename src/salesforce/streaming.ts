/**
 * Platform events and change events from an org, over CometD — the Streaming API an org serves
 * at `/cometd/NN.0` — through jsforce's streaming client (Faye). The connector has this one
 * implementation for every org.
 *
 * - Replay: each channel starts where the caller says (`replayFrom`: a stored replay id, -1 new
 *   events, -2 every retained event) and, after a reconnect, from the last event it received, so a
 *   dropped connection loses nothing within the org's retention window (72 hours). A stored id the
 *   org no longer has answers `400::The replayId {N} you provided was invalid…`: `subscribe`
 *   rejects with `ReplayIdInvalidError`, and the caller decides how to catch up.
 * - Session: when the org says the session is no longer valid (`401::Authentication invalid`,
 *   `advice.reconnect = none`, caught by jsforce's AuthFailure extension), the subscriber logs it,
 *   asks `relogin` for a new session (when the org was reached through a login that can be renewed)
 *   and tries again with backoff, resubscribing every channel from its last replay id.
 * - Unknown channel (`400::The channel you requested to subscribe to does not exist`): `subscribe`
 *   rejects with `UnknownChannelError`.
 *
 * Cost: one streaming client per subscriber (it counts toward the org's concurrent-client
 * allocation) and, per event, one delivery per subscribed channel (the daily delivery allocation).
 * Handshakes and long polls are not REST calls and do not count toward the API allocation.
 */
import type { Logger } from 'pino';
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { OrgTarget } from './org';
import { sleep } from '../util/sleep';

/** Replay extension values (Streaming API Developer Guide, "Message Durability"). */
export const REPLAY_NEW = -1;
export const REPLAY_ALL = -2;

export interface StreamMessage {
  channel: string;
  data: {
    schema: string;
    payload: Record<string, unknown>;
    event: { replayId: number };
  };
}

export interface Subscription {
  unsubscribe(): void;
}

export interface SubscribeOptions {
  /** A stored replay id, -1 (default: new events only) or -2 (every retained event). */
  replayFrom?: number;
  /**
   * Told when, while resubscribing after a lost connection or session, the org refused the last
   * replay id (events after it are past the retention window): the subscription goes on with new
   * events only, and the caller catches up another way.
   */
  onGap?: (error: ReplayIdInvalidError) => void;
}

export interface Subscriber {
  /** Resolves once the subscription is live (events published after that are delivered). */
  subscribe(
    channel: string,
    handler: (message: StreamMessage) => void,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
  /** Disconnects (the org frees the streaming client at once). */
  close(): Promise<void>;
}

/** The org refused a stored replay id: events after it are past the retention window. */
export class ReplayIdInvalidError extends Error {
  constructor(
    readonly channel: string,
    readonly replayId: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayIdInvalidError';
  }
}

/** The org does not stream this channel (no such platform event, or the entity is not selected for CDC). */
export class UnknownChannelError extends Error {
  constructor(
    readonly channel: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownChannelError';
  }
}

export interface StreamingSubscriberOptions {
  /**
   * Renews the session of `conn` (sets a new `conn.accessToken`) after the org said it is no
   * longer valid; absent when the session cannot be renewed (an access token given as such).
   */
  relogin?: () => Promise<void>;
  /** First wait before trying again after an invalid session (default 5 s, doubling to 5 min). */
  retryMs?: number;
}

type FayeMessage = {
  channel?: string;
  subscription?: string;
  successful?: boolean;
  error?: string;
  advice?: { reconnect?: string };
  data?: { event?: { replayId?: unknown } };
  ext?: Record<string, unknown>;
};
type FayeClient = ReturnType<Connection['streaming']['createClient']>;
type FayeSubscription = ReturnType<FayeClient['subscribe']>;

interface Channel {
  /** Every handler subscribed to the channel (one CometD subscription serves them all). */
  handlers: Set<(message: StreamMessage) => void>;
  /** The replay id the next (re)subscription starts from. */
  replayFrom: number;
  onGap?: (error: ReplayIdInvalidError) => void;
  subscription: FayeSubscription | null;
  /** Subscribed once: reopened after a lost session or client. */
  live: boolean;
}

const MAX_RETRY_MS = 5 * 60_000;

/** CometD through jsforce's streaming client, for every org. */
export class StreamingSubscriber implements Subscriber {
  private client: FayeClient | null = null;
  /** Bumped for every new client, so late callbacks of an abandoned one are ignored. */
  private generation = 0;
  /** Rejects the subscriptions waiting on the current client when its session fails. */
  private readonly waiting = new Set<(error: Error) => void>();
  private reopening: Promise<void> | null = null;
  private readonly channels = new Map<string, Channel>();
  private closed = false;
  private readonly retryMs: number;

  constructor(
    private readonly conn: Connection,
    private readonly logger: Logger,
    private readonly options: StreamingSubscriberOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 5000;
  }

  async subscribe(
    channel: string,
    handler: (message: StreamMessage) => void,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.closed) throw new Error('The streaming subscriber is closed.');
    if (this.reopening) await this.reopening;
    const existing = this.channels.get(channel);
    if (existing?.live) {
      // Already subscribed: one more listener on the same CometD subscription (no extra delivery).
      existing.handlers.add(handler);
      return { unsubscribe: () => this.release(channel, existing, handler) };
    }
    const entry: Channel = {
      handlers: new Set([handler]),
      replayFrom: options.replayFrom ?? -1,
      onGap: options.onGap,
      subscription: null,
      live: false,
    };
    this.channels.set(channel, entry);
    try {
      await this.open(channel, entry);
      entry.live = true;
    } catch (error) {
      if (this.channels.get(channel) === entry) this.channels.delete(channel);
      // Nothing left to follow: let the streaming client go (it counts toward the org's
      // concurrent-client allocation while it long-polls).
      if (this.channels.size === 0 && !this.reopening) await this.dropClient(error as Error);
      throw error;
    }
    return { unsubscribe: () => this.release(channel, entry, handler) };
  }

  private release(channel: string, entry: Channel, handler: (m: StreamMessage) => void): void {
    entry.handlers.delete(handler);
    if (entry.handlers.size > 0 || this.channels.get(channel) !== entry) return;
    this.channels.delete(channel);
    entry.subscription?.cancel();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    await this.dropClient(new Error('The streaming subscriber is closed.'));
  }

  /** The replay id each channel would resume from (the last event received). */
  positions(): Map<string, number> {
    return new Map([...this.channels].map(([channel, c]) => [channel, c.replayFrom]));
  }

  /** Subscribes one channel on the current client; rejects on a refusal or an invalid session. */
  private async open(channel: string, entry: Channel): Promise<void> {
    const client = this.ensureClient();
    const generation = this.generation;
    let stop: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (stop = reject));
    this.waiting.add(stop);
    const subscription = client.subscribe(channel, (data: StreamMessage['data']) => {
      if (this.channels.get(channel) !== entry || generation !== this.generation) return;
      for (const h of [...entry.handlers]) h({ channel, data });
    });
    entry.subscription = subscription;
    try {
      await Promise.race([subscription, failed]);
    } catch (error) {
      throw this.refusal(channel, entry, error);
    } finally {
      this.waiting.delete(stop);
    }
  }

  private refusal(channel: string, entry: Channel, error: unknown): Error {
    const text =
      error instanceof Error
        ? error.message
        : typeof (error as { message?: unknown })?.message === 'string'
          ? (error as { message: string }).message
          : String(error);
    if (/replayId/i.test(text)) {
      return new ReplayIdInvalidError(
        channel,
        entry.replayFrom,
        `Salesforce refused replay id ${entry.replayFrom} on ${channel}: ${text}`,
      );
    }
    if (/does(?: not|n['’]t) exist/i.test(text)) {
      return new UnknownChannelError(channel, `Salesforce does not stream ${channel}: ${text}`);
    }
    return error instanceof Error ? error : new Error(`Could not subscribe to ${channel}: ${text}`);
  }

  private ensureClient(): FayeClient {
    if (this.client) return this.client;
    const generation = ++this.generation;
    const replay = {
      // Salesforce's replay extension: `ext.replay = {channel: replayId}` on each subscribe, and
      // the replay id of every event received kept for the next one (after a reconnect).
      outgoing: (message: FayeMessage, callback: (m: FayeMessage) => void) => {
        if (message.channel === '/meta/subscribe' && typeof message.subscription === 'string') {
          const entry = this.channels.get(message.subscription);
          message.ext = {
            ...message.ext,
            replay: { [message.subscription]: entry?.replayFrom ?? -1 },
          };
        }
        callback(message);
      },
      incoming: (message: FayeMessage, callback: (m: FayeMessage) => void) => {
        if (generation === this.generation) this.observe(message);
        callback(message);
      },
    };
    const authFailure = new StreamingExtension.AuthFailure((message: FayeMessage) => {
      if (generation === this.generation) this.onAuthFailure(message);
    });
    const client = this.conn.streaming.createClient([authFailure, replay]);
    this.client = client;
    return client;
  }

  /** Keeps each channel's last replay id; notices a resubscription refused for its replay id. */
  private observe(message: FayeMessage): void {
    const replayId = message.data?.event?.replayId;
    const entry = message.channel ? this.channels.get(message.channel) : undefined;
    if (entry && typeof replayId === 'number') entry.replayFrom = replayId;
    if (
      message.channel === '/meta/subscribe' &&
      message.successful === false &&
      typeof message.subscription === 'string' &&
      /replayId/i.test(message.error ?? '') &&
      this.waiting.size === 0
    ) {
      // Faye's own resubscription after a new handshake (403::Unknown client) was refused:
      // nobody waits for it, so start again from new events on a new client.
      const channel = message.subscription;
      const gapEntry = this.channels.get(channel);
      if (gapEntry) this.gap(channel, gapEntry, message.error ?? '');
      this.reopen();
    }
  }

  private gap(channel: string, entry: Channel, text: string): void {
    const error = new ReplayIdInvalidError(
      channel,
      entry.replayFrom,
      `Salesforce refused replay id ${entry.replayFrom} on ${channel}: ${text}`,
    );
    entry.replayFrom = -1;
    this.logger.warn(
      `${error.message} Events on ${channel} after that id may have been missed; going on with new events.`,
    );
    entry.onGap?.(error);
  }

  /** Abandons the current client: disconnects it and stops whatever it still has in flight. */
  private async dropClient(reason: Error): Promise<void> {
    const client = this.client;
    this.client = null;
    this.generation++;
    for (const stop of [...this.waiting]) stop(reason);
    this.waiting.clear();
    if (!client) return;
    const faye = client as unknown as {
      disconnect(): PromiseLike<unknown> | undefined;
      _dispatcher?: {
        _envelopes?: Map<string, { timer?: NodeJS.Timeout | null }>;
        close(): void;
      };
    };
    try {
      const disconnected = faye.disconnect();
      if (disconnected) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.resolve(disconnected).then(
            () => undefined,
            () => undefined,
          ),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000))),
        ]);
        clearTimeout(timer);
      }
    } catch {
      // already gone
    }
    // Faye retries unanswered messages for ever (the org may be gone): stop them.
    const dispatcher = faye._dispatcher;
    for (const envelope of dispatcher?._envelopes?.values() ?? []) {
      if (envelope.timer) clearTimeout(envelope.timer);
      envelope.timer = null;
    }
    dispatcher?._envelopes?.clear();
    dispatcher?.close();
  }

  /**
   * The org ended the client with `advice.reconnect = none` (jsforce's AuthFailure extension): an
   * invalid session (`401::…`, or `403::Handshake denied` for that reason), or a refusal such as an
   * exhausted delivery allocation (`403::Organization total events daily limit exceeded`).
   */
  private onAuthFailure(message: FayeMessage): void {
    const failureReason = (message.ext?.sfdc as { failureReason?: string } | undefined)
      ?.failureReason;
    const error = message.error ?? 'refused';
    const session = /^401::/.test(failureReason ?? error);
    const text = failureReason ? `${error} (${failureReason})` : error;
    void this.dropClient(
      new Error(
        session
          ? `The Salesforce session is no longer valid: ${text}`
          : `Salesforce refused the streaming client: ${text}`,
      ),
    );
    if (this.closed || this.reopening) return;
    const live = [...this.channels].filter(([, c]) => c.live).map(([channel]) => channel);
    if (live.length === 0) return;
    if (session) {
      this.logger.error(
        `The Salesforce session is no longer valid (${text}): no events from ${live.join(', ')} ` +
          (this.options.relogin
            ? 'until a new session is obtained; logging in again.'
            : 'until the connector is restarted with a valid login.'),
      );
    } else {
      this.logger.error(
        `Salesforce refused the streaming client (${text}): no events from ${live.join(', ')} ` +
          `until it accepts it again; trying again in ${Math.round(this.retryMs / 1000)} s, then ` +
          'less and less often. Nothing is lost within the 72-hour retention window.',
      );
    }
    this.reopen(session, !session);
  }

  /** Opens every channel again on a new client, from its last replay id, until it works. */
  private reopen(relogin = false, pauseFirst = false): void {
    if (this.reopening || this.closed) return;
    void this.dropClient(new Error('Reconnecting.'));
    this.reopening = this.reopenLoop(relogin, pauseFirst).finally(() => {
      this.reopening = null;
    });
  }

  private async reopenLoop(relogin: boolean, pauseFirst: boolean): Promise<void> {
    let wait = this.retryMs;
    if (pauseFirst) {
      await sleep(wait, { unref: true });
      wait = Math.min(wait * 2, MAX_RETRY_MS);
    }
    for (let attempt = 1; !this.closed; attempt++) {
      if (relogin) {
        try {
          await this.options.relogin?.();
        } catch (error) {
          this.logger.warn(
            { err: error },
            `Could not log in to Salesforce again: ${(error as Error).message}`,
          );
        }
      }
      if (this.closed) return;
      const entries = [...this.channels].filter(([, c]) => c.live);
      const results = await Promise.allSettled(
        entries.map(([channel, entry]) => this.open(channel, entry)),
      );
      let retry = false;
      let pause = false;
      for (const [i, result] of results.entries()) {
        if (result.status === 'fulfilled') continue;
        const [channel, entry] = entries[i]!;
        if (result.reason instanceof ReplayIdInvalidError) {
          this.gap(channel, entry, result.reason.message);
          retry = true;
        } else if (result.reason instanceof UnknownChannelError) {
          this.channels.delete(channel);
          this.logger.error(result.reason.message);
        } else {
          retry = true;
          pause = true;
        }
      }
      if (!retry) {
        if (relogin || pauseFirst) {
          this.logger.info(
            `${relogin ? 'Salesforce session valid again' : 'Salesforce accepts the streaming client again'}: events resumed on ${entries
              .map(([channel, entry]) => `${channel} after replay id ${entry.replayFrom}`)
              .join(', ')}.`,
          );
        }
        return;
      }
      void this.dropClient(new Error('Reconnecting.'));
      if (!pause) continue;
      this.logger.debug(`Streaming reconnect attempt ${attempt} failed; next in ${wait} ms.`);
      await sleep(wait, { unref: true });
      wait = Math.min(wait * 2, MAX_RETRY_MS);
    }
  }
}

/**
 * The subscriber for an org: CometD through jsforce's streaming client, for every org. After an
 * invalid session it logs in again through `org.relogin` when the org was reached through a
 * renewable login.
 */
export function subscriberFor(org: OrgTarget, logger: Logger): Subscriber {
  return new StreamingSubscriber(org.client.conn, logger, { relogin: org.relogin });
}
