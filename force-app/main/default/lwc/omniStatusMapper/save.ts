/**
 * Saving the mapper: the rule writes, then the mode, and one message saying what was and was not
 * saved. The record writes are passed in (Lightning Data Service in the component, fakes in the
 * tests), so this module has no platform import.
 */
import { formatLabel, reduceErrors } from 'c/aircallUtils';
import { LABELS } from './labels';
import { planSize, shouldWriteMode } from './mapping';
import type { Mode, NewRule, RulePlan, RuleUpdate, SaveOutcome } from './mapping';

/** The record writes of lightning/uiRecordApi that a save uses. */
export interface Writers {
  createRecord(input: { apiName: string; fields: Record<string, unknown> }): Promise<unknown>;
  updateRecord(input: { fields: Record<string, unknown> }): Promise<unknown>;
  deleteRecord(id: string): Promise<unknown>;
}

/** Where things are, with the names of the org (namespaced in a subscriber org). */
export interface SaveTarget {
  mappingObject: string;
  settingsObject: string;
  modeField: string;
  /** This source's rule field names → the org's. */
  fields: Readonly<Record<string, string>>;
  /** The settings record, when one exists (else it is created with the mode). */
  settingsId?: string;
}

function toFields(
  rule: NewRule | RuleUpdate,
  names: SaveTarget['fields'],
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule).map(([k, v]) => [names[k] ?? k, v]));
}

/**
 * Writes the rules (each its own request: LDS has no batch write, so some may fail while others
 * succeed), then the mode when `shouldWriteMode` allows it.
 */
export async function saveMapping(
  plan: RulePlan,
  mode: Mode | undefined,
  target: SaveTarget,
  writers: Writers,
): Promise<SaveOutcome> {
  const results = await Promise.allSettled([
    ...plan.creates.map((rule) =>
      writers.createRecord({
        apiName: target.mappingObject,
        fields: toFields(rule, target.fields),
      }),
    ),
    ...plan.updates.map((rule) => writers.updateRecord({ fields: toFields(rule, target.fields) })),
    ...plan.deletes.map((id) => writers.deleteRecord(id)),
  ]);
  const failures = results.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  const outcome: SaveOutcome = {
    mode,
    modeSaved: false,
    rulesTried: planSize(plan),
    rulesFailed: failures.length,
    ruleErrors: [...new Set(failures.flatMap((f) => reduceErrors(f.reason)))],
  };
  if (mode !== undefined && shouldWriteMode(outcome)) {
    const fields = { [target.modeField]: mode };
    try {
      if (target.settingsId) {
        await writers.updateRecord({ fields: { Id: target.settingsId, ...fields } });
      } else {
        await writers.createRecord({ apiName: target.settingsObject, fields });
      }
      outcome.modeSaved = true;
    } catch (error) {
      outcome.modeError = reduceErrors(error).join(' ');
    }
  }
  return outcome;
}

function modeName(mode: Mode): string {
  return mode === 'Custom' ? LABELS.modeCustom : LABELS.modeDefault;
}

export interface SaveMessage {
  title: string;
  message: string;
  variant: 'success' | 'error';
}

/** One message for one Save: what was saved, and what was not and why. */
export function saveMessage(outcome: SaveOutcome, savedMode: Mode): SaveMessage {
  const parts: string[] = [];
  const failed = outcome.rulesFailed > 0 || outcome.modeError !== undefined;
  if (outcome.rulesTried > 0) {
    parts.push(
      outcome.rulesFailed > 0
        ? formatLabel(
            LABELS.partialMessage,
            String(outcome.rulesFailed),
            String(outcome.rulesTried),
            outcome.ruleErrors.join(' '),
          )
        : formatLabel(LABELS.rulesSaved, String(outcome.rulesTried)),
    );
  }
  if (outcome.mode !== undefined) {
    if (outcome.modeSaved) parts.push(formatLabel(LABELS.modeSaved, modeName(outcome.mode)));
    else if (outcome.modeError !== undefined) {
      parts.push(formatLabel(LABELS.modeFailed, modeName(savedMode), outcome.modeError));
    } else parts.push(formatLabel(LABELS.modeNotSaved, modeName(savedMode)));
  }
  parts.push(failed ? LABELS.saveAgain : LABELS.appliesNext);
  return {
    title: failed ? LABELS.partialTitle : LABELS.savedTitle,
    message: parts.join(' '),
    variant: failed ? 'error' : 'success',
  };
}
