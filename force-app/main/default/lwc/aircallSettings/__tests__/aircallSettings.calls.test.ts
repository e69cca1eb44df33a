/**
 * The settings of what happens to each call: the grid of kinds of call × actions, follow-up Tasks,
 * the call Task, the two filters, the Case and Opportunity settings, and the unknown-number action
 * that creates a Person Account where the org has them.
 */
import { createRecord, updateRecord } from 'lightning/uiRecordApi';

import settings from './data/graphqlSettings.json';
import noSettings from './data/graphqlSettingsNone.json';
import { flush } from '../../aircallUtils/__tests__/testUtils';
import { $, change, load, objectInfoAdapter, save, watch } from './harness';

type Radio = HTMLInputElement;

function radios(element: HTMLElement, field: string): Radio[] {
  return [...element.shadowRoot!.querySelectorAll<Radio>(`tr[data-field="${field}"] input`)];
}

/** Chooses an action in a row of the grid, as a click on its radio does. */
function choose(element: HTMLElement, field: string, value: string): Promise<void> {
  const radio = radios(element, field).find((r) => r.value === value)!;
  radio.checked = true;
  radio.dispatchEvent(new CustomEvent('change'));
  return flush();
}

function savedFields(): Record<string, unknown> {
  const call = (updateRecord as jest.Mock).mock.calls.at(-1) as [
    { fields: Record<string, unknown> },
  ];
  return call[0].fields;
}

/** The org's Account describe, with or without Person Accounts (`IsPersonAccount`). */
function emitAccount(personAccounts: boolean): Promise<void> {
  objectInfoAdapter.emit(
    {
      apiName: 'Account',
      fields: personAccounts ? { Name: {}, IsPersonAccount: {} } : { Name: {} },
    },
    (config) => (config.objectApiName as { objectApiName: string }).objectApiName === 'Account',
  );
  return flush();
}

describe('c-aircall-settings: calls, Tasks and Cases', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows each kind of call with its saved action chosen, each action explained', async () => {
    const { element } = await load();
    const rows = [...element.shadowRoot!.querySelectorAll<HTMLElement>('tr.call-type')];
    expect(rows.map((r) => r.querySelector('.call-type-label')!.textContent)).toEqual([
      'Answered inbound',
      'Answered outbound',
      'Missed inbound',
      'Voicemail',
      'Unanswered outbound',
    ]);
    const chosen = (field: string) => radios(element, field).find((r) => r.checked)?.value;
    expect(
      [
        'Answered_Inbound_Action__c',
        'Answered_Outbound_Action__c',
        'Missed_Inbound_Action__c',
        'Voicemail_Action__c',
        'Unanswered_Outbound_Action__c',
      ].map(chosen),
    ).toEqual([
      'Log',
      'Log',
      'Log + open follow-up Task',
      'Log + open follow-up Task',
      "Don't log",
    ]);
    // Every radio is named for its row and column; each row says which calls it covers.
    expect(radios(element, 'Voicemail_Action__c').map((r) => r.getAttribute('aria-label'))).toEqual(
      ['Voicemail: Log', 'Voicemail: Log + follow-up Task', "Voicemail: Don't log"],
    );
    const missedHelp = rows[2]!.querySelector<HTMLElement & { content: string }>(
      'lightning-helptext',
    )!.content;
    expect(missedHelp).toMatch(/abandoned and out-of-hours calls included/);
    expect(
      [...element.shadowRoot!.querySelectorAll('.action-head .action-name')].map(
        (h) => h.textContent,
      ),
    ).toEqual(['Log', 'Log + follow-up Task', "Don't log"]);
  });

  it('saves the action chosen for a kind of call, and offers the follow-up settings only when one opens follow-ups', async () => {
    (createRecord as jest.Mock).mockResolvedValueOnce({ id: 'a02Dn000001NewIAK', fields: {} });
    const { element } = await load({ data: noSettings });
    expect($(element, '.follow-up-owner')).toBeNull();
    expect($(element, '.callback-window')).toBeNull();
    await choose(element, 'Missed_Inbound_Action__c', 'Log + open follow-up Task');
    await choose(element, 'Answered_Outbound_Action__c', "Don't log");
    expect($<{ value: string }>(element, '.callback-window')!.value).toBe('24');
    expect($<{ placeholder: string }>(element, '.follow-up-owner')!.placeholder).toBe(
      'The integration user',
    );
    await change(element, '.follow-up-owner', { value: ' 005Dn000000AgEnTAB ' });
    await change(element, '.callback-window', { value: '8' });
    await change(element, '.only-matched', { checked: true });
    await change(element, '.skip-internal', { checked: true });
    await save(element);
    expect((createRecord as jest.Mock).mock.calls[0][0].fields).toEqual(
      expect.objectContaining({
        Missed_Inbound_Action__c: 'Log + open follow-up Task',
        Answered_Outbound_Action__c: "Don't log",
        Answered_Inbound_Action__c: 'Log',
        Follow_Up_Owner_Id__c: '005Dn000000AgEnTAB',
        Callback_Window_Hours__c: 8,
        Only_Log_Matched_Numbers__c: true,
        Skip_Internal_Calls__c: true,
      }),
    );
  });

  it('refuses a follow-up owner that is no user or queue Id and a window out of range, each on its field', async () => {
    const { element, toasts } = await load();
    await change(element, '.follow-up-owner', { value: 'ops team' });
    await change(element, '.callback-window', { value: '1000' });
    const owner = watch(element, '.follow-up-owner');
    const window = watch(element, '.callback-window');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(owner.messages).toEqual([
      'Enter the Id of a user (starts with 005) or of a queue (starts with 00G): 15 or 18 letters and digits.',
    ]);
    expect(window.messages).toEqual(['Enter a whole number of hours from 0 to 720.']);
    expect([owner.focused, window.focused]).toEqual([1, 0]);
    expect(toasts).toEqual([]);
    await change(element, '.callback-window', { value: '0' });
    await change(element, '.follow-up-owner', { value: '' });
    expect([owner.messages.at(-1), window.messages.at(-1)]).toEqual(['', '']);
    await save(element);
    expect(savedFields()).toEqual(
      expect.objectContaining({ Follow_Up_Owner_Id__c: null, Callback_Window_Hours__c: 0 }),
    );
  });

  it('marks a row of the grid whose stored action is unknown, and moves focus to its radio', async () => {
    const data = JSON.parse(JSON.stringify(settings)) as typeof settings;
    const node = data.uiapi.query.Aircall_Settings__c.edges[0]!.node as Record<string, unknown>;
    node.Answered_Outbound_Action__c = { value: 'Maybe' };
    const { element } = await load({ data });
    const focused: string[] = [];
    radios(element, 'Answered_Outbound_Action__c').forEach((r) =>
      r.addEventListener('focus', () => focused.push(r.value)),
    );
    await save(element);
    const row = $(element, 'tr[data-field="Answered_Outbound_Action__c"]')!;
    expect(row.classList.contains('slds-has-error')).toBe(true);
    expect(row.querySelector('.row-error')!.textContent!.trim()).toBe(
      "Answered outbound: pick one of Log, Log + follow-up Task, Don't log.",
    );
    expect(focused).toEqual(['Log']);
    expect(updateRecord).not.toHaveBeenCalled();
    await choose(element, 'Answered_Outbound_Action__c', 'Log');
    expect(row.classList.contains('slds-has-error')).toBe(false);
    expect(row.querySelector('.row-error')).toBeNull();
  });

  it('offers the Task subject with the call Task only, and refuses an unknown placeholder', async () => {
    const { element } = await load();
    const input = $<{ value: string; placeholder: string }>(element, '.task-subject')!;
    expect(input.value).toBe('{direction} · {outcome} · {agent}');
    expect(input.placeholder).toBe('{direction} call · {outcome}');
    expect(
      $<{ options: { label: string }[] }>(element, '.activity-task')!.options.map((o) => o.label),
    ).toEqual(['No Task: calls stay off the Activity timeline', 'A completed call Task']);
    await change(element, '.task-subject', { value: 'Call with {customer}' });
    const subject = watch(element, '.task-subject');
    await save(element);
    expect(subject.messages).toEqual([
      '{customer} is not a placeholder: use {direction}, {outcome}, {number}, {line} or {agent}.',
    ]);
    expect(subject.focused).toBe(1);
    await change(element, '.activity-task', { value: 'None' });
    expect($(element, '.task-subject')).toBeNull();
    await save(element);
    expect(savedFields()).toEqual(expect.objectContaining({ Activity_Task__c: 'None' }));
  });

  it('saves the Case and Opportunity links and what gets a Case, in words', async () => {
    const { element } = await load();
    expect($<{ checked: boolean }>(element, '.link-case')!.checked).toBe(true);
    expect($<{ checked: boolean }>(element, '.link-opportunity')!.checked).toBe(false);
    const caseFor = $<{ value: string; options: { label: string; value: string }[] }>(
      element,
      '.create-case-for',
    )!;
    expect(caseFor.value).toBe('Voicemails');
    expect(caseFor.options).toEqual([
      { label: 'No call: create no Case', value: 'None' },
      { label: 'Missed calls (missed and abandoned)', value: 'Missed Calls' },
      { label: 'Voicemails', value: 'Voicemails' },
      { label: 'Missed calls and voicemails', value: 'Both' },
    ]);
    // Created Cases go to the assignment rules until a user or queue is chosen.
    expect($<{ value: string }>(element, '.case-owner-mode')!.value).toBe('rules');
    expect($(element, '.case-owner')).toBeNull();
    await change(element, '.link-opportunity', { checked: true });
    await change(element, '.create-case-for', { value: 'Both' });
    await save(element);
    expect(savedFields()).toEqual(
      expect.objectContaining({
        Link_To_Open_Case__c: true,
        Link_To_Open_Opportunity__c: true,
        Create_Case_For__c: 'Both',
        Case_Owner__c: null,
      }),
    );
    await change(element, '.create-case-for', { value: 'None' });
    expect($(element, '.case-owner-mode')).toBeNull();
  });

  it('asks for the Id of the user or queue chosen as owner of created Cases', async () => {
    const { element } = await load();
    await change(element, '.case-owner-mode', { value: 'owner' });
    const owner = watch(element, '.case-owner');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(owner.messages).toEqual([
      'Enter the Id of the user or queue that owns created Cases, or choose Case assignment rules.',
    ]);
    expect(owner.focused).toBe(1);
    await change(element, '.case-owner', { value: '00G12' });
    expect(owner.messages.at(-1)).toMatch(/^Enter the Id of a user \(starts with 005\)/);
    await change(element, '.case-owner', { value: '00GDn000000CaSe' });
    expect(owner.messages.at(-1)).toBe('');
    await save(element);
    expect(savedFields()).toEqual(expect.objectContaining({ Case_Owner__c: '00GDn000000CaSe' }));
    // Back to the assignment rules: the owner is cleared.
    await change(element, '.case-owner-mode', { value: 'rules' });
    expect($(element, '.case-owner')).toBeNull();
    await save(element);
    expect(savedFields()).toEqual(expect.objectContaining({ Case_Owner__c: null }));
  });

  it('offers Create Person Account and its record type only in an org with Person Accounts', async () => {
    const { element } = await load();
    await emitAccount(false);
    const values = () =>
      $<{ options: { value: string }[] }>(element, '.unknown-number')!.options.map((o) => o.value);
    expect(values()).not.toContain('Create Person Account');
    await emitAccount(true);
    expect(values()).toEqual([
      'Create Lead',
      'Create Contact',
      'Create Account',
      'Create Person Account',
      'Do Nothing',
    ]);
    expect($(element, '.person-record-type')).toBeNull();
    await change(element, '.unknown-number', { value: 'Create Person Account' });
    const type = $<{ placeholder: string; fieldLevelHelp: string }>(
      element,
      '.person-record-type',
    )!;
    expect(type.placeholder).toBe("The org's person record type");
    expect(type.fieldLevelHelp).toMatch(/API name or Id \(012…\)/);
    await change(element, '.person-record-type', { value: 'Person Account!' });
    const watched = watch(element, '.person-record-type');
    await save(element);
    expect(watched.messages[0]).toMatch(/^Enter the API name/);
    await change(element, '.person-record-type', { value: 'Retail_Customer' });
    await save(element);
    expect(savedFields()).toEqual(
      expect.objectContaining({
        Unknown_Number_Action__c: 'Create Person Account',
        Person_Account_Record_Type__c: 'Retail_Customer',
      }),
    );
  });

  it('says so on the field when Create Person Account is saved in an org without them', async () => {
    const data = JSON.parse(JSON.stringify(settings)) as typeof settings;
    const node = data.uiapi.query.Aircall_Settings__c.edges[0]!.node as Record<string, unknown>;
    node.Unknown_Number_Action__c = { value: 'Create Person Account' };
    const { element } = await load({ data });
    await emitAccount(false);
    const action = watch(element, '.unknown-number');
    expect($<{ value: string }>(element, '.unknown-number')!.value).toBe('Create Person Account');
    expect($(element, '.person-record-type')).toBeNull();
    await change(element, '.save-to-phone', { checked: false });
    await save(element);
    expect(action.messages).toEqual(['This org has no Person Accounts: choose another action.']);
    expect(updateRecord).not.toHaveBeenCalled();
  });

  it('is accessible with every part of the panel shown', async () => {
    const { element } = await load();
    await emitAccount(true);
    await change(element, '.unknown-number', { value: 'Create Person Account' });
    await change(element, '.case-owner-mode', { value: 'owner' });
    await change(element, '.follow-up-owner', { value: 'nobody' });
    await save(element);
    await expect(element).toBeAccessible();
  });
});
