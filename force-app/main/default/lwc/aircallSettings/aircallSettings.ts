import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfoRepresentation } from 'lightning/uiObjectInfoApi';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent } from 'lightning/refresh';
import {
  DEFAULT_SETTINGS,
  MATCH_OBJECTS,
  PICKLISTS,
  formatLabel,
  isAccessError,
  reduceErrors,
} from 'c/aircallUtils';
import type { FieldRef, Option } from 'c/aircallUtils';
import L_AIRCALL_SETTINGS_TITLE from '@salesforce/label/c.Aircall_Settings_Title';
import L_AIRCALL_SETTINGS_LOADING from '@salesforce/label/c.Aircall_Settings_Loading';
import L_AIRCALL_SETTINGS_NEW_NOTICE from '@salesforce/label/c.Aircall_Settings_New_Notice';
import L_AIRCALL_SETTINGS_READ_ONLY from '@salesforce/label/c.Aircall_Settings_Read_Only';
import L_AIRCALL_SETTINGS_ACCESS_ERROR from '@salesforce/label/c.Aircall_Settings_Access_Error';
import L_AIRCALL_SETTINGS_LOAD_ERROR from '@salesforce/label/c.Aircall_Settings_Load_Error';
import L_AIRCALL_SETTINGS_WHEN_TO_LOG from '@salesforce/label/c.Aircall_Settings_When_To_Log';
import L_AIRCALL_SETTINGS_LOG_CALLS from '@salesforce/label/c.Aircall_Settings_Log_Calls';
import L_AIRCALL_SETTINGS_LOG_ALWAYS from '@salesforce/label/c.Aircall_Settings_Log_Always';
import L_AIRCALL_SETTINGS_LOG_BUSINESS_HOURS from '@salesforce/label/c.Aircall_Settings_Log_Business_Hours';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS from '@salesforce/label/c.Aircall_Settings_Business_Hours';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS_HELP from '@salesforce/label/c.Aircall_Settings_Business_Hours_Help';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID from '@salesforce/label/c.Aircall_Settings_Business_Hours_Id';
import L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID_HELP from '@salesforce/label/c.Aircall_Settings_Business_Hours_Id_Help';
import L_AIRCALL_SETTINGS_ORG_DEFAULT from '@salesforce/label/c.Aircall_Settings_Org_Default';
import L_AIRCALL_SETTINGS_ORG_DEFAULT_NAMED from '@salesforce/label/c.Aircall_Settings_Org_Default_Named';
import L_AIRCALL_SETTINGS_MATCHING from '@salesforce/label/c.Aircall_Settings_Matching';
import L_AIRCALL_SETTINGS_MATCH_ORDER from '@salesforce/label/c.Aircall_Settings_Match_Order';
import L_AIRCALL_SETTINGS_MATCH_ORDER_HELP from '@salesforce/label/c.Aircall_Settings_Match_Order_Help';
import L_AIRCALL_SETTINGS_NOT_SEARCHED from '@salesforce/label/c.Aircall_Settings_Not_Searched';
import L_AIRCALL_SETTINGS_SEARCHED_IN_ORDER from '@salesforce/label/c.Aircall_Settings_Searched_In_Order';
import L_AIRCALL_SETTINGS_MULTIPLE_MATCHES from '@salesforce/label/c.Aircall_Settings_Multiple_Matches';
import L_AIRCALL_SETTINGS_MOST_RECENT from '@salesforce/label/c.Aircall_Settings_Most_Recent';
import L_AIRCALL_SETTINGS_OLDEST from '@salesforce/label/c.Aircall_Settings_Oldest';
import L_AIRCALL_SETTINGS_DO_NOT_LINK from '@salesforce/label/c.Aircall_Settings_Do_Not_Link';
import L_AIRCALL_SETTINGS_UNKNOWN_NUMBER from '@salesforce/label/c.Aircall_Settings_Unknown_Number';
import L_AIRCALL_SETTINGS_CREATE_LEAD from '@salesforce/label/c.Aircall_Settings_Create_Lead';
import L_AIRCALL_SETTINGS_CREATE_CONTACT from '@salesforce/label/c.Aircall_Settings_Create_Contact';
import L_AIRCALL_SETTINGS_CREATE_ACCOUNT from '@salesforce/label/c.Aircall_Settings_Create_Account';
import L_AIRCALL_SETTINGS_DO_NOTHING from '@salesforce/label/c.Aircall_Settings_Do_Nothing';
import L_AIRCALL_SETTINGS_DEFAULT_COUNTRY from '@salesforce/label/c.Aircall_Settings_Default_Country';
import L_AIRCALL_SETTINGS_DEFAULT_COUNTRY_HELP from '@salesforce/label/c.Aircall_Settings_Default_Country_Help';
import L_AIRCALL_SETTINGS_LINE_COUNTRY from '@salesforce/label/c.Aircall_Settings_Line_Country';
import L_AIRCALL_SETTINGS_LINE_COUNTRY_NAMED from '@salesforce/label/c.Aircall_Settings_Line_Country_Named';
import L_AIRCALL_SETTINGS_SAVE_TO_PHONE from '@salesforce/label/c.Aircall_Settings_Save_To_Phone';
import L_AIRCALL_SETTINGS_ON from '@salesforce/label/c.Aircall_Settings_On';
import L_AIRCALL_SETTINGS_OFF from '@salesforce/label/c.Aircall_Settings_Off';
import L_AIRCALL_SETTINGS_MEDIA_AND_OMNI from '@salesforce/label/c.Aircall_Settings_Media_And_Omni';
import L_AIRCALL_SETTINGS_RECORDING_DESTINATION from '@salesforce/label/c.Aircall_Settings_Recording_Destination';
import L_AIRCALL_SETTINGS_RECORDING_DESTINATION_HELP from '@salesforce/label/c.Aircall_Settings_Recording_Destination_Help';
import L_AIRCALL_SETTINGS_VOICEMAIL_DESTINATION from '@salesforce/label/c.Aircall_Settings_Voicemail_Destination';
import L_AIRCALL_SETTINGS_DEST_NONE from '@salesforce/label/c.Aircall_Settings_Dest_None';
import L_AIRCALL_SETTINGS_DEST_AIRCALL_VOICE from '@salesforce/label/c.Aircall_Settings_Dest_Aircall_Voice';
import L_AIRCALL_SETTINGS_DEST_VOICE_CALL from '@salesforce/label/c.Aircall_Settings_Dest_Voice_Call';
import L_AIRCALL_SETTINGS_DEST_BOTH from '@salesforce/label/c.Aircall_Settings_Dest_Both';
import L_AIRCALL_SETTINGS_OMNI_MODE from '@salesforce/label/c.Aircall_Settings_Omni_Mode';
import L_AIRCALL_SETTINGS_OMNI_DEFAULT from '@salesforce/label/c.Aircall_Settings_Omni_Default';
import L_AIRCALL_SETTINGS_OMNI_CUSTOM from '@salesforce/label/c.Aircall_Settings_Omni_Custom';
import L_AIRCALL_SETTINGS_OMNI_DEFAULT_HELP from '@salesforce/label/c.Aircall_Settings_Omni_Default_Help';
import L_AIRCALL_SETTINGS_OMNI_CUSTOM_HELP from '@salesforce/label/c.Aircall_Settings_Omni_Custom_Help';
import L_AIRCALL_UNSAVED_CHANGES from '@salesforce/label/c.Aircall_Unsaved_Changes';
import L_AIRCALL_CANCEL from '@salesforce/label/c.Aircall_Cancel';
import L_AIRCALL_SAVE from '@salesforce/label/c.Aircall_Save';
import L_AIRCALL_SETTINGS_CREATE from '@salesforce/label/c.Aircall_Settings_Create';
import L_AIRCALL_SETTINGS_PICK_ONE from '@salesforce/label/c.Aircall_Settings_Pick_One';
import L_AIRCALL_SETTINGS_BH_INACTIVE from '@salesforce/label/c.Aircall_Settings_Bh_Inactive';
import L_AIRCALL_SETTINGS_BH_BAD_ID from '@salesforce/label/c.Aircall_Settings_Bh_Bad_Id';
import L_AIRCALL_SETTINGS_MATCH_EMPTY from '@salesforce/label/c.Aircall_Settings_Match_Empty';
import L_AIRCALL_SETTINGS_MATCH_DUPLICATES from '@salesforce/label/c.Aircall_Settings_Match_Duplicates';
import L_AIRCALL_SETTINGS_CHECK_TITLE from '@salesforce/label/c.Aircall_Settings_Check_Title';
import L_AIRCALL_SETTINGS_CHECK_MESSAGE from '@salesforce/label/c.Aircall_Settings_Check_Message';
import L_AIRCALL_SETTINGS_SAVED_TITLE from '@salesforce/label/c.Aircall_Settings_Saved_Title';
import L_AIRCALL_SETTINGS_SAVED_MESSAGE from '@salesforce/label/c.Aircall_Settings_Saved_Message';
import L_AIRCALL_SETTINGS_NOT_SAVED_TITLE from '@salesforce/label/c.Aircall_Settings_Not_Saved_Title';
import L_AIRCALL_SETTINGS_NOT_SAVED_MESSAGE from '@salesforce/label/c.Aircall_Settings_Not_Saved_Message';
import L_AIRCALL_RECORD_CONTACT from '@salesforce/label/c.Aircall_Record_Contact';
import L_AIRCALL_RECORD_LEAD from '@salesforce/label/c.Aircall_Record_Lead';
import L_AIRCALL_RECORD_ACCOUNT from '@salesforce/label/c.Aircall_Record_Account';
import SETTINGS_OBJECT from '@salesforce/schema/Aircall_Settings__c';
import LOG_CALLS_FIELD from '@salesforce/schema/Aircall_Settings__c.Log_Calls__c';
import BUSINESS_HOURS_ID_FIELD from '@salesforce/schema/Aircall_Settings__c.Business_Hours_Id__c';
import UNKNOWN_NUMBER_ACTION_FIELD from '@salesforce/schema/Aircall_Settings__c.Unknown_Number_Action__c';
import MATCH_ORDER_FIELD from '@salesforce/schema/Aircall_Settings__c.Match_Order__c';
import MULTIPLE_MATCHES_FIELD from '@salesforce/schema/Aircall_Settings__c.Multiple_Matches__c';
import SAVE_TO_PHONE_FIELD from '@salesforce/schema/Aircall_Settings__c.Save_To_Phone__c';
import RECORDING_DESTINATION_FIELD from '@salesforce/schema/Aircall_Settings__c.Recording_Destination__c';
import VOICEMAIL_DESTINATION_FIELD from '@salesforce/schema/Aircall_Settings__c.Voicemail_Destination__c';
import OMNI_MAPPING_MODE_FIELD from '@salesforce/schema/Aircall_Settings__c.Omni_Mapping_Mode__c';
import DEFAULT_COUNTRY_FIELD from '@salesforce/schema/Aircall_Settings__c.Default_Country__c';

/** UI text: Custom Labels (English and Spanish ship with the package). */
const LABELS = {
  title: L_AIRCALL_SETTINGS_TITLE,
  loading: L_AIRCALL_SETTINGS_LOADING,
  newNotice: L_AIRCALL_SETTINGS_NEW_NOTICE,
  readOnly: L_AIRCALL_SETTINGS_READ_ONLY,
  accessError: L_AIRCALL_SETTINGS_ACCESS_ERROR,
  loadError: L_AIRCALL_SETTINGS_LOAD_ERROR,
  whenToLog: L_AIRCALL_SETTINGS_WHEN_TO_LOG,
  logCalls: L_AIRCALL_SETTINGS_LOG_CALLS,
  logAlways: L_AIRCALL_SETTINGS_LOG_ALWAYS,
  logBusinessHours: L_AIRCALL_SETTINGS_LOG_BUSINESS_HOURS,
  businessHours: L_AIRCALL_SETTINGS_BUSINESS_HOURS,
  businessHoursHelp: L_AIRCALL_SETTINGS_BUSINESS_HOURS_HELP,
  businessHoursId: L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID,
  businessHoursIdHelp: L_AIRCALL_SETTINGS_BUSINESS_HOURS_ID_HELP,
  orgDefault: L_AIRCALL_SETTINGS_ORG_DEFAULT,
  orgDefaultNamed: L_AIRCALL_SETTINGS_ORG_DEFAULT_NAMED,
  matching: L_AIRCALL_SETTINGS_MATCHING,
  matchOrder: L_AIRCALL_SETTINGS_MATCH_ORDER,
  matchOrderHelp: L_AIRCALL_SETTINGS_MATCH_ORDER_HELP,
  notSearched: L_AIRCALL_SETTINGS_NOT_SEARCHED,
  searchedInOrder: L_AIRCALL_SETTINGS_SEARCHED_IN_ORDER,
  multipleMatches: L_AIRCALL_SETTINGS_MULTIPLE_MATCHES,
  mostRecent: L_AIRCALL_SETTINGS_MOST_RECENT,
  oldest: L_AIRCALL_SETTINGS_OLDEST,
  doNotLink: L_AIRCALL_SETTINGS_DO_NOT_LINK,
  unknownNumber: L_AIRCALL_SETTINGS_UNKNOWN_NUMBER,
  createLead: L_AIRCALL_SETTINGS_CREATE_LEAD,
  createContact: L_AIRCALL_SETTINGS_CREATE_CONTACT,
  createAccount: L_AIRCALL_SETTINGS_CREATE_ACCOUNT,
  doNothing: L_AIRCALL_SETTINGS_DO_NOTHING,
  defaultCountry: L_AIRCALL_SETTINGS_DEFAULT_COUNTRY,
  defaultCountryHelp: L_AIRCALL_SETTINGS_DEFAULT_COUNTRY_HELP,
  lineCountry: L_AIRCALL_SETTINGS_LINE_COUNTRY,
  lineCountryNamed: L_AIRCALL_SETTINGS_LINE_COUNTRY_NAMED,
  saveToPhone: L_AIRCALL_SETTINGS_SAVE_TO_PHONE,
  on: L_AIRCALL_SETTINGS_ON,
  off: L_AIRCALL_SETTINGS_OFF,
  mediaAndOmni: L_AIRCALL_SETTINGS_MEDIA_AND_OMNI,
  recordingDestination: L_AIRCALL_SETTINGS_RECORDING_DESTINATION,
  recordingDestinationHelp: L_AIRCALL_SETTINGS_RECORDING_DESTINATION_HELP,
  voicemailDestination: L_AIRCALL_SETTINGS_VOICEMAIL_DESTINATION,
  destNone: L_AIRCALL_SETTINGS_DEST_NONE,
  destVoice: L_AIRCALL_SETTINGS_DEST_AIRCALL_VOICE,
  destVoiceCall: L_AIRCALL_SETTINGS_DEST_VOICE_CALL,
  destBoth: L_AIRCALL_SETTINGS_DEST_BOTH,
  omniMode: L_AIRCALL_SETTINGS_OMNI_MODE,
  omniDefault: L_AIRCALL_SETTINGS_OMNI_DEFAULT,
  omniCustom: L_AIRCALL_SETTINGS_OMNI_CUSTOM,
  omniDefaultHelp: L_AIRCALL_SETTINGS_OMNI_DEFAULT_HELP,
  omniCustomHelp: L_AIRCALL_SETTINGS_OMNI_CUSTOM_HELP,
  unsavedChanges: L_AIRCALL_UNSAVED_CHANGES,
  cancel: L_AIRCALL_CANCEL,
  save: L_AIRCALL_SAVE,
  create: L_AIRCALL_SETTINGS_CREATE,
  pickOne: L_AIRCALL_SETTINGS_PICK_ONE,
  bhInactive: L_AIRCALL_SETTINGS_BH_INACTIVE,
  bhBadId: L_AIRCALL_SETTINGS_BH_BAD_ID,
  matchEmpty: L_AIRCALL_SETTINGS_MATCH_EMPTY,
  matchDuplicates: L_AIRCALL_SETTINGS_MATCH_DUPLICATES,
  checkTitle: L_AIRCALL_SETTINGS_CHECK_TITLE,
  checkMessage: L_AIRCALL_SETTINGS_CHECK_MESSAGE,
  savedTitle: L_AIRCALL_SETTINGS_SAVED_TITLE,
  savedMessage: L_AIRCALL_SETTINGS_SAVED_MESSAGE,
  notSavedTitle: L_AIRCALL_SETTINGS_NOT_SAVED_TITLE,
  notSavedMessage: L_AIRCALL_SETTINGS_NOT_SAVED_MESSAGE,
  contact: L_AIRCALL_RECORD_CONTACT,
  lead: L_AIRCALL_RECORD_LEAD,
  account: L_AIRCALL_RECORD_ACCOUNT,
};

const BUSINESS_HOURS_ID = /^01m[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

type SettingsField = keyof typeof DEFAULT_SETTINGS;
type Draft = {
  -readonly [K in SettingsField]: (typeof DEFAULT_SETTINGS)[K] extends boolean ? boolean : string;
};

interface ValueOf<T> {
  value: T | null;
}
type SettingsNode = { Id: string } & { [K in SettingsField]?: ValueOf<string | boolean> };
interface SettingsQuery {
  uiapi: { query: { Aircall_Settings__c: { edges: { node: SettingsNode }[] } } };
}
interface BusinessHoursNode {
  Id: string;
  Name: ValueOf<string>;
  IsDefault: ValueOf<boolean>;
  IsActive: ValueOf<boolean>;
}
interface LineCountriesQuery {
  uiapi: {
    query: {
      Aircall_Voice__c: { edges: { node: { Aircall_Line_Country__c: ValueOf<string> } }[] };
    };
  };
}
interface BusinessHoursQuery {
  uiapi: { query: { BusinessHours: { edges: { node: BusinessHoursNode }[] } } };
}

/**
 * The draft is keyed by the fields' names in this source; what is saved is keyed by the imported
 * references, which the platform prefixes with the package namespace once installed.
 */
const SETTINGS_FIELDS: Record<SettingsField, FieldRef> = {
  Log_Calls__c: LOG_CALLS_FIELD,
  Business_Hours_Id__c: BUSINESS_HOURS_ID_FIELD,
  Unknown_Number_Action__c: UNKNOWN_NUMBER_ACTION_FIELD,
  Match_Order__c: MATCH_ORDER_FIELD,
  Multiple_Matches__c: MULTIPLE_MATCHES_FIELD,
  Save_To_Phone__c: SAVE_TO_PHONE_FIELD,
  Recording_Destination__c: RECORDING_DESTINATION_FIELD,
  Voicemail_Destination__c: VOICEMAIL_DESTINATION_FIELD,
  Omni_Mapping_Mode__c: OMNI_MAPPING_MODE_FIELD,
  Default_Country__c: DEFAULT_COUNTRY_FIELD,
};

/** The draft as a record input: the org's (possibly namespaced) field API names. */
function recordFields(values: Partial<Record<SettingsField, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    (Object.entries(values) as [SettingsField, unknown][]).map(([field, value]) => [
      SETTINGS_FIELDS[field].fieldApiName,
      value,
    ]),
  );
}

const PICKLIST_FIELDS: Partial<Record<SettingsField, readonly string[]>> = {
  Log_Calls__c: PICKLISTS.logCalls,
  Unknown_Number_Action__c: PICKLISTS.unknownNumberAction,
  Multiple_Matches__c: PICKLISTS.multipleMatches,
  Recording_Destination__c: PICKLISTS.mediaDestination,
  Voicemail_Destination__c: PICKLISTS.mediaDestination,
  Omni_Mapping_Mode__c: PICKLISTS.omniMappingMode,
};

/** Field names in validation messages: the labels of their controls. */
const FIELD_LABELS: Record<SettingsField, string> = {
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
};

/** What each stored picklist value means, in words (the stored values stay the engine's). */
const VALUE_LABELS: Record<string, string> = {
  Always: LABELS.logAlways,
  'Business Hours Only': LABELS.logBusinessHours,
  'Create Lead': LABELS.createLead,
  'Create Contact': LABELS.createContact,
  'Create Account': LABELS.createAccount,
  'Do Nothing': LABELS.doNothing,
  'Most Recently Modified': LABELS.mostRecent,
  Oldest: LABELS.oldest,
  'Do Not Link': LABELS.doNotLink,
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

function optionsOf(values: readonly string[]): Option[] {
  return values.map((value) => ({ label: VALUE_LABELS[value] ?? value, value }));
}

function defaults(): Draft {
  return { ...DEFAULT_SETTINGS };
}

/** Checks a draft the way the engine will read it; returns sentences that say what to fix. */
function validateSettings(draft: Draft, activeBusinessHoursIds: string[] | undefined): string[] {
  const problems: string[] = [];
  for (const [field, allowed] of Object.entries(PICKLIST_FIELDS) as [
    SettingsField,
    readonly string[],
  ][]) {
    const value = draft[field];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      problems.push(
        formatLabel(
          LABELS.pickOne,
          FIELD_LABELS[field],
          allowed.map((v) => VALUE_LABELS[v] ?? v).join(', '),
        ),
      );
    }
  }
  const bh = draft.Business_Hours_Id__c.trim();
  if (draft.Log_Calls__c === 'Business Hours Only' && bh !== '') {
    if (activeBusinessHoursIds) {
      if (!activeBusinessHoursIds.includes(bh)) {
        problems.push(LABELS.bhInactive);
      }
    } else if (!BUSINESS_HOURS_ID.test(bh)) {
      problems.push(LABELS.bhBadId);
    }
  }
  const order = draft.Match_Order__c.split(',').filter(Boolean);
  const known = order.filter((o) => (MATCH_OBJECTS as readonly string[]).includes(o));
  if (order.length === 0) {
    problems.push(LABELS.matchEmpty);
  } else if (known.length !== order.length || new Set(order).size !== order.length) {
    problems.push(LABELS.matchDuplicates);
  }
  return problems;
}

export default class AircallSettings extends LightningElement {
  settingsResult?: GraphQLResult<SettingsQuery>;
  businessHoursResult?: GraphQLResult<BusinessHoursQuery>;
  lineCountriesResult?: GraphQLResult<LineCountriesQuery>;
  objectInfo?: ObjectInfoRepresentation;
  objectInfoError?: unknown;

  labels = LABELS;
  recordId?: string;
  draft: Draft = defaults();
  /** The settings as saved (or the defaults when none are): the draft is dirty when it differs. */
  saved: Draft = defaults();
  problems: string[] = [];
  saving = false;

  @wire(getObjectInfo, { objectApiName: SETTINGS_OBJECT })
  wiredObjectInfo({ data, error }: { data?: ObjectInfoRepresentation; error?: unknown }): void {
    this.objectInfo = data;
    this.objectInfoError = error;
  }

  // Aliases keep the response keys as written here: the platform adds the package namespace to the
  // custom object and fields of the query when the component is deployed in a namespace, and the
  // aliases stop that from renaming the keys read below ("Use a Namespace and Alias in Managed
  // Packages", GraphQL API Developer Guide).
  @wire(graphql, {
    query: gql`
      query aircallSettings {
        uiapi {
          query {
            Aircall_Settings__c: Aircall_Settings__c(
              first: 1
              orderBy: { CreatedDate: { order: ASC } }
            ) {
              edges {
                node {
                  Id
                  Log_Calls__c: Log_Calls__c {
                    value
                  }
                  Business_Hours_Id__c: Business_Hours_Id__c {
                    value
                  }
                  Unknown_Number_Action__c: Unknown_Number_Action__c {
                    value
                  }
                  Match_Order__c: Match_Order__c {
                    value
                  }
                  Multiple_Matches__c: Multiple_Matches__c {
                    value
                  }
                  Save_To_Phone__c: Save_To_Phone__c {
                    value
                  }
                  Recording_Destination__c: Recording_Destination__c {
                    value
                  }
                  Voicemail_Destination__c: Voicemail_Destination__c {
                    value
                  }
                  Omni_Mapping_Mode__c: Omni_Mapping_Mode__c {
                    value
                  }
                  Default_Country__c: Default_Country__c {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallSettings',
  })
  wiredSettings(result: GraphQLResult<SettingsQuery>): void {
    this.settingsResult = result;
    if (!result.data || this.dirty) return;
    this.loadDraft(result.data);
  }

  private loadDraft(data: SettingsQuery): void {
    const result = { data };
    const node = result.data.uiapi.query.Aircall_Settings__c.edges[0]?.node;
    this.recordId = node?.Id;
    const draft = defaults();
    if (node) {
      for (const field of Object.keys(draft) as SettingsField[]) {
        const value = node[field]?.value;
        if (value !== null && value !== undefined)
          (draft as Record<string, unknown>)[field] = value;
      }
    }
    this.draft = draft;
    this.saved = { ...draft };
  }

  // Separate from the settings query: if BusinessHours cannot be read, the rest still works.
  @wire(graphql, {
    query: gql`
      query aircallBusinessHours {
        uiapi {
          query {
            BusinessHours(
              first: 200
              where: { IsActive: { eq: true } }
              orderBy: { Name: { order: ASC } }
            ) {
              edges {
                node {
                  Id
                  Name {
                    value
                  }
                  IsDefault {
                    value
                  }
                  IsActive {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallBusinessHours',
  })
  wiredBusinessHours(result: GraphQLResult<BusinessHoursQuery>): void {
    this.businessHoursResult = result;
  }

  // The countries of the Aircall lines of the latest calls: the Default Country's placeholder, since
  // an empty setting means "the country of the line that took the call". Optional, like the above.
  @wire(graphql, {
    query: gql`
      query aircallLineCountries {
        uiapi {
          query {
            Aircall_Voice__c: Aircall_Voice__c(
              first: 50
              where: { Aircall_Line_Country__c: { ne: null } }
              orderBy: { CreatedDate: { order: DESC } }
            ) {
              edges {
                node {
                  Aircall_Line_Country__c: Aircall_Line_Country__c {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallLineCountries',
  })
  wiredLineCountries(result: GraphQLResult<LineCountriesQuery>): void {
    this.lineCountriesResult = result;
  }

  // ----- state -----

  get isLoading(): boolean {
    return (
      !this.settingsResult?.data && !this.settingsResult?.errors?.length && !this.objectInfoError
    );
  }

  get loadError(): string | undefined {
    if (this.objectInfoError) {
      return isAccessError(this.objectInfoError)
        ? LABELS.accessError
        : formatLabel(LABELS.loadError, reduceErrors(this.objectInfoError).join(' '));
    }
    const errors = this.settingsResult?.errors;
    if (errors?.length) {
      return formatLabel(LABELS.loadError, errors.map((e) => e.message).join(' '));
    }
    return undefined;
  }

  get showForm(): boolean {
    return !this.isLoading && !this.loadError;
  }

  get isNew(): boolean {
    return !this.recordId;
  }

  get canSave(): boolean {
    if (!this.objectInfo) return false;
    return this.isNew ? this.objectInfo.createable : this.objectInfo.updateable;
  }

  get readOnlyReason(): string | undefined {
    if (!this.objectInfo || this.canSave) return undefined;
    return LABELS.readOnly;
  }

  /** The form differs from what is saved. */
  get dirty(): boolean {
    return (Object.keys(this.saved) as SettingsField[]).some(
      (field) => this.draft[field] !== this.saved[field],
    );
  }

  /** Save writes something: a change, or the first settings record. Never a no-op write. */
  get saveDisabled(): boolean {
    return !this.canSave || this.saving || (!this.isNew && !this.dirty);
  }

  get cancelDisabled(): boolean {
    return !this.canSave || this.saving || !this.dirty;
  }

  get showUnsavedCue(): boolean {
    return this.canSave && this.dirty;
  }

  get omniModeHelp(): string {
    return this.draft.Omni_Mapping_Mode__c === 'Custom'
      ? LABELS.omniCustomHelp
      : LABELS.omniDefaultHelp;
  }

  get inputsDisabled(): boolean {
    return !this.canSave;
  }

  get saveLabel(): string {
    return this.isNew ? LABELS.create : LABELS.save;
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  // ----- options -----

  get logCallsOptions(): Option[] {
    return optionsOf(PICKLISTS.logCalls);
  }

  get unknownNumberOptions(): Option[] {
    return optionsOf(PICKLISTS.unknownNumberAction);
  }

  get multipleMatchesOptions(): Option[] {
    return optionsOf(PICKLISTS.multipleMatches);
  }

  get destinationOptions(): Option[] {
    return optionsOf(PICKLISTS.mediaDestination);
  }

  get omniModeOptions(): Option[] {
    return optionsOf(PICKLISTS.omniMappingMode);
  }

  get matchObjectOptions(): Option[] {
    return optionsOf(MATCH_OBJECTS);
  }

  get matchOrder(): string[] {
    return this.draft.Match_Order__c.split(',').filter(Boolean);
  }

  get businessHoursOnly(): boolean {
    return this.draft.Log_Calls__c === 'Business Hours Only';
  }

  get businessHours(): BusinessHoursNode[] | undefined {
    return this.businessHoursResult?.data?.uiapi.query.BusinessHours.edges.map((e) => e.node);
  }

  get businessHoursUnavailable(): boolean {
    return !!this.businessHoursResult?.errors?.length;
  }

  get businessHoursOptions(): Option[] {
    const hours = this.businessHours ?? [];
    const orgDefault = hours.find((h) => h.IsDefault.value);
    return [
      {
        label: orgDefault
          ? formatLabel(LABELS.orgDefaultNamed, orgDefault.Name.value ?? '')
          : LABELS.orgDefault,
        value: '',
      },
      ...hours.map((h) => ({ label: h.Name.value ?? h.Id, value: h.Id })),
    ];
  }

  /** "FR" or "FR, IT": what an empty Default Country means for the lines calls came in on. */
  get defaultCountryPlaceholder(): string {
    const edges = this.lineCountriesResult?.data?.uiapi.query.Aircall_Voice__c.edges ?? [];
    const countries = [
      ...new Set(edges.map((e) => e.node.Aircall_Line_Country__c.value).filter(Boolean)),
    ].sort();
    return countries.length
      ? formatLabel(LABELS.lineCountryNamed, countries.join(', '))
      : LABELS.lineCountry;
  }

  // ----- actions -----

  handleChange(event: CustomEvent<{ value?: string | string[]; checked?: boolean }>): void {
    const field = (event.currentTarget as HTMLElement).dataset.field as SettingsField | undefined;
    if (!field) return;
    const { value, checked } = event.detail;
    let next: string | boolean;
    if (typeof DEFAULT_SETTINGS[field] === 'boolean') next = checked === true;
    else if (Array.isArray(value)) next = value.join(',');
    else next = value ?? '';
    this.draft = { ...this.draft, [field]: next };
    if (this.problems.length) this.problems = this.validate();
  }

  private validate(): string[] {
    return validateSettings(
      this.draft,
      this.businessHours?.map((h) => h.Id),
    );
  }

  async handleSave(): Promise<void> {
    this.problems = this.validate();
    if (this.problems.length) {
      this.toast(LABELS.checkTitle, LABELS.checkMessage, 'error');
      return;
    }
    // Nothing changed on an existing record: nothing to write, nothing to announce.
    if (!this.isNew && !this.dirty) return;
    // Empty business hours means the org default, an empty country the line's (the engine reads
    // null that way).
    const fields = recordFields({
      ...this.draft,
      Business_Hours_Id__c: this.draft.Business_Hours_Id__c.trim() || null,
      Default_Country__c: this.draft.Default_Country__c.trim() || null,
    });
    this.saving = true;
    try {
      if (this.recordId) {
        await updateRecord({ fields: { Id: this.recordId, ...fields } });
      } else {
        const created = await createRecord({ apiName: SETTINGS_OBJECT.objectApiName, fields });
        this.recordId = created.id;
      }
      this.saved = { ...this.draft };
      this.toast(LABELS.savedTitle, LABELS.savedMessage, 'success');
      await this.settingsResult?.refresh?.();
      // The status mapper on the same page shows the mapping mode: let it reload too.
      this.dispatchEvent(new RefreshEvent());
    } catch (error) {
      this.toast(
        LABELS.notSavedTitle,
        formatLabel(LABELS.notSavedMessage, reduceErrors(error).join(' ')),
        'error',
      );
    } finally {
      this.saving = false;
    }
  }

  handleReset(): void {
    this.draft = { ...this.saved };
    this.problems = [];
    if (this.settingsResult?.data) this.loadDraft(this.settingsResult.data);
  }

  private toast(title: string, message: string, variant: 'success' | 'error'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
