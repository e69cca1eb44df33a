import type { CrmObject } from './plan';
import { PICKLIST_VALUES, type PicklistField } from './picklists';
import { countryCode } from './countries';
import type { CallCategory, CallTypeAction, Settings, StatusMapping } from './types';

const CRM_OBJECTS: readonly CrmObject[] = ['Contact', 'Lead', 'Account'];

/**
 * What a new admin gets before saving anything: every call logged, unknown callers become Leads
 * (what Aircall's own integration proposes first), Contact > Lead > Account with the most recently
 * modified record on a tie (docs/PLATFORM.md §3), recordings and voicemails on Aircall Voice (a link on
 * VoiceCall needs the media domain in Trusted URLs, which a new org does not have).
 */
export const DEFAULT_SETTINGS: Settings = Object.freeze({
  logCalls: 'Always',
  businessHoursId: null,
  unknownNumberAction: 'Create Lead',
  matchOrder: ['Contact', 'Lead', 'Account'],
  multipleMatches: 'Most Recently Modified',
  saveToPhone: false,
  recordingDestination: 'Aircall Voice',
  voicemailDestination: 'Aircall Voice',
  omniMappingMode: 'Default',
  extraPhoneFields: { Contact: [], Lead: [], Account: [] },
  defaultCountry: null,
  personAccountRecordType: null,
  linkToOpenCase: false,
  linkToOpenOpportunity: false,
  createCaseFor: 'None',
  caseOwnerId: null,
  createdRecordOwner: 'Agent Who Handled The Call',
  createdLeadSource: 'Phone Inquiry',
  activityTask: 'None',
  callTypeActions: Object.freeze({
    answeredInbound: 'Log',
    answeredOutbound: 'Log',
    missedInbound: 'Log',
    voicemail: 'Log',
    unansweredOutbound: 'Log',
  }),
  onlyMatchedNumbers: false,
  skipInternalCalls: false,
  taskSubjectTemplate: null,
  followUpOwnerId: null,
  callbackWindowHours: 24,
}) as Settings;

/** The `*_Action__c` setting of each kind of call. */
export const CALL_TYPE_ACTION_FIELDS: Record<CallCategory, CallTypeActionField> = {
  answeredInbound: 'Answered_Inbound_Action__c',
  answeredOutbound: 'Answered_Outbound_Action__c',
  missedInbound: 'Missed_Inbound_Action__c',
  voicemail: 'Voicemail_Action__c',
  unansweredOutbound: 'Unanswered_Outbound_Action__c',
};
type CallTypeActionField =
  | 'Answered_Inbound_Action__c'
  | 'Answered_Outbound_Action__c'
  | 'Missed_Inbound_Action__c'
  | 'Voicemail_Action__c'
  | 'Unanswered_Outbound_Action__c';

function parseCallTypeActions(
  record: Record<string, unknown>,
  warnings: string[],
): Record<CallCategory, CallTypeAction> {
  const actions = { ...DEFAULT_SETTINGS.callTypeActions };
  for (const [category, apiName] of Object.entries(CALL_TYPE_ACTION_FIELDS) as [
    CallCategory,
    CallTypeActionField,
  ][]) {
    actions[category] = picklist(
      record,
      apiName,
      `Aircall_Settings__c.${apiName}`,
      DEFAULT_SETTINGS.callTypeActions[category],
      warnings,
    );
  }
  return actions;
}

/** `Follow_Up_Owner_Id__c`: a User (005) or queue (Group, 00G) id, 15 or 18 characters. */
function parseOwnerId(value: unknown, warnings: string[]): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return null;
  if (typeof value === 'string' && /^(005|00G)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(value.trim()))
    return value.trim();
  warnings.push(
    `Follow_Up_Owner_Id__c ${JSON.stringify(value)} is not a User (005…) or queue (00G…) Id; follow-up Tasks nobody else owns are owned by the integration user until it is fixed.`,
  );
  return null;
}

function parseWindowHours(value: unknown, warnings: string[]): number {
  if (value === null || value === undefined || value === '')
    return DEFAULT_SETTINGS.callbackWindowHours;
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(n) && n >= 0 && n <= 720) return n;
  warnings.push(
    `Callback_Window_Hours__c is ${JSON.stringify(value)}; it must be a number of hours from 0 to 720. Using ${DEFAULT_SETTINGS.callbackWindowHours}.`,
  );
  return DEFAULT_SETTINGS.callbackWindowHours;
}

function parseTemplate(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Thrown only by `parseSettingsStrict`, for admin UIs and `doctor` that must refuse bad input. */
export class SettingsError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Aircall settings are not valid: ${problems.join(' ')}`);
    this.name = 'SettingsError';
  }
}

function picklist<F extends PicklistField>(
  record: Record<string, unknown>,
  apiName: string,
  field: F,
  fallback: (typeof PICKLIST_VALUES)[F][number],
  warnings: string[],
): (typeof PICKLIST_VALUES)[F][number] {
  const value = record[apiName];
  if (value === null || value === undefined || value === '') return fallback;
  const allowed = PICKLIST_VALUES[field] as readonly string[];
  if (typeof value === 'string' && allowed.includes(value))
    return value as (typeof PICKLIST_VALUES)[F][number];
  warnings.push(
    `${apiName} is ${JSON.stringify(value)}, which is not one of ${allowed.map((v) => `"${v}"`).join(', ')}; ` +
      `using "${fallback}" until an admin picks a valid value in Aircall Settings.`,
  );
  return fallback;
}

function parseMatchOrder(value: unknown, warnings: string[]): CrmObject[] {
  if (value === null || value === undefined || value === '')
    return [...DEFAULT_SETTINGS.matchOrder];
  const parts = typeof value === 'string' ? value.split(/[,;>\s]+/).filter(Boolean) : [];
  const order: CrmObject[] = [];
  const bad: string[] = [];
  for (const part of parts) {
    const object = CRM_OBJECTS.find((o) => o.toLowerCase() === part.toLowerCase());
    if (!object) bad.push(part);
    else if (!order.includes(object)) order.push(object);
  }
  if (typeof value !== 'string' || bad.length > 0 || order.length === 0) {
    warnings.push(
      `Match_Order__c is ${JSON.stringify(value)}; it must list Contact, Lead and Account separated by commas ` +
        `(for example "Contact,Lead,Account"). ${order.length ? `Using "${order.join(',')}".` : 'Using "Contact,Lead,Account".'}`,
    );
    if (order.length === 0) return [...DEFAULT_SETTINGS.matchOrder];
  }
  return order;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `Extra_Phone_Fields__c`: "Contact.Work_Phone__c, Lead.Other_Phone__c". Names are checked so they
 * can be put into SOSL without any way to inject a clause. */
function parseExtraPhoneFields(value: unknown, warnings: string[]): Record<CrmObject, string[]> {
  const result: Record<CrmObject, string[]> = { Contact: [], Lead: [], Account: [] };
  if (value === null || value === undefined || value === '') return result;
  if (typeof value !== 'string') {
    warnings.push(
      'Extra_Phone_Fields__c must be text such as "Contact.Work_Phone__c"; ignoring it.',
    );
    return result;
  }
  for (const entry of value.split(/[,;\s]+/).filter(Boolean)) {
    const [object, field, ...rest] = entry.split('.');
    const crm = CRM_OBJECTS.find((o) => o.toLowerCase() === object?.toLowerCase());
    if (!crm || !field || rest.length > 0 || !FIELD_NAME.test(field)) {
      warnings.push(
        `Extra_Phone_Fields__c entry "${entry}" is not Object.Field with Object one of Contact, Lead, Account; ignoring it.`,
      );
      continue;
    }
    if (!result[crm].includes(field)) result[crm].push(field);
  }
  return result;
}

/** `Default_Country__c`: a country name (any language) or ISO code → alpha-2; empty = the line's. */
function parseDefaultCountry(value: unknown, warnings: string[]): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return null;
  const code = typeof value === 'string' ? countryCode(value) : null;
  if (!code)
    warnings.push(
      `Default_Country__c is ${JSON.stringify(value)}, which names no country (use an ISO code such as FR or a country name); ` +
        'numbers stored without country code on records without a country are read in the country of the Aircall line until it is fixed.',
    );
  return code;
}

function parseBoolean(
  record: Record<string, unknown>,
  apiName: string,
  warnings: string[],
): boolean {
  const value = record[apiName];
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  warnings.push(
    `${apiName} is ${JSON.stringify(value)}, not a checkbox value; treating it as unchecked.`,
  );
  return false;
}

/** `Case_Owner__c`: empty = assignment rules; else a User (005) or Queue (00G) Id. */
function parseCaseOwner(value: unknown, warnings: string[]): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return null;
  if (typeof value === 'string' && /^(005|00G)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(value.trim()))
    return value.trim();
  warnings.push(
    `Case_Owner__c is ${JSON.stringify(value)}, which is not the Id of a user (005…) or queue (00G…); ` +
      'created Cases are assigned by the case assignment rules until it is fixed in Aircall Settings.',
  );
  return null;
}

/**
 * Reads an `Aircall_Settings__c` record (as SOQL returns it). Invalid values never stop logging:
 * each one falls back to its default and adds a warning the connector logs and `doctor` shows,
 * because one mistyped setting must not leave a contact center's calls unlogged.
 */
export function parseSettings(record: Record<string, unknown> | null | undefined): {
  settings: Settings;
  warnings: string[];
} {
  const warnings: string[] = [];
  if (!record) {
    return {
      settings: {
        ...DEFAULT_SETTINGS,
        matchOrder: [...DEFAULT_SETTINGS.matchOrder],
        extraPhoneFields: { Contact: [], Lead: [], Account: [] },
        callTypeActions: { ...DEFAULT_SETTINGS.callTypeActions },
      },
      warnings,
    };
  }
  const d = DEFAULT_SETTINGS;
  const bhId = record.Business_Hours_Id__c;
  let businessHoursId: string | null = null;
  if (typeof bhId === 'string' && bhId.trim() !== '') {
    if (/^01m[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(bhId.trim())) businessHoursId = bhId.trim();
    else
      warnings.push(
        `Business_Hours_Id__c "${bhId}" is not a BusinessHours Id (they start with 01m); using the org's default business hours.`,
      );
  }
  const settings: Settings = {
    logCalls: picklist(
      record,
      'Log_Calls__c',
      'Aircall_Settings__c.Log_Calls__c',
      d.logCalls,
      warnings,
    ),
    businessHoursId,
    unknownNumberAction: picklist(
      record,
      'Unknown_Number_Action__c',
      'Aircall_Settings__c.Unknown_Number_Action__c',
      d.unknownNumberAction,
      warnings,
    ),
    matchOrder: parseMatchOrder(record.Match_Order__c, warnings),
    multipleMatches: picklist(
      record,
      'Multiple_Matches__c',
      'Aircall_Settings__c.Multiple_Matches__c',
      d.multipleMatches,
      warnings,
    ),
    saveToPhone: parseBoolean(record, 'Save_To_Phone__c', warnings),
    recordingDestination: picklist(
      record,
      'Recording_Destination__c',
      'Aircall_Settings__c.Recording_Destination__c',
      d.recordingDestination,
      warnings,
    ),
    voicemailDestination: picklist(
      record,
      'Voicemail_Destination__c',
      'Aircall_Settings__c.Voicemail_Destination__c',
      d.voicemailDestination,
      warnings,
    ),
    omniMappingMode: picklist(
      record,
      'Omni_Mapping_Mode__c',
      'Aircall_Settings__c.Omni_Mapping_Mode__c',
      d.omniMappingMode,
      warnings,
    ),
    extraPhoneFields: parseExtraPhoneFields(record.Extra_Phone_Fields__c, warnings),
    defaultCountry: parseDefaultCountry(record.Default_Country__c, warnings),
    personAccountRecordType:
      typeof record.Person_Account_Record_Type__c === 'string' &&
      record.Person_Account_Record_Type__c.trim()
        ? record.Person_Account_Record_Type__c.trim()
        : null,
    linkToOpenCase: parseBoolean(record, 'Link_To_Open_Case__c', warnings),
    linkToOpenOpportunity: parseBoolean(record, 'Link_To_Open_Opportunity__c', warnings),
    createCaseFor: picklist(
      record,
      'Create_Case_For__c',
      'Aircall_Settings__c.Create_Case_For__c',
      d.createCaseFor,
      warnings,
    ),
    caseOwnerId: parseCaseOwner(record.Case_Owner__c, warnings),
    createdRecordOwner: picklist(
      record,
      'Created_Record_Owner__c',
      'Aircall_Settings__c.Created_Record_Owner__c',
      d.createdRecordOwner,
      warnings,
    ),
    // Absent (a record read without the field) = the default; emptied by the admin = not set.
    createdLeadSource: !('Created_Lead_Source__c' in record)
      ? d.createdLeadSource
      : typeof record.Created_Lead_Source__c === 'string' && record.Created_Lead_Source__c.trim()
        ? record.Created_Lead_Source__c.trim().slice(0, 40)
        : null,
    activityTask: picklist(
      record,
      'Activity_Task__c',
      'Aircall_Settings__c.Activity_Task__c',
      d.activityTask,
      warnings,
    ),
    callTypeActions: parseCallTypeActions(record, warnings),
    onlyMatchedNumbers: parseBoolean(record, 'Only_Log_Matched_Numbers__c', warnings),
    skipInternalCalls: parseBoolean(record, 'Skip_Internal_Calls__c', warnings),
    taskSubjectTemplate: parseTemplate(record.Task_Subject_Template__c),
    followUpOwnerId: parseOwnerId(record.Follow_Up_Owner_Id__c, warnings),
    callbackWindowHours: parseWindowHours(record.Callback_Window_Hours__c, warnings),
  };
  return { settings, warnings };
}

/** Like parseSettings, but throws a SettingsError listing every problem (for admin-facing checks). */
export function parseSettingsStrict(record: Record<string, unknown> | null | undefined): Settings {
  const { settings, warnings } = parseSettings(record);
  if (warnings.length > 0) throw new SettingsError(warnings);
  return settings;
}

/** Reads `Aircall_Status_Mapping__c` records; a rule with an invalid value is dropped with a warning. */
export function parseStatusMappings(
  records: readonly Record<string, unknown>[] | null | undefined,
): {
  mappings: StatusMapping[];
  warnings: string[];
} {
  const mappings: StatusMapping[] = [];
  const warnings: string[] = [];
  for (const [i, record] of (records ?? []).entries()) {
    const label = typeof record.Id === 'string' ? record.Id : `#${i + 1}`;
    const problems: string[] = [];
    const direction = record.Direction__c;
    const directions = PICKLIST_VALUES[
      'Aircall_Status_Mapping__c.Direction__c'
    ] as readonly string[];
    if (typeof direction !== 'string' || !directions.includes(direction))
      problems.push(`Direction__c must be "Omni to Aircall" or "Phone to Omni"`);
    const omniStatus = record.Omni_Status__c;
    if (typeof omniStatus !== 'string' || omniStatus.trim() === '')
      problems.push('Omni_Status__c must name a presence status (its API name)');
    const availability = record.Aircall_Availability__c ?? null;
    const availabilities = PICKLIST_VALUES[
      'Aircall_Status_Mapping__c.Aircall_Availability__c'
    ] as readonly string[];
    if (
      availability !== null &&
      (typeof availability !== 'string' || !availabilities.includes(availability))
    )
      problems.push('Aircall_Availability__c must be available, unavailable or custom');
    const phoneEvent = record.Phone_Event__c ?? null;
    const phoneEvents = PICKLIST_VALUES[
      'Aircall_Status_Mapping__c.Phone_Event__c'
    ] as readonly string[];
    if (
      phoneEvent !== null &&
      (typeof phoneEvent !== 'string' || !phoneEvents.includes(phoneEvent))
    )
      problems.push(`Phone_Event__c must be one of ${phoneEvents.join(', ')}`);
    if (direction === 'Phone to Omni' && phoneEvent === null)
      problems.push('a "Phone to Omni" rule needs a Phone_Event__c');
    if (problems.length > 0) {
      warnings.push(
        `Status mapping ${label} is ignored: ${problems.join('; ')}. Fix it in Aircall Settings.`,
      );
      continue;
    }
    const substatus = record.Aircall_Substatus__c;
    mappings.push({
      ...(typeof record.Id === 'string' ? { id: record.Id } : {}),
      direction: direction as StatusMapping['direction'],
      omniStatus: (omniStatus as string).trim(),
      aircallAvailability: availability as StatusMapping['aircallAvailability'],
      aircallSubstatus: typeof substatus === 'string' && substatus !== '' ? substatus : null,
      phoneEvent: phoneEvent as StatusMapping['phoneEvent'],
    });
  }
  return { mappings, warnings };
}
