/**
 * The rate-limited queue of availability changes for Aircall. Aircall allows 60 requests a minute
 * per company, so changes are queued per rep and coalesced (only the latest status of a rep
 * matters), and requests are paced; a 429 waits for Aircall's reset. A transient failure is tried
 * again twice (after 2 s, then 4 s); nothing here throws: failures are logged and the change is
 * dropped.
 */
import type { Logger } from 'pino';
import { AircallApiError } from '../../aircall/api';
import { sleep, wakeableSleep } from '../../util/sleep';
import type { StatusChange } from './records';

/** A rep's change waiting to be sent. */
export interface Desired extends StatusChange {
  /** When the newest change for this rep arrived, and when the first unsent one did. */
  updatedAt: number;
  firstAt: number;
  /** Failed attempts so far (an Aircall 5xx, a network error, the org unreachable). */
  attempts: number;
}

export interface AvailabilityQueueOptions {
  /** Aircall requests a minute the queue may spend. */
  perMinute: number;
  /** A rep's change waits this long for a newer one before it is sent. */
  coalesceMs: number;
  logger: Logger;
  /**
   * Sends a rep's change (./mapping.ts); `stillWanted` tells, once a request slot is free,
   * whether no newer change of the rep replaced it meanwhile.
   */
  send(userId: string, desired: Desired, stillWanted: () => boolean): Promise<void>;
}

export class AvailabilityQueue {
  private readonly pending = new Map<string, Desired>();
  private readonly sent: number[] = [];
  private blockedUntil = 0;
  private pump: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly options: AvailabilityQueueOptions) {}

  /** The drain in progress, if any (settles when the queue is empty or stopped). */
  get busy(): Promise<void> | null {
    return this.pump;
  }

  enqueue(userId: string, change: StatusChange): void {
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

  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.pending.size > 0) {
      const now = Date.now();
      const { coalesceMs } = this.options;
      // The rep whose latest change has been quiet for coalesceMs (or has waited long enough).
      let next: [string, Desired] | null = null;
      let wait = Infinity;
      for (const entry of this.pending) {
        const readyAt = Math.min(
          entry[1].updatedAt + coalesceMs,
          entry[1].firstAt + 5 * coalesceMs,
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
        await this.options.send(userId, desired, () => this.pending.get(userId) === desired);
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

  /** Sleeps, waking early when a change arrives or the queue stops. */
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
  async throttle(stillWanted: () => boolean = () => true): Promise<boolean> {
    for (;;) {
      if (this.stopped) throw new Error('The presence sync stopped.');
      const now = Date.now();
      while (this.sent.length > 0 && this.sent[0]! <= now - 60_000) this.sent.shift();
      const until = Math.max(
        this.blockedUntil,
        this.sent.length >= this.options.perMinute ? this.sent[0]! + 60_000 : 0,
      );
      if (until <= now) {
        if (!stillWanted()) return false;
        this.sent.push(now);
        return true;
      }
      await sleep(Math.min(until - now, 1000));
    }
  }
}
