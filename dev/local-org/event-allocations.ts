/**
 * The org's platform event allocations, counted the way Salesforce counts them.
 *
 * Platform Events Developer Guide, "Platform Event Allocations" (API 66.0/67.0):
 *
 * - **Event publishing**: event messages published in the last hour (rolling), every publishing
 *   method included — 250,000 on Performance, Unlimited and Enterprise, 50,000 on Developer
 *   Edition. Past it "the publish call fails with the LIMIT_EXCEEDED error … the events aren't
 *   published or queued". Reported by `/limits` as `HourlyPublishedPlatformEvents`.
 * - **Event delivery**: event messages delivered in the last 24 hours (rolling) to CometD and
 *   Pub/Sub API clients, empApi components and event relays, **counted for each subscribed
 *   client** and shared between high-volume platform events and Change Data Capture events —
 *   50,000 on Performance/Unlimited, 25,000 on Enterprise (and Professional with the API add-on),
 *   10,000 on Developer Edition. Apex triggers and flows do not count. Past it "an error is
 *   returned and the subscription is disconnected": a CometD client gets
 *   `403::Organization total events daily limit exceeded` on `/meta/connect`. Reported as
 *   `DailyDeliveredPlatformEvents`.
 * - **Concurrent CometD clients** across all channels and event types — 2,000 on
 *   Performance/Unlimited, 1,000 on Enterprise, 20 on Developer and Professional. Each logged-in
 *   user of empApi is one client (tabs share it). A client past it "receives an error and can't
 *   subscribe": `403::Organization concurrent user limit exceeded` (Streaming API Developer Guide,
 *   "Streaming API Error Codes"). Reported as `DurableStreamingApiConcurrentClients` (durable
 *   streaming, API 37.0 and later — REST API Developer Guide, "Limits").
 *
 * The module is pure bookkeeping with an injectable clock; the local org asks it before publishing
 * an event, before delivering one to a subscriber and when a streaming client connects.
 */

export const PUBLISH_LIMIT_MESSAGE =
  'The number of published platform event messages exceeded the hourly publishing limit.';
export const DELIVERY_LIMIT_ERROR = '403::Organization total events daily limit exceeded';
export const CLIENT_LIMIT_ERROR = '403::Organization concurrent user limit exceeded';

export interface EventAllocationLimits {
  /** Event messages published per rolling hour (`HourlyPublishedPlatformEvents`). */
  hourlyPublished: number;
  /** Event messages delivered per rolling 24 hours, all subscribed clients together (`DailyDeliveredPlatformEvents`). */
  dailyDelivered: number;
  /** Concurrent streaming clients (`DurableStreamingApiConcurrentClients`). */
  concurrentClients: number;
}

export type Edition = 'Performance' | 'Unlimited' | 'Enterprise' | 'Professional' | 'Developer';

/** Default allocations without add-on licences (Platform Events Developer Guide, "Platform Event Allocations"). */
export const EDITION_ALLOCATIONS: Readonly<Record<Edition, EventAllocationLimits>> = {
  Performance: { hourlyPublished: 250_000, dailyDelivered: 50_000, concurrentClients: 2_000 },
  Unlimited: { hourlyPublished: 250_000, dailyDelivered: 50_000, concurrentClients: 2_000 },
  Enterprise: { hourlyPublished: 250_000, dailyDelivered: 25_000, concurrentClients: 1_000 },
  Professional: { hourlyPublished: 250_000, dailyDelivered: 25_000, concurrentClients: 20 },
  Developer: { hourlyPublished: 50_000, dailyDelivered: 10_000, concurrentClients: 20 },
};

const MINUTE = 60_000;

/** A count over a rolling window, kept in one-minute buckets. */
export class RollingCount {
  private readonly buckets = new Map<number, number>();
  private total = 0;

  constructor(private readonly windowMinutes: number) {}

  private evict(now: number): void {
    const oldest = Math.floor(now / MINUTE) - this.windowMinutes;
    for (const [minute, n] of this.buckets) {
      if (minute > oldest) break;
      this.buckets.delete(minute);
      this.total -= n;
    }
  }

  used(now: number): number {
    this.evict(now);
    return this.total;
  }

  add(now: number, n = 1): void {
    const minute = Math.floor(now / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + n);
    this.total += n;
  }
}

export type Refusal = { ok: false; error: string };

export class EventAllocations {
  /** The allocations in force (mutable: the local org can change them, see setEventAllocations). */
  readonly limits: EventAllocationLimits;
  private readonly published = new RollingCount(60);
  private readonly delivered = new RollingCount(24 * 60);
  /** Deliveries per client over the 24-hour window, for usage reports. */
  private readonly deliveredTo = new Map<string, RollingCount>();
  private readonly clients = new Set<string>();

  constructor(
    limits: Partial<EventAllocationLimits> | Edition = 'Enterprise',
    private readonly clock: () => number = Date.now,
  ) {
    const base = EDITION_ALLOCATIONS.Enterprise;
    this.limits =
      typeof limits === 'string' ? { ...EDITION_ALLOCATIONS[limits] } : { ...base, ...limits };
  }

  /** Counts one published event, or refuses it (nothing is published or queued). */
  publish(): { ok: true } | Refusal {
    const now = this.clock();
    if (this.published.used(now) >= this.limits.hourlyPublished)
      return { ok: false, error: PUBLISH_LIMIT_MESSAGE };
    this.published.add(now);
    return { ok: true };
  }

  /**
   * Counts one event delivered to a subscribed client, or refuses it: the caller then disconnects
   * that client with DELIVERY_LIMIT_ERROR. The event stays retained for a later replay.
   */
  deliver(clientId: string): { ok: true } | Refusal {
    const now = this.clock();
    if (this.delivered.used(now) >= this.limits.dailyDelivered)
      return { ok: false, error: DELIVERY_LIMIT_ERROR };
    this.delivered.add(now);
    let mine = this.deliveredTo.get(clientId);
    if (!mine) this.deliveredTo.set(clientId, (mine = new RollingCount(24 * 60)));
    mine.add(now);
    return { ok: true };
  }

  /** Whether a (re)connecting client would be refused for the delivery allocation. */
  deliveryExhausted(): boolean {
    return this.delivered.used(this.clock()) >= this.limits.dailyDelivered;
  }

  /** A streaming client connecting (handshake); an already connected client is not counted twice. */
  connect(clientId: string): { ok: true } | Refusal {
    if (this.clients.has(clientId)) return { ok: true };
    if (this.clients.size >= this.limits.concurrentClients)
      return { ok: false, error: CLIENT_LIMIT_ERROR };
    this.clients.add(clientId);
    return { ok: true };
  }

  disconnect(clientId: string): void {
    this.clients.delete(clientId);
  }

  usage(): {
    publishedLastHour: number;
    deliveredLast24h: number;
    deliveredByClient: Record<string, number>;
    clients: number;
  } {
    const now = this.clock();
    const byClient: Record<string, number> = {};
    for (const [id, count] of this.deliveredTo) {
      const n = count.used(now);
      if (n > 0) byClient[id] = n;
      else this.deliveredTo.delete(id);
    }
    return {
      publishedLastHour: this.published.used(now),
      deliveredLast24h: this.delivered.used(now),
      deliveredByClient: byClient,
      clients: this.clients.size,
    };
  }

  /** The entries `GET /limits` reports for these allocations. */
  limitsResource(): Record<
    | 'HourlyPublishedPlatformEvents'
    | 'DailyDeliveredPlatformEvents'
    | 'DurableStreamingApiConcurrentClients',
    { Max: number; Remaining: number }
  > {
    const u = this.usage();
    const entry = (max: number, used: number) => ({ Max: max, Remaining: Math.max(0, max - used) });
    return {
      HourlyPublishedPlatformEvents: entry(this.limits.hourlyPublished, u.publishedLastHour),
      DailyDeliveredPlatformEvents: entry(this.limits.dailyDelivered, u.deliveredLast24h),
      DurableStreamingApiConcurrentClients: entry(this.limits.concurrentClients, u.clients),
    };
  }
}
