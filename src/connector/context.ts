/**
 * What the worker reads from the org besides events: the admin's settings, the status mappings,
 * business hours and the users (for agent attribution by e-mail). Read once, then refreshed after
 * `ttlMs` or when `invalidate()` is called (e.g. on a settings change event), so a change in
 * Lightning takes effect without a restart and costs a handful of queries, not one per batch.
 *
 * Processes sharing a PostgreSQL inbox share the snapshot too (`Inbox.sharedState`): a process
 * whose copy expired first reads the one another process stored, and asks the org only when that
 * one is as old as the TTL as well, so N processes refresh no more often than one.
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
import type { SharedState } from '../inbox/inbox';
import type { SalesforceClient, SalesforceRecord } from '../salesforce/client';
import {
  detectPersonAccounts,
  personAccountSettingsProblem,
  personRecordTypeFor,
  type PersonAccounts,
} from '../salesforce/person-accounts';
import { systemClock, type Clock } from '../util/clock';

export const SETTINGS_SOQL =
  'SELECT Id, Log_Calls__c, Business_Hours_Id__c, Unknown_Number_Action__c, Match_Order__c, ' +
  'Multiple_Matches__c, Save_To_Phone__c, Recording_Destination__c, Voicemail_Destination__c, ' +
  'Omni_Mapping_Mode__c, Extra_Phone_Fields__c, Default_Country__c, Link_To_Open_Case__c, ' +
  'Link_To_Open_Opportunity__c, Create_Case_For__c, Case_Owner__c, Created_Record_Owner__c, Created_Lead_Source__c, Person_Account_Record_Type__c, Activity_Task__c, ' +
  'Answered_Inbound_Action__c, Answered_Outbound_Action__c, Missed_Inbound_Action__c, Voicemail_Action__c, ' +
  'Unanswered_Outbound_Action__c, Only_Log_Matched_Numbers__c, Skip_Internal_Calls__c, Task_Subject_Template__c, ' +
  'Follow_Up_Owner_Id__c, Callback_Window_Hours__c, LastModifiedDate FROM Aircall_Settings__c ' +
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
export const ORGANIZATION_SOQL = 'SELECT LanguageLocaleKey FROM Organization LIMIT 1';
export const USERS_SOQL = 'SELECT Id, Email, Aircall_User_Id__c FROM User WHERE IsActive = true';
export const PRESENCE_STATUSES_SOQL =
  'SELECT Id, DeveloperName, MasterLabel FROM ServicePresenceStatus';

/** The org's Omni-Channel statuses are re-read every this many settings refreshes. */
const STATUSES_EVERY = 10;

/** Where processes sharing an inbox keep the snapshot (`Inbox.sharedState`). */
const SNAPSHOT_KEY = 'org-context';

/** What the org answered, as stored for the other processes (the context is built from it). */
interface Snapshot {
  settings: SalesforceRecord[];
  mappings: SalesforceRecord[];
  hours: SalesforceRecord[];
  holidays: SalesforceRecord[];
  users: { Id: string; Email: string | null; AircallUserId?: string | null }[];
  statuses: PresenceStatus[] | null;
  statusesLoadedAt: number | null;
  /** Organization.LanguageLocaleKey (read with the statuses); absent in older snapshots. */
  language?: string | null;
}

export interface OrgContext {
  settings: Settings;
  settingsWarnings: string[];
  settingsRecordId: string | null;
  statusMappings: StatusMapping[];
  businessHours: BusinessHoursModel;
  users: SalesforceUser[];
  /** The org's Omni-Channel statuses; undefined when they cannot be read (no Omni-Channel). */
  presenceStatuses: PresenceStatus[] | undefined;
  /** The org's default language (`Organization.LanguageLocaleKey`), for the words of Task subjects. */
  language: string | undefined;
  /** The org's Person Accounts (detected at the first read); null when not enabled. */
  personAccounts: PersonAccounts | null;
  loadedAt: number;
}

export class OrgContextLoader {
  private cached: OrgContext | null = null;
  private loading: Promise<OrgContext> | null = null;
  private warnedStatuses = false;
  private statuses: PresenceStatus[] | undefined = undefined;
  private language: string | undefined = undefined;
  private statusesLoadedAt: number | null = null;
  /**
   * Detected once per process (two requests): an org does not turn Person Accounts on or off while
   * calls come in (enabling them cannot be undone).
   */
  private personAccounts: PersonAccounts | null | undefined = undefined;
  /** Set by `invalidate()`: the next load asks the org, not the shared snapshot. */
  private mustAskOrg = false;

  constructor(
    private readonly client: SalesforceClient,
    private readonly logger: Logger,
    private readonly ttlMs = 60_000,
    /** The package check still to do before the first read (when the org was down at start). */
    private packageCheck?: () => Promise<unknown>,
    private readonly clock: Clock = systemClock,
    /** The snapshot shared with the other processes of a PostgreSQL inbox. */
    private readonly shared?: SharedState,
  ) {}

  invalidate(): void {
    this.cached = null;
    this.mustAskOrg = true;
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

  /** Another process's snapshot younger than the TTL, or null (none, too old, unreadable). */
  private async sharedSnapshot(now: number): Promise<{ snapshot: Snapshot; at: number } | null> {
    if (!this.shared || this.mustAskOrg) return null;
    try {
      const stored = await this.shared.get(SNAPSHOT_KEY);
      if (!stored || now - stored.at >= this.ttlMs || stored.at > now + this.ttlMs) return null;
      return { snapshot: stored.value as Snapshot, at: stored.at };
    } catch (error) {
      this.logger.warn(
        { err: error },
        'Could not read the shared settings snapshot; asking the org.',
      );
      return null;
    }
  }

  private async load(now: number): Promise<OrgContext> {
    if (this.packageCheck) {
      await this.packageCheck();
      this.packageCheck = undefined;
    }
    if (this.personAccounts === undefined)
      this.personAccounts = await detectPersonAccounts(this.client);
    const stored = await this.sharedSnapshot(now);
    if (stored) {
      this.statuses = stored.snapshot.statuses ?? undefined;
      this.statusesLoadedAt = stored.snapshot.statusesLoadedAt;
      this.language = stored.snapshot.language ?? undefined;
      // Its age counts from when it was read from the org, so the deployment refreshes once a TTL.
      return this.build(stored.snapshot, stored.at);
    }
    this.mustAskOrg = false;
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
      { Id: string; Email: string | null; Aircall_User_Id__c?: string | null }[],
    ];
    if (
      this.statusesLoadedAt === null ||
      now - this.statusesLoadedAt >= STATUSES_EVERY * this.ttlMs
    ) {
      this.statuses = await this.presenceStatuses();
      this.statusesLoadedAt = now;
    }
    const snapshot: Snapshot = {
      settings: settingsRows,
      mappings: mappingRows,
      hours: hoursRows,
      holidays: holidayRows,
      users: userRows.map((u) => ({
        Id: u.Id,
        Email: u.Email,
        AircallUserId: u.Aircall_User_Id__c ?? null,
      })),
      statuses: this.statuses ?? null,
      statusesLoadedAt: this.statusesLoadedAt,
      language: this.language ?? null,
    };
    await this.shared?.put(SNAPSHOT_KEY, snapshot, now).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'Could not share the settings snapshot in the inbox.');
    });
    return this.build(snapshot, now);
  }

  private build(snapshot: Snapshot, loadedAt: number): OrgContext {
    const settingsRecord = snapshot.settings[0] ?? null;
    const parsed = parseSettings(settingsRecord);
    const warnings = parsed.warnings;
    const personAccounts = this.personAccounts ?? null;
    const settings = personAccounts
      ? {
          ...parsed.settings,
          personAccounts: true,
          personRecordTypeId:
            personRecordTypeFor(personAccounts, parsed.settings.personAccountRecordType)?.id ??
            null,
        }
      : parsed.settings;
    const mappings = parseStatusMappings(snapshot.mappings);
    const personProblem = personAccountSettingsProblem(
      personAccounts,
      parsed.settings.unknownNumberAction,
      parsed.settings.personAccountRecordType,
    );
    const allWarnings = [
      ...warnings,
      ...(personProblem ? [personProblem] : []),
      ...mappings.warnings,
    ];
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
      businessHours: buildBusinessHours(snapshot.hours, snapshot.holidays),
      users: snapshot.users,
      presenceStatuses: snapshot.statuses ?? undefined,
      language: snapshot.language ?? undefined,
      personAccounts,
      loadedAt,
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
      // The org's language rides in the same Composite (it changes as seldom).
      const [statusRows, orgRows] = await this.client.queryMany([
        PRESENCE_STATUSES_SOQL,
        ORGANIZATION_SOQL,
      ]);
      if (Array.isArray(orgRows)) {
        const key = (orgRows[0] as { LanguageLocaleKey?: unknown } | undefined)?.LanguageLocaleKey;
        this.language = typeof key === 'string' ? key : undefined;
      }
      if (!Array.isArray(statusRows))
        throw statusRows ?? new Error('No answer for the presence statuses query.');
      const rows = statusRows as unknown as {
        Id: string;
        DeveloperName: string;
        MasterLabel: string | null;
      }[];
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
