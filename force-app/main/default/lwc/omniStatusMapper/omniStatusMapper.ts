import { LightningElement, wire } from 'lwc';
import { graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfoRepresentation } from 'lightning/uiObjectInfoApi';
import { createRecord, deleteRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent, registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import type { PageReference } from 'lightning/navigation';
import {
  PRESENCE_STATUSES_OPERATION,
  PRESENCE_STATUSES_QUERY,
  formatLabel,
  presenceStatuses,
  setupPage,
  setupSection,
} from 'c/aircallUtils';
import type { PresenceStatusesQuery } from 'c/aircallUtils';
import { MAPPINGS_QUERY, loadErrorText, mappingsOf, settingsOf } from './data';
import type { MappingQuery } from './data';
import type { Option } from 'c/aircallUtils';
import { LABELS } from './labels';
import {
  editOmni,
  findProblems,
  planRules,
  planSize,
  startMode,
  statusesFromNames,
} from './mapping';
import type { MapperState, Mapping, Mode, OmniValue, PresenceStatus, SaveOutcome } from './mapping';
import {
  availabilityOptions,
  MODE_OPTIONS,
  modeHelp,
  omniRows,
  omniStatusOptions,
  phoneRows,
  rowErrors,
  showFieldErrors,
  warnings,
} from './rows';
import type { OmniRow, PhoneRow } from './rows';
import { saveMapping, saveMessage } from './save';
import { MAPPING_OBJECT, SETTINGS_OBJECT, saveTarget } from './schema';

const canWrite = (info: ObjectInfoRepresentation | undefined): boolean =>
  !!info && info.createable && info.updateable;

/**
 * Omni-Channel ↔ Aircall availability: the mode (Default rules or the admin's Custom rules) and
 * the rules, edited and saved together. Choosing Custom starts from the default rules, so nothing
 * changes for agents until a row does.
 */
export default class OmniStatusMapper extends NavigationMixin(LightningElement) {
  statusResult?: GraphQLResult<PresenceStatusesQuery>;
  mappingResult?: GraphQLResult<MappingQuery>;
  objectInfo?: ObjectInfoRepresentation;
  objectInfoError?: unknown;
  settingsInfo?: ObjectInfoRepresentation;

  /** The mode picked on screen, not saved yet (null: the saved mode). */
  modeDraft: Mode | null = null;
  omniDraft: Record<string, OmniValue> = {};
  phoneDraft: Record<string, string> = {};
  /** Rules of deleted statuses the admin removed on screen (deleted on Save). */
  removedOrphans: string[] = [];
  /** Statuses added by API name while the org's list cannot be read. */
  addedStatuses: string[] = [];
  newStatusName = '';
  /** Set by Save when rows need a change: each row then shows its error until fixed. */
  showErrors = false;
  /** The status API name typed in "Add status" is not one. */
  apiNameError = '';
  saving = false;
  labels = LABELS;
  settingsUrl = '';

  private refreshHandlerId?: number;
  private focusPending = false;
  private marked = new Set<string>();
  private scrolled = false;
  private section = '';
  private readonly guard = (event: BeforeUnloadEvent): void => {
    if (!this.dirty) return;
    // The browser (and Lightning) ask before the page is left with unsaved changes.
    event.preventDefault();
    event.returnValue = '';
  };

  override connectedCallback(): void {
    // Aircall Settings fires a RefreshEvent after a save.
    this.refreshHandlerId = registerRefreshHandler(this, () => this.reload());
    window.addEventListener('beforeunload', this.guard);
    this[NavigationMixin.GenerateUrl](setupPage(SETTINGS_OBJECT.objectApiName, 'settings'))
      .then((url: string) => {
        this.settingsUrl = url;
      })
      .catch(() => undefined);
  }

  override disconnectedCallback(): void {
    if (this.refreshHandlerId !== undefined) unregisterRefreshHandler(this.refreshHandlerId);
    window.removeEventListener('beforeunload', this.guard);
  }

  /** Each row's error on its field, focus on the first after a Save, the mapper in view if asked. */
  override renderedCallback(): void {
    const controls = this.template!.querySelectorAll<HTMLElement>('[data-error-key]');
    showFieldErrors(Array.from(controls), this.errors, this.marked, this.focusPending);
    this.focusPending = false;
    this.scrollIntoSection();
  }

  /** Opened from the settings panel's link (c__section=omni): the mapper comes into view once. */
  private scrollIntoSection(): void {
    if (this.section !== 'omni' || this.scrolled || !this.showMapper) return;
    this.scrolled = true;
    this.template!.querySelector('lightning-card')?.scrollIntoView?.();
  }

  private async reload(): Promise<boolean> {
    await Promise.all([this.mappingResult?.refresh?.(), this.statusResult?.refresh?.()]);
    return true;
  }

  @wire(CurrentPageReference)
  wiredPage(ref?: PageReference): void {
    // The settings panel links here with c__section=omni (both sit on the Aircall Setup page).
    this.section = setupSection(ref);
    this.scrolled = false;
    this.scrollIntoSection();
  }

  @wire(getObjectInfo, { objectApiName: MAPPING_OBJECT })
  wiredObjectInfo({ data, error }: { data?: ObjectInfoRepresentation; error?: unknown }): void {
    this.objectInfo = data;
    this.objectInfoError = error;
  }

  @wire(getObjectInfo, { objectApiName: SETTINGS_OBJECT })
  wiredSettingsInfo({ data }: { data?: ObjectInfoRepresentation }): void {
    // Without access to the settings the mode is shown, not offered.
    this.settingsInfo = data;
  }

  @wire(graphql, { query: PRESENCE_STATUSES_QUERY, operationName: PRESENCE_STATUSES_OPERATION })
  wiredStatuses(result: GraphQLResult<PresenceStatusesQuery>): void {
    this.statusResult = result;
  }

  @wire(graphql, { query: MAPPINGS_QUERY, operationName: 'aircallStatusMappings' })
  wiredMappings(result: GraphQLResult<MappingQuery>): void {
    this.mappingResult = result;
  }

  // ----- data -----

  /** True when the org's presence statuses could not be listed (the mapper then works from names). */
  get statusesUnavailable(): boolean {
    return !!this.statusResult?.errors?.length;
  }

  get statuses(): PresenceStatus[] {
    if (this.statusesUnavailable) return statusesFromNames(this.mappings, this.addedStatuses);
    return presenceStatuses(this.statusResult) ?? [];
  }

  get mappings(): Mapping[] {
    return mappingsOf(this.mappingResult?.data);
  }

  /** The saved mode (Default while no settings record exists). */
  get savedMode(): Mode {
    return settingsOf(this.mappingResult?.data).mode;
  }

  get mode(): Mode {
    return this.modeDraft ?? this.savedMode;
  }

  get isCustom(): boolean {
    return this.mode === 'Custom';
  }

  get state(): MapperState {
    return {
      mode: this.mode,
      statuses: this.statuses,
      statusesUnavailable: this.statusesUnavailable,
      mappings: this.mappings,
      omniDraft: this.omniDraft,
      phoneDraft: this.phoneDraft,
      removedOrphans: this.removedOrphans,
    };
  }

  // ----- page state -----

  get isLoading(): boolean {
    if (this.objectInfoError) return false;
    const statusDone = !!this.statusResult?.data || !!this.statusResult?.errors?.length;
    const mappingDone = !!this.mappingResult?.data || !!this.mappingResult?.errors?.length;
    return !statusDone || !mappingDone;
  }

  get loadError(): string | undefined {
    return loadErrorText(this.objectInfoError, this.mappingResult?.errors);
  }

  get showMapper(): boolean {
    return !this.isLoading && !this.loadError;
  }

  get hasStatuses(): boolean {
    return this.statuses.length > 0;
  }

  /** May write the rules (the Aircall Admin permission set). */
  get canEdit(): boolean {
    return canWrite(this.objectInfo) && !!this.objectInfo?.deletable;
  }

  /** May also choose the mode: the rules and the settings record. */
  get canChooseMode(): boolean {
    return this.canEdit && canWrite(this.settingsInfo);
  }

  get editable(): boolean {
    return this.isCustom && this.canEdit;
  }

  /** The mode as a badge, for those who cannot choose it. */
  get showModeBadge(): boolean {
    return this.showMapper && !this.canChooseMode;
  }

  get modeLabel(): string {
    return this.isCustom ? LABELS.modeCustom : LABELS.modeDefault;
  }

  get modeOptions(): Option[] {
    return MODE_OPTIONS;
  }

  get modeHelp(): string {
    return modeHelp(this.mode, this.savedMode, this.canEdit, this.canChooseMode);
  }

  /** Something on screen differs from what is saved (the mode or a rule). */
  get dirty(): boolean {
    if (!this.canEdit) return false;
    return this.mode !== this.savedMode || planSize(planRules(this.state)) > 0;
  }

  get showFooter(): boolean {
    return this.canChooseMode || this.editable;
  }

  get saveDisabled(): boolean {
    return this.saving || !this.dirty;
  }

  /** Row key (status DeveloperName, or "new-status") → what to change there. */
  get errors(): Record<string, string> {
    return rowErrors(this.state, this.showErrors, this.apiNameError);
  }

  /** Read by screen readers when Save finds rows to fix (each message is on its row). */
  get errorSummary(): string {
    return Object.keys(this.errors).length ? LABELS.checkMessage : '';
  }

  // ----- rows -----

  get availabilityOptions(): Option[] {
    return availabilityOptions();
  }

  get omniStatusOptions(): Option[] {
    return omniStatusOptions(this.state);
  }

  get omniRows(): OmniRow[] {
    return omniRows(this.state, this.showErrors ? findProblems(this.state) : []);
  }

  get phoneRows(): PhoneRow[] {
    return phoneRows(this.state);
  }

  get warnings(): string[] {
    const statusesError = (this.statusResult?.errors ?? []).map((e) => e.message).join(' ');
    return warnings(this.state, { statusesError, editable: this.editable });
  }

  get hasWarnings(): boolean {
    return this.warnings.length > 0;
  }

  get canAddStatus(): boolean {
    return this.editable && this.statusesUnavailable;
  }

  // ----- actions -----

  handleModeChange(event: CustomEvent<{ value: string }>): void {
    const mode: Mode = event.detail.value === 'Custom' ? 'Custom' : 'Default';
    const start = startMode(mode, this.savedMode, this.statuses, this.statusesUnavailable);
    this.handleCancel();
    Object.assign(this, start);
  }

  handleAvailabilityChange(event: CustomEvent<{ value: string }>): void {
    const status = (event.currentTarget as HTMLElement).dataset.status as string;
    this.omniDraft = editOmni(this.state, status, { availability: event.detail.value });
  }

  handleSubstatusChange(event: CustomEvent<{ value: string }>): void {
    const status = (event.currentTarget as HTMLElement).dataset.status as string;
    this.omniDraft = editOmni(this.state, status, { substatus: event.detail.value });
  }

  handlePhoneChange(event: CustomEvent<{ value: string }>): void {
    const phoneEvent = (event.currentTarget as HTMLElement).dataset.event as string;
    this.phoneDraft = { ...this.phoneDraft, [phoneEvent]: event.detail.value };
  }

  handleRemoveOrphan(event: Event): void {
    const status = (event.currentTarget as HTMLElement).dataset.status as string;
    if (!this.removedOrphans.includes(status)) {
      this.removedOrphans = [...this.removedOrphans, status];
    }
  }

  handleNewStatusChange(event: CustomEvent<{ value: string }>): void {
    this.newStatusName = event.detail.value;
    this.apiNameError = '';
  }

  handleAddStatus(): void {
    const name = this.newStatusName.trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      this.apiNameError = formatLabel(LABELS.badApiName, name);
      this.focusPending = true;
      return;
    }
    if (!this.addedStatuses.includes(name)) this.addedStatuses = [...this.addedStatuses, name];
    this.newStatusName = '';
    this.apiNameError = '';
  }

  handleCancel(): void {
    this.modeDraft = null;
    this.omniDraft = {};
    this.phoneDraft = {};
    this.addedStatuses = [];
    this.removedOrphans = [];
    this.showErrors = false;
    this.apiNameError = '';
  }

  handleSettingsLink(event: Event): void {
    event.preventDefault();
    this[NavigationMixin.Navigate](setupPage(SETTINGS_OBJECT.objectApiName, 'settings'));
  }

  async handleSave(): Promise<void> {
    if (findProblems(this.state).length) {
      // Each row at fault shows its own error; focus goes to the first.
      this.showErrors = true;
      this.focusPending = true;
      return;
    }
    const plan = planRules(this.state);
    const mode = this.mode !== this.savedMode ? this.mode : undefined;
    if (planSize(plan) === 0 && mode === undefined) return;
    const savedMode = this.savedMode;
    this.saving = true;
    let outcome: SaveOutcome;
    try {
      outcome = await saveMapping(plan, mode, saveTarget(settingsOf(this.mappingResult?.data).id), {
        createRecord,
        updateRecord,
        deleteRecord,
      });
      await this.mappingResult?.refresh?.();
    } finally {
      this.saving = false;
    }
    const message = saveMessage(outcome, savedMode);
    this.dispatchEvent(new ShowToastEvent(message));
    // The settings panel on the same page shows the mode too.
    if (outcome.modeSaved) this.dispatchEvent(new RefreshEvent());
    // Saved: the rows are the saved rules. Not all saved: the edits stay, to be saved again.
    if (message.variant === 'success') this.handleCancel();
    else if (outcome.modeSaved) this.modeDraft = null;
  }
}
