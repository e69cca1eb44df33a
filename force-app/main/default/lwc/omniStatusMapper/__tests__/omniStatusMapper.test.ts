import { createElement } from 'lwc';
import OmniStatusMapper from 'c/omniStatusMapper';
import { graphql } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { createRecord, deleteRecord, updateRecord } from 'lightning/uiRecordApi';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import * as navigation from 'lightning/navigation';

import statuses from './data/graphqlPresenceStatuses.json';
import statusesWithoutBusy from './data/graphqlPresenceStatusesNoBusy.json';
import noStatuses from './data/graphqlPresenceStatusesNone.json';
import customMappings from './data/graphqlMappingsCustom.json';
import defaultMappings from './data/graphqlMappingsDefault.json';
import noSettings from './data/graphqlMappingsNoSettings.json';
import adminInfo from './data/getObjectInfoAdmin.json';
import readOnlyInfo from './data/getObjectInfoReadOnly.json';
import {
  flush,
  onlyQuery,
  mountWithToasts,
  type Toast,
} from '../../aircallUtils/__tests__/testUtils';

const graphqlAdapter = graphql as unknown as TestGraphQLAdapter;
const nav = navigation as unknown as NavigationMock;
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;

interface Loaded {
  element: HTMLElement;
  toasts: Toast[];
  refresh: jest.Mock;
}

async function load(
  options: { mappings?: unknown; statuses?: unknown; info?: unknown } = {},
): Promise<Loaded> {
  const { element, toasts } = await mountWithToasts(
    createElement('c-omni-status-mapper', { is: OmniStatusMapper }),
  );
  const refresh = jest.fn(() => Promise.resolve());
  objectInfoAdapter.emit(options.info ?? adminInfo);
  graphqlAdapter.emit(options.statuses ?? statuses, onlyQuery('omniPresenceStatuses'));
  graphqlAdapter.emit(
    options.mappings ?? customMappings,
    onlyQuery('aircallStatusMappings'),
    refresh,
  );
  await flush();
  return { element, toasts, refresh };
}

function all<T = Record<string, unknown>>(
  element: HTMLElement,
  selector: string,
): (HTMLElement & T)[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement & T>(selector)];
}

function $<T = Record<string, unknown>>(
  element: HTMLElement,
  selector: string,
): (HTMLElement & T) | null {
  return element.shadowRoot!.querySelector(selector);
}

function rowText(element: HTMLElement, rowSelector: string): string[][] {
  return all(element, rowSelector).map((tr) =>
    [...tr.children].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()),
  );
}

function change(element: HTMLElement, selector: string, value: string): Promise<void> {
  $(element, selector)!.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  return flush();
}

function save(element: HTMLElement): Promise<void> {
  $(element, '.save')!.click();
  // allSettled, then the mode, then the refresh, then the toast.
  return flush().then(flush).then(flush).then(flush);
}

/** The mode on screen: the mode choice for admins, the badge for everyone else. */
function modeOf(element: HTMLElement): string | null | undefined {
  return $<{ value: string }>(element, '.mode-choice')?.value ?? $(element, '.mode')?.textContent;
}

/** The base component's validity calls (setCustomValidity, reportValidity, focus) on one control. */
function watch(element: HTMLElement, selector: string) {
  const control = $<{
    setCustomValidity(m: string): void;
    reportValidity(): boolean;
    focus(): void;
  }>(element, selector)!;
  const seen = { messages: [] as string[], focused: 0 };
  control.setCustomValidity = (m: string) => {
    seen.messages.push(m);
  };
  control.reportValidity = () => seen.messages.at(-1) === '';
  control.focus = () => {
    seen.focused += 1;
  };
  return seen;
}

describe('c-omni-status-mapper', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    for (const write of [createRecord, updateRecord, deleteRecord])
      (write as jest.Mock).mockReset();
  });

  it('shows a spinner until statuses and mappings arrive', async () => {
    const element = createElement('c-omni-status-mapper', { is: OmniStatusMapper });
    document.body.appendChild(element);
    await flush();
    graphqlAdapter.emit(statuses, onlyQuery('omniPresenceStatuses'));
    await flush();
    expect($(element, '.state-loading lightning-spinner')).not.toBeNull();
  });

  describe('in Default mode', () => {
    it("maps the phone being available to the org's Available status when it has one", async () => {
      const withAvailable = JSON.parse(
        JSON.stringify(statuses).replace(/"Online"/g, '"Available"'),
      ) as unknown;
      const { element } = await load({ mappings: defaultMappings, statuses: withAvailable });
      expect(rowText(element, '.phone-row')).toContainEqual(['Available', 'Available']);
      expect(rowText(element, '.omni-row')).toContainEqual(['Available', 'Available', '—']);
      expect($(element, '.warnings')).toBeNull();
    });

    it('shows the default rules read-only: Online available, other statuses unavailable', async () => {
      const { element } = await load({ mappings: defaultMappings });
      expect(modeOf(element)).toBe('Default');
      expect(rowText(element, '.omni-row')).toEqual([
        ['Back Office', 'Unavailable', '—'],
        ['Busy', 'Unavailable', '—'],
        ['On Break', 'Unavailable', '—'],
        ['Online', 'Available', '—'],
      ]);
      expect(rowText(element, '.phone-row')).toEqual([
        ['Ringing', 'Busy'],
        ['In Call', 'Busy'],
        ['After Conversation Work', 'Busy'],
        ['Available', 'Online'],
      ]);
      expect(all(element, 'lightning-combobox')).toHaveLength(0);
      // Nothing to save until the admin picks Custom.
      expect($<{ disabled: boolean }>(element, '.save')!.disabled).toBe(true);
      expect($(element, '.warnings')).toBeNull();
      expect($(element, '.mode-help')!.textContent).toMatch(/Choose Custom to change them\.$/);
    });

    it('is the mode used while no settings record exists', async () => {
      const { element } = await load({ mappings: noSettings });
      expect(modeOf(element)).toBe('Default');
      expect(all(element, 'lightning-combobox')).toHaveLength(0);
    });

    it("shows the org's own Busy status, found by its label, as the connector sets it", async () => {
      // An org whose Busy status has another API name: the connector's engine picks it (the same
      // code, c/aircallUtils), so the mapper shows it and warns about nothing.
      const renamed = JSON.parse(
        JSON.stringify(statuses).replace(
          '"DeveloperName": { "value": "Busy" }'.replace(/ /g, ''),
          '"DeveloperName":{"value":"On_The_Phone"}',
        ),
      ) as typeof statuses;
      expect(JSON.stringify(renamed)).toContain('On_The_Phone');
      const engine = jest.requireActual<{
        defaultOmniStatus: (event: string, statuses: unknown[]) => unknown;
      }>(`${__dirname}/../../../../../../src/engine/presence`);
      const orgStatuses = renamed.uiapi.query.ServicePresenceStatus.edges.map(({ node }) => ({
        id: node.Id,
        developerName: node.DeveloperName.value,
        label: node.MasterLabel.value,
      }));
      expect(engine.defaultOmniStatus('In Call', orgStatuses)).toEqual({ status: 'On_The_Phone' });

      const { element } = await load({ mappings: defaultMappings, statuses: renamed });
      expect(rowText(element, '.phone-row')).toEqual([
        ['Ringing', 'Busy'],
        ['In Call', 'Busy'],
        ['After Conversation Work', 'Busy'],
        ['Available', 'Online'],
      ]);
      expect(all(element, '.phone-row .row-missing')).toHaveLength(0);
      expect($(element, '.warnings')).toBeNull();
    });

    it('warns when the org has no Busy status for the default phone mapping', async () => {
      const { element } = await load({ mappings: defaultMappings, statuses: statusesWithoutBusy });
      expect($(element, '.warnings')!.textContent).toBe(
        "This org has no Omni-Channel status named Busy: the phone events marked below do not change the agent's Omni-Channel status. Create the status in Setup > Presence Statuses, or switch to Custom mode.",
      );
      // …and the rows that use it say so, right there.
      expect(all(element, '.phone-row .row-missing').map((p) => p.textContent?.trim())).toEqual([
        'No Omni-Channel status named Busy in this org.',
        'No Omni-Channel status named Busy in this org.',
        'No Omni-Channel status named Busy in this org.',
      ]);
    });
  });

  describe('in Custom mode', () => {
    it('shows the saved rules in editable rows, the first rule of a status winning', async () => {
      const { element } = await load();
      expect(modeOf(element)).toBe('Custom');
      expect(
        all<{ value: string }>(element, '.availability').map((c) => [c.dataset.status, c.value]),
      ).toEqual([
        ['Backoffice', ''],
        ['Busy', ''],
        ['Break', 'custom'],
        ['Online', 'available'],
      ]);
      expect(all<{ value: string }>(element, '.substatus').map((c) => c.value)).toEqual([
        'Out for lunch',
      ]);
      expect(
        all<{ value: string }>(element, '.omni-status').map((c) => [c.dataset.event, c.value]),
      ).toEqual([
        ['Ringing', 'Busy'],
        ['In Call', 'Busy'],
        ['After-Call Work', ''],
        ['Available', 'Online'],
      ]);
      expect($<{ options: unknown[] }>(element, '.omni-status')!.options).toEqual([
        { label: 'No change', value: '' },
        { label: 'Back Office', value: 'Backoffice' },
        { label: 'Busy', value: 'Busy' },
        { label: 'On Break', value: 'Break' },
        { label: 'Online', value: 'Online' },
      ]);
      expect(
        $<{ options: { value: string }[] }>(element, '.availability')!.options.map((o) => o.value),
      ).toEqual(['', 'available', 'unavailable', 'custom']);
    });

    it('warns about unmapped statuses and rules for statuses that no longer exist', async () => {
      const { element } = await load();
      // Busy is where phone events put reps: not flagged, its row says why Aircall is left alone.
      expect(all(element, '.warnings li').map((li) => li.textContent)).toEqual([
        'No Aircall availability for: Back Office. Agents who pick these statuses keep their current Aircall availability.',
        'Rules for Omni-Channel statuses that no longer exist are ignored: Training_2024. Remove them in the rows below, then save.',
      ]);
      expect(
        all(element, '.omni-row .unmapped-icon').map((i) => i.closest('tr')!.dataset.status),
      ).toEqual(['Backoffice']);
      expect($(element, '.omni-row[data-status="Busy"] .row-note')!.textContent).toBe(
        'Set by phone events (Ringing, In Call): Aircall is left as it is.',
      );
      // The orphan rule is a row with its own Remove button; Save then deletes it.
      const orphan = $(element, '.orphan-row')!;
      expect(orphan.dataset.status).toBe('Training_2024');
      (orphan.querySelector('.remove-orphan') as HTMLElement).click();
      await flush();
      expect($(element, '.orphan-row')).toBeNull();
      expect($(element, '.unsaved-cue')!.textContent!.trim()).toBe('Unsaved changes');
      await save(element);
      expect(deleteRecord).toHaveBeenCalledWith(
        customMappings.uiapi.query.Aircall_Status_Mapping__c.edges.find(
          (e) => e.node.Omni_Status__c.value === 'Training_2024',
        )!.node.Id,
      );
    });

    it('saves only what changed: creates, updates, and deletes cleared rows and duplicate rules', async () => {
      const { element, toasts, refresh } = await load();
      await change(element, '.availability[data-status="Busy"]', 'unavailable');
      await change(element, '.availability[data-status="Backoffice"]', 'custom');
      await change(element, '.substatus[data-status="Backoffice"]', 'Paperwork');
      await change(element, '.availability[data-status="Break"]', '');
      await change(element, '.omni-status[data-event="After-Call Work"]', 'Backoffice');
      await change(element, '.omni-status[data-event="In Call"]', 'Break');
      await change(element, '.omni-status[data-event="Available"]', '');
      await save(element);

      expect((createRecord as jest.Mock).mock.calls.map((c) => c[0])).toEqual([
        {
          apiName: 'Aircall_Status_Mapping__c',
          fields: {
            Direction__c: 'Omni to Aircall',
            Omni_Status__c: 'Backoffice',
            Aircall_Availability__c: 'custom',
            Aircall_Substatus__c: 'Paperwork',
          },
        },
        {
          apiName: 'Aircall_Status_Mapping__c',
          fields: {
            Direction__c: 'Omni to Aircall',
            Omni_Status__c: 'Busy',
            Aircall_Availability__c: 'unavailable',
            Aircall_Substatus__c: null,
          },
        },
        {
          apiName: 'Aircall_Status_Mapping__c',
          fields: {
            Direction__c: 'Phone to Omni',
            Phone_Event__c: 'After-Call Work',
            Omni_Status__c: 'Backoffice',
          },
        },
      ]);
      expect((updateRecord as jest.Mock).mock.calls.map((c) => c[0])).toEqual([
        { fields: { Id: 'a03Dn0000000006IAA', Omni_Status__c: 'Break' } },
      ]);
      expect((deleteRecord as jest.Mock).mock.calls.map((c) => c[0]).sort()).toEqual([
        'a03Dn0000000002IAA', // On Break cleared
        'a03Dn0000000004IAA', // second rule for Online
        'a03Dn0000000007IAA', // Available → No change
      ]);
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(toasts).toEqual([
        {
          title: 'Status mapping saved',
          message: '7 rule(s) saved. The connector applies the mapping to the next status change.',
          variant: 'success',
        },
      ]);
    });

    it('keeps the substatus when a custom row is edited and drops it when the row is no longer custom', async () => {
      const { element } = await load();
      await change(element, '.substatus[data-status="Break"]', 'Coffee');
      await change(element, '.availability[data-status="Break"]', 'unavailable');
      await save(element);
      expect(updateRecord).toHaveBeenCalledWith({
        fields: {
          Id: 'a03Dn0000000002IAA',
          Aircall_Availability__c: 'unavailable',
          Aircall_Substatus__c: null,
        },
      });
    });

    it('refuses a custom availability without a substatus: the error once, on its field, which gets focus', async () => {
      const { element, toasts } = await load();
      await change(element, '.availability[data-status="Busy"]', 'custom');
      const busy = watch(element, '.substatus[data-status="Busy"]');
      const other = watch(element, '.substatus[data-status="Break"]');
      await save(element);
      expect(createRecord).not.toHaveBeenCalled();
      expect(busy.messages).toEqual([
        'Busy: a custom availability needs a substatus, the reason Aircall shows (for example "Out for lunch").',
      ]);
      expect(busy.focused).toBe(1);
      expect(other.messages).toEqual([]);
      // Nowhere else: no list above the tables, no toast; screen readers hear one summary.
      expect($(element, '.problems')).toBeNull();
      expect(toasts).toEqual([]);
      expect($(element, '.error-summary')!.textContent).toBe(
        'Some rows need a change before the mapping can be saved: see the messages in those rows.',
      );
      expect($(element, '.omni-row[data-status="Busy"]')!.className).toContain('invalid-row');
      await change(element, '.substatus[data-status="Busy"]', 'In a meeting');
      expect(busy.messages.at(-1)).toBe('');
      expect($(element, '.error-summary')!.textContent).toBe('');
    });

    it('refuses a substatus longer than Aircall_Substatus__c holds', async () => {
      const { element } = await load();
      const field = watch(element, '.substatus[data-status="Break"]');
      await change(element, '.substatus[data-status="Break"]', 'x'.repeat(256));
      await save(element);
      expect(field.messages).toEqual([
        'On Break: shorten the substatus to 255 characters or fewer.',
      ]);
      await change(element, '.availability[data-status="Break"]', 'available');
      expect($(element, '.error-summary')!.textContent).toBe('');
    });

    it('writes nothing and says nothing when nothing changed', async () => {
      const { element, toasts } = await load({
        mappings: {
          uiapi: {
            query: {
              ...customMappings.uiapi.query,
              Aircall_Status_Mapping__c: {
                edges: customMappings.uiapi.query.Aircall_Status_Mapping__c.edges.filter(
                  (e) => !['a03Dn0000000003IAA', 'a03Dn0000000004IAA'].includes(e.node.Id),
                ),
              },
            },
          },
        },
      });
      // Clean form: Save and Cancel are disabled, and a click that slips through writes nothing.
      expect($<{ disabled: boolean }>(element, '.save')!.disabled).toBe(true);
      expect($<{ disabled: boolean }>(element, '.cancel')!.disabled).toBe(true);
      await save(element);
      expect(toasts).toEqual([]);
      expect(createRecord).not.toHaveBeenCalled();
      expect(deleteRecord).not.toHaveBeenCalled();
    });

    it('reports partial failures with the platform message', async () => {
      (deleteRecord as jest.Mock).mockRejectedValueOnce({
        status: 400,
        body: [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }],
      });
      const { element, toasts } = await load();
      await save(element);
      expect(toasts).toEqual([
        {
          title: 'Part of the mapping was not saved',
          message:
            '1 of 1 rule changes were not saved: entity is deleted Your changes are still on screen: fix the problem and save again.',
          variant: 'error',
        },
      ]);
    });

    it('discards unsaved edits with Cancel', async () => {
      const { element } = await load();
      await change(element, '.availability[data-status="Online"]', 'unavailable');
      await change(element, '.omni-status[data-event="Ringing"]', 'Online');
      $(element, '.cancel')!.click();
      await flush();
      expect($<{ value: string }>(element, '.availability[data-status="Online"]')!.value).toBe(
        'available',
      );
      expect($<{ value: string }>(element, '.omni-status[data-event="Ringing"]')!.value).toBe(
        'Busy',
      );
    });

    it('is read-only for users without edit access on the mapping object', async () => {
      const { element } = await load({ info: readOnlyInfo });
      expect(all(element, 'lightning-combobox')).toHaveLength(0);
      expect($(element, '.save')).toBeNull();
      expect($(element, '.mode-choice')).toBeNull();
      expect(modeOf(element)).toBe('Custom');
      expect(rowText(element, '.omni-row')[2]).toEqual(['On Break', 'Custom', 'Out for lunch']);
      expect($(element, '.mode-help')!.textContent).toBe(
        'Only users with the Aircall Admin permission set can change the status mapping.',
      );
    });

    it('tells the admin to create presence statuses when there are none', async () => {
      const { element } = await load({ statuses: noStatuses });
      expect($(element, '.no-statuses')!.textContent!.trim()).toBe(
        'This org has no Omni-Channel presence statuses yet. Create them in Setup > Presence Statuses, then reload this page.',
      );
    });

    it('is accessible', async () => {
      const { element } = await load();
      await expect(element).toBeAccessible();
    });
  });

  describe('choosing the mode', () => {
    const choose = (element: HTMLElement, mode: string) => change(element, '.mode-choice', mode);

    it('starts Custom from the default rules: no status is left not mapped', async () => {
      // Rules saved during an earlier Custom period are still stored; Custom starts from what
      // applies now (the default rules), not from them, nor from nothing.
      const { element } = await load({ mappings: defaultMappings });
      await choose(element, 'Custom');
      expect(modeOf(element)).toBe('Custom');
      expect(
        all<{ value: string }>(element, '.availability').map((c) => [c.dataset.status, c.value]),
      ).toEqual([
        ['Backoffice', 'unavailable'],
        ['Busy', 'unavailable'],
        ['Break', 'unavailable'],
        ['Online', 'available'],
      ]);
      expect(
        all<{ value: string }>(element, '.omni-status').map((c) => [c.dataset.event, c.value]),
      ).toEqual([
        ['Ringing', 'Busy'],
        ['In Call', 'Busy'],
        ['After-Call Work', 'Busy'],
        ['Available', 'Online'],
      ]);
      expect(all(element, '.unmapped-icon')).toHaveLength(0);
      expect($(element, '.warnings')!.textContent).not.toMatch(/No Aircall availability/);
      expect($(element, '.mode-help')!.textContent).toBe(
        'Custom rules, starting from the default ones: change the rows you need, then save. Agents keep the default rules until you save.',
      );
      expect($(element, '.unsaved-cue')!.textContent!.trim()).toBe('Unsaved changes');
    });

    it('saves the mode and the rules together, the rules first', async () => {
      const order: string[] = [];
      (createRecord as jest.Mock).mockImplementation(({ fields }) => {
        order.push(`create ${String(fields.Omni_Status__c)}`);
        return Promise.resolve({});
      });
      (updateRecord as jest.Mock).mockImplementation(({ fields }) => {
        order.push(fields.Omni_Mapping_Mode__c ? 'mode' : `update ${String(fields.Id)}`);
        return Promise.resolve({});
      });
      const { element, toasts, refresh } = await load({ mappings: defaultMappings });
      const refreshed = jest.fn();
      element.addEventListener('lightning__refresh', refreshed);
      await choose(element, 'Custom');
      await save(element);
      expect((createRecord as jest.Mock).mock.calls.map((c) => c[0].fields)).toEqual([
        {
          Direction__c: 'Omni to Aircall',
          Omni_Status__c: 'Backoffice',
          Aircall_Availability__c: 'unavailable',
          Aircall_Substatus__c: null,
        },
        {
          Direction__c: 'Omni to Aircall',
          Omni_Status__c: 'Busy',
          Aircall_Availability__c: 'unavailable',
          Aircall_Substatus__c: null,
        },
        {
          Direction__c: 'Phone to Omni',
          Phone_Event__c: 'After-Call Work',
          Omni_Status__c: 'Busy',
        },
      ]);
      expect(deleteRecord).toHaveBeenCalledWith('a03Dn0000000004IAA');
      expect(updateRecord).toHaveBeenCalledWith({
        fields: { Id: 'a02Dn000001SeTtIAK', Omni_Mapping_Mode__c: 'Custom' },
      });
      expect(order.at(-1)).toBe('mode');
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(toasts).toEqual([
        {
          title: 'Status mapping saved',
          message:
            '5 rule(s) saved. Mode: Custom. The connector applies the mapping to the next status change.',
          variant: 'success',
        },
      ]);
      // The settings panel on the same page reloads (it shows the mode too).
      expect(refreshed).toHaveBeenCalledTimes(1);
    });

    it('keeps the mode when a rule fails, and says what was and was not saved', async () => {
      (createRecord as jest.Mock).mockResolvedValueOnce({}).mockRejectedValueOnce({
        status: 400,
        body: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Rule refused.' }],
      });
      const { element, toasts } = await load({ mappings: defaultMappings });
      await choose(element, 'Custom');
      await save(element);
      expect(updateRecord).not.toHaveBeenCalledWith(
        expect.objectContaining({
          fields: expect.objectContaining({ Omni_Mapping_Mode__c: 'Custom' }),
        }),
      );
      expect(toasts).toEqual([
        {
          title: 'Part of the mapping was not saved',
          message:
            '1 of 5 rule changes were not saved: Rule refused. The mode was not changed (still Default), so agents keep the rules they had. Your changes are still on screen: fix the problem and save again.',
          variant: 'error',
        },
      ]);
      // The admin's choice and rows stay on screen, to be saved again.
      expect(modeOf(element)).toBe('Custom');
      expect($<{ disabled: boolean }>(element, '.save')!.disabled).toBe(false);
    });

    it('says so when the rules were saved but the mode was refused', async () => {
      (updateRecord as jest.Mock).mockImplementation(({ fields }) => {
        if (!fields.Omni_Mapping_Mode__c) return Promise.resolve({});
        return Promise.reject({ status: 403, body: [{ message: 'Insufficient access.' }] });
      });
      const { element, toasts } = await load({ mappings: defaultMappings });
      await choose(element, 'Custom');
      await save(element);
      expect(toasts[0]).toEqual({
        title: 'Part of the mapping was not saved',
        message:
          '5 rule(s) saved. The mode was not changed (still Default): Insufficient access. Your changes are still on screen: fix the problem and save again.',
        variant: 'error',
      });
    });

    it('creates the settings record with the mode when there is none', async () => {
      const { element } = await load({ mappings: noSettings });
      await choose(element, 'Custom');
      await save(element);
      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'Aircall_Settings__c',
        fields: { Omni_Mapping_Mode__c: 'Custom' },
      });
    });

    it('back to Default writes the mode only, keeping the rules for later', async () => {
      const { element, toasts } = await load();
      await change(element, '.availability[data-status="Online"]', 'unavailable');
      await choose(element, 'Default');
      // The default rules, read-only, whatever was edited.
      expect(all(element, 'lightning-combobox')).toHaveLength(0);
      await save(element);
      expect(createRecord).not.toHaveBeenCalled();
      expect(deleteRecord).not.toHaveBeenCalled();
      expect((updateRecord as jest.Mock).mock.calls.map((c) => c[0])).toEqual([
        { fields: { Id: 'a02Dn000001SeTtIAK', Omni_Mapping_Mode__c: 'Default' } },
      ]);
      expect(toasts[0]!.message).toBe(
        'Mode: Default. The connector applies the mapping to the next status change.',
      );
    });

    it('Cancel goes back to the saved mode and rules', async () => {
      const { element } = await load({ mappings: defaultMappings });
      await choose(element, 'Custom');
      $(element, '.cancel')!.click();
      await flush();
      expect(modeOf(element)).toBe('Default');
      expect(all(element, 'lightning-combobox')).toHaveLength(0);
    });

    it('asks before the page is left with unsaved changes', async () => {
      const { element } = await load({ mappings: defaultMappings });
      const leave = () => {
        const event = new CustomEvent('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      };
      expect(leave()).toBe(false);
      await choose(element, 'Custom');
      expect(leave()).toBe(true);
    });

    it('shows the mode as a badge to users who cannot change it', async () => {
      const { element } = await load({ mappings: defaultMappings, info: readOnlyInfo });
      expect($(element, '.mode-choice')).toBeNull();
      expect($(element, '.mode')!.textContent).toBe('Default');
      expect($(element, '.footer')).toBeNull();
    });

    it('is accessible with the mode choice and a row in error', async () => {
      const { element } = await load({ mappings: defaultMappings });
      await choose(element, 'Custom');
      await change(element, '.availability[data-status="Busy"]', 'custom');
      await save(element);
      await expect(element).toBeAccessible();
    });
  });

  describe('the link to the settings', () => {
    it('links to Aircall Settings on the Aircall Setup tab', async () => {
      const { element } = await load();
      const setup = {
        type: 'standard__navItemPage',
        attributes: { apiName: 'Aircall_Setup' },
        state: { c__section: 'settings' },
      };
      expect(nav.mockGenerateUrl).toHaveBeenCalledWith(setup);
      const link = $<HTMLAnchorElement>(element, '.settings-link a')!;
      expect(link.textContent).toBe('Aircall Settings');
      expect(link.getAttribute('href')).toBe('https://example.lightning.force.com/');
      link.click();
      expect(nav.mockNavigate).toHaveBeenCalledWith(setup, undefined);
    });

    it('comes into view when the settings link opened the page at the mapping', async () => {
      const scrolled = jest.fn();
      Element.prototype.scrollIntoView = scrolled;
      const { element } = await load();
      expect(scrolled).not.toHaveBeenCalled();
      (navigation.CurrentPageReference as unknown as TestWireAdapter).emit({
        type: 'standard__navItemPage',
        attributes: { apiName: 'Aircall_Setup' },
        state: { c__section: 'omni' },
      });
      await flush();
      expect(scrolled).toHaveBeenCalledTimes(1);
      expect(element).toBeTruthy();
    });
  });

  it('reloads statuses and mappings when the page refreshes (for example after Aircall Settings is saved)', async () => {
    const element = createElement('c-omni-status-mapper', { is: OmniStatusMapper });
    document.body.appendChild(element);
    await flush();
    const mappingRefresh = jest.fn(() => Promise.resolve());
    const statusRefresh = jest.fn(() => Promise.resolve());
    objectInfoAdapter.emit(adminInfo);
    graphqlAdapter.emit(statuses, onlyQuery('omniPresenceStatuses'), statusRefresh);
    graphqlAdapter.emit(customMappings, onlyQuery('aircallStatusMappings'), mappingRefresh);
    await flush();
    const [target, handler] = (registerRefreshHandler as jest.Mock).mock.calls[0] as [
      unknown,
      () => Promise<boolean>,
    ];
    expect(target).toBeTruthy();
    await expect(handler()).resolves.toBe(true);
    expect(mappingRefresh).toHaveBeenCalledTimes(1);
    expect(statusRefresh).toHaveBeenCalledTimes(1);
    document.body.removeChild(element);
    expect(unregisterRefreshHandler).toHaveBeenCalledWith(
      (registerRefreshHandler as jest.Mock).mock.results[0]!.value,
    );
  });

  describe('when data cannot be loaded', () => {
    async function mount(): Promise<HTMLElement> {
      const element = createElement('c-omni-status-mapper', { is: OmniStatusMapper });
      document.body.appendChild(element);
      await flush();
      return element;
    }

    async function withoutStatusList(info: unknown = adminInfo): Promise<HTMLElement> {
      const element = await mount();
      objectInfoAdapter.emit(info);
      graphqlAdapter.emitErrors(
        [{ message: 'Cannot query field "ServicePresenceStatus".' }],
        onlyQuery('omniPresenceStatuses'),
      );
      graphqlAdapter.emit(customMappings, onlyQuery('aircallStatusMappings'));
      await flush();
      return element;
    }

    it('still shows the mapping when presence statuses cannot be listed, from the saved rules and default names', async () => {
      const element = await withoutStatusList();
      expect($(element, '.state-error')).toBeNull();
      expect(
        all<{ value: string }>(element, '.availability').map((c) => [c.dataset.status, c.value]),
      ).toEqual([
        ['Break', 'custom'],
        ['Busy', ''],
        ['Online', 'available'],
        ['Training_2024', 'unavailable'],
      ]);
      expect(all(element, '.warnings li')[0]!.textContent).toBe(
        'Omni-Channel presence statuses could not be listed (Cannot query field "ServicePresenceStatus".). The rows below come from the saved mapping. Check that Omni-Channel is enabled and that your profile can read Presence Statuses. Add a status by its API name from Setup > Presence Statuses.',
      );
      // Without the org's list, no status can be called missing or orphaned.
      expect(
        all(element, '.warnings li')
          .map((li) => li.textContent)
          .join(' '),
      ).not.toMatch(/no longer exist|has no Omni-Channel status named/);
    });

    it('lets the admin add a status by API name when the list cannot be read', async () => {
      const element = await withoutStatusList();
      const field = watch(element, '.new-status');
      $(element, '.new-status')!.dispatchEvent(
        new CustomEvent('change', { detail: { value: 'Lunch Break' } }),
      );
      $(element, '.add-status-button')!.click();
      await flush();
      expect(field.messages).toEqual([
        '"Lunch Break" is not a status API name: use the API Name shown in Setup > Presence Statuses (letters, digits and underscores).',
      ]);
      expect(field.focused).toBe(1);
      $(element, '.new-status')!.dispatchEvent(
        new CustomEvent('change', { detail: { value: 'Lunch_Break' } }),
      );
      $(element, '.add-status-button')!.click();
      await flush();
      expect(field.messages.at(-1)).toBe('');
      await change(element, '.availability[data-status="Lunch_Break"]', 'unavailable');
      await save(element);
      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'Aircall_Status_Mapping__c',
        fields: {
          Direction__c: 'Omni to Aircall',
          Omni_Status__c: 'Lunch_Break',
          Aircall_Availability__c: 'unavailable',
          Aircall_Substatus__c: null,
        },
      });
    });

    it('does not offer to add statuses to users who cannot edit', async () => {
      const element = await withoutStatusList(readOnlyInfo);
      expect($(element, '.add-status')).toBeNull();
      expect(all(element, '.warnings li')[0]!.textContent).toMatch(
        /come from the saved mapping\. Check/,
      );
    });

    it('reports a failure to read the mappings', async () => {
      const element = await mount();
      objectInfoAdapter.emit(adminInfo);
      graphqlAdapter.emit(statuses, onlyQuery('omniPresenceStatuses'));
      graphqlAdapter.emitErrors(
        [{ message: 'Request timed out.' }],
        onlyQuery('aircallStatusMappings'),
      );
      await flush();
      expect($(element, '.state-error')!.textContent).toBe(
        'The status mapping could not be loaded: Request timed out. Reload the page to try again.',
      );
    });

    it('asks for the Aircall Admin permission set when the mapping object is refused', async () => {
      const element = await mount();
      objectInfoAdapter.error(
        { errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' },
        403,
        'Forbidden',
      );
      await flush();
      expect($(element, '.state-error')!.textContent).toBe(
        "You don't have access to Aircall status mappings. Ask your admin for the Aircall Admin permission set.",
      );
    });

    it('reports other object-info failures', async () => {
      const element = await mount();
      objectInfoAdapter.error(
        { errorCode: 'UNKNOWN_EXCEPTION', message: 'Server unavailable.' },
        503,
        'Service Unavailable',
      );
      await flush();
      expect($(element, '.state-error')!.textContent).toBe(
        'The status mapping could not be loaded: Server unavailable. Reload the page to try again.',
      );
    });
  });
});
