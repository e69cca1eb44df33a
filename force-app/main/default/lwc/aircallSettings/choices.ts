/**
 * What the settings panel offers and how it names it: the values each picklist accepts, the words
 * shown for each stored value (the stored values stay the engine's), the field names used in
 * messages. Free of the DOM.
 */
import { MATCH_OBJECTS, PICKLISTS, formatLabel, isAccessError, reduceErrors } from 'c/aircallUtils';
import USER_LOCALE from '@salesforce/i18n/locale';
import type { Option } from 'c/aircallUtils';
import { LABELS } from './labels';
import type { SettingsField } from './settingsSchema';
import {
  CALL_TYPE_FIELDS,
  CREATE_PERSON_ACCOUNT,
  PHONE_OBJECTS,
  SEARCHED_PHONE_FIELDS,
  countryCode,
  countryName,
  fill,
  parsePhoneField,
  phoneFieldEntries,
} from './settingsForm';
import type { CallTypeField, PhoneObject } from './settingsForm';

/** The user's locale (Salesforce: their Locale setting), for country names and sorting. */
const LOCALE = USER_LOCALE || 'en-US';

/** Picklist fields and the values each accepts. */
export const PICKLIST_FIELDS: Partial<Record<SettingsField, readonly string[]>> = {
  Log_Calls__c: PICKLISTS.logCalls,
  Unknown_Number_Action__c: PICKLISTS.unknownNumberAction,
  Multiple_Matches__c: PICKLISTS.multipleMatches,
  Recording_Destination__c: PICKLISTS.mediaDestination,
  Voicemail_Destination__c: PICKLISTS.mediaDestination,
  Activity_Task__c: PICKLISTS.activityTask,
  Answered_Inbound_Action__c: PICKLISTS.callTypeAction,
  Answered_Outbound_Action__c: PICKLISTS.callTypeAction,
  Missed_Inbound_Action__c: PICKLISTS.callTypeAction,
  Voicemail_Action__c: PICKLISTS.callTypeAction,
  Unanswered_Outbound_Action__c: PICKLISTS.callTypeAction,
  Create_Case_For__c: PICKLISTS.createCaseFor,
  Created_Record_Owner__c: PICKLISTS.createdRecordOwner,
};

/** Field names in validation messages: the labels of their controls. */
export const FIELD_LABELS: Record<SettingsField, string> = {
  Log_Calls__c: LABELS.logCalls,
  Business_Hours_Id__c: LABELS.businessHours,
  Unknown_Number_Action__c: LABELS.unknownNumber,
  Match_Order__c: LABELS.matchOrder,
  Multiple_Matches__c: LABELS.multipleMatches,
  Save_To_Phone__c: LABELS.saveToPhone,
  Recording_Destination__c: LABELS.recordingDestination,
  Voicemail_Destination__c: LABELS.voicemailDestination,
  Omni_Mapping_Mode__c: LABELS.omniMode,
  Default_Country__c: LABELS.defaultCountry,
  Activity_Task__c: LABELS.activityTask,
  Answered_Inbound_Action__c: LABELS.typeAnsweredInbound,
  Answered_Outbound_Action__c: LABELS.typeAnsweredOutbound,
  Missed_Inbound_Action__c: LABELS.typeMissedInbound,
  Voicemail_Action__c: LABELS.typeVoicemail,
  Unanswered_Outbound_Action__c: LABELS.typeUnansweredOutbound,
  Task_Subject_Template__c: LABELS.taskSubject,
  Follow_Up_Owner_Id__c: LABELS.followUpOwner,
  Callback_Window_Hours__c: LABELS.callbackWindow,
  Only_Log_Matched_Numbers__c: LABELS.onlyMatched,
  Skip_Internal_Calls__c: LABELS.skipInternal,
  Link_To_Open_Case__c: LABELS.linkCase,
  Link_To_Open_Opportunity__c: LABELS.linkOpportunity,
  Create_Case_For__c: LABELS.createCaseFor,
  Case_Owner__c: LABELS.caseOwner,
  Person_Account_Record_Type__c: LABELS.personRecordType,
  Extra_Phone_Fields__c: LABELS.extraPhoneFields,
  Created_Record_Owner__c: LABELS.createdOwner,
  Created_Lead_Source__c: LABELS.createdLeadSource,
};

/** What each stored picklist value means, in words. */
export const VALUE_LABELS: Record<string, string> = {
  Always: LABELS.logAlways,
  'Business Hours Only': LABELS.logBusinessHours,
  'Create Lead': LABELS.createLead,
  'Create Contact': LABELS.createContact,
  'Create Account': LABELS.createAccount,
  'Create Person Account': LABELS.createPersonAccount,
  'Do Nothing': LABELS.doNothing,
  'Most Recently Modified': LABELS.mostRecent,
  Oldest: LABELS.oldest,
  'Do Not Link': LABELS.doNotLink,
  'Their Common Account': LABELS.commonAccount,
  'Do Not Log': LABELS.destNone,
  'Aircall Voice': LABELS.destVoice,
  'Voice Call': LABELS.destVoiceCall,
  Both: LABELS.destBoth,
  Default: LABELS.omniDefault,
  Custom: LABELS.omniCustom,
  Contact: LABELS.contact,
  Lead: LABELS.lead,
  Account: LABELS.account,
};

/** Values whose words depend on the field ("None" of Tasks is not "None" of Cases). */
export const FIELD_VALUE_LABELS: Partial<Record<SettingsField, Record<string, string>>> = {
  Activity_Task__c: { None: LABELS.taskNone, 'Completed Task': LABELS.taskCompleted },
  Create_Case_For__c: {
    None: LABELS.caseNone,
    'Missed Calls': LABELS.caseMissed,
    Voicemails: LABELS.caseVoicemails,
    Both: LABELS.caseBoth,
  },
  Created_Record_Owner__c: {
    'Agent Who Handled The Call': LABELS.ownerAgent,
    'Integration User': LABELS.integrationUser,
    'Assignment Rules': LABELS.ownerAssignmentRules,
  },
};

const ACTION_LABELS: Record<string, string> = {
  Log: LABELS.actionLog,
  'Log + open follow-up Task': LABELS.actionFollowUp,
  "Don't log": LABELS.actionSkip,
};
for (const field of CALL_TYPE_FIELDS) FIELD_VALUE_LABELS[field] = ACTION_LABELS;

/** The options of a picklist, each value in words (`words`: those of its field, if its own). */
export function optionsOf(values: readonly string[], words?: Record<string, string>): Option[] {
  return values.map((value) => ({ label: words?.[value] ?? VALUE_LABELS[value] ?? value, value }));
}

// ----- the grid of kinds of call × actions -----

export interface Choice {
  value: string;
  label: string;
  help: string;
}

/** The actions of the grid's columns, each with what it does. */
export const CALL_TYPE_ACTIONS: readonly Choice[] = [
  { value: 'Log', label: LABELS.actionLog, help: LABELS.actionLogHelp },
  {
    value: 'Log + open follow-up Task',
    label: LABELS.actionFollowUp,
    help: LABELS.actionFollowUpHelp,
  },
  { value: "Don't log", label: LABELS.actionSkip, help: LABELS.actionSkipHelp },
];

/** What each kind of call covers. */
const CALL_TYPE_HELP: Record<CallTypeField, string> = {
  Answered_Inbound_Action__c: LABELS.typeAnsweredInboundHelp,
  Answered_Outbound_Action__c: LABELS.typeAnsweredOutboundHelp,
  Missed_Inbound_Action__c: LABELS.typeMissedInboundHelp,
  Voicemail_Action__c: LABELS.typeVoicemailHelp,
  Unanswered_Outbound_Action__c: LABELS.typeUnansweredOutboundHelp,
};

export interface CallTypeRow {
  field: string;
  label: string;
  help: string;
  error: string | undefined;
  className: string;
  cells: { key: string; value: string; label: string; checked: boolean }[];
}

/** The grid as the template draws it: a row per kind of call, a radio per action. */
export function callTypeRows(
  draft: Readonly<Record<string, string | boolean>>,
  errors: Readonly<Record<string, string>>,
): CallTypeRow[] {
  return CALL_TYPE_FIELDS.map((field) => {
    const label = FIELD_LABELS[field];
    const help = CALL_TYPE_HELP[field];
    return {
      field,
      label,
      help,
      error: errors[field],
      className: errors[field] ? 'call-type slds-has-error' : 'call-type',
      cells: CALL_TYPE_ACTIONS.map((action) => ({
        key: `${field}:${action.value}`,
        value: action.value,
        label: fill(LABELS.gridCell, label, action.label),
        checked: draft[field] === action.value,
      })),
    };
  });
}

/** Business hours to choose from: the org default first (named when known), then each by name. */
export function businessHoursOptions(
  hours: readonly {
    Id: string;
    Name: { value: string | null };
    IsDefault: { value: boolean | null };
  }[],
): Option[] {
  const orgDefault = hours.find((h) => h.IsDefault.value);
  return [
    {
      label: orgDefault
        ? fill(LABELS.orgDefaultNamed, orgDefault.Name.value ?? '')
        : LABELS.orgDefault,
      value: '',
    },
    ...hours.map((h) => ({ label: h.Name.value ?? h.Id, value: h.Id })),
  ];
}

/**
 * What to do with an unknown number: Create Person Account only in an org with Person Accounts
 * (or when it is what is saved, so the control shows it and Save says why it cannot stay).
 */
export function unknownNumberOptions(personAccounts: boolean | undefined, saved: string): Option[] {
  return optionsOf(
    PICKLISTS.unknownNumberAction.filter(
      (v) => v !== CREATE_PERSON_ACCOUNT || personAccounts === true || saved === v,
    ),
  );
}

/** Who owns the Cases created for calls nobody answered. */
export const CASE_OWNER_MODES: readonly Option[] = [
  { label: LABELS.caseOwnerRules, value: 'rules' },
  { label: LABELS.caseOwnerFixed, value: 'owner' },
];

// ----- matching and created records -----

/** What the panel reads of an object's describe (UI API object info) for its phone fields. */
export interface PhoneObjectInfo {
  label: string;
  fields: Readonly<Record<string, { apiName: string; label: string; dataType?: string }>>;
}

/** Each object's phone fields (API names), for the objects whose info could be read. */
export function phoneFieldsOf(
  infos: Readonly<Partial<Record<PhoneObject, PhoneObjectInfo>>>,
): Partial<Record<PhoneObject, string[]>> {
  const out: Partial<Record<PhoneObject, string[]>> = {};
  for (const object of PHONE_OBJECTS) {
    const info = infos[object];
    if (info)
      out[object] = Object.values(info.fields)
        .filter((f) => f.dataType === 'Phone')
        .map((f) => f.apiName);
  }
  return out;
}

/**
 * The extra phone fields to choose from: the phone fields of Contacts, Leads and Accounts that are
 * not searched anyway (nor Fax, nor a person field of Account, which follows its Contact field),
 * as "Contact: Work Phone (Work_Phone__c)"; then each chosen entry that is not among them, as
 * written, so the control shows everything that is saved (Save says what is wrong with it).
 */
export function phoneFieldOptions(
  infos: Readonly<Partial<Record<PhoneObject, PhoneObjectInfo>>>,
  chosen: string,
): Option[] {
  const options: Option[] = [];
  for (const object of PHONE_OBJECTS) {
    const info = infos[object];
    if (!info) continue;
    const fields = Object.values(info.fields)
      .filter(
        (f) =>
          f.dataType === 'Phone' &&
          !SEARCHED_PHONE_FIELDS[object].includes(f.apiName) &&
          !/^(Person)?Fax$/.test(f.apiName) &&
          !f.apiName.endsWith('__pc'),
      )
      .sort((a, b) => a.label.localeCompare(b.label, LOCALE));
    for (const f of fields)
      options.push({
        label: `${info.label}: ${f.label} (${f.apiName})`,
        value: `${object}.${f.apiName}`,
      });
  }
  for (const entry of phoneFieldEntries(chosen)) {
    const parsed = parsePhoneField(entry);
    const value = parsed ? `${parsed.object}.${parsed.field}` : entry;
    if (!options.some((o) => o.value.toLowerCase() === value.toLowerCase()))
      options.push({ label: entry, value: entry });
  }
  return options;
}

/**
 * The entries chosen, as the options name them (an entry written "contact.work_phone__c" selects
 * the option "Contact.Work_Phone__c"), in the order saved.
 */
export function chosenPhoneFields(options: readonly Option[], chosen: string): string[] {
  return phoneFieldEntries(chosen).map((entry) => {
    const parsed = parsePhoneField(entry);
    const value = parsed ? `${parsed.object}.${parsed.field}` : entry;
    return options.find((o) => o.value.toLowerCase() === value.toLowerCase())?.value ?? entry;
  });
}

/**
 * The Lead Source to give created records: none, then the values of the field the created record
 * keeps it in (read from the org), then the saved value when it is not one of them, said so.
 */
export function leadSourceOptions(
  values: readonly { label: string; value: string }[],
  saved: string,
): Option[] {
  const options: Option[] = [
    { label: LABELS.leadSourceNone, value: '' },
    ...values.map((v) => ({ label: v.label, value: v.value })),
  ];
  if (saved !== '' && !values.some((v) => v.value === saved))
    options.push({ label: fill(LABELS.leadSourceOffList, saved), value: saved });
  return options;
}

// ----- sentences -----

/** Why the panel cannot show the settings (access refused, or the reads failed), if it cannot. */
export function loadErrorText(
  objectInfoError: unknown,
  queryErrors: readonly { message: string }[] | undefined,
): string | undefined {
  if (objectInfoError) {
    return isAccessError(objectInfoError)
      ? LABELS.accessError
      : formatLabel(LABELS.loadError, reduceErrors(objectInfoError).join(' '));
  }
  if (queryErrors?.length) {
    return formatLabel(LABELS.loadError, queryErrors.map((e) => e.message).join(' '));
  }
  return undefined;
}

/** "→ FR (France)": the country an entry was understood as; empty when none, or when it is the code. */
export function countryUnderstood(entry: string): string {
  const text = entry.trim();
  const code = text ? countryCode(text) : null;
  if (!code || text === code) return '';
  return fill(LABELS.countryUnderstood, code, countryName(code, LOCALE));
}

/** The Default Country's placeholder: the line's country, naming the lines' countries if known. */
export function lineCountryPlaceholder(countries: readonly string[]): string {
  return countries.length
    ? formatLabel(LABELS.lineCountryNamed, countries.join(', '))
    : LABELS.lineCountry;
}

/** Read out when Save finds problems: how many fields need a change (empty when none). */
export function errorSummaryText(count: number): string {
  return count ? fill(LABELS.errorSummary, String(count)) : '';
}

/** Every picklist's options on the panel, as the org and the saved settings allow them. */
export function panelOptions(
  personAccounts: boolean | undefined,
  savedUnknownNumberAction: string,
  businessHours: Parameters<typeof businessHoursOptions>[0] | undefined,
): Record<string, readonly Option[]> {
  return {
    logCalls: optionsOf(PICKLISTS.logCalls),
    unknownNumber: unknownNumberOptions(personAccounts, savedUnknownNumberAction),
    multipleMatches: optionsOf(PICKLISTS.multipleMatches),
    destination: optionsOf(PICKLISTS.mediaDestination),
    matchObjects: optionsOf(MATCH_OBJECTS),
    activityTask: optionsOf(PICKLISTS.activityTask, FIELD_VALUE_LABELS.Activity_Task__c),
    createCaseFor: optionsOf(PICKLISTS.createCaseFor, FIELD_VALUE_LABELS.Create_Case_For__c),
    createdRecordOwner: optionsOf(
      PICKLISTS.createdRecordOwner,
      FIELD_VALUE_LABELS.Created_Record_Owner__c,
    ),
    caseOwnerMode: CASE_OWNER_MODES,
    businessHours: businessHoursOptions(businessHours ?? []),
  };
}
