/**
 * What no batch waits for, done after its writes: the link sweep (links.ts, at most once every
 * `linkSweepEveryMs` for the whole deployment) and the refresh of an org context that expired (the
 * batch used the old one, see `OrgContextLoader.forBatch`). Before, both ran ahead of the batch's
 * writes and made an answer wait for up to three more round trips (`npm run bench:day` measured
 * where the time went). The sweep also reads the numbers agents remembered since its previous read
 * (remembered.ts), in its own VoiceCall query when it makes one.
 */
import type { Logger } from 'pino';
import type { Inbox } from '../inbox/inbox';
import type { SalesforceClient } from '../salesforce/client';
import type { Clock } from '../util/clock';
import type { OrgContextLoader } from './context';
import { sweepLinks, type SweepRider } from './links';
import type { RememberedNumbers } from './remembered';

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
  /** The numbers agents remembered: read with each sweep. */
  remembered?: RememberedNumbers;
}

export class Housekeeping {
  /** Whether the last batch was planned with an expired org context (refreshed after it). */
  private contextStale = false;
  private lastSweep = 0;
  /** The last sweep left due links behind (a backlog): the next batch sweeps again. */
  private linksBehind = false;

  constructor(private readonly deps: HousekeepingDeps) {}

  /** Notes that a batch used an expired org context. */
  contextExpired(): void {
    this.contextStale = true;
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
    const swept = await sweepLinks(
      inbox,
      client,
      logger,
      now,
      this.deps.linkRetryMs,
      await this.rememberedRead(now),
    );
    this.linksBehind = swept.more;
    await inbox.sharedState
      ?.put(SWEEP_KEY, { more: swept.more }, now)
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'Could not note the link sweep in the inbox.'),
      );
    return swept.linked;
  }

  /** The read of remembered numbers that rides with this sweep (alone only while worth it). */
  private async rememberedRead(now: number): Promise<SweepRider | undefined> {
    const { remembered, inbox, logger } = this.deps;
    if (!remembered) return undefined;
    const shared = inbox.sharedState;
    // Another process may have read last: continue from where it stopped.
    if (shared)
      await remembered.load(shared).catch((error: unknown) => {
        logger.warn({ err: error }, 'Could not read the remembered numbers noted in the inbox.');
      });
    return {
      soql: remembered.soql(),
      alone: remembered.worthAlone(now, shared !== undefined),
      done: async (answer) => {
        if (answer instanceof Error) {
          logger.warn(`Reading the numbers agents remembered postponed: ${answer.message}`);
          return;
        }
        const changed = remembered.apply(answer, now);
        if (changed.length > 0)
          logger.info({ numbers: changed.length }, 'Numbers remembered by agents read.');
        if (shared)
          await remembered.share(shared, now).catch((error: unknown) => {
            logger.warn({ err: error }, 'Could not note the remembered numbers in the inbox.');
          });
      },
    };
  }

  /**
   * Whether the link sweep is due: at most once every `linkSweepEveryMs` for the whole
   * deployment (processes sharing an inbox note the last sweep there, so N processes do not sweep N
   * times), or at once while the last one left due links behind.
   */
  private async sweepDue(now: number): Promise<boolean> {
    const every = this.deps.linkSweepEveryMs;
    if (!this.linksBehind && now - this.lastSweep < every) return false;
    const shared = this.deps.inbox.sharedState;
    if (shared) {
      // This process's own last sweep is never later than the deployment's: only read the shared
      // one when its own says a sweep is due.
      const last = await shared.get(SWEEP_KEY).catch(() => null);
      if (last && now - last.at < every) {
        const more = (last.value as { more?: unknown } | null)?.more === true;
        this.lastSweep = Math.max(this.lastSweep, last.at);
        this.linksBehind = more;
        // Another process swept: what it read of the remembered numbers applies here too.
        await this.deps.remembered?.load(shared).catch(() => undefined);
        if (!more) return false;
      }
    }
    this.lastSweep = now;
    return true;
  }
}
