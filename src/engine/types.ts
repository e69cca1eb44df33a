/** Inputs of the rules engine: settings, status mappings, business hours, matches, the batch. */
import type { AircallEvent, CallEvent, AiEvent, UserEvent } from '../aircall/schemas';
import type { CallSyncState, CreatedObject, CrmObject } from './plan';
import type { PicklistValue } from './picklists';
import type { CaseLanguage } from './case-text';
import type { CallState } from './fold';

export type LogCalls = PicklistValue<'Aircall_Settings__c.Log_Calls__c'>;
export type UnknownNumberAction = PicklistValue<'Aircall_Settings__c.Unknown_Number_Action__c'>;
export type MultipleMatches = PicklistValue<'Aircall_Settings__c.Multiple_Matches__c'>;
export type Destination = PicklistValue<'Aircall_Settings__c.Recording_Destination__c'>;
export type OmniMappingMode = PicklistValue<'Aircall_Settings__c.Omni_Mapping_Mode__c'>;
export type CreateCaseFor = PicklistValue<'Aircall_Settings__c.Create_Case_For__c'>;
export type ActivityTask = PicklistValue<'Aircall_Settings__c.Activity_Task__c'>;
export type CallTypeAction = PicklistValue<'Aircall_Settings__c.Answered_Inbound_Action__c'>;
/** The kinds of call an admin sets an action for (one `*_Action__c` setting each). */
export type CallCategory =
  'answeredInbound' | 'answeredOutbound' | 'missedInbound' | 'voicemail' | 'unansweredOutbound';

/** The org's `Aircall_Settings__c` record, validated. */
export interface Settings {
  logCalls: LogCalls;
  /** A BusinessHours Id; null = the org's default business hours. */
  businessHoursId: string | null;
  unknownNumberAction: UnknownNumberAction;
  /** Which object wins when a number matches several kinds of record. */
  matchOrder: CrmObject[];
  multipleMatches: MultipleMatches;
  saveToPhone: boolean;
  recordingDestination: Destination;
  voicemailDestination: Destination;
  omniMappingMode: OmniMappingMode;
  /** Custom phone fields searched and confirmed besides the standard ones (`Extra_Phone_Fields__c`). */
  extraPhoneFields: Record<CrmObject, string[]>;
  /**
   * ISO 3166-1 alpha-2 code a stored number without country code is read in when its record names
   * no country (`Default_Country__c`); null = the country of the Aircall line that took the call.
   */
  defaultCountry: string | null;
  /**
   * The org has Person Accounts (read from its Account describe by the connector, not from the
   * settings record): Accounts' person phone fields are searched, and a Person Account matches as a
   * Contact and as an Account.
   */
  personAccounts?: boolean;
  /**
   * `Person_Account_Record_Type__c`: the DeveloperName or Id of the person record type of the
   * Person Accounts created for unknown numbers; null = the org's default person record type.
   */
  personAccountRecordType: string | null;
  /**
   * The Id of that record type in this org, resolved by the connector from the org's person record
   * types (not from the settings record); absent or null = no Person Account can be created.
   */
  personRecordTypeId?: string | null;
  /** Link a call to the matched person's most recently modified open Case (`Link_To_Open_Case__c`). */
  linkToOpenCase: boolean;
  /**
   * Link a call to the matched Account's, or the matched Contact's (through contact roles), most
   * recently modified open Opportunity (`Link_To_Open_Opportunity__c`).
   */
  linkToOpenOpportunity: boolean;
  /** Which unanswered inbound calls get a Case of their own (`Create_Case_For__c`). */
  createCaseFor: CreateCaseFor;
  /**
   * Owner of the Cases created (`Case_Owner__c`): a User (005…) or Queue (00G…) Id, or null for the
   * org's case assignment rules.
   */
  caseOwnerId: string | null;
  /** Who owns a Lead, Contact or Account created for an unknown number (`Created_Record_Owner__c`). */
  createdRecordOwner: PicklistValue<'Aircall_Settings__c.Created_Record_Owner__c'>;
  /** Lead Source (Account Source) of those records (`Created_Lead_Source__c`); null = not set. */
  createdLeadSource: string | null;
  /** `Activity_Task__c`: a completed call Task per logged call (Activity timeline), or none. */
  activityTask: ActivityTask;
  /** What happens to each kind of call (`*_Action__c`); the Log Calls rule decides first. */
  callTypeActions: Record<CallCategory, CallTypeAction>;
  /** `Only_Log_Matched_Numbers__c`: calls whose number matches no record are not logged. */
  onlyMatchedNumbers: boolean;
  /** `Skip_Internal_Calls__c`: calls between two Aircall lines are not logged. */
  skipInternalCalls: boolean;
  /** `Task_Subject_Template__c`; null = the words of the org's language (Custom Labels). */
  taskSubjectTemplate: string | null;
  /** `Follow_Up_Owner_Id__c`: a User (005…) or queue (00G…) owning follow-up Tasks nobody else owns. */
  followUpOwnerId: string | null;
  /** `Callback_Window_Hours__c`: an answered call with the same number this soon closes a follow-up. */
  callbackWindowHours: number;
}

export type PhoneEvent = PicklistValue<'Aircall_Status_Mapping__c.Phone_Event__c'>;

/** One `Aircall_Status_Mapping__c` rule. */
export interface StatusMapping {
  id?: string;
  direction: PicklistValue<'Aircall_Status_Mapping__c.Direction__c'>;
  omniStatus: string;
  aircallAvailability: PicklistValue<'Aircall_Status_Mapping__c.Aircall_Availability__c'> | null;
  aircallSubstatus: string | null;
  phoneEvent: PhoneEvent | null;
}

/** Minutes from local midnight; end may be <= start for a window running past midnight. */
export interface DayWindow {
  startMinute: number;
  endMinute: number;
}

export interface HolidayRule {
  /** yyyy-MM-dd in the calendar's time zone (first occurrence for a recurring holiday). */
  date: string;
  allDay: boolean;
  startMinute: number;
  endMinute: number;
  /** Yearly on the same month/day (RecurrenceType RecursYearly). */
  recursYearly: boolean;
}

export interface BusinessHoursCalendar {
  id: string;
  name: string;
  timeZone: string;
  isDefault: boolean;
  isActive: boolean;
  /** Index 1 = Monday … 7 = Sunday (luxon weekday); index 0 unused; null = closed. */
  week: (DayWindow | null)[];
  holidays: HolidayRule[];
}

export interface BusinessHoursModel {
  byId: Map<string, BusinessHoursCalendar>;
  defaultId: string | null;
}

/** A Contact / Lead / Account that shares a phone number with a call. */
export interface CrmCandidate {
  sobject: CrmObject;
  id: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Contact.AccountId, so a Contact match also links its Account. */
  accountId: string | null;
  /** A Person Account's person contact (`PersonContactId`); absent for every other record. */
  personContactId?: string | null;
  company: string | null;
  lastModifiedDate: string | null;
  createdDate: string | null;
  /** How its stored numbers were read to match this call's number (set by consumeSearch). */
  readings?: StoredNumberReading[];
  /** An agent remembered the number for this record (Aircall_Number_Link__c): it links first. */
  remembered?: boolean;
}

/**
 * How a stored phone number was read:
 * - `international`: written with `+` or `00`, so no country was needed;
 * - `record`: in the country the record's address names;
 * - `default`: in the org's Default Country setting (the record names no country);
 * - `line`: in the country of the Aircall line that took the call (no country on the record and
 *   no Default Country set);
 * - `caller`: in the caller's country, because it is not a valid number in the country chosen by
 *   `record`, `default` or `line` (that first reading is in `chosen`); it links only the caller
 *   whose number it is equal to;
 * - `none`: not read at all (no country known), so it matches nothing.
 */
export type ReadingSource = 'international' | 'record' | 'default' | 'line' | 'caller' | 'none';

/** One stored phone number of a searched record, as it was read for matching. */
export interface StoredNumberReading {
  field: string;
  /** The value as stored on the record. */
  value: string;
  /** ISO 3166-1 alpha-2 code it was read in (for `international`, the country it belongs to). */
  country: string | null;
  source: ReadingSource;
  /** Why that country, for people: `its MailingCountry is "France"`. */
  why: string;
  /** What it reads as; null when it is not a valid number in that country. */
  e164: string | null;
  /** For `caller`: the country it was read in first, where it is not a valid number, and why. */
  chosen?: { country: string; source: 'record' | 'default' | 'line'; why: string };
}

/** E.164 → every record whose phone fields normalize to it (confirmed in code, not by SOSL alone). */
export type MatchIndex = Map<string, CrmCandidate[]>;

/** An open Case of a matched person (`Case WHERE IsClosed = false`). */
export interface OpenCase {
  id: string;
  contactId: string | null;
  accountId: string | null;
  lastModifiedDate: string;
}

/** An open Opportunity of a matched Account, or of a matched Contact through its contact roles. */
export interface OpenOpportunity {
  id: string;
  accountId: string | null;
  /** Contacts with a role on it (OpportunityContactRole), among the batch's matched Contacts. */
  contactIds: string[];
  lastModifiedDate: string;
}

/** The open Cases and Opportunities of the batch's matched records (one query per batch). */
export interface OpenRecords {
  cases: OpenCase[];
  opportunities: OpenOpportunity[];
}

/** A CRM record the connector created earlier for an unknown number (reused before search sees it). */
export interface KnownRecord {
  sobject: CreatedObject;
  id?: string;
}

/** One Omni-Channel `ServicePresenceStatus` of the org. */
export interface PresenceStatus {
  id: string;
  developerName: string;
  label: string;
}

/** The Omni status last published for a rep from the phone side, and the call it was for. */
export interface PublishedAgentStatus {
  omniStatus: string;
  callId: string | null;
  /** The phone state it came from: the agent's Aircall_Agent_State__c shows it. */
  phoneEvent?: PhoneEvent;
}

export interface SalesforceUser {
  Id: string;
  Email: string | null;
  /** `User.Aircall_User_Id__c`: the Aircall user this User is, whatever the two e-mails say. */
  AircallUserId?: string | null;
}

/** One Aircall call touched by the batch: every event stored for it so far. */
export interface CallInput {
  callId: string;
  /** call.* and AI events of this call, already parsed; duplicates and any order are fine. */
  events: (CallEvent | AiEvent)[];
  /** What has already been written for this call; undefined for a call never planned before. */
  sync?: CallSyncState | undefined;
  /**
   * `foldCall(callId, events)` when the caller folded the events already (the connector does, to
   * know the call's number), so they are not folded twice; folded by the planner when absent.
   */
  state?: CallState | null | undefined;
}

export interface BatchInput {
  calls: CallInput[];
  /** user.* events of the batch (agent status). */
  userEvents: UserEvent[];
  settings: Settings;
  statusMappings: StatusMapping[];
  businessHours: BusinessHoursModel;
  matches: MatchIndex;
  users: SalesforceUser[];
  known: Map<string, KnownRecord>;
  callCenterApiName: string;
  now: Date;
  /**
   * The org's presence statuses. With them, Default mode publishes only statuses the org has (its
   * Available/Online one and one named Busy); without them (older callers) it names Online and
   * Busy as before.
   */
  presenceStatuses?: readonly PresenceStatus[] | undefined;
  /**
   * What was last published per Salesforce user id: a rep's status event that would repeat it is
   * left out of the plan (a new call's Ringing/In Call is always sent, it marks the rep on a call).
   */
  publishedAgentStatus?: ReadonlyMap<string, PublishedAgentStatus> | undefined;
  /**
   * The open Cases and Opportunities of the records the batch's numbers match, read when a link
   * setting is on and some call has not chosen its Case / Opportunity yet (`needsOpenRecords`).
   * Undefined: not read, so no call chooses in this plan (it does at its next one).
   */
  openRecords?: OpenRecords | undefined;
  /** Language of the texts of created Cases (the org's language); default English. */
  caseLanguage?: CaseLanguage | undefined;
  /**
   * E.164 numbers of the Aircall account's own lines (besides those of the batch's calls), so a
   * call between two of them is known as internal (`Skip_Internal_Calls__c`).
   */
  aircallLines?: ReadonlySet<string> | undefined;
  /** Open follow-up Tasks by customer E.164, for closing them when the number is called back. */
  openFollowUps?: ReadonlyMap<string, readonly OpenFollowUp[]> | undefined;
  /** The org's language (`Organization.LanguageLocaleKey`, e.g. `es`), for Task subjects. */
  language?: string | undefined;
}

/** A follow-up Task opened for a call and not closed yet. */
export interface OpenFollowUp {
  /** The call it was opened for. */
  callId: string;
  /** Its Task's id, when recorded. */
  taskId: string | null;
  /** When the call it follows up ended (Unix seconds). */
  openedAt: number;
  /** The kind of call it follows up, and the customer's number. */
  category: CallCategory;
  e164: string | null;
}

export type { AircallEvent };
