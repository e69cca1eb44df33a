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
  countryCode,
  countryName,
  fill,
} from './settingsForm';
import type { CallTypeField } from './settingsForm';

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

// ----- sentences -----

/** The user's locale (Salesforce: their Locale setting), for country names. */
const LOCALE = USER_LOCALE || 'en-US';

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
    caseOwnerMode: CASE_OWNER_MODES,
    businessHours: businessHoursOptions(businessHours ?? []),
  };
}
