/** `@salesforce/apex` for the console: refreshApex reloads a wired value (the package has no Apex). */
import { refreshValue } from './lds';

export function refreshApex(value: unknown): Promise<void> {
  return refreshValue(value);
}
