import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfoRepresentation } from 'lightning/uiObjectInfoApi';
import { createRecord, deleteRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { PICKLISTS, reduceErrors, isAccessError } from 'c/aircallUtils';
import type { Option } from 'c/aircallUtils';
import MAPPING_OBJECT from '@salesforce/schema/Aircall_Status_Mapping__c';
import DIRECTION_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Direction__c';
import OMNI_STATUS_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Omni_Status__c';
import AIRCALL_AVAILABILITY_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Aircall_Availability__c';
import AIRCALL_SUBSTATUS_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Aircall_Substatus__c';
import PHONE_EVENT_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Phone_Event__c';

const OMNI_TO_AIRCALL = 'Omni to Aircall';
const PHONE_TO_OMNI = 'Phone to Omni';
const SUBSTATUS_MAX = 255;

/**
 * Default mode, as the engine applies it (src/engine/presence.ts): the phone's busy states make
 * the rep Busy in Omni; being available on the phone picks the org's Available status, else
 * Online, else the first status that counts as available.
 */
const DEFAULT_PHONE_TO_OMNI: Record<string, string> = {
  Ringing: 'Busy',
  'In Call': 'Busy',
  'After-Call Work': 'Busy',
  Available: 'Online',
};

/** Default mode, Omni to Aircall: an Online or Available status means available, any other unavailable. */
function isAvailableStatus(status: PresenceStatus): boolean {
  const text = `${status.developerName} ${status.label}`;
  return /online|available/i.test(text) && !/unavailable|offline/i.test(text);
}

function defaultAvailability(status: PresenceStatus): string {
  return isAvailableStatus(status) ? 'available' : 'unavailable';
}

function defaultPhoneStatus(phoneEvent: string, statuses: readonly PresenceStatus[]): string {
  if (phoneEvent !== 'Available') return DEFAULT_PHONE_TO_OMNI[phoneEvent] ?? '';
  const named = (name: string) =>
    statuses.find((s) => s.developerName.toLowerCase() === name.toLowerCase());
  return (
    (named('Available') ?? named('Online') ?? statuses.find(isAvailableStatus))?.developerName ??
    'Online'
  );
}

interface ValueOf<T> {
  value: T | null;
}
interface StatusNode {
  Id: string;
  DeveloperName: ValueOf<string>;
  MasterLabel: ValueOf<string>;
}
interface StatusQuery {
  uiapi: { query: { ServicePresenceStatus: { edges: { node: StatusNode }[] } } };
}
interface MappingNode {
  Id: string;
  Direction__c: ValueOf<string>;
  Omni_Status__c: ValueOf<string>;
  Aircall_Availability__c: ValueOf<string>;
  Aircall_Substatus__c: ValueOf<string>;
  Phone_Event__c: ValueOf<string>;
}
interface MappingQuery {
  uiapi: {
    query: {
      Aircall_Status_Mapping__c: { edges: { node: MappingNode }[] };
      Aircall_Settings__c: {
        edges: { node: { Id: string; Omni_Mapping_Mode__c: ValueOf<string> } }[];
      };
    };
  };
}

interface PresenceStatus {
  developerName: string;
  label: string;
}
interface Mapping {
  id: string;
  direction: string;
  omniStatus: string;
  availability: string;
  substatus: string;
  phoneEvent: string;
}
interface OmniDraft {
  availability: string;
  substatus: string;
}

function mappingsOf(data: MappingQuery | undefined): Mapping[] {
  return (data?.uiapi.query.Aircall_Status_Mapping__c.edges ?? []).map(({ node }) => ({
    id: node.Id,
    direction: node.Direction__c.value ?? '',
    omniStatus: node.Omni_Status__c.value ?? '',
    availability: node.Aircall_Availability__c.value ?? '',
    substatus: node.Aircall_Substatus__c.value ?? '',
    phoneEvent: node.Phone_Event__c.value ?? '',
  }));
}

export default class OmniStatusMapper extends LightningElement {
  statusResult?: GraphQLResult<StatusQuery>;
  mappingResult?: GraphQLResult<MappingQuery>;
  objectInfo?: ObjectInfoRepresentation;
  objectInfoError?: unknown;

  /** Edits not saved yet, by status DeveloperName and by phone event. */
  omniDraft: Record<string, OmniDraft> = {};
  phoneDraft: Record<string, string> = {};
  problems: string[] = [];
  saving = false;
  /** Statuses added by API name while the org's list cannot be read. */
  addedStatuses: string[] = [];
  newStatusName = '';

  private refreshHandlerId?: number;

  override connectedCallback(): void {
    // Aircall Settings fires a RefreshEvent after a save, which may have switched the mapping mode.
    this.refreshHandlerId = registerRefreshHandler(this, () => this.reload());
  }

  override disconnectedCallback(): void {
    if (this.refreshHandlerId !== undefined) unregisterRefreshHandler(this.refreshHandlerId);
  }

  private async reload(): Promise<boolean> {
    await Promise.all([this.mappingResult?.refresh?.(), this.statusResult?.refresh?.()]);
    return true;
  }

  @wire(getObjectInfo, { objectApiName: MAPPING_OBJECT })
  wiredObjectInfo({ data, error }: { data?: ObjectInfoRepresentation; error?: unknown }): void {
    this.objectInfo = data;
    this.objectInfoError = error;
  }

  @wire(graphql, {
    query: gql`
      query omniPresenceStatuses {
        uiapi {
          query {
            ServicePresenceStatus(first: 200, orderBy: { MasterLabel: { order: ASC } }) {
              edges {
                node {
                  Id
                  DeveloperName {
                    value
                  }
                  MasterLabel {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'omniPresenceStatuses',
  })
  wiredStatuses(result: GraphQLResult<StatusQuery>): void {
    this.statusResult = result;
  }

  // Aliases keep the response keys as written here when the platform namespaces the query's custom
  // object and fields (see aircallSettings).
  @wire(graphql, {
    query: gql`
      query aircallStatusMappings {
        uiapi {
          query {
            Aircall_Status_Mapping__c: Aircall_Status_Mapping__c(first: 500) {
              edges {
                node {
                  Id
                  Direction__c: Direction__c {
                    value
                  }
                  Omni_Status__c: Omni_Status__c {
                    value
                  }
                  Aircall_Availability__c: Aircall_Availability__c {
                    value
                  }
                  Aircall_Substatus__c: Aircall_Substatus__c {
                    value
                  }
                  Phone_Event__c: Phone_Event__c {
                    value
                  }
                }
              }
            }
            Aircall_Settings__c: Aircall_Settings__c(
              first: 1
              orderBy: { CreatedDate: { order: ASC } }
            ) {
              edges {
                node {
                  Id
                  Omni_Mapping_Mode__c: Omni_Mapping_Mode__c {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `,
    operationName: 'aircallStatusMappings',
  })
  wiredMappings(result: GraphQLResult<MappingQuery>): void {
    this.mappingResult = result;
  }

  // ----- data -----

  /** True when the org's presence statuses could not be listed (the mapper then works from names). */
  get statusesUnavailable(): boolean {
    return !!this.statusResult?.errors?.length;
  }

  get statuses(): PresenceStatus[] {
    if (this.statusesUnavailable) {
      // Without the list, offer the statuses the saved rules and the default mapping name, plus
      // any the admin adds by API name, so the mapping can still be read and edited.
      const names = new Set<string>([
        ...Object.values(DEFAULT_PHONE_TO_OMNI),
        ...this.mappings.map((m) => m.omniStatus).filter(Boolean),
        ...this.addedStatuses,
      ]);
      return [...names].sort().map((name) => ({ developerName: name, label: name }));
    }
    return (this.statusResult?.data?.uiapi.query.ServicePresenceStatus.edges ?? []).map(
      ({ node }) => ({
        developerName: node.DeveloperName.value ?? node.Id,
        label: node.MasterLabel.value ?? node.DeveloperName.value ?? node.Id,
      }),
    );
  }

  get mappings(): Mapping[] {
    return mappingsOf(this.mappingResult?.data);
  }

  get mode(): string {
    return (
      this.mappingResult?.data?.uiapi.query.Aircall_Settings__c.edges[0]?.node.Omni_Mapping_Mode__c
        .value ?? 'Default'
    );
  }

  get isCustom(): boolean {
    return this.mode === 'Custom';
  }

  /** The first stored rule per key is the one the engine applies. */
  private storedOmni(developerName: string): Mapping | undefined {
    return this.mappings.find(
      (m) => m.direction === OMNI_TO_AIRCALL && m.omniStatus === developerName,
    );
  }

  private storedPhone(phoneEvent: string): Mapping | undefined {
    return this.mappings.find((m) => m.direction === PHONE_TO_OMNI && m.phoneEvent === phoneEvent);
  }

  private omniValue(developerName: string): OmniDraft {
    const draft = this.omniDraft[developerName];
    if (draft) return draft;
    const stored = this.storedOmni(developerName);
    return { availability: stored?.availability ?? '', substatus: stored?.substatus ?? '' };
  }

  private phoneValue(phoneEvent: string): string {
    return this.phoneDraft[phoneEvent] ?? this.storedPhone(phoneEvent)?.omniStatus ?? '';
  }

  // ----- state -----

  get isLoading(): boolean {
    if (this.objectInfoError) return false;
    const statusDone = !!this.statusResult?.data || !!this.statusResult?.errors?.length;
    const mappingDone = !!this.mappingResult?.data || !!this.mappingResult?.errors?.length;
    return !statusDone || !mappingDone;
  }

  get loadError(): string | undefined {
    if (this.objectInfoError) {
      return isAccessError(this.objectInfoError)
        ? "You don't have access to Aircall status mappings. Ask your admin for the Aircall Admin permission set."
        : `The status mapping could not be loaded: ${reduceErrors(this.objectInfoError).join(' ')} Reload the page to try again.`;
    }
    const mappingErrors = this.mappingResult?.errors;
    if (mappingErrors?.length) {
      return `The status mapping could not be loaded: ${mappingErrors.map((e) => e.message).join(' ')} Reload the page to try again.`;
    }
    return undefined;
  }

  get showMapper(): boolean {
    return !this.isLoading && !this.loadError;
  }

  get hasStatuses(): boolean {
    return this.statuses.length > 0;
  }

  get canEdit(): boolean {
    const info = this.objectInfo;
    return !!info && info.createable && info.updateable && info.deletable;
  }

  get editable(): boolean {
    return this.isCustom && this.canEdit;
  }

  get readOnly(): boolean {
    return !this.editable;
  }

  get modeHelp(): string {
    if (!this.isCustom) {
      return 'Default mapping: Online and Available statuses make the rep available in Aircall, any other status unavailable; ringing, in a call or in after-call work makes the rep Busy in Omni-Channel, and available again puts them back in the Available (or Online) status. To change it, set Omni-Channel status mapping to Custom in Aircall Settings.';
    }
    if (!this.canEdit) {
      return 'Only users with the Aircall Admin permission set can change the status mapping.';
    }
    return 'Custom mapping: choose what each Omni-Channel status means in Aircall, and which Omni-Channel status each phone event sets.';
  }

  get saveDisabled(): boolean {
    return !this.editable || this.saving;
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  // ----- rows -----

  get availabilityOptions(): Option[] {
    return [
      { label: 'Not mapped', value: '' },
      ...PICKLISTS.aircallAvailability.map((value) => ({
        label: value.charAt(0).toUpperCase() + value.slice(1),
        value,
      })),
    ];
  }

  get omniStatusOptions(): Option[] {
    return [
      { label: 'No change', value: '' },
      ...this.statuses.map((s) => ({ label: s.label, value: s.developerName })),
    ];
  }

  get omniRows(): {
    key: string;
    label: string;
    developerName: string;
    availability: string;
    availabilityLabel: string;
    substatus: string;
    isCustomAvailability: boolean;
    unmapped: boolean;
  }[] {
    return this.statuses.map((status) => {
      const value = this.isCustom
        ? this.omniValue(status.developerName)
        : { availability: defaultAvailability(status), substatus: '' };
      const option = this.availabilityOptions.find((o) => o.value === value.availability);
      return {
        key: status.developerName,
        label: status.label,
        developerName: status.developerName,
        availability: value.availability,
        availabilityLabel: option?.label ?? value.availability,
        substatus: value.substatus,
        isCustomAvailability: value.availability === 'custom',
        unmapped: value.availability === '',
      };
    });
  }

  get phoneRows(): {
    key: string;
    phoneEvent: string;
    omniStatus: string;
    omniStatusLabel: string;
    missing: boolean;
  }[] {
    return PICKLISTS.phoneEvent.map((phoneEvent) => {
      const omniStatus = this.isCustom
        ? this.phoneValue(phoneEvent)
        : defaultPhoneStatus(phoneEvent, this.statuses);
      const status = this.statuses.find((s) => s.developerName === omniStatus);
      return {
        key: phoneEvent,
        phoneEvent,
        omniStatus,
        omniStatusLabel: omniStatus === '' ? 'No change' : (status?.label ?? omniStatus),
        missing: omniStatus !== '' && !status && !this.statusesUnavailable,
      };
    });
  }

  /** Warnings about statuses a rep can be in that do nothing on the Aircall side, and rules that can never apply. */
  get warnings(): string[] {
    const warnings: string[] = [];
    if (this.statusesUnavailable) {
      const reason = (this.statusResult?.errors ?? []).map((e) => e.message).join(' ');
      warnings.push(
        `Omni-Channel presence statuses could not be listed (${reason}). The rows below come from the saved mapping${this.editable ? '; add a status by its API name from Setup > Presence Statuses' : ''}. Check that Omni-Channel is enabled and that your profile can read Presence Statuses.`,
      );
    }
    const unmapped = this.omniRows.filter((r) => r.unmapped).map((r) => r.label);
    if (unmapped.length) {
      warnings.push(
        `${unmapped.length === 1 ? 'This Omni-Channel status has' : 'These Omni-Channel statuses have'} no Aircall availability: ${unmapped.join(', ')}. Reps who pick ${unmapped.length === 1 ? 'it' : 'one of them'} keep their current Aircall availability.`,
      );
    }
    const missing = [...new Set(this.phoneRows.filter((r) => r.missing).map((r) => r.omniStatus))];
    if (missing.length) {
      warnings.push(
        `This org has no Omni-Channel status named ${missing.join(', ')}: phone events mapped to ${missing.length === 1 ? 'it' : 'them'} do not change the rep's Omni-Channel status. Create the status in Setup > Presence Statuses${this.isCustom ? ' or map the events to another one' : ', or switch to Custom mode'}.`,
      );
    }
    if (this.isCustom && !this.statusesUnavailable) {
      const known = new Set(this.statuses.map((s) => s.developerName));
      const orphans = this.mappings
        .filter((m) => m.direction === OMNI_TO_AIRCALL && !known.has(m.omniStatus))
        .map((m) => m.omniStatus);
      if (orphans.length) {
        warnings.push(
          `Rules for Omni-Channel statuses that no longer exist are ignored: ${[...new Set(orphans)].join(', ')}. Delete them from the Aircall Status Mappings tab.`,
        );
      }
    }
    return warnings;
  }

  get hasWarnings(): boolean {
    return this.warnings.length > 0;
  }

  // ----- actions -----

  handleAvailabilityChange(event: CustomEvent<{ value: string }>): void {
    const status = (event.currentTarget as HTMLElement).dataset.status as string;
    const current = this.omniValue(status);
    const availability = event.detail.value;
    this.omniDraft = {
      ...this.omniDraft,
      [status]: { availability, substatus: availability === 'custom' ? current.substatus : '' },
    };
    if (this.problems.length) this.problems = this.validate();
  }

  handleSubstatusChange(event: CustomEvent<{ value: string }>): void {
    const status = (event.currentTarget as HTMLElement).dataset.status as string;
    this.omniDraft = {
      ...this.omniDraft,
      [status]: { ...this.omniValue(status), substatus: event.detail.value },
    };
    if (this.problems.length) this.problems = this.validate();
  }

  handlePhoneChange(event: CustomEvent<{ value: string }>): void {
    const phoneEvent = (event.currentTarget as HTMLElement).dataset.event as string;
    this.phoneDraft = { ...this.phoneDraft, [phoneEvent]: event.detail.value };
  }

  handleNewStatusChange(event: CustomEvent<{ value: string }>): void {
    this.newStatusName = event.detail.value;
  }

  handleAddStatus(): void {
    const name = this.newStatusName.trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      this.problems = [
        `"${name}" is not a status API name: use the API Name shown in Setup > Presence Statuses (letters, digits and underscores).`,
      ];
      return;
    }
    if (!this.addedStatuses.includes(name)) this.addedStatuses = [...this.addedStatuses, name];
    this.newStatusName = '';
    this.problems = this.validate();
  }

  get canAddStatus(): boolean {
    return this.editable && this.statusesUnavailable;
  }

  handleCancel(): void {
    this.omniDraft = {};
    this.phoneDraft = {};
    this.addedStatuses = [];
    this.problems = [];
  }

  private validate(): string[] {
    const problems: string[] = [];
    for (const row of this.omniRows) {
      if (row.isCustomAvailability && row.substatus.trim() === '') {
        problems.push(
          `${row.label}: a custom availability needs a substatus, the reason Aircall shows (for example "Out for lunch").`,
        );
      } else if (row.substatus.length > SUBSTATUS_MAX) {
        problems.push(
          `${row.label}: shorten the substatus to ${SUBSTATUS_MAX} characters or fewer.`,
        );
      }
    }
    return problems;
  }

  /** Brings the stored rules in line with the rows on screen: one rule per status and per phone event. */
  private plan(): {
    creates: Record<string, unknown>[];
    updates: Record<string, unknown>[];
    deletes: string[];
  } {
    const creates: Record<string, unknown>[] = [];
    const updates: Record<string, unknown>[] = [];
    const deletes: string[] = [];
    for (const row of this.omniRows) {
      const rules = this.mappings.filter(
        (m) => m.direction === OMNI_TO_AIRCALL && m.omniStatus === row.developerName,
      );
      const [first, ...duplicates] = rules;
      deletes.push(...duplicates.map((d) => d.id));
      const substatus = row.isCustomAvailability ? row.substatus.trim() : '';
      if (row.availability === '') {
        if (first) deletes.push(first.id);
      } else if (!first) {
        creates.push({
          [DIRECTION_FIELD.fieldApiName]: OMNI_TO_AIRCALL,
          [OMNI_STATUS_FIELD.fieldApiName]: row.developerName,
          [AIRCALL_AVAILABILITY_FIELD.fieldApiName]: row.availability,
          [AIRCALL_SUBSTATUS_FIELD.fieldApiName]: substatus || null,
        });
      } else if (first.availability !== row.availability || first.substatus !== substatus) {
        updates.push({
          Id: first.id,
          [AIRCALL_AVAILABILITY_FIELD.fieldApiName]: row.availability,
          [AIRCALL_SUBSTATUS_FIELD.fieldApiName]: substatus || null,
        });
      }
    }
    for (const row of this.phoneRows) {
      const rules = this.mappings.filter(
        (m) => m.direction === PHONE_TO_OMNI && m.phoneEvent === row.phoneEvent,
      );
      const [first, ...duplicates] = rules;
      deletes.push(...duplicates.map((d) => d.id));
      if (row.omniStatus === '') {
        if (first) deletes.push(first.id);
      } else if (!first) {
        creates.push({
          [DIRECTION_FIELD.fieldApiName]: PHONE_TO_OMNI,
          [PHONE_EVENT_FIELD.fieldApiName]: row.phoneEvent,
          [OMNI_STATUS_FIELD.fieldApiName]: row.omniStatus,
        });
      } else if (first.omniStatus !== row.omniStatus) {
        updates.push({ Id: first.id, [OMNI_STATUS_FIELD.fieldApiName]: row.omniStatus });
      }
    }
    return { creates, updates, deletes };
  }

  async handleSave(): Promise<void> {
    this.problems = this.validate();
    if (this.problems.length) {
      this.toast(
        'Check the mapping',
        'Some rows need a change before the mapping can be saved: see the messages above Save.',
        'error',
      );
      return;
    }
    const { creates, updates, deletes } = this.plan();
    if (creates.length + updates.length + deletes.length === 0) {
      this.toast('Nothing to save', 'The mapping on screen is already the saved one.', 'info');
      return;
    }
    this.saving = true;
    // Each row is its own request (LDS has no batch write), so some may fail while others succeed.
    const outcomes = await Promise.allSettled([
      ...creates.map((fields) => createRecord({ apiName: MAPPING_OBJECT.objectApiName, fields })),
      ...updates.map((fields) => updateRecord({ fields })),
      ...deletes.map((id) => deleteRecord(id)),
    ]);
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    try {
      await this.mappingResult?.refresh?.();
    } finally {
      this.saving = false;
    }
    if (failures.length) {
      const reasons = [...new Set(failures.flatMap((f) => reduceErrors(f.reason)))].join(' ');
      this.toast(
        'Part of the mapping was not saved',
        `${failures.length} of ${outcomes.length} changes failed: ${reasons} The rows show what is saved now; fix the problem and save again.`,
        'error',
      );
    } else {
      this.toast(
        'Status mapping saved',
        `${outcomes.length} rule${outcomes.length === 1 ? '' : 's'} changed. The connector applies the mapping to the next status change.`,
        'success',
      );
    }
    this.omniDraft = {};
    this.phoneDraft = {};
  }

  private toast(title: string, message: string, variant: 'success' | 'error' | 'info'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
