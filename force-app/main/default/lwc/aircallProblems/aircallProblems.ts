/**
 * A list of problems (what to fix before saving) or warnings (what works, but not as one may
 * think), each once. Errors are announced as an alert, warnings as a status. Light DOM, like the
 * other panels. Renders nothing when the list is empty.
 */
import { LightningElement, api } from 'lwc';

export default class AircallProblems extends LightningElement {
  static override renderMode = 'light' as const;

  @api items: readonly string[] = [];
  /** `error` (the default) or `warning`. */
  @api variant = 'error';

  get show(): boolean {
    return (this.items?.length ?? 0) > 0;
  }

  get isWarning(): boolean {
    return this.variant === 'warning';
  }

  /** Each message once, in the order given. */
  get lines(): string[] {
    return [...new Set(this.items ?? [])];
  }
}
