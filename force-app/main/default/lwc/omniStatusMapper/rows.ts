/**
 * The mapper's rows and warnings as the template shows them, computed from a MapperState (no DOM):
 * each status with its Aircall availability, each phone event with its Omni-Channel status, what
 * is marked in a row (not mapped, set by phone events, missing status, rule of a deleted status,
 * the row's error) and the warnings above the tables.
 */
import { PICKLISTS, formatLabel } from 'c/aircallUtils';
import type { Option } from 'c/aircallUtils';
import { AVAILABILITY_LABELS, LABELS, PHONE_EVENT_LABELS } from './labels';
import { findProblems, omniValue, orphans, phoneValue, SUBSTATUS_MAX } from './mapping';
import type { MapperState, Mode, Problem } from './mapping';

export interface OmniRow {
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
  /** What is wrong with the row (shown once, on its substatus field). */
  problem: string;
}

export interface PhoneRow {
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

export function phoneEventLabel(phoneEvent: string): string {
  return PHONE_EVENT_LABELS[phoneEvent] ?? phoneEvent;
}

/** A row problem in words. */
export function problemText(problem: Problem): string {
  return problem.kind === 'needsSubstatus'
    ? formatLabel(LABELS.needsSubstatus, problem.label)
    : formatLabel(LABELS.substatusTooLong, problem.label, String(SUBSTATUS_MAX));
}

export function availabilityOptions(): Option[] {
  return ['', ...PICKLISTS.aircallAvailability].map((value) => ({
    label: AVAILABILITY_LABELS[value] ?? value,
    value,
  }));
}

export function omniStatusOptions(state: MapperState): Option[] {
  return [
    { label: LABELS.noChange, value: '' },
    ...state.statuses.map((s) => ({ label: s.label, value: s.developerName })),
  ];
}

export function phoneRows(state: MapperState): PhoneRow[] {
  return PICKLISTS.phoneEvent.map((phoneEvent) => {
    const omniStatus = phoneValue(state, phoneEvent);
    const status = state.statuses.find((s) => s.developerName === omniStatus);
    const label = phoneEventLabel(phoneEvent);
    const missing = omniStatus !== '' && !status && !state.statusesUnavailable;
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

/** Omni statuses the phone events put agents in: no Aircall availability is expected for them. */
function phoneTargets(state: MapperState): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const row of phoneRows(state)) {
    if (!row.omniStatus) continue;
    targets.set(row.omniStatus, [...(targets.get(row.omniStatus) ?? []), row.phoneEventLabel]);
  }
  return targets;
}

export function omniRows(state: MapperState, problems: readonly Problem[]): OmniRow[] {
  const targets = phoneTargets(state);
  const rows: OmniRow[] = state.statuses.map((status) => {
    const value = omniValue(state, status);
    const setBy = targets.get(status.developerName);
    const problem = problems.find((p) => p.status === status.developerName);
    return {
      key: status.developerName,
      label: status.label,
      developerName: status.developerName,
      className: problem ? 'omni-row invalid-row' : 'omni-row',
      availability: value.availability,
      availabilityLabel: AVAILABILITY_LABELS[value.availability] ?? value.availability,
      availabilityName: formatLabel(LABELS.availabilityFor, status.label),
      substatus: value.substatus,
      substatusName: formatLabel(LABELS.substatusFor, status.label),
      isCustomAvailability: value.availability === 'custom',
      showDash: value.availability !== 'custom',
      unmapped: value.availability === '' && !setBy,
      orphan: false,
      removeName: '',
      note:
        value.availability === '' && setBy
          ? formatLabel(LABELS.phoneSetNote, setBy.join(', '))
          : '',
      problem: problem ? problemText(problem) : '',
    };
  });
  // A rule of a deleted status is a row of its own, with its way out next to it.
  for (const name of orphans(state)) {
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

/**
 * What does nothing or can never apply, each also marked on its row: statuses agents can pick
 * that leave Aircall as it is (unless a phone event sets them), phone events aimed at a status the
 * org does not have, rules of deleted statuses.
 */
export function warnings(
  state: MapperState,
  options: { statusesError: string; editable: boolean },
): string[] {
  const list: string[] = [];
  if (state.statusesUnavailable) {
    list.push(
      [
        formatLabel(LABELS.statusesUnavailable, options.statusesError),
        options.editable ? LABELS.statusesUnavailableAdd : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  const unmapped = omniRows(state, [])
    .filter((r) => r.unmapped)
    .map((r) => r.label);
  if (unmapped.length) list.push(formatLabel(LABELS.unmappedWarning, unmapped.join(', ')));
  const missing = [
    ...new Set(
      phoneRows(state)
        .filter((r) => r.missing)
        .map((r) => r.omniStatus),
    ),
  ];
  if (missing.length) {
    list.push(
      formatLabel(
        state.mode === 'Custom' ? LABELS.missingWarning : LABELS.missingWarningDefault,
        missing.join(', '),
      ),
    );
  }
  const left = orphans(state);
  if (left.length) list.push(formatLabel(LABELS.orphanWarning, left.join(', ')));
  return list;
}

/** Row key (status DeveloperName, or "new-status" for Add status) → what to change there. */
export function rowErrors(
  state: MapperState,
  showErrors: boolean,
  apiNameError: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (showErrors) {
    for (const problem of findProblems(state)) errors[problem.status] = problemText(problem);
  }
  if (apiNameError) errors['new-status'] = apiNameError;
  return errors;
}

/** What the mode means, for whoever is looking. */
export function modeHelp(
  mode: Mode,
  savedMode: Mode,
  canEdit: boolean,
  canChooseMode: boolean,
): string {
  if (!canEdit || (mode === 'Default' && !canChooseMode)) return LABELS.helpReadOnly;
  if (mode === 'Default') return LABELS.helpDefault;
  // Custom picked over a saved Default: the rows are the default rules, ready to edit.
  return savedMode === 'Default' ? LABELS.helpCustomFromDefaults : LABELS.helpCustom;
}

export const MODE_OPTIONS: Option[] = [
  { label: LABELS.modeDefault, value: 'Default' },
  { label: LABELS.modeCustom, value: 'Custom' },
];

/** What the base input components offer to show an error under themselves. */
interface Validatable {
  dataset: DOMStringMap;
  setCustomValidity?(message: string): void;
  reportValidity?(): boolean;
  focus?(): void;
}

/**
 * Puts each error on its control (`data-error-key`), clears the ones fixed since (`marked`
 * remembers what was set), and moves focus to the first error when asked.
 */
export function showFieldErrors(
  controls: readonly Validatable[],
  errors: Readonly<Record<string, string>>,
  marked: Set<string>,
  focus: boolean,
): void {
  for (const control of controls) {
    const key = control.dataset.errorKey ?? '';
    const message = errors[key];
    if (!message && !marked.has(key)) continue;
    control.setCustomValidity?.(message ?? '');
    control.reportValidity?.();
    if (message) marked.add(key);
    else marked.delete(key);
  }
  if (focus) controls.find((c) => errors[c.dataset.errorKey ?? ''])?.focus?.();
}
