/**
 * Errors shown on their fields, as a Setup page shows them: each control marked `data-field`
 * gets its field's message through the base components' validity API (shown under it, marked
 * invalid), and focus moves to the first one in page order; and nothing unsaved is lost unasked.
 */
import { firstError } from './settingsForm';

/** What the base input components offer for field-level errors. */
interface Validatable extends HTMLElement {
  setCustomValidity?(message: string): void;
  reportValidity?(): boolean;
}

function controls(root: ParentNode): Validatable[] {
  return Array.from(root.querySelectorAll<Validatable>('[data-field]'));
}

/** Shows each error on its control and clears those fixed since; `marked` is kept up to date. */
export function markFields(
  root: ParentNode,
  errors: Readonly<Record<string, string>>,
  marked: Set<string>,
): void {
  for (const control of controls(root)) {
    const field = control.dataset.field ?? '';
    const message = errors[field];
    if (!message && !marked.has(field)) continue;
    control.setCustomValidity?.(message ?? '');
    control.reportValidity?.();
    if (message) marked.add(field);
    else marked.delete(field);
  }
}

/** Focus on the first control with an error, in page order (a row of the grid: its chosen radio). */
export function focusFirstError(root: ParentNode, errors: Readonly<Record<string, string>>): void {
  const all = controls(root);
  const first = firstError(
    errors,
    all.map((c) => c.dataset.field ?? ''),
  );
  const control = all.find((c) => c.dataset.field === first);
  const radio = control?.querySelector<HTMLElement>('input:checked, input');
  (radio ?? control)?.focus();
}

/**
 * A `beforeunload` listener that makes the browser (and Lightning) ask before the page is left
 * while `unsaved()` holds.
 */
export function unsavedGuard(unsaved: () => boolean): (event: BeforeUnloadEvent) => void {
  return (event) => {
    if (!unsaved()) return;
    event.preventDefault();
    event.returnValue = '';
  };
}
