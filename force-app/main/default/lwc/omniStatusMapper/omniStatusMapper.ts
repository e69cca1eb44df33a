import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfoRepresentation } from 'lightning/uiObjectInfoApi';
import { createRecord, deleteRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import {
  DEFAULT_PHONE_TO_OMNI,
  EMPTY,
  PICKLISTS,
  defaultOmniStatus,
  formatLabel,
  isAccessError,
  isAvailableStatus,
  reduceErrors,
} from 'c/aircallUtils';
import type { Option } from 'c/aircallUtils';
import L_AIRCALL_MAPPER_TITLE from '@salesforce/label/c.Aircall_Mapper_Title';
import L_AIRCALL_MAPPER_LOADING from '@salesforce/label/c.Aircall_Mapper_Loading';
import L_AIRCALL_MAPPER_MODE_DEFAULT from '@salesforce/label/c.Aircall_Mapper_Mode_Default';
import L_AIRCALL_MAPPER_MODE_CUSTOM from '@salesforce/label/c.Aircall_Mapper_Mode_Custom';
import L_AIRCALL_MAPPER_OMNI_TO_AIRCALL from '@salesforce/label/c.Aircall_Mapper_Omni_To_Aircall';
import L_AIRCALL_MAPPER_PHONE_TO_OMNI from '@salesforce/label/c.Aircall_Mapper_Phone_To_Omni';
import L_AIRCALL_MAPPER_OMNI_STATUS from '@salesforce/label/c.Aircall_Mapper_Omni_Status';
import L_AIRCALL_MAPPER_AVAILABILITY from '@salesforce/label/c.Aircall_Mapper_Availability';
import L_AIRCALL_MAPPER_SUBSTATUS from '@salesforce/label/c.Aircall_Mapper_Substatus';
import L_AIRCALL_MAPPER_PHONE_EVENT from '@salesforce/label/c.Aircall_Mapper_Phone_Event';
import L_AIRCALL_MAPPER_NOT_MAPPED from '@salesforce/label/c.Aircall_Mapper_Not_Mapped';
import L_AIRCALL_MAPPER_AVAILABLE from '@salesforce/label/c.Aircall_Mapper_Available';
import L_AIRCALL_MAPPER_UNAVAILABLE from '@salesforce/label/c.Aircall_Mapper_Unavailable';
import L_AIRCALL_MAPPER_CUSTOM_AVAILABILITY from '@salesforce/label/c.Aircall_Mapper_Custom_Availability';
import L_AIRCALL_MAPPER_NO_CHANGE from '@salesforce/label/c.Aircall_Mapper_No_Change';
import L_AIRCALL_MAPPER_AVAILABILITY_FOR from '@salesforce/label/c.Aircall_Mapper_Availability_For';
import L_AIRCALL_MAPPER_SUBSTATUS_FOR from '@salesforce/label/c.Aircall_Mapper_Substatus_For';
import L_AIRCALL_MAPPER_STATUS_FOR from '@salesforce/label/c.Aircall_Mapper_Status_For';
import L_AIRCALL_MAPPER_REMOVE_RULE from '@salesforce/label/c.Aircall_Mapper_Remove_Rule';
import L_AIRCALL_MAPPER_REMOVE_RULE_FOR from '@salesforce/label/c.Aircall_Mapper_Remove_Rule_For';
import L_AIRCALL_MAPPER_ORPHAN_NOTE from '@salesforce/label/c.Aircall_Mapper_Orphan_Note';
import L_AIRCALL_MAPPER_PHONE_SET_NOTE from '@salesforce/label/c.Aircall_Mapper_Phone_Set_Note';
import L_AIRCALL_MAPPER_MISSING_STATUS from '@salesforce/label/c.Aircall_Mapper_Missing_Status';
import L_AIRCALL_MAPPER_SUBSTATUS_MISSING from '@salesforce/label/c.Aircall_Mapper_Substatus_Missing';
import L_AIRCALL_MAPPER_NO_STATUSES from '@salesforce/label/c.Aircall_Mapper_No_Statuses';
import L_AIRCALL_MAPPER_STATUS_API_NAME from '@salesforce/label/c.Aircall_Mapper_Status_Api_Name';
import L_AIRCALL_MAPPER_ADD_STATUS from '@salesforce/label/c.Aircall_Mapper_Add_Status';
import L_AIRCALL_MAPPER_HELP_DEFAULT from '@salesforce/label/c.Aircall_Mapper_Help_Default';
import L_AIRCALL_MAPPER_HELP_READ_ONLY from '@salesforce/label/c.Aircall_Mapper_Help_Read_Only';
import L_AIRCALL_MAPPER_HELP_CUSTOM from '@salesforce/label/c.Aircall_Mapper_Help_Custom';
import L_AIRCALL_MAPPER_ACCESS_ERROR from '@salesforce/label/c.Aircall_Mapper_Access_Error';
import L_AIRCALL_MAPPER_LOAD_ERROR from '@salesforce/label/c.Aircall_Mapper_Load_Error';
import L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE from '@salesforce/label/c.Aircall_Mapper_Statuses_Unavailable';
import L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE_ADD from '@salesforce/label/c.Aircall_Mapper_Statuses_Unavailable_Add';
import L_AIRCALL_MAPPER_UNMAPPED_WARNING from '@salesforce/label/c.Aircall_Mapper_Unmapped_Warning';
import L_AIRCALL_MAPPER_MISSING_WARNING from '@salesforce/label/c.Aircall_Mapper_Missing_Warning';
import L_AIRCALL_MAPPER_MISSING_WARNING_DEFAULT from '@salesforce/label/c.Aircall_Mapper_Missing_Warning_Default';
import L_AIRCALL_MAPPER_ORPHAN_WARNING from '@salesforce/label/c.Aircall_Mapper_Orphan_Warning';
import L_AIRCALL_MAPPER_BAD_API_NAME from '@salesforce/label/c.Aircall_Mapper_Bad_Api_Name';
import L_AIRCALL_MAPPER_NEEDS_SUBSTATUS from '@salesforce/label/c.Aircall_Mapper_Needs_Substatus';
import L_AIRCALL_MAPPER_SUBSTATUS_TOO_LONG from '@salesforce/label/c.Aircall_Mapper_Substatus_Too_Long';
import L_AIRCALL_MAPPER_CHECK_TITLE from '@salesforce/label/c.Aircall_Mapper_Check_Title';
import L_AIRCALL_MAPPER_CHECK_MESSAGE from '@salesforce/label/c.Aircall_Mapper_Check_Message';
import L_AIRCALL_MAPPER_PARTIAL_TITLE from '@salesforce/label/c.Aircall_Mapper_Partial_Title';
import L_AIRCALL_MAPPER_PARTIAL_MESSAGE from '@salesforce/label/c.Aircall_Mapper_Partial_Message';
import L_AIRCALL_MAPPER_SAVED_TITLE from '@salesforce/label/c.Aircall_Mapper_Saved_Title';
import L_AIRCALL_MAPPER_SAVED_MESSAGE from '@salesforce/label/c.Aircall_Mapper_Saved_Message';
import L_AIRCALL_PHONE_RINGING from '@salesforce/label/c.Aircall_Phone_Ringing';
import L_AIRCALL_PHONE_IN_CALL from '@salesforce/label/c.Aircall_Phone_In_Call';
import L_AIRCALL_PHONE_AFTER_CALL_WORK from '@salesforce/label/c.Aircall_Phone_After_Call_Work';
import L_AIRCALL_PHONE_AVAILABLE from '@salesforce/label/c.Aircall_Phone_Available';
import L_AIRCALL_CANCEL from '@salesforce/label/c.Aircall_Cancel';
import L_AIRCALL_SAVE from '@salesforce/label/c.Aircall_Save';
import L_AIRCALL_UNSAVED_CHANGES from '@salesforce/label/c.Aircall_Unsaved_Changes';
import MAPPING_OBJECT from '@salesforce/schema/Aircall_Status_Mapping__c';
import DIRECTION_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Direction__c';
import OMNI_STATUS_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Omni_Status__c';
import AIRCALL_AVAILABILITY_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Aircall_Availability__c';
import AIRCALL_SUBSTATUS_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Aircall_Substatus__c';
import PHONE_EVENT_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Phone_Event__c';

/** UI text: Custom Labels (English and Spanish ship with the package). */
const LABELS = {
  title: L_AIRCALL_MAPPER_TITLE,
  loading: L_AIRCALL_MAPPER_LOADING,
  modeDefault: L_AIRCALL_MAPPER_MODE_DEFAULT,
  modeCustom: L_AIRCALL_MAPPER_MODE_CUSTOM,
  omniToAircall: L_AIRCALL_MAPPER_OMNI_TO_AIRCALL,
  phoneToOmni: L_AIRCALL_MAPPER_PHONE_TO_OMNI,
  omniStatus: L_AIRCALL_MAPPER_OMNI_STATUS,
  availability: L_AIRCALL_MAPPER_AVAILABILITY,
  substatus: L_AIRCALL_MAPPER_SUBSTATUS,
  phoneEvent: L_AIRCALL_MAPPER_PHONE_EVENT,
  notMapped: L_AIRCALL_MAPPER_NOT_MAPPED,
  available: L_AIRCALL_MAPPER_AVAILABLE,
  unavailable: L_AIRCALL_MAPPER_UNAVAILABLE,
  customAvailability: L_AIRCALL_MAPPER_CUSTOM_AVAILABILITY,
  noChange: L_AIRCALL_MAPPER_NO_CHANGE,
  availabilityFor: L_AIRCALL_MAPPER_AVAILABILITY_FOR,
  substatusFor: L_AIRCALL_MAPPER_SUBSTATUS_FOR,
  statusFor: L_AIRCALL_MAPPER_STATUS_FOR,
  removeRule: L_AIRCALL_MAPPER_REMOVE_RULE,
  removeRuleFor: L_AIRCALL_MAPPER_REMOVE_RULE_FOR,
  orphanNote: L_AIRCALL_MAPPER_ORPHAN_NOTE,
  phoneSetNote: L_AIRCALL_MAPPER_PHONE_SET_NOTE,
  missingStatus: L_AIRCALL_MAPPER_MISSING_STATUS,
  substatusMissing: L_AIRCALL_MAPPER_SUBSTATUS_MISSING,
  noStatuses: L_AIRCALL_MAPPER_NO_STATUSES,
  statusApiName: L_AIRCALL_MAPPER_STATUS_API_NAME,
  addStatus: L_AIRCALL_MAPPER_ADD_STATUS,
  helpDefault: L_AIRCALL_MAPPER_HELP_DEFAULT,
  helpReadOnly: L_AIRCALL_MAPPER_HELP_READ_ONLY,
  helpCustom: L_AIRCALL_MAPPER_HELP_CUSTOM,
  accessError: L_AIRCALL_MAPPER_ACCESS_ERROR,
  loadError: L_AIRCALL_MAPPER_LOAD_ERROR,
  statusesUnavailable: L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE,
  statusesUnavailableAdd: L_AIRCALL_MAPPER_STATUSES_UNAVAILABLE_ADD,
  unmappedWarning: L_AIRCALL_MAPPER_UNMAPPED_WARNING,
  missingWarning: L_AIRCALL_MAPPER_MISSING_WARNING,
  missingWarningDefault: L_AIRCALL_MAPPER_MISSING_WARNING_DEFAULT,
  orphanWarning: L_AIRCALL_MAPPER_ORPHAN_WARNING,
  badApiName: L_AIRCALL_MAPPER_BAD_API_NAME,
  needsSubstatus: L_AIRCALL_MAPPER_NEEDS_SUBSTATUS,
  substatusTooLong: L_AIRCALL_MAPPER_SUBSTATUS_TOO_LONG,
  checkTitle: L_AIRCALL_MAPPER_CHECK_TITLE,
  checkMessage: L_AIRCALL_MAPPER_CHECK_MESSAGE,
  partialTitle: L_AIRCALL_MAPPER_PARTIAL_TITLE,
  partialMessage: L_AIRCALL_MAPPER_PARTIAL_MESSAGE,
  savedTitle: L_AIRCALL_MAPPER_SAVED_TITLE,
  savedMessage: L_AIRCALL_MAPPER_SAVED_MESSAGE,
  phoneRinging: L_AIRCALL_PHONE_RINGING,
  phoneInCall: L_AIRCALL_PHONE_IN_CALL,
  phoneAfterCallWork: L_AIRCALL_PHONE_AFTER_CALL_WORK,
  phoneAvailable: L_AIRCALL_PHONE_AVAILABLE,
  cancel: L_AIRCALL_CANCEL,
  save: L_AIRCALL_SAVE,
  unsaved: L_AIRCALL_UNSAVED_CHANGES,
  empty: EMPTY,
};

const PHONE_EVENT_LABELS: Record<string, string> = {
  Ringing: LABELS.phoneRinging,
  'In Call': LABELS.phoneInCall,
  'After-Call Work': LABELS.phoneAfterCallWork,
  Available: LABELS.phoneAvailable,
};

const AVAILABILITY_LABELS: Record<string, string> = {
  '': LABELS.notMapped,
  available: LABELS.available,
  unavailable: LABELS.unavailable,
  custom: LABELS.customAvailability,
};

const OMNI_TO_AIRCALL = 'Omni to Aircall';
const PHONE_TO_OMNI = 'Phone to Omni';
const SUBSTATUS_MAX = 255;

/** Default mode, Omni to Aircall (the engine's rule, from c/aircallUtils). */
function defaultAvailability(status: PresenceStatus): string {
  return isAvailableStatus(status) ? 'available' : 'unavailable';
}

/**
 * Default mode, phone to Omni, as the engine applies it (the same code, c/aircallUtils): the org's
 * own Busy and Available/Online statuses, found by API name or label. What the org lacks is shown
 * by name and flagged missing.
 */
function defaultPhoneStatus(phoneEvent: string, statuses: readonly PresenceStatus[]): string {
  const resolved = defaultOmniStatus(phoneEvent, statuses);
  if (!resolved) return '';
  return 'status' in resolved ? resolved.status.developerName : resolved.missing;
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
interface OmniRow {
  key: string;
  label: string;
  developerName: string;
  className: string;
  availability: string;
  availabilityLabel: string;
  /** Accessible names tied to the row: "Aircall availability for Busy". */
  availabilityName: string;
  substatus: string;
  substatusName: string;
  isCustomAvailability: boolean;
  showDash: boolean;
  unmapped: boolean;
  /** A stored rule for a status the org no longer has. */
  orphan: boolean;
  removeName: string;
  note: string;
  problem: string;
}
interface PhoneRow {
  key: string;
  phoneEvent: string;
  phoneEventLabel: string;
  className: string;
  statusName: string;
  omniStatus: string;
  omniStatusLabel: string;
  missing: boolean;
  missingText: string;
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
  labels = LABELS;
  /** Rules of deleted statuses the admin removed on screen (deleted on Save). */
  removedOrphans: string[] = [];
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
        ? LABELS.accessError
        : formatLabel(LABELS.loadError, reduceErrors(this.objectInfoError).join(' '));
    }
    const mappingErrors = this.mappingResult?.errors;
    if (mappingErrors?.length) {
      return formatLabel(LABELS.loadError, mappingErrors.map((e) => e.message).join(' '));
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

  get modeLabel(): string {
    return this.isCustom ? LABELS.modeCustom : LABELS.modeDefault;
  }

  get modeHelp(): string {
    if (!this.isCustom) return LABELS.helpDefault;
    if (!this.canEdit) return LABELS.helpReadOnly;
    return LABELS.helpCustom;
  }

  /** Something on screen differs from the saved rules. */
  get dirty(): boolean {
    if (!this.editable) return false;
    const { creates, updates, deletes } = this.plan();
    return creates.length + updates.length + deletes.length > 0;
  }

  get saveDisabled(): boolean {
    return !this.editable || this.saving || !this.dirty;
  }

  get cancelDisabled(): boolean {
    return !this.editable || this.saving || !this.dirty;
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  // ----- rows -----

  get availabilityOptions(): Option[] {
    return ['', ...PICKLISTS.aircallAvailability].map((value) => ({
      label: AVAILABILITY_LABELS[value] ?? value,
      value,
    }));
  }

  get omniStatusOptions(): Option[] {
    return [
      { label: LABELS.noChange, value: '' },
      ...this.statuses.map((s) => ({ label: s.label, value: s.developerName })),
    ];
  }

  /** Omni statuses the phone events put reps in: no Aircall availability is expected for them. */
  private get phoneTargets(): Map<string, string[]> {
    const targets = new Map<string, string[]>();
    for (const row of this.phoneRows) {
      if (!row.omniStatus) continue;
      targets.set(row.omniStatus, [...(targets.get(row.omniStatus) ?? []), row.phoneEventLabel]);
    }
    return targets;
  }

  /** Stored Omni → Aircall rules whose status no longer exists (Custom mode, list readable). */
  private get orphans(): string[] {
    if (!this.isCustom || this.statusesUnavailable) return [];
    const known = new Set(this.statuses.map((s) => s.developerName));
    return [
      ...new Set(
        this.mappings
          .filter((m) => m.direction === OMNI_TO_AIRCALL && !known.has(m.omniStatus))
          .map((m) => m.omniStatus),
      ),
    ];
  }

  get omniRows(): OmniRow[] {
    const targets = this.phoneTargets;
    const problems = this.rowProblems;
    const rows: OmniRow[] = this.statuses.map((status) => {
      const value = this.isCustom
        ? this.omniValue(status.developerName)
        : { availability: defaultAvailability(status), substatus: '' };
      const setBy = targets.get(status.developerName);
      const unmapped = value.availability === '' && !setBy;
      return {
        key: status.developerName,
        label: status.label,
        developerName: status.developerName,
        className: 'omni-row',
        availability: value.availability,
        availabilityLabel: AVAILABILITY_LABELS[value.availability] ?? value.availability,
        availabilityName: formatLabel(LABELS.availabilityFor, status.label),
        substatus: value.substatus,
        substatusName: formatLabel(LABELS.substatusFor, status.label),
        isCustomAvailability: value.availability === 'custom',
        showDash: value.availability !== 'custom',
        unmapped,
        orphan: false,
        removeName: '',
        note:
          value.availability === '' && setBy
            ? formatLabel(LABELS.phoneSetNote, setBy.join(', '))
            : '',
        problem: problems[status.developerName] ?? '',
      };
    });
    // A rule of a deleted status is a row of its own, with its way out next to it.
    for (const name of this.orphans) {
      if (this.removedOrphans.includes(name)) continue;
      rows.push({
        key: `orphan-${name}`,
        label: name,
        developerName: name,
        className: 'omni-row orphan-row',
        availability: '',
        availabilityLabel: '',
        availabilityName: '',
        substatus: '',
        substatusName: '',
        isCustomAvailability: false,
        showDash: false,
        unmapped: false,
        orphan: true,
        removeName: formatLabel(LABELS.removeRuleFor, name),
        note: LABELS.orphanNote,
        problem: '',
      });
    }
    return rows;
  }

  get phoneRows(): PhoneRow[] {
    return PICKLISTS.phoneEvent.map((phoneEvent) => {
      const omniStatus = this.isCustom
        ? this.phoneValue(phoneEvent)
        : defaultPhoneStatus(phoneEvent, this.statuses);
      const status = this.statuses.find((s) => s.developerName === omniStatus);
      const label = PHONE_EVENT_LABELS[phoneEvent] ?? phoneEvent;
      const missing = omniStatus !== '' && !status && !this.statusesUnavailable;
      return {
        key: phoneEvent,
        phoneEvent,
        phoneEventLabel: label,
        className: missing ? 'phone-row missing-row' : 'phone-row',
        statusName: formatLabel(LABELS.statusFor, label),
        omniStatus,
        omniStatusLabel: omniStatus === '' ? LABELS.noChange : (status?.label ?? omniStatus),
        missing,
        missingText: formatLabel(LABELS.missingStatus, omniStatus),
      };
    });
  }

  /**
   * What does nothing or can never apply, each also marked on its row: statuses reps can pick
   * that leave Aircall as it is (unless a phone event sets them), phone events aimed at a status
   * the org does not have, rules of deleted statuses.
   */
  get warnings(): string[] {
    const warnings: string[] = [];
    if (this.statusesUnavailable) {
      const reason = (this.statusResult?.errors ?? []).map((e) => e.message).join(' ');
      warnings.push(
        [
          formatLabel(LABELS.statusesUnavailable, reason),
          this.editable ? LABELS.statusesUnavailableAdd : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
    }
    const unmapped = this.omniRows.filter((r) => r.unmapped).map((r) => r.label);
    if (unmapped.length) warnings.push(formatLabel(LABELS.unmappedWarning, unmapped.join(', ')));
    const missing = [...new Set(this.phoneRows.filter((r) => r.missing).map((r) => r.omniStatus))];
    if (missing.length) {
      warnings.push(
        formatLabel(
          this.isCustom ? LABELS.missingWarning : LABELS.missingWarningDefault,
          missing.join(', '),
        ),
      );
    }
    const orphans = this.orphans.filter((o) => !this.removedOrphans.includes(o));
    if (orphans.length) warnings.push(formatLabel(LABELS.orphanWarning, orphans.join(', ')));
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

  handleRemoveOrphan(event: Event): void {
    const status = (event.currentTarget as HTMLElement).dataset.status as string;
    if (!this.removedOrphans.includes(status)) {
      this.removedOrphans = [...this.removedOrphans, status];
    }
  }

  handleNewStatusChange(event: CustomEvent<{ value: string }>): void {
    this.newStatusName = event.detail.value;
  }

  handleAddStatus(): void {
    const name = this.newStatusName.trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      this.problems = [formatLabel(LABELS.badApiName, name)];
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
    this.removedOrphans = [];
    this.problems = [];
  }

  /** Row problems by status DeveloperName, shown in the row they are about. */
  private get rowProblems(): Record<string, string> {
    if (!this.problems.length) return {};
    return Object.fromEntries(this.findProblems().map((p) => [p.status, p.message]));
  }

  private findProblems(): { status: string; message: string }[] {
    const problems: { status: string; message: string }[] = [];
    for (const status of this.statuses) {
      if (!this.isCustom) break;
      const value = this.omniValue(status.developerName);
      if (value.availability === 'custom' && value.substatus.trim() === '') {
        problems.push({
          status: status.developerName,
          message: formatLabel(LABELS.needsSubstatus, status.label),
        });
      } else if (value.availability === 'custom' && value.substatus.length > SUBSTATUS_MAX) {
        problems.push({
          status: status.developerName,
          message: formatLabel(LABELS.substatusTooLong, status.label, String(SUBSTATUS_MAX)),
        });
      }
    }
    return problems;
  }

  private validate(): string[] {
    return this.findProblems().map((p) => p.message);
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
      if (row.orphan) continue;
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
    for (const name of this.removedOrphans) {
      deletes.push(
        ...this.mappings
          .filter((m) => m.direction === OMNI_TO_AIRCALL && m.omniStatus === name)
          .map((m) => m.id),
      );
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
      // The inputs of the rows at fault show their own error.
      this.template
        ?.querySelectorAll<HTMLElement & { reportValidity?: () => boolean }>('.substatus')
        .forEach((input) => input.reportValidity?.());
      this.toast(LABELS.checkTitle, LABELS.checkMessage, 'error');
      return;
    }
    const { creates, updates, deletes } = this.plan();
    // Nothing differs from what is saved: no write, no "saved" message (Save is disabled anyway).
    if (creates.length + updates.length + deletes.length === 0) return;
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
        LABELS.partialTitle,
        formatLabel(
          LABELS.partialMessage,
          String(failures.length),
          String(outcomes.length),
          reasons,
        ),
        'error',
      );
    } else {
      this.toast(
        LABELS.savedTitle,
        formatLabel(LABELS.savedMessage, String(outcomes.length)),
        'success',
      );
    }
    this.omniDraft = {};
    this.phoneDraft = {};
    this.removedOrphans = [];
  }

  private toast(title: string, message: string, variant: 'success' | 'error' | 'info'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }
}
