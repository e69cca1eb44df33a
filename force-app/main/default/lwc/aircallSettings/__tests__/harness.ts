/** Mounts the settings panel with its wires answered, and drives it as an admin would. */
import { createElement } from 'lwc';
import AircallSettings from 'c/aircallSettings';
import { graphql } from 'lightning/graphql';
import { getObjectInfo, getObjectInfos, getPicklistValues } from 'lightning/uiObjectInfoApi';

import settings from './data/graphqlSettings.json';
import businessHours from './data/graphqlBusinessHours.json';
import adminInfo from './data/getObjectInfoAdmin.json';
import matchInfos from './data/getObjectInfosMatch.json';
import leadSources from './data/getPicklistValuesLeadSource.json';
import {
  flush,
  onlyQuery,
  mountWithToasts,
  type Toast,
} from '../../aircallUtils/__tests__/testUtils';

export const graphqlAdapter = graphql as unknown as TestGraphQLAdapter;
export const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
/** Contact, Lead and Account: their phone fields and default record types. */
export const objectInfosAdapter = getObjectInfos as unknown as TestWireAdapter;
/** The Lead Source values of what the unknown-number action creates. */
export const picklistValuesAdapter = getPicklistValues as unknown as TestWireAdapter;

export interface Loaded {
  element: HTMLElement;
  toasts: Toast[];
  refresh: jest.Mock;
}

export async function load(
  options: {
    data?: unknown;
    info?: unknown;
    hours?: unknown;
    matchInfos?: unknown;
    leadSources?: unknown;
  } = {},
): Promise<Loaded> {
  const { element, toasts } = await mountWithToasts(
    createElement('c-aircall-settings', { is: AircallSettings }),
  );
  const refresh = jest.fn(() => Promise.resolve());
  objectInfoAdapter.emit(options.info ?? adminInfo);
  graphqlAdapter.emit(options.data ?? settings, onlyQuery('aircallSettings'), refresh);
  graphqlAdapter.emit(options.hours ?? businessHours, onlyQuery('aircallBusinessHours'));
  objectInfosAdapter.emit(options.matchInfos ?? matchInfos);
  picklistValuesAdapter.emit(options.leadSources ?? leadSources);
  await flush();
  return { element, toasts, refresh };
}

export function $<T = Record<string, unknown>>(
  element: HTMLElement,
  selector: string,
): (HTMLElement & T) | null {
  return element.shadowRoot!.querySelector(selector);
}

export function change(
  element: HTMLElement,
  selector: string,
  detail: Record<string, unknown>,
): Promise<void> {
  $(element, selector)!.dispatchEvent(new CustomEvent('change', { detail }));
  return flush();
}

/** The base component's validity calls (setCustomValidity, reportValidity, focus) on one control. */
export function watch(element: HTMLElement, selector: string) {
  const control = $<{
    setCustomValidity(m: string): void;
    reportValidity(): boolean;
    focus(): void;
  }>(element, selector)!;
  const seen = { messages: [] as string[], reported: 0, focused: 0 };
  control.setCustomValidity = (m: string) => {
    seen.messages.push(m);
  };
  control.reportValidity = () => {
    seen.reported += 1;
    return seen.messages.at(-1) === '';
  };
  control.focus = () => {
    seen.focused += 1;
  };
  return seen;
}

export function save(element: HTMLElement): Promise<void> {
  $(element, '.save')!.click();
  return flush();
}
