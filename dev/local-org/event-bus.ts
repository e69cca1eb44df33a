/**
 * The local org's event bus: every platform event and change event gets a replay id and is kept
 * for the retention window, so a subscriber can come back with a stored replay id and get exactly
 * what it missed (Platform Events Developer Guide, "Platform Event Message Durability"; Change
 * Data Capture Developer Guide, "Change Event Storage and Delivery": both kept 72 hours).
 *
 * Replay ids grow with every event of the org (so they also grow within each channel, which is
 * all a subscriber may rely on: they are opaque and not contiguous — Streaming API Developer
 * Guide, "Message Durability"). A stored id is refused when events after it were already purged
 * (the subscriber would miss them silently), and when it is newer than any id this org handed out.
 *
 * Delivery (CometD in `cometd.ts`, the local SSE feed in the server) listens here.
 */

export const EVENT_RETENTION_MS = 72 * 3600_000;
/** Replay from the newest event on: only events published after subscribing. */
export const REPLAY_NEW = -1;
/** Replay every retained event, then new ones. */
export const REPLAY_ALL = -2;

export interface BusEvent {
  replayId: number;
  /** The channel the event was published on: `/event/X__e` or `/data/XChangeEvent`. */
  channel: string;
  payload: Record<string, unknown>;
  /** Stands for the Avro schema id a real org sends; stable per channel. */
  schema: string;
  publishedAt: number;
}

/** The message a subscriber of `channel` receives: `{channel, data: {schema, payload, event: {replayId}}}`. */
export interface StreamMessage {
  channel: string;
  data: {
    schema: string;
    payload: Record<string, unknown>;
    event: { replayId: number };
  };
}

export interface EventBusOptions {
  /** How long events are kept for replay (default 72 h). */
  retentionMs?: number;
  /** The clock retention is measured on (default Date.now); tests move it forward. */
  now?: () => number;
  /**
   * The last replay id handed out before this bus started (a file-backed org keeps it). Events of
   * an earlier run are not kept, so ids up to it count as purged.
   */
  lastReplayId?: number;
}

export class ReplayIdError extends Error {}

/** Whether a subscription channel receives an event published on `channel`. */
export function channelMatches(subscription: string, channel: string): boolean {
  if (subscription === channel) return true;
  // `/data/ChangeEvents` is the standard channel carrying every selected entity's change events.
  return subscription === '/data/ChangeEvents' && channel.startsWith('/data/');
}

/** The message shape a subscriber on `subscription` receives for `event`. */
export function messageFor(subscription: string, event: BusEvent): StreamMessage {
  return {
    channel: subscription,
    data: { schema: event.schema, payload: event.payload, event: { replayId: event.replayId } },
  };
}

function schemaIdFor(channel: string): string {
  // Stable and opaque, like the 22-character schema ids a real org sends.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < channel.length; i++) {
    h1 = Math.imul(h1 ^ channel.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ channel.charCodeAt(i), 2246822519) >>> 0;
  }
  return Buffer.from(`${h1.toString(16)}${h2.toString(16)}`)
    .toString('base64url')
    .slice(0, 22);
}

export class EventBus {
  readonly retentionMs: number;
  private readonly now: () => number;
  /** Retained events, oldest first (replay ids ascending). */
  private events: BusEvent[] = [];
  /** Per channel, the highest replay id purged from it. */
  private readonly purged = new Map<string, number>();
  /** Ids up to this one were handed out before this bus started and are not retained. */
  private readonly previousRun: number;
  private last: number;
  private readonly listeners = new Set<(event: BusEvent) => void>();

  constructor(options: EventBusOptions = {}) {
    this.retentionMs = options.retentionMs ?? EVENT_RETENTION_MS;
    this.now = options.now ?? Date.now;
    this.previousRun = options.lastReplayId ?? 0;
    this.last = this.previousRun;
  }

  /** The newest replay id handed out (0 before the first event). */
  get lastReplayId(): number {
    return this.last;
  }

  /** Assigns the next replay id, keeps the event and hands it to every listener. */
  publish(channel: string, payload: Record<string, unknown>): BusEvent {
    this.purge();
    const event: BusEvent = {
      replayId: ++this.last,
      channel,
      payload,
      schema: schemaIdFor(channel),
      publishedAt: this.now(),
    };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Calls `listener` for every event published from now on; returns the way to stop. */
  listen(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The retained events a new subscription on `subscription` receives first: none for -1, all for
   * -2, those after `replayId` otherwise. Throws ReplayIdError for an id outside the window.
   */
  replay(subscription: string, replayId: number): BusEvent[] {
    this.purge();
    if (replayId === REPLAY_NEW) return [];
    const matching = this.events.filter((e) => channelMatches(subscription, e.channel));
    if (replayId === REPLAY_ALL) return matching;
    if (!Number.isSafeInteger(replayId) || replayId < 0 || replayId > this.last) {
      throw new ReplayIdError(`replay id ${replayId} was never handed out by this org`);
    }
    if (replayId < this.purgedThrough(subscription)) {
      throw new ReplayIdError(`events after replay id ${replayId} are past the retention window`);
    }
    return matching.filter((e) => e.replayId > replayId);
  }

  /** Drops events older than the retention window. */
  purge(): void {
    const cutoff = this.now() - this.retentionMs;
    let n = 0;
    while (n < this.events.length && this.events[n]!.publishedAt <= cutoff) {
      const e = this.events[n]!;
      this.purged.set(e.channel, e.replayId);
      n++;
    }
    if (n > 0) this.events = this.events.slice(n);
  }

  private purgedThrough(subscription: string): number {
    let through = this.previousRun;
    for (const [channel, id] of this.purged) {
      if (channelMatches(subscription, channel) && id > through) through = id;
    }
    return through;
  }
}
