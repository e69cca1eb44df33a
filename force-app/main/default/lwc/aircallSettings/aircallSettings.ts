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
import USER_LOCALE from '@salesforce/i18n/locale';
import { LABELS } from './labels';
import {
  changedFields,
  countryCode,
  countryName,
  fieldErrors,
  fill,
  firstError,
} from './settingsForm';
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

type SettingsField = keyof typeof DEFAULT_SETTINGS;
/** What the base input components offer for field-level errors. */
interface Validatable {
  setCustomValidity?(message: string): void;
  reportValidity?(): boolean;
}
/** The user's locale (Salesforce: their Locale setting), for country names. */
const LOCALE = USER_LOCALE || 'en-US';
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

function optionsOf(values: readonly string[]): Option[] {
  return values.map((value) => ({ label: VALUE_LABELS[value] ?? value, value }));
}

function defaults(): Draft {
  return { ...DEFAULT_SETTINGS };
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
  /** Field → what to change in it, shown on the field (after a Save that found problems). */
  errors: Record<string, string> = {};
  saving = false;
  /** Set by Save when it found problems: the next render moves focus to the first one. */
  private focusPending = false;
  /** Fields the last render marked invalid, so a fixed one is cleared. */
  private marked = new Set<string>();
  private readonly guard = (event: BeforeUnloadEvent): void => {
    if (!this.canSave || !this.dirty) return;
    // The browser (and Lightning) ask the user before the page is left with unsaved changes.
    event.preventDefault();
    event.returnValue = '';
  };

  override connectedCallback(): void {
    window.addEventListener('beforeunload', this.guard);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('beforeunload', this.guard);
  }

  /** Each error on its field (the base components show it under the field, marked invalid). */
  override renderedCallback(): void {
    const controls = this.template!.querySelectorAll<HTMLElement & Validatable>('[data-field]');
    for (const control of Array.from(controls)) {
      const field = control.dataset.field ?? '';
      const message = this.errors[field];
      if (!message && !this.marked.has(field)) continue;
      control.setCustomValidity?.(message ?? '');
      control.reportValidity?.();
      if (message) this.marked.add(field);
      else this.marked.delete(field);
    }
    if (this.focusPending) {
      this.focusPending = false;
      // The first field with an error, in the order the page shows them.
      const order = Array.from(controls).map((c) => c.dataset.field ?? '');
      const first = firstError(this.errors, order);
      Array.from(controls)
        .find((c) => c.dataset.field === first)
        ?.focus();
    }
  }

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
    return changedFields(this.draft, this.saved).length > 0;
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

  /** Read out when Save finds problems (the errors themselves are on their fields). */
  get errorSummary(): string {
    const count = Object.keys(this.errors).length;
    return count ? fill(LABELS.errorSummary, String(count)) : '';
  }

  /** "→ FR (France)": the country an entry was understood as, before it is saved. */
  get countryUnderstood(): string {
    const text = this.draft.Default_Country__c.trim();
    const code = text ? countryCode(text) : null;
    if (!code || text === code) return '';
    return fill(LABELS.countryUnderstood, code, countryName(code, LOCALE));
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
    // Once shown, errors follow the typing: a fixed field clears, a new problem shows.
    if (Object.keys(this.errors).length) this.errors = this.validate();
  }

  private validate(): Record<string, string> {
    return fieldErrors(this.draft, {
      picklists: PICKLIST_FIELDS as Record<string, readonly string[]>,
      matchObjects: MATCH_OBJECTS,
      ...(this.businessHours
        ? { activeBusinessHoursIds: this.businessHours.map((h) => h.Id) }
        : {}),
      fieldLabels: FIELD_LABELS,
      valueLabels: VALUE_LABELS,
      texts: LABELS,
    });
  }

  async handleSave(): Promise<void> {
    this.errors = this.validate();
    if (Object.keys(this.errors).length) {
      this.focusPending = true;
      return;
    }
    // Nothing changed on an existing record: nothing to write, nothing to announce.
    if (!this.isNew && !this.dirty) return;
    // Empty business hours means the org default, an empty country the line's (the engine reads
    // null that way).
    const fields = recordFields({
      ...this.draft,
      Business_Hours_Id__c: this.draft.Business_Hours_Id__c.trim() || null,
      // The ISO code the entry was understood as: what matching reads, whatever was typed.
      Default_Country__c: countryCode(this.draft.Default_Country__c) ?? null,
    });
    this.saving = true;
    try {
      if (this.recordId) {
        await updateRecord({ fields: { Id: this.recordId, ...fields } });
      } else {
        const created = await createRecord({ apiName: SETTINGS_OBJECT.objectApiName, fields });
        this.recordId = created.id;
      }
      this.draft = {
        ...this.draft,
        Default_Country__c: countryCode(this.draft.Default_Country__c) ?? '',
      };
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
    this.errors = {};
    if (this.settingsResult?.data) this.loadDraft(this.settingsResult.data);
  }

  private toast(title: string, message: string, variant: 'success' | 'error'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
