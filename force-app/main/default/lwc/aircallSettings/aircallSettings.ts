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
  isAccessError,
  reduceErrors,
  toOptions,
} from 'c/aircallUtils';
import type { FieldRef, Option } from 'c/aircallUtils';
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

const LABELS: Record<SettingsField, string> = {
  Log_Calls__c: 'Log calls',
  Business_Hours_Id__c: 'Business hours',
  Unknown_Number_Action__c: 'Unknown number',
  Match_Order__c: 'Match order',
  Multiple_Matches__c: 'Several matches',
  Save_To_Phone__c: 'Save to phone',
  Recording_Destination__c: 'Recordings',
  Voicemail_Destination__c: 'Voicemails',
  Omni_Mapping_Mode__c: 'Omni-Channel mapping',
  Default_Country__c: 'Default country',
};

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
      problems.push(`${LABELS[field]}: pick one of ${allowed.join(', ')}.`);
    }
  }
  const bh = draft.Business_Hours_Id__c.trim();
  if (draft.Log_Calls__c === 'Business Hours Only' && bh !== '') {
    if (activeBusinessHoursIds) {
      if (!activeBusinessHoursIds.includes(bh)) {
        problems.push(
          'Business hours: the selected business hours are missing or inactive. Pick active business hours, or the org default.',
        );
      }
    } else if (!BUSINESS_HOURS_ID.test(bh)) {
      problems.push(
        'Business hours: enter a Business Hours record id (it starts with 01m), or leave it empty for the org default.',
      );
    }
  }
  const order = draft.Match_Order__c.split(',').filter(Boolean);
  const known = order.filter((o) => (MATCH_OBJECTS as readonly string[]).includes(o));
  if (order.length === 0) {
    problems.push('Match order: pick at least one object to match phone numbers against.');
  } else if (known.length !== order.length || new Set(order).size !== order.length) {
    problems.push('Match order: list each of Contact, Lead and Account at most once.');
  }
  return problems;
}

export default class AircallSettings extends LightningElement {
  settingsResult?: GraphQLResult<SettingsQuery>;
  businessHoursResult?: GraphQLResult<BusinessHoursQuery>;
  lineCountriesResult?: GraphQLResult<LineCountriesQuery>;
  objectInfo?: ObjectInfoRepresentation;
  objectInfoError?: unknown;

  recordId?: string;
  draft: Draft = defaults();
  problems: string[] = [];
  saving = false;
  dirty = false;

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
        ? "You don't have access to Aircall Settings. Ask your admin for the Aircall Admin permission set."
        : `Aircall Settings could not be loaded: ${reduceErrors(this.objectInfoError).join(' ')} Reload the page to try again.`;
    }
    const errors = this.settingsResult?.errors;
    if (errors?.length) {
      return `Aircall Settings could not be loaded: ${errors.map((e) => e.message).join(' ')} Reload the page to try again.`;
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
    return 'Only users with the Aircall Admin permission set can change these settings. Ask your admin for it if you need to.';
  }

  get saveDisabled(): boolean {
    return !this.canSave || this.saving;
  }

  get inputsDisabled(): boolean {
    return !this.canSave;
  }

  get saveLabel(): string {
    return this.isNew ? 'Create settings' : 'Save';
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  // ----- options -----

  get logCallsOptions(): Option[] {
    return toOptions(PICKLISTS.logCalls);
  }

  get unknownNumberOptions(): Option[] {
    return toOptions(PICKLISTS.unknownNumberAction);
  }

  get multipleMatchesOptions(): Option[] {
    return toOptions(PICKLISTS.multipleMatches);
  }

  get destinationOptions(): Option[] {
    return toOptions(PICKLISTS.mediaDestination);
  }

  get omniModeOptions(): Option[] {
    return toOptions(PICKLISTS.omniMappingMode);
  }

  get matchObjectOptions(): Option[] {
    return toOptions(MATCH_OBJECTS);
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
        label: orgDefault ? `Org default (${orgDefault.Name.value ?? ''})` : 'Org default',
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
      ? `The Aircall line's country (${countries.join(', ')})`
      : "The Aircall line's country";
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
    this.dirty = true;
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
      this.toast(
        'Check the settings',
        'Some settings need a change before they can be saved: see the messages above Save.',
        'error',
      );
      return;
    }
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
      this.dirty = false;
      this.toast(
        'Aircall settings saved',
        'The connector applies them to the next calls it logs.',
        'success',
      );
      await this.settingsResult?.refresh?.();
      // The status mapper on the same page shows the mapping mode: let it reload too.
      this.dispatchEvent(new RefreshEvent());
    } catch (error) {
      this.toast(
        'Aircall settings were not saved',
        `${reduceErrors(error).join(' ')} Fix the problem and save again.`,
        'error',
      );
    } finally {
      this.saving = false;
    }
  }

  handleReset(): void {
    this.dirty = false;
    this.problems = [];
    if (this.settingsResult) this.wiredSettings(this.settingsResult);
  }

  private toast(title: string, message: string, variant: 'success' | 'error'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
