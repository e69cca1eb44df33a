/**
 * What no batch waits for, done after its writes: the link sweep (links.ts, at most once every
 * `linkSweepEveryMs` for the whole deployment) and the refresh of an org context that expired (the
 * batch used the old one, see `OrgContextLoader.forBatch`). The sweep also runs early, once the
 * links this process added are due, when the inbox holds no pending event (see `sweepDue`). Before, both ran ahead of the batch's
 * writes and made an answer wait for up to three more round trips (`npm run bench:day` measured
 * where the time went).
 */
import type { Logger } from 'pino';
import type { Inbox } from '../inbox/inbox';
import type { SalesforceClient } from '../salesforce/client';
import type { Clock } from '../util/clock';
import type { OrgContextLoader } from './context';
import { sweepLinks } from './links';

/** Where processes sharing an inbox note the last link sweep (`Inbox.sharedState`). */
const SWEEP_KEY = 'link-sweep';

export interface HousekeepingDeps {
  inbox: Inbox;
  client: SalesforceClient;
  context: OrgContextLoader;
  logger: Logger;
  clock: Clock;
  linkRetryMs: number;
  linkSweepEveryMs: number;
}

export class Housekeeping {
  /** Whether the last batch was planned with an expired org context (refreshed after it). */
  private contextStale = false;
  private lastSweep = 0;
  /** The last sweep left due links behind (a backlog): the next batch sweeps again. */
  private linksBehind = false;
  /** When the earliest link this process added since its last sweep is due (null: none waits). */
  private ownLinksDueAt: number | null = null;
  /** When sweepDue may next ask the inbox whether it is empty. */
  private nextQuietLook = 0;

  constructor(private readonly deps: HousekeepingDeps) {}

  /** Notes that a batch used an expired org context. */
  contextExpired(): void {
    this.contextStale = true;
  }

  /** Notes that this process added links due at `dueAt`. */
  linksAdded(dueAt: number): void {
    this.ownLinksDueAt = Math.min(this.ownLinksDueAt ?? Infinity, dueAt);
  }

  /** Refreshes an expired context, and sweeps links when due; the number of records linked. */
  async run(now: number): Promise<number | undefined> {
    const { context, logger, inbox, client, clock } = this.deps;
    if (this.contextStale) {
      this.contextStale = false;
      await context.get(clock.now()).catch((error: unknown) => {
        logger.warn({ err: error }, 'Org context refresh failed; retried at next batch.');
      });
    }
    if (!(await this.sweepDue(now))) return undefined;
    const swept = await sweepLinks(inbox, client, logger, now, this.deps.linkRetryMs);
    this.linksBehind = swept.more;
    if (this.ownLinksDueAt !== null && this.ownLinksDueAt <= now) this.ownLinksDueAt = null;
    await inbox.sharedState
      ?.put(SWEEP_KEY, { more: swept.more }, now)
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'Could not note the link sweep in the inbox.'),
      );
    return swept.linked;
  }

  /**
   * Whether the link sweep is due: at most once every `linkSweepEveryMs` for the whole
   * deployment (processes sharing an inbox note the last sweep there, so N processes do not sweep N
   * times), or at once while the last one left due links behind.
   */
  private async sweepDue(now: number): Promise<boolean> {
    const every = this.deps.linkSweepEveryMs;
    if (!this.linksBehind && now - this.lastSweep < every) {
      // Early: links this process added are due and the inbox holds no pending event (no call in
      // progress, nothing held). The interval exists so that the calls ending meanwhile share the
      // sweep's query; with nothing in progress the next tick would sweep these same links, so
      // sweeping them now costs no more — and under load the inbox is never empty. Looked at once
      // a second at most.
      const ownDue = this.ownLinksDueAt !== null && this.ownLinksDueAt <= now;
      if (!ownDue || now < this.nextQuietLook) return false;
      this.nextQuietLook = now + 1000;
      if ((await this.deps.inbox.oldestPendingAt()) !== null) return false;
      this.lastSweep = now;
      return true;
    }
    const shared = this.deps.inbox.sharedState;
    if (shared) {
      // This process's own last sweep is never later than the deployment's: only read the shared
      // one when its own says a sweep is due.
      const last = await shared.get(SWEEP_KEY).catch(() => null);
      if (last && now - last.at < every) {
        const more = (last.value as { more?: unknown } | null)?.more === true;
        this.lastSweep = Math.max(this.lastSweep, last.at);
        this.linksBehind = more;
        if (!more) return false;
      }
    }
    this.lastSweep = now;
    return true;
  }
}
