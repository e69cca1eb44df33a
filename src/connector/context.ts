/**
 * What the worker reads from the org besides events: the admin's settings, the status mappings,
 * business hours and the users (for agent attribution by e-mail). Read once, then refreshed after
 * `ttlMs` or when `invalidate()` is called (e.g. on a settings change event), so a change in
 * Lightning takes effect without a restart and costs a handful of queries, not one per batch.
 */
import type { Logger } from 'pino';
import {
  buildBusinessHours,
  parseSettings,
  parseStatusMappings,
  type BusinessHoursModel,
  type PresenceStatus,
  type SalesforceUser,
  type Settings,
  type StatusMapping,
} from '../engine';
import type { SalesforceClient, SalesforceRecord } from '../salesforce/client';
import { systemClock, type Clock } from '../util/clock';

export const SETTINGS_SOQL =
  'SELECT Id, Log_Calls__c, Business_Hours_Id__c, Unknown_Number_Action__c, Match_Order__c, ' +
  'Multiple_Matches__c, Save_To_Phone__c, Recording_Destination__c, Voicemail_Destination__c, ' +
  'Omni_Mapping_Mode__c, Extra_Phone_Fields__c, Default_Country__c, Link_To_Open_Case__c, ' +
  'Link_To_Open_Opportunity__c, Create_Case_For__c, Case_Owner__c, LastModifiedDate FROM Aircall_Settings__c ' +
  'ORDER BY LastModifiedDate DESC LIMIT 1';
export const MAPPINGS_SOQL =
  'SELECT Id, Direction__c, Omni_Status__c, Aircall_Availability__c, Aircall_Substatus__c, Phone_Event__c ' +
  'FROM Aircall_Status_Mapping__c';
export const BUSINESS_HOURS_SOQL =
  'SELECT Id, Name, IsDefault, IsActive, TimeZoneSidKey, MondayStartTime, MondayEndTime, TuesdayStartTime, ' +
  'TuesdayEndTime, WednesdayStartTime, WednesdayEndTime, ThursdayStartTime, ThursdayEndTime, FridayStartTime, ' +
  'FridayEndTime, SaturdayStartTime, SaturdayEndTime, SundayStartTime, SundayEndTime FROM BusinessHours ' +
  'WHERE IsActive = true';
export const HOLIDAYS_SOQL =
  'SELECT Id, Name, ActivityDate, IsAllDay, StartTimeInMinutes, EndTimeInMinutes, IsRecurrence, RecurrenceType ' +
  'FROM Holiday';
export const USERS_SOQL = 'SELECT Id, Email FROM User WHERE IsActive = true';
export const PRESENCE_STATUSES_SOQL =
  'SELECT Id, DeveloperName, MasterLabel FROM ServicePresenceStatus';

/** The org's Omni-Channel statuses are re-read every this many settings refreshes. */
const STATUSES_EVERY = 10;

export interface OrgContext {
  settings: Settings;
  settingsWarnings: string[];
  settingsRecordId: string | null;
  statusMappings: StatusMapping[];
  businessHours: BusinessHoursModel;
  users: SalesforceUser[];
  /** The org's Omni-Channel statuses; undefined when they cannot be read (no Omni-Channel). */
  presenceStatuses: PresenceStatus[] | undefined;
  loadedAt: number;
}

export class OrgContextLoader {
  private cached: OrgContext | null = null;
  private loading: Promise<OrgContext> | null = null;
  private warnedStatuses = false;
  private statuses: PresenceStatus[] | undefined = undefined;
  private statusesLoadedAt: number | null = null;

  constructor(
    private readonly client: SalesforceClient,
    private readonly logger: Logger,
    private readonly ttlMs = 60_000,
    /** The package check still to do before the first read (when the org was down at start). */
    private packageCheck?: () => Promise<unknown>,
    private readonly clock: Clock = systemClock,
  ) {}

  invalidate(): void {
    this.cached = null;
  }

  async get(now = this.clock.now()): Promise<OrgContext> {
    if (this.cached && now - this.cached.loadedAt < this.ttlMs) return this.cached;
    this.loading ??= this.load(now).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /**
   * The context for a worker batch, which must not wait for a refresh before its urgent writes:
   * the cached one while it is younger than the TTL, and also once it has expired if it is younger
   * than twice the TTL (`stale: true`; the worker then refreshes it with `get` after the batch's
   * writes, so the refresh costs the same requests and no batch waits for it). Never older than
   * twice the TTL, and after `invalidate()` (a settings change) the next batch reads it again.
   */
  async forBatch(now = this.clock.now()): Promise<{ context: OrgContext; stale: boolean }> {
    const cached = this.cached;
    if (cached && now - cached.loadedAt < this.ttlMs) return { context: cached, stale: false };
    if (cached && !this.loading && now - cached.loadedAt < 2 * this.ttlMs)
      return { context: cached, stale: true };
    return { context: await this.get(now), stale: false };
  }

  private async load(now: number): Promise<OrgContext> {
    if (this.packageCheck) {
      await this.packageCheck();
      this.packageCheck = undefined;
    }
    // The five reads ride in one Composite request (one API call); the org's Omni-Channel statuses,
    // which seldom change (and whose object an org without Omni-Channel lacks), are re-read every
    // STATUSES_EVERY refreshes.
    const [settingsRows, mappingRows, hoursRows, holidayRows, userRows] = (
      await this.client.queryMany([
        SETTINGS_SOQL,
        MAPPINGS_SOQL,
        BUSINESS_HOURS_SOQL,
        HOLIDAYS_SOQL,
        USERS_SOQL,
      ])
    ).map((result) => {
      if (result instanceof Error) throw result;
      return result;
    }) as [
      SalesforceRecord[],
      SalesforceRecord[],
      SalesforceRecord[],
      SalesforceRecord[],
      { Id: string; Email: string | null }[],
    ];
    if (
      this.statusesLoadedAt === null ||
      now - this.statusesLoadedAt >= STATUSES_EVERY * this.ttlMs
    ) {
      this.statuses = await this.presenceStatuses();
      this.statusesLoadedAt = now;
    }
    const statusRows = this.statuses;
    const settingsRecord = settingsRows[0] ?? null;
    const { settings, warnings } = parseSettings(settingsRecord);
    const mappings = parseStatusMappings(mappingRows);
    const allWarnings = [...warnings, ...mappings.warnings];
    for (const warning of allWarnings) this.logger.warn({ setting: true }, warning);
    if (!settingsRecord) {
      this.logger.info(
        'No Aircall_Settings__c record yet: using the defaults until an admin saves the settings.',
      );
    }
    const previous = this.cached;
    this.cached = {
      settings,
      settingsWarnings: allWarnings,
      settingsRecordId: settingsRecord?.Id ?? null,
      statusMappings: mappings.mappings,
      businessHours: buildBusinessHours(hoursRows, holidayRows),
      users: userRows.map((u) => ({ Id: u.Id, Email: u.Email })),
      presenceStatuses: statusRows,
      loadedAt: now,
    };
    if (previous && JSON.stringify(previous.settings) !== JSON.stringify(settings)) {
      this.logger.info(
        { settings },
        'Aircall settings changed; applying them from the next batch.',
      );
    }
    return this.cached;
  }

  /**
   * An org without Omni-Channel has no ServicePresenceStatus object: calls are still logged, and
   * Default mapping then names Online and Busy as it did before statuses were read.
   */
  private async presenceStatuses(): Promise<PresenceStatus[] | undefined> {
    try {
      const rows = await this.client.query<{
        Id: string;
        DeveloperName: string;
        MasterLabel: string | null;
      }>(PRESENCE_STATUSES_SOQL);
      return rows.map((r) => ({
        id: r.Id,
        developerName: r.DeveloperName,
        label: r.MasterLabel ?? r.DeveloperName,
      }));
    } catch (error) {
      if (!this.warnedStatuses) {
        this.warnedStatuses = true;
        this.logger.warn(
          { err: error },
          'Omni-Channel presence statuses could not be read: Default status mapping names Online ' +
            'and Busy. Enable Omni-Channel and let the integration user read Presence Statuses.',
        );
      }
      return undefined;
    }
  }
}
