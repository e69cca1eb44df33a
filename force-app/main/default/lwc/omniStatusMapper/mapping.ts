/**
 * The status mapper's rules, free of the DOM: what each row holds (the saved rule, the admin's
 * edit, or the default rule), what is wrong with it, and which writes bring the saved rules in line
 * with the rows. The view (omniStatusMapper.ts) turns these into rows, messages and record writes.
 */
import {
  DEFAULT_PHONE_TO_OMNI,
  PICKLISTS,
  defaultOmniStatus,
  isAvailableStatus,
} from 'c/aircallUtils';

export const OMNI_TO_AIRCALL = 'Omni to Aircall';
export const PHONE_TO_OMNI = 'Phone to Omni';
/** Aircall_Substatus__c length. */
export const SUBSTATUS_MAX = 255;

export type Mode = 'Default' | 'Custom';

export interface PresenceStatus {
  developerName: string;
  label: string;
}

/** One stored Aircall_Status_Mapping__c rule. */
export interface Mapping {
  id: string;
  direction: string;
  omniStatus: string;
  availability: string;
  substatus: string;
  phoneEvent: string;
}

/** What an Omni → Aircall row holds: '' availability is "not mapped" (Aircall is left alone). */
export interface OmniValue {
  availability: string;
  substatus: string;
}

/** Everything the rows are computed from. */
export interface MapperState {
  /** The mode on screen (the saved one, or the one the admin just picked). */
  mode: Mode;
  statuses: readonly PresenceStatus[];
  /** True when the org's list of statuses could not be read (rows then come from names). */
  statusesUnavailable: boolean;
  mappings: readonly Mapping[];
  /** Edits not saved yet, by status DeveloperName and by phone event. */
  omniDraft: Readonly<Record<string, OmniValue>>;
  phoneDraft: Readonly<Record<string, string>>;
  /** Rules of deleted statuses removed on screen (deleted on Save). */
  removedOrphans: readonly string[];
}

/** Default mode, Omni → Aircall (the engine's rule, from c/aircallUtils). */
export function defaultAvailability(status: PresenceStatus): string {
  return isAvailableStatus(status) ? 'available' : 'unavailable';
}

/**
 * Default mode, phone → Omni, as the engine applies it (the same code, c/aircallUtils): the org's
 * own Busy and Available/Online statuses, found by API name or label. What the org lacks is named,
 * so the row can say it is missing.
 */
export function defaultPhoneStatus(
  phoneEvent: string,
  statuses: readonly PresenceStatus[],
): string {
  const resolved = defaultOmniStatus(phoneEvent, statuses);
  if (!resolved) return '';
  return 'status' in resolved ? resolved.status.developerName : resolved.missing;
}

/**
 * The default rules written out as Custom rows: what applies now in Default mode, so choosing Custom
 * changes nothing until the admin edits a row (no status left "not mapped"). A phone event whose
 * default status the org lacks starts at "No change", which is what Default mode does with it.
 */
export function defaultDrafts(
  statuses: readonly PresenceStatus[],
  statusesUnavailable: boolean,
): { omni: Record<string, OmniValue>; phone: Record<string, string> } {
  const omni: Record<string, OmniValue> = {};
  for (const status of statuses) {
    omni[status.developerName] = { availability: defaultAvailability(status), substatus: '' };
  }
  const phone: Record<string, string> = {};
  for (const phoneEvent of PICKLISTS.phoneEvent) {
    const name = defaultPhoneStatus(phoneEvent, statuses);
    const exists = statuses.some((s) => s.developerName === name);
    phone[phoneEvent] = exists || statusesUnavailable ? name : '';
  }
  return { omni, phone };
}

/**
 * The drafts after the admin picks a mode: back to the saved mode, nothing edited; Custom over a
 * saved Default, the default rules written out (Custom starts from what applies now, not from an
 * empty or stale set of rules).
 */
export function startMode(
  mode: Mode,
  savedMode: Mode,
  statuses: readonly PresenceStatus[],
  statusesUnavailable: boolean,
): {
  modeDraft: Mode | null;
  omniDraft: Record<string, OmniValue>;
  phoneDraft: Record<string, string>;
} {
  if (mode === savedMode) return { modeDraft: null, omniDraft: {}, phoneDraft: {} };
  if (mode === 'Default') return { modeDraft: mode, omniDraft: {}, phoneDraft: {} };
  const drafts = defaultDrafts(statuses, statusesUnavailable);
  return { modeDraft: mode, omniDraft: drafts.omni, phoneDraft: drafts.phone };
}

/** A status row edited: a new availability (one that is not custom drops the substatus) or substatus. */
export function editOmni(
  state: MapperState,
  developerName: string,
  edit: { availability?: string; substatus?: string },
): Record<string, OmniValue> {
  const status = state.statuses.find((s) => s.developerName === developerName);
  const current = omniValue(state, status ?? { developerName, label: developerName });
  const availability = edit.availability ?? current.availability;
  const substatus = availability === 'custom' ? (edit.substatus ?? current.substatus) : '';
  return { ...state.omniDraft, [developerName]: { availability, substatus } };
}

/** Statuses to show when the org's list cannot be read: default names, saved rules, added ones. */
export function statusesFromNames(
  mappings: readonly Mapping[],
  added: readonly string[],
): PresenceStatus[] {
  const names = new Set<string>([
    ...Object.values(DEFAULT_PHONE_TO_OMNI),
    ...mappings.map((m) => m.omniStatus).filter(Boolean),
    ...added,
  ]);
  return [...names].sort().map((name) => ({ developerName: name, label: name }));
}

/** The first stored rule per key is the one the engine applies. */
function storedOmni(state: MapperState, developerName: string): Mapping | undefined {
  return state.mappings.find(
    (m) => m.direction === OMNI_TO_AIRCALL && m.omniStatus === developerName,
  );
}

function storedPhone(state: MapperState, phoneEvent: string): Mapping | undefined {
  return state.mappings.find((m) => m.direction === PHONE_TO_OMNI && m.phoneEvent === phoneEvent);
}

/** What a status's row holds in the mode on screen. */
export function omniValue(state: MapperState, status: PresenceStatus): OmniValue {
  if (state.mode !== 'Custom') {
    return { availability: defaultAvailability(status), substatus: '' };
  }
  const draft = state.omniDraft[status.developerName];
  if (draft) return draft;
  const stored = storedOmni(state, status.developerName);
  return { availability: stored?.availability ?? '', substatus: stored?.substatus ?? '' };
}

/** The Omni status (DeveloperName, '' = no change) a phone event's row holds. */
export function phoneValue(state: MapperState, phoneEvent: string): string {
  if (state.mode !== 'Custom') return defaultPhoneStatus(phoneEvent, state.statuses);
  return state.phoneDraft[phoneEvent] ?? storedPhone(state, phoneEvent)?.omniStatus ?? '';
}

/** Stored Omni → Aircall rules whose status no longer exists (Custom mode, list readable). */
export function orphans(state: MapperState): string[] {
  if (state.mode !== 'Custom' || state.statusesUnavailable) return [];
  const known = new Set(state.statuses.map((s) => s.developerName));
  return [
    ...new Set(
      state.mappings
        .filter((m) => m.direction === OMNI_TO_AIRCALL && !known.has(m.omniStatus))
        .map((m) => m.omniStatus),
    ),
  ].filter((name) => !state.removedOrphans.includes(name));
}

export type ProblemKind = 'needsSubstatus' | 'substatusTooLong';

/** A row that cannot be saved as it is, by status DeveloperName. */
export interface Problem {
  status: string;
  label: string;
  kind: ProblemKind;
}

export function findProblems(state: MapperState): Problem[] {
  if (state.mode !== 'Custom') return [];
  const problems: Problem[] = [];
  for (const status of state.statuses) {
    const value = omniValue(state, status);
    if (value.availability !== 'custom') continue;
    const base = { status: status.developerName, label: status.label };
    if (value.substatus.trim() === '') problems.push({ ...base, kind: 'needsSubstatus' });
    else if (value.substatus.length > SUBSTATUS_MAX) {
      problems.push({ ...base, kind: 'substatusTooLong' });
    }
  }
  return problems;
}

/** A rule to create, keyed by the field names of this source (the view maps them to the schema). */
export interface NewRule {
  Direction__c: string;
  Omni_Status__c: string;
  Aircall_Availability__c?: string;
  Aircall_Substatus__c?: string | null;
  Phone_Event__c?: string;
}

export interface RuleUpdate {
  Id: string;
  Omni_Status__c?: string;
  Aircall_Availability__c?: string;
  Aircall_Substatus__c?: string | null;
}

export interface RulePlan {
  creates: NewRule[];
  updates: RuleUpdate[];
  deletes: string[];
}

/**
 * The writes that bring the stored rules in line with the rows: one rule per status and per phone
 * event (duplicates deleted), a cleared row's rule deleted. Default mode writes no rule: its rows
 * are not stored, and rules saved earlier are kept for a later switch back.
 */
export function planRules(state: MapperState): RulePlan {
  const plan: RulePlan = { creates: [], updates: [], deletes: [] };
  if (state.mode !== 'Custom') return plan;
  for (const status of state.statuses) {
    const value = omniValue(state, status);
    const rules = state.mappings.filter(
      (m) => m.direction === OMNI_TO_AIRCALL && m.omniStatus === status.developerName,
    );
    const [first, ...duplicates] = rules;
    plan.deletes.push(...duplicates.map((d) => d.id));
    const substatus = value.availability === 'custom' ? value.substatus.trim() : '';
    if (value.availability === '') {
      if (first) plan.deletes.push(first.id);
    } else if (!first) {
      plan.creates.push({
        Direction__c: OMNI_TO_AIRCALL,
        Omni_Status__c: status.developerName,
        Aircall_Availability__c: value.availability,
        Aircall_Substatus__c: substatus || null,
      });
    } else if (first.availability !== value.availability || first.substatus !== substatus) {
      plan.updates.push({
        Id: first.id,
        Aircall_Availability__c: value.availability,
        Aircall_Substatus__c: substatus || null,
      });
    }
  }
  for (const name of state.removedOrphans) {
    plan.deletes.push(
      ...state.mappings
        .filter((m) => m.direction === OMNI_TO_AIRCALL && m.omniStatus === name)
        .map((m) => m.id),
    );
  }
  for (const phoneEvent of PICKLISTS.phoneEvent) {
    const omniStatus = phoneValue(state, phoneEvent);
    const rules = state.mappings.filter(
      (m) => m.direction === PHONE_TO_OMNI && m.phoneEvent === phoneEvent,
    );
    const [first, ...duplicates] = rules;
    plan.deletes.push(...duplicates.map((d) => d.id));
    if (omniStatus === '') {
      if (first) plan.deletes.push(first.id);
    } else if (!first) {
      plan.creates.push({
        Direction__c: PHONE_TO_OMNI,
        Phone_Event__c: phoneEvent,
        Omni_Status__c: omniStatus,
      });
    } else if (first.omniStatus !== omniStatus) {
      plan.updates.push({ Id: first.id, Omni_Status__c: omniStatus });
    }
  }
  return plan;
}

export function planSize(plan: RulePlan): number {
  return plan.creates.length + plan.updates.length + plan.deletes.length;
}

/** What one Save did, for the message that says what was and was not saved. */
export interface SaveOutcome {
  /** The mode asked for, when it differed from the saved one. */
  mode?: Mode;
  /** True when the mode was written; false when it failed or was not tried. */
  modeSaved: boolean;
  modeError?: string;
  rulesTried: number;
  rulesFailed: number;
  ruleErrors: string[];
}

/**
 * Save order: the rules first, then the mode. Switching to Custom writes the mode only when every
 * rule was written, so agents are never left on a half-written mapping; switching to Default needs
 * no rule at all.
 */
export function shouldWriteMode(outcome: Pick<SaveOutcome, 'mode' | 'rulesFailed'>): boolean {
  return outcome.mode !== undefined && (outcome.mode === 'Default' || outcome.rulesFailed === 0);
}
