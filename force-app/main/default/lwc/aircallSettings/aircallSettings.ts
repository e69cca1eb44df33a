/**
 * The Aircall settings panel, a view over the settings record. Its rules are in pure modules beside
 * it: settingsForm (validation, diff, draft ↔ record), choices (options, words), settingsSchema,
 * settingsQueries, validity (errors on their fields).
 */
import { LightningElement, wire } from 'lwc';
import { graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { getObjectInfo, getObjectInfos, getPicklistValues } from 'lightning/uiObjectInfoApi';
import type {
  ObjectInfoRepresentation,
  ObjectInfosRepresentation,
  PicklistValuesRepresentation,
} from 'lightning/uiObjectInfoApi';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent, registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import type { PageReference } from 'lightning/navigation';
import {
  DEFAULT_SETTINGS,
  MATCH_OBJECTS,
  formatLabel,
  reduceErrors,
  setupPage,
  setupSection,
} from 'c/aircallUtils';
import type { Option } from 'c/aircallUtils';
import { LABELS } from './labels';
import {
  CALL_TYPE_ACTIONS,
  FIELD_LABELS,
  FIELD_VALUE_LABELS,
  PICKLIST_FIELDS,
  VALUE_LABELS,
  callTypeRows,
  chosenPhoneFields,
  countryUnderstood as countryUnderstoodText,
  errorSummaryText,
  leadSourceOptions,
  lineCountryPlaceholder,
  loadErrorText,
  panelOptions,
  phoneFieldOptions,
  phoneFieldsOf,
} from './choices';
import type { CallTypeRow, Choice } from './choices';
import {
  changedFields,
  draftFromRecord,
  fieldErrors,
  CREATE_PERSON_ACCOUNT,
  PHONE_OBJECTS,
  createsRecords,
  savedDraft,
  usesCases,
  usesFollowUps,
  usesTasks,
  valueFromChange,
  valuesToSave,
} from './settingsForm';
import {
  ACCOUNT_OBJECT,
  CONTACT_OBJECT,
  LEAD_OBJECT,
  LEAD_SOURCE_FIELDS,
  SETTINGS_OBJECT,
  defaultDraft,
  recordFields,
} from './settingsSchema';
import { focusFirstError, markFields, unsavedGuard } from './validity';
import type { Draft, SettingsField } from './settingsSchema';
import type { PhoneObject } from './settingsForm';
import {
  BUSINESS_HOURS_QUERY,
  LINE_COUNTRIES_QUERY,
  SETTINGS_QUERY,
  lineCountries,
  savedRecord,
} from './settingsQueries';
import type {
  BusinessHoursNode,
  BusinessHoursQuery,
  LineCountriesQuery,
  SettingsQuery,
} from './settingsQueries';

/** The master record type: the values of a picklist when the object's default is unknown. */
const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

export default class AircallSettings extends NavigationMixin(LightningElement) {
  settingsResult?: GraphQLResult<SettingsQuery>;
  businessHoursResult?: GraphQLResult<BusinessHoursQuery>;
  lineCountriesResult?: GraphQLResult<LineCountriesQuery>;
  objectInfo?: ObjectInfoRepresentation;
  objectInfoError?: unknown;

  labels = LABELS;
  recordId?: string;
  draft: Draft = defaultDraft();
  /** The settings as saved (or the defaults when none are): the draft is dirty when it differs. */
  saved: Draft = defaultDraft();
  /** Field → what to change in it, shown on the field (after a Save that found problems). */
  errors: Record<string, string> = {};
  saving = false;
  /** The org has Person Accounts; undefined while unknown. */
  personAccounts?: boolean;
  /** The admin picked "a user or queue" as the owner of created Cases (its Id may still be empty). */
  caseOwnerChosen = false;
  /** Contact, Lead and Account as described to this user (those that could be read). */
  matchInfos?: Partial<Record<PhoneObject, ObjectInfoRepresentation>>;
  /** Their describe failed: extra phone fields are typed. */
  matchInfosFailed = false;
  /** The values of the Lead Source field of the records created for unknown numbers. */
  leadSourceValues?: PicklistValuesRepresentation['values'];
  /** They could not be read (the field is hidden, or absent): the Lead Source is typed. */
  leadSourceFailed = false;
  /** Set by Save when it found problems: the next render moves focus to the first one. */
  private focusPending = false;
  /** Fields the last render marked invalid, so a fixed one is cleared. */
  private marked = new Set<string>();
  /** The saved Omni-Channel mapping mode: read-only here, the status mapper saves it. */
  omniMode: string = DEFAULT_SETTINGS.Omni_Mapping_Mode__c;
  /** The status mapper's place on the Aircall Setup tab (linked under the mapping mode). */
  mapperUrl = '';
  private section = '';
  private refreshHandlerId?: number;
  private readonly guard = unsavedGuard(() => this.canSave && this.dirty);

  override connectedCallback(): void {
    window.addEventListener('beforeunload', this.guard);
    // The status mapper saves the mapping mode on this record: re-read it (a clean form follows).
    this.refreshHandlerId = registerRefreshHandler(this, () =>
      (this.settingsResult?.refresh?.() ?? Promise.resolve()).then(() => true),
    );
    this[NavigationMixin.GenerateUrl](setupPage(SETTINGS_OBJECT.objectApiName, 'omni'))
      .then((url: string) => {
        this.mapperUrl = url;
      })
      .catch(() => undefined);
  }

  @wire(CurrentPageReference)
  wiredPage(ref?: PageReference): void {
    // The status mapper links here with c__section=settings: this panel comes into view.
    this.section = setupSection(ref);
    this.scrollIntoSection();
  }

  private scrollIntoSection(): void {
    if (this.section !== 'settings' || !this.showForm) return;
    this.section = '';
    this.template!.querySelector('lightning-card')?.scrollIntoView?.();
  }

  handleMapperLink(event: Event): void {
    event.preventDefault();
    this[NavigationMixin.Navigate](setupPage(SETTINGS_OBJECT.objectApiName, 'omni'));
  }

  override disconnectedCallback(): void {
    window.removeEventListener('beforeunload', this.guard);
    if (this.refreshHandlerId !== undefined) unregisterRefreshHandler(this.refreshHandlerId);
  }

  /** Each error on its field (the base components show it under the field, marked invalid). */
  override renderedCallback(): void {
    markFields(this.template!, this.errors, this.marked);
    if (this.focusPending) {
      this.focusPending = false;
      focusFirstError(this.template!, this.errors);
    }
    this.scrollIntoSection();
  }

  // The Account describe says whether the org has Person Accounts (IsPersonAccount exists only
  // then: Object Reference, "Account"). Declared before the settings object's, whose config the
  // tests read last.
  @wire(getObjectInfo, { objectApiName: ACCOUNT_OBJECT })
  wiredAccountInfo({ data }: { data?: ObjectInfoRepresentation }): void {
    this.personAccounts = data ? 'IsPersonAccount' in data.fields : undefined;
  }

  // The objects matching searches: their phone fields are the extra ones to choose from, their
  // default record type the one whose Lead Source values are offered.
  @wire(getObjectInfos, { objectApiNames: [CONTACT_OBJECT, LEAD_OBJECT, ACCOUNT_OBJECT] })
  wiredMatchInfos({ data, error }: { data?: ObjectInfosRepresentation; error?: unknown }): void {
    this.matchInfosFailed = !!error;
    if (error) this.matchInfos = undefined;
    if (!data) return;
    const infos: Partial<Record<PhoneObject, ObjectInfoRepresentation>> = {};
    for (const { statusCode, result } of data.results) {
      const info = result as ObjectInfoRepresentation;
      const object = PHONE_OBJECTS.find((o) => o === info.apiName);
      if (statusCode === 200 && object) infos[object] = info;
    }
    this.matchInfos = infos;
  }

  /** `Object.Field` keeping the Lead Source of what the unknown-number action creates, if any. */
  get leadSourceField(): string | undefined {
    return LEAD_SOURCE_FIELDS[this.draft.Unknown_Number_Action__c];
  }

  /** Its object's default record type, once known (the master one when it cannot be read). */
  get leadSourceRecordTypeId(): string | undefined {
    const object = this.leadSourceField?.split('.')[0] as PhoneObject | undefined;
    if (!object || (!this.matchInfos && !this.matchInfosFailed)) return undefined;
    return this.matchInfos?.[object]?.defaultRecordTypeId ?? MASTER_RECORD_TYPE_ID;
  }

  @wire(getPicklistValues, {
    recordTypeId: '$leadSourceRecordTypeId',
    fieldApiName: '$leadSourceField',
  })
  wiredLeadSource({ data, error }: { data?: PicklistValuesRepresentation; error?: unknown }): void {
    this.leadSourceFailed = !!error;
    this.leadSourceValues = data?.values;
  }

  @wire(getObjectInfo, { objectApiName: SETTINGS_OBJECT })
  wiredObjectInfo({ data, error }: { data?: ObjectInfoRepresentation; error?: unknown }): void {
    this.objectInfo = data;
    this.objectInfoError = error;
  }

  @wire(graphql, { query: SETTINGS_QUERY, operationName: 'aircallSettings' })
  wiredSettings(result: GraphQLResult<SettingsQuery>): void {
    this.settingsResult = result;
    if (!result.data) return;
    // Shown as saved even while the form has unsaved changes: the status mapper may have changed it.
    const mode = savedRecord(result.data)?.values.Omni_Mapping_Mode__c;
    this.omniMode = typeof mode === 'string' ? mode : DEFAULT_SETTINGS.Omni_Mapping_Mode__c;
    if (this.dirty) return;
    this.loadDraft(result.data);
  }

  private loadDraft(data: SettingsQuery): void {
    const record = savedRecord(data);
    this.recordId = record?.id;
    this.draft = draftFromRecord(defaultDraft(), record?.values);
    this.saved = { ...this.draft };
  }

  @wire(graphql, { query: BUSINESS_HOURS_QUERY, operationName: 'aircallBusinessHours' })
  wiredBusinessHours(result: GraphQLResult<BusinessHoursQuery>): void {
    this.businessHoursResult = result;
  }

  @wire(graphql, { query: LINE_COUNTRIES_QUERY, operationName: 'aircallLineCountries' })
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
    return loadErrorText(this.objectInfoError, this.settingsResult?.errors);
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

  /** The saved mapping mode, in words: only the status mapper changes it. */
  get omniModeText(): string {
    return this.omniMode === 'Custom' ? LABELS.omniCustom : LABELS.omniDefault;
  }

  get omniModeHelp(): string {
    return this.omniMode === 'Custom' ? LABELS.omniCustomHelp : LABELS.omniDefaultHelp;
  }

  get inputsDisabled(): boolean {
    return !this.canSave;
  }

  get saveLabel(): string {
    return this.isNew ? LABELS.create : LABELS.save;
  }

  /** Read out when Save finds problems (the errors themselves are on their fields). */
  get errorSummary(): string {
    return errorSummaryText(Object.keys(this.errors).length);
  }

  /** "→ FR (France)": the country an entry was understood as, before it is saved. */
  get countryUnderstood(): string {
    return countryUnderstoodText(this.draft.Default_Country__c);
  }

  // ----- options -----

  /** Each picklist's options, its values in words. */
  get options(): Record<string, readonly Option[]> {
    return panelOptions(
      this.personAccounts,
      this.saved.Unknown_Number_Action__c,
      this.businessHours,
    );
  }

  get matchOrder(): string[] {
    return this.draft.Match_Order__c.split(',').filter(Boolean);
  }

  get businessHours(): BusinessHoursNode[] | undefined {
    return this.businessHoursResult?.data?.uiapi.query.BusinessHours.edges.map((e) => e.node);
  }

  get businessHoursUnavailable(): boolean {
    return !!this.businessHoursResult?.errors?.length;
  }

  /** "FR" or "FR, IT": what an empty Default Country means for the lines calls came in on. */
  get defaultCountryPlaceholder(): string {
    return lineCountryPlaceholder(lineCountries(this.lineCountriesResult?.data));
  }

  // ----- extra phone fields, created records -----

  /** The phone fields could be listed: they are picked from a list, else typed. */
  get phoneFieldsListed(): boolean {
    if (this.matchInfosFailed) return false;
    return !this.matchInfos || Object.keys(this.matchInfos).length > 0;
  }

  /** The phone fields to choose from, and whatever is saved or chosen besides. */
  get phoneFieldChoices(): Option[] {
    const chosen = `${this.saved.Extra_Phone_Fields__c},${this.draft.Extra_Phone_Fields__c}`;
    return phoneFieldOptions(this.matchInfos ?? {}, chosen);
  }

  get extraPhoneFields(): string[] {
    return chosenPhoneFields(this.phoneFieldChoices, this.draft.Extra_Phone_Fields__c);
  }

  /** Listed, and there is none to add nor any chosen: said so instead of an empty list. */
  get noPhoneFields(): boolean {
    return !!this.matchInfos && this.phoneFieldChoices.length === 0;
  }

  /** The Lead Source values could not be read: it is typed. */
  get leadSourceUnavailable(): boolean {
    return this.leadSourceFailed;
  }

  get leadSourceChoices(): Option[] {
    const value = this.draft.Created_Lead_Source__c;
    return this.leadSourceValues
      ? leadSourceOptions(this.leadSourceValues, value)
      : leadSourceOptions(value ? [{ label: value, value }] : [], value);
  }

  // ----- Tasks, kinds of call, Cases -----

  callTypeActions: readonly Choice[] = CALL_TYPE_ACTIONS;

  get callTypeRows(): CallTypeRow[] {
    return callTypeRows(this.draft, this.errors);
  }

  /** The controls that apply to the draft as it is (the others are hidden, and not checked). */
  get shown(): Record<string, boolean> {
    const draft = this.draft;
    return {
      businessHours: draft.Log_Calls__c === 'Business Hours Only',
      taskSubject: usesTasks(draft),
      followUps: usesFollowUps(draft),
      personRecordType:
        !!this.personAccounts && draft.Unknown_Number_Action__c === CREATE_PERSON_ACCOUNT,
      caseOwner: usesCases(draft),
      caseOwnerId: this.caseOwnerMode === 'owner',
      createdRecords: createsRecords(draft),
    };
  }

  get caseOwnerMode(): string {
    return this.caseOwnerChosen || this.draft.Case_Owner__c.trim() !== '' ? 'owner' : 'rules';
  }

  // ----- actions -----

  handleChange(event: CustomEvent<{ value?: string | string[]; checked?: boolean }>): void {
    const field = (event.currentTarget as HTMLElement).dataset.field as SettingsField | undefined;
    if (!field) return;
    this.draft = { ...this.draft, [field]: valueFromChange(this.draft[field], event.detail) };
    this.revalidate();
  }

  /** A radio of the grid: its name is the setting of its kind of call. */
  handleActionChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.draft = { ...this.draft, [input.name]: input.value };
    this.revalidate();
  }

  handleCaseOwnerMode(event: CustomEvent<{ value: string }>): void {
    this.caseOwnerChosen = event.detail.value === 'owner';
    if (!this.caseOwnerChosen) this.draft = { ...this.draft, Case_Owner__c: '' };
    this.revalidate();
  }

  /** Once shown, errors follow the typing: a fixed field clears, a new problem shows. */
  private revalidate(): void {
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
      fieldValueLabels: FIELD_VALUE_LABELS,
      caseOwnerChosen: this.caseOwnerChosen,
      ...(this.matchInfos ? { phoneFields: phoneFieldsOf(this.matchInfos) } : {}),
      ...(this.personAccounts !== undefined ? { personAccounts: this.personAccounts } : {}),
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
    const fields = recordFields(valuesToSave(this.draft));
    this.saving = true;
    try {
      if (this.recordId) {
        await updateRecord({ fields: { Id: this.recordId, ...fields } });
      } else {
        const created = await createRecord({ apiName: SETTINGS_OBJECT.objectApiName, fields });
        this.recordId = created.id;
      }
      this.draft = savedDraft(this.draft);
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
    this.caseOwnerChosen = false;
    this.errors = {};
    if (this.settingsResult?.data) this.loadDraft(this.settingsResult.data);
  }

  private toast(title: string, message: string, variant: 'success' | 'error'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
