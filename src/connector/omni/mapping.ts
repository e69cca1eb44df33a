/**
 * From a rep's Omni-Channel status to their Aircall availability: the Salesforce user is matched to
 * the Aircall user by e-mail, the status to an availability by the settings' "Omni to Aircall"
 * rules (the engine's `aircallAvailabilityFor`), and the request is sent when the queue
 * (./queue.ts) gives it a slot. A change that echoes the phone side is not sent back.
 */
import type { Logger } from 'pino';
import {
  aircallAvailabilityFor,
  type AircallAvailability,
  type PresenceStatus,
} from '../../engine';
import type { SalesforceClient } from '../../salesforce/client';
import type { AircallApi } from '../../aircall/api';
import type { OrgContextLoader } from '../context';
import type { PhoneSide } from './phone-side';
import type { Desired } from './queue';
import { id15 } from './records';

export const STATUSES_SOQL = 'SELECT Id, DeveloperName FROM ServicePresenceStatus';

/** The part of the Aircall client the presence sync needs (the real one is `AircallApi`). */
export type PresenceAircall = Pick<AircallApi, 'listUsers' | 'setAvailability'>;

export interface OmniToAircallOptions {
  client: SalesforceClient;
  aircall: PresenceAircall;
  context: OrgContextLoader;
  logger: Logger;
  phoneSide: PhoneSide;
  /** How long the Aircall user directory is trusted. */
  directoryTtlMs: number;
  /** A request slot from the queue (false: the change is no longer wanted). */
  throttle(stillWanted?: () => boolean): Promise<boolean>;
  /** Told when a rep changes their Omni status by hand (not an echo of the phone side). */
  onManualChange?: (userId: string) => void;
}

export class OmniToAircall {
  private statusNames: Map<string, string> | null = null;
  private statusesLoadedAt = 0;
  private directory: Map<string, string> | null = null;
  private directoryLoadedAt = 0;
  private readonly reportedMissing = new Set<string>();

  constructor(private readonly options: OmniToAircallOptions) {}

  /** Sets the rep's Aircall availability for their new Omni status (or says why not). */
  async apply(userId: string, desired: Desired, stillWanted: () => boolean): Promise<void> {
    const { logger } = this.options;
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
      logger.warn(
        `Omni-Channel status ${desired.statusId} is not in ServicePresenceStatus; user ${userId}'s change is skipped.`,
      );
      return;
    }
    if (this.options.phoneSide.isEcho(userId, developerName)) {
      logger.debug(
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
      logger.debug(
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
    if (!(await this.options.throttle(stillWanted))) return;
    await this.options.aircall.setAvailability(
      aircallId,
      target.availability_status,
      target.substatus,
    );
    logger.info(
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
      age > this.options.directoryTtlMs ||
      (!this.directory.has(key) && age > 5 * 60_000)
    ) {
      const users = await this.options.aircall.listUsers({
        beforeRequest: async () => {
          await this.options.throttle();
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
