/**
 * The Aircall Setup tab, where the settings panel and the Omni-Channel status mapper sit together:
 * each links to the other with this page reference, and the one named by `c__section` comes into
 * view when the page opens.
 */
export type SetupSection = 'settings' | 'omni';

export interface SetupPageReference {
  type: 'standard__navItemPage';
  attributes: { apiName: string };
  state: { c__section: SetupSection };
}

/**
 * `settingsObject` is the settings object's name as the platform gives it (an `@salesforce/schema`
 * import): a packaged tab carries the namespace the package's objects carry.
 */
export function setupPage(settingsObject: string, section: SetupSection): SetupPageReference {
  const namespace = /^(\w+?)__Aircall_Settings__c$/.exec(settingsObject)?.[1];
  const apiName = namespace ? `${namespace}__Aircall_Setup` : 'Aircall_Setup';
  return { type: 'standard__navItemPage', attributes: { apiName }, state: { c__section: section } };
}

/** The section a page reference opens the Aircall Setup tab at ('' when none). */
export function setupSection(ref: { state?: Record<string, unknown> } | undefined): string {
  const section = ref?.state?.c__section;
  return typeof section === 'string' ? section : '';
}
