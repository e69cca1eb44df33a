import { createElement } from 'lwc';
import AircallSettings from 'c/aircallSettings';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import * as navigation from 'lightning/navigation';
import { registerRefreshHandler } from 'lightning/refresh';

import settings from './data/graphqlSettings.json';
import noSettings from './data/graphqlSettingsNone.json';
import adminInfo from './data/getObjectInfoAdmin.json';
import readOnlyInfo from './data/getObjectInfoReadOnly.json';
import { flush, onlyQuery } from '../../aircallUtils/__tests__/testUtils';
import { $, change, graphqlAdapter, load, objectInfoAdapter, save, watch } from './harness';

const nav = navigation as unknown as NavigationMock;

describe('c-aircall-settings', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a spinner until the settings arrive', async () => {
    const element = createElement('c-aircall-settings', { is: AircallSettings });
    document.body.appendChild(element);
    await flush();
    expect($(element, '.state-loading lightning-spinner')).not.toBeNull();
    expect($(element, '.save')).toBeNull();
  });

  it('shows every saved setting in its control', async () => {
    const { element } = await load();
    expect($<{ value: string }>(element, '.log-calls')!.value).toBe('Business Hours Only');
    expect($<{ value: string }>(element, '.business-hours')!.value).toBe('01mDn0000008PaRIAU');
    expect($<{ value: string[] }>(element, '.match-order')!.value).toEqual(['Lead', 'Contact']);
    expect($<{ value: string }>(element, '.multiple-matches')!.value).toBe('Oldest');
    expect($<{ value: string }>(element, '.unknown-number')!.value).toBe('Create Contact');
    expect($<{ checked: boolean }>(element, '.save-to-phone')!.checked).toBe(true);
    expect($<{ value: string }>(element, '.recording-destination')!.value).toBe('Both');
    expect($<{ value: string }>(element, '.voicemail-destination')!.value).toBe('Aircall Voice');
    expect($(element, '.omni-mode')!.textContent!.trim()).toBe('Custom');
    expect($<{ label: string }>(element, '.save')!.label).toBe('Save');
    expect($(element, '.new-notice')).toBeNull();
  });

  it('offers exactly the picklist values of the package', async () => {
    const { element } = await load();
    const values = (selector: string): string[] =>
      $<{ options: { value: string }[] }>(element, selector)!.options.map((o) => o.value);
    expect(values('.unknown-number')).toEqual([
      'Create Lead',
      'Create Contact',
      'Create Account',
      'Do Nothing',
    ]);
    expect(values('.multiple-matches')).toEqual([
      'Most Recently Modified',
      'Oldest',
      'Do Not Link',
      'Their Common Account',
    ]);
    expect(values('.recording-destination')).toEqual([
      'Do Not Log',
      'Aircall Voice',
      'Voice Call',
      'Both',
    ]);
    expect(values('.match-order')).toEqual(['Contact', 'Lead', 'Account']);
    // Each value says what it does: "Both" says both of what.
    const labels = (selector: string): string[] =>
      $<{ options: { label: string }[] }>(element, selector)!.options.map((o) => o.label);
    expect(labels('.recording-destination')).toEqual([
      'Nothing: do not log them',
      'The Aircall Voice record',
      'The Voice Call record',
      'Both the Aircall Voice and the Voice Call records',
    ]);
    // The mapping mode points to the panel where its rules are.
    expect($(element, '.omni-mode-help')!.textContent).toContain(
      'Omni-Channel and Aircall availability panel',
    );
  });

  it('knows when it is dirty: Save and Cancel only with changes, an unsaved-changes cue, no write for nothing', async () => {
    const { element, toasts } = await load();
    const disabled = (selector: string): boolean =>
      $<{ disabled: boolean }>(element, selector)!.disabled;
    // Untouched: nothing to save or cancel, no cue.
    expect(disabled('.save')).toBe(true);
    expect(disabled('.reset')).toBe(true);
    expect($(element, '.unsaved-cue')!.textContent!.trim()).toBe('');
    // A change: both buttons come alive and the cue shows.
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    expect(disabled('.save')).toBe(false);
    expect(disabled('.reset')).toBe(false);
    expect($(element, '.unsaved-cue')!.textContent!.trim()).toBe('Unsaved changes');
    // Changed back by hand: clean again.
    await change(element, '.unknown-number', { value: 'Create Contact' });
    expect(disabled('.save')).toBe(true);
    expect($(element, '.unsaved-cue')!.textContent!.trim()).toBe('');
    // Save on a clean form (a click that slips through) writes nothing and toasts nothing.
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(toasts).toEqual([]);
    await expect(element).toBeAccessible();
  });

  it('lists active business hours with the org default first, as an empty value', async () => {
    const { element } = await load();
    expect($<{ options: unknown[] }>(element, '.business-hours')!.options).toEqual([
      { label: 'Org default (Default)', value: '' },
      { label: 'Default', value: '01mDn0000008OrgIAE' },
      { label: 'Paris Support 9-18', value: '01mDn0000008PaRIAU' },
    ]);
  });

  it('hides the business hours picker when every call is logged', async () => {
    const { element } = await load();
    await change(element, '.log-calls', { value: 'Always' });
    expect($(element, '.business-hours')).toBeNull();
  });

  it('falls back to an id field when business hours cannot be listed', async () => {
    const { element } = await load({ hours: undefined });
    graphqlAdapter.emitErrors(
      [{ message: 'BusinessHours is not supported' }],
      onlyQuery('aircallBusinessHours'),
    );
    await flush();
    expect($(element, '.business-hours')).toBeNull();
    expect($<{ value: string }>(element, '.business-hours-id')!.value).toBe('01mDn0000008PaRIAU');
  });

  it('saves changed settings on the existing record and reloads them', async () => {
    const { element, toasts, refresh } = await load();
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    await change(element, '.match-order', { value: ['Account', 'Contact', 'Lead'] });
    await change(element, '.save-to-phone', { checked: false });
    await change(element, '.business-hours', { value: '' });
    await change(element, '.default-country', { value: ' Italia ' });
    await save(element);
    expect(updateRecord).toHaveBeenCalledWith({
      fields: {
        Id: 'a02Dn000001SeTtIAK',
        Log_Calls__c: 'Business Hours Only',
        Business_Hours_Id__c: null,
        Unknown_Number_Action__c: 'Do Nothing',
        Match_Order__c: 'Account,Contact,Lead',
        Multiple_Matches__c: 'Oldest',
        Save_To_Phone__c: false,
        Recording_Destination__c: 'Both',
        Voicemail_Destination__c: 'Aircall Voice',
        Default_Country__c: 'IT',
        Activity_Task__c: 'Completed Task',
        Answered_Inbound_Action__c: 'Log',
        Answered_Outbound_Action__c: 'Log',
        Missed_Inbound_Action__c: 'Log + open follow-up Task',
        Voicemail_Action__c: 'Log + open follow-up Task',
        Unanswered_Outbound_Action__c: "Don't log",
        Task_Subject_Template__c: '{direction} · {outcome} · {agent}',
        Follow_Up_Owner_Id__c: '00GDn000000QueUeMA',
        Callback_Window_Hours__c: 48,
        Only_Log_Matched_Numbers__c: false,
        Skip_Internal_Calls__c: true,
        Link_To_Open_Case__c: true,
        Link_To_Open_Opportunity__c: false,
        Create_Case_For__c: 'Voicemails',
        Case_Owner__c: null,
        Person_Account_Record_Type__c: null,
        Extra_Phone_Fields__c: 'Contact.Work_Phone__c',
        Created_Record_Owner__c: 'Integration User',
        Created_Lead_Source__c: 'Phone Inquiry',
      },
    });
    expect(createRecord).not.toHaveBeenCalled();
    expect(toasts).toEqual([
      {
        title: 'Aircall settings saved',
        message: 'The connector applies them to the next calls it logs.',
        variant: 'success',
      },
    ]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('shows the saved default country, with the countries of the Aircall lines as placeholder', async () => {
    const { element } = await load();
    const input = $<{ value: string; placeholder: string }>(element, '.default-country')!;
    expect(input.value).toBe('');
    expect(input.placeholder).toBe("The Aircall line's country");
    graphqlAdapter.emit(
      {
        uiapi: {
          query: {
            Aircall_Voice__c: {
              edges: ['IT', 'FR', 'IT'].map((c) => ({
                node: { Aircall_Line_Country__c: { value: c } },
              })),
            },
          },
        },
      },
      onlyQuery('aircallLineCountries'),
    );
    await flush();
    expect(input.placeholder).toBe("The Aircall line's country (FR, IT)");
  });

  it('asks the page to refresh after a save, so the status mapper re-reads the settings', async () => {
    const { element } = await load();
    const refreshes: Event[] = [];
    document.body.addEventListener('lightning__refresh', (e) => refreshes.push(e));
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    await save(element);
    await flush();
    expect(refreshes).toHaveLength(1);
  });

  it('creates the settings record with the defaults on first use', async () => {
    (createRecord as jest.Mock).mockResolvedValueOnce({ id: 'a02Dn000001NewIAK', fields: {} });
    const { element, toasts } = await load({ data: noSettings });
    expect($(element, '.new-notice')).not.toBeNull();
    expect($<{ label: string }>(element, '.save')!.label).toBe('Create settings');
    await save(element);
    expect(createRecord).toHaveBeenCalledWith({
      apiName: 'Aircall_Settings__c',
      fields: {
        Log_Calls__c: 'Always',
        Business_Hours_Id__c: null,
        Unknown_Number_Action__c: 'Create Lead',
        Match_Order__c: 'Contact,Lead,Account',
        Multiple_Matches__c: 'Most Recently Modified',
        Save_To_Phone__c: false,
        Recording_Destination__c: 'Aircall Voice',
        Voicemail_Destination__c: 'Aircall Voice',
        Default_Country__c: null,
        Activity_Task__c: 'None',
        Answered_Inbound_Action__c: 'Log',
        Answered_Outbound_Action__c: 'Log',
        Missed_Inbound_Action__c: 'Log',
        Voicemail_Action__c: 'Log',
        Unanswered_Outbound_Action__c: 'Log',
        Task_Subject_Template__c: null,
        Follow_Up_Owner_Id__c: null,
        Callback_Window_Hours__c: 24,
        Only_Log_Matched_Numbers__c: false,
        Skip_Internal_Calls__c: false,
        Link_To_Open_Case__c: false,
        Link_To_Open_Opportunity__c: false,
        Create_Case_For__c: 'None',
        Case_Owner__c: null,
        Person_Account_Record_Type__c: null,
        Extra_Phone_Fields__c: null,
        Created_Record_Owner__c: 'Agent Who Handled The Call',
        Created_Lead_Source__c: 'Phone Inquiry',
      },
    });
    expect(toasts.map((t) => t.variant)).toEqual(['success']);
    // The next save updates the record just created instead of creating a second one.
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    await save(element);
    expect(createRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledWith(
      expect.objectContaining({ fields: expect.objectContaining({ Id: 'a02Dn000001NewIAK' }) }),
    );
  });

  it('puts each error on its field, moves focus to the first one, and toasts nothing', async () => {
    const { element, toasts } = await load();
    await change(element, '.match-order', { value: [] });
    const order = watch(element, '.match-order');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(order.messages).toEqual(['Pick at least one object to match phone numbers against.']);
    expect(order.reported).toBeGreaterThan(0);
    expect(order.focused).toBe(1);
    expect(toasts).toEqual([]);
    // Fixed: the field is cleared as the admin fixes it.
    await change(element, '.match-order', { value: ['Contact'] });
    expect(order.messages.at(-1)).toBe('');
  });

  it('refuses business hours that are not active, on the business hours field', async () => {
    const { element } = await load({
      hours: { uiapi: { query: { BusinessHours: { edges: [] } } } },
    });
    const hours = watch(element, '.business-hours');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(hours.messages[0]).toMatch(
      /^Business hours: the selected business hours are missing or inactive/,
    );
    expect(hours.focused).toBe(1);
  });

  it('refuses a typed business hours id that is not one', async () => {
    const { element } = await load({ hours: undefined });
    graphqlAdapter.emitErrors([{ message: 'not supported' }], onlyQuery('aircallBusinessHours'));
    await flush();
    await change(element, '.business-hours-id', { value: '001Dn00000Qx1AbIAJ' });
    const id = watch(element, '.business-hours-id');
    await save(element);
    expect(id.messages[0]).toMatch(/starts with 01m/);
    await change(element, '.business-hours-id', { value: '01mDn0000008PaR' });
    expect(id.messages.at(-1)).toBe('');
  });

  it('refuses a stored value that is not in the picklist, each on its field, focus on the first', async () => {
    const broken = JSON.parse(JSON.stringify(settings)) as typeof settings;
    broken.uiapi.query.Aircall_Settings__c.edges[0]!.node.Multiple_Matches__c.value = 'Newest';
    broken.uiapi.query.Aircall_Settings__c.edges[0]!.node.Match_Order__c.value =
      'Contact,Contact,Opportunity';
    const { element } = await load({ data: broken });
    const multiple = watch(element, '.multiple-matches');
    const order = watch(element, '.match-order');
    await save(element);
    expect(multiple.messages).toEqual([
      'When several records match: pick one of The most recently modified, The oldest, Link none of them, Their common Account.',
    ]);
    expect(order.messages).toEqual([
      'Match order: list each of Contact, Lead and Account at most once.',
    ]);
    // Match order comes first on the page.
    expect([order.focused, multiple.focused]).toEqual([1, 0]);
    await change(element, '.multiple-matches', { value: 'Do Not Link' });
    await change(element, '.match-order', { value: ['Contact'] });
    expect([multiple.messages.at(-1), order.messages.at(-1)]).toEqual(['', '']);
  });

  it('shows which country a Default Country entry was understood as, and saves its ISO code', async () => {
    const { element } = await load();
    await change(element, '.default-country', { value: 'España' });
    expect($(element, '.country-understood')!.textContent!.trim()).toBe('→ ES (Spain)');
    await save(element);
    expect(updateRecord).toHaveBeenCalledWith({
      fields: expect.objectContaining({ Default_Country__c: 'ES' }),
    });
  });

  it('refuses an unknown Default Country on its field instead of saving it', async () => {
    const { element } = await load();
    await change(element, '.default-country', { value: 'Narnia' });
    expect($(element, '.country-understood')).toBeNull();
    const country = watch(element, '.default-country');
    await save(element);
    expect(updateRecord).not.toHaveBeenCalled();
    expect(country.messages[0]).toMatch(/^"Narnia" names no country we know/);
    expect(country.focused).toBe(1);
  });

  it('has help text on every choice', async () => {
    const { element } = await load();
    await change(element, '.log-calls', { value: 'Business Hours Only' });
    const controls = [...element.shadowRoot!.querySelectorAll('[data-field]')] as (HTMLElement & {
      fieldLevelHelp?: string;
    })[];
    expect(new Set(controls.map((c) => c.dataset.field))).toEqual(
      new Set([
        'Log_Calls__c',
        'Business_Hours_Id__c',
        'Match_Order__c',
        'Multiple_Matches__c',
        'Unknown_Number_Action__c',
        'Default_Country__c',
        'Save_To_Phone__c',
        'Recording_Destination__c',
        'Voicemail_Destination__c',
        'Answered_Inbound_Action__c',
        'Answered_Outbound_Action__c',
        'Missed_Inbound_Action__c',
        'Voicemail_Action__c',
        'Unanswered_Outbound_Action__c',
        'Follow_Up_Owner_Id__c',
        'Callback_Window_Hours__c',
        'Only_Log_Matched_Numbers__c',
        'Skip_Internal_Calls__c',
        'Activity_Task__c',
        'Task_Subject_Template__c',
        'Link_To_Open_Case__c',
        'Link_To_Open_Opportunity__c',
        'Create_Case_For__c',
        'Extra_Phone_Fields__c',
        'Created_Record_Owner__c',
        'Created_Lead_Source__c',
      ]),
    );
    // A control says what it does in its own help; a row of the grid in its header's.
    const help = (c: HTMLElement & { fieldLevelHelp?: string }) =>
      c.fieldLevelHelp ||
      c.querySelector<HTMLElement & { content?: string }>('lightning-helptext')?.content;
    const without = controls.filter((c) => !help(c)).map((c) => c.dataset.field);
    expect(without).toEqual([]);
    // Each action of the grid says what it does, as does the owner of created Cases.
    const actionHelp = [...element.shadowRoot!.querySelectorAll('.action-head lightning-helptext')];
    expect(actionHelp.map((h) => (h as HTMLElement & { content: string }).content)).toEqual([
      'An Aircall Voice record, and a call Task when Task per call is on.',
      expect.stringMatching(/^Logged, plus an open Task due the same day/),
      'No Aircall Voice record and no Task. The Voice Call still follows Log calls.',
    ]);
    await change(element, '.case-owner-mode', { value: 'owner' });
    expect($<{ fieldLevelHelp: string }>(element, '.case-owner-mode')!.fieldLevelHelp).toMatch(
      /assignment rules/,
    );
    expect($<{ fieldLevelHelp: string }>(element, '.case-owner')!.fieldLevelHelp).toMatch(/00G/);
  });

  it('asks before the page is left with unsaved changes, and only then', async () => {
    const { element } = await load();
    const leave = () => {
      const event = new CustomEvent('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).toBe(false);
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    expect(leave()).toBe(true);
    await save(element);
    expect(leave()).toBe(false);
    document.body.removeChild(element);
    expect(leave()).toBe(false);
  });

  it('shows the platform error in a toast when saving fails', async () => {
    (updateRecord as jest.Mock).mockRejectedValueOnce({
      status: 400,
      body: {
        message: 'An error occurred while trying to update the record. Please try again.',
        output: {
          errors: [],
          fieldErrors: { Match_Order__c: [{ message: 'Match Order: value too long' }] },
        },
      },
    });
    const { element, toasts } = await load();
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    await save(element);
    expect(toasts).toEqual([
      {
        title: 'Aircall settings were not saved',
        message: 'Match Order: value too long Fix the problem and save again.',
        variant: 'error',
      },
    ]);
    expect($<{ disabled: boolean }>(element, '.save')!.disabled).toBe(false);
  });

  it('discards unsaved changes with Cancel', async () => {
    const { element } = await load();
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    $(element, '.reset')!.click();
    await flush();
    expect($<{ value: string }>(element, '.unknown-number')!.value).toBe('Create Contact');
  });

  it('keeps unsaved changes when the settings are reloaded underneath', async () => {
    const { element } = await load();
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    graphqlAdapter.emit(settings, onlyQuery('aircallSettings'));
    await flush();
    expect($<{ value: string }>(element, '.unknown-number')!.value).toBe('Do Nothing');
  });

  it('is read-only for users without edit access, and says who can change it', async () => {
    const { element } = await load({ info: readOnlyInfo });
    expect($(element, '.read-only')!.textContent).toBe(
      'Only users with the Aircall Admin permission set can change these settings. Ask your admin for it if you need to.',
    );
    expect($<{ disabled: boolean }>(element, '.save')!.disabled).toBe(true);
    expect($<{ disabled: boolean }>(element, '.unknown-number')!.disabled).toBe(true);
  });

  it('asks for the Aircall Admin permission set when the object cannot be read', async () => {
    const element = createElement('c-aircall-settings', { is: AircallSettings });
    document.body.appendChild(element);
    await flush();
    objectInfoAdapter.error(
      { errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' },
      403,
      'Forbidden',
    );
    await flush();
    expect($(element, '.state-error')!.textContent).toBe(
      "You don't have access to Aircall Settings. Ask your admin for the Aircall Admin permission set.",
    );
  });

  it('reports other load failures and what to do', async () => {
    const element = createElement('c-aircall-settings', { is: AircallSettings });
    document.body.appendChild(element);
    await flush();
    objectInfoAdapter.emit(adminInfo);
    graphqlAdapter.emitErrors([{ message: 'Request timed out.' }], onlyQuery('aircallSettings'));
    await flush();
    expect($(element, '.state-error')!.textContent).toBe(
      'Aircall Settings could not be loaded: Request timed out. Reload the page to try again.',
    );
  });

  it('reports an object-info failure that is not about access', async () => {
    const element = createElement('c-aircall-settings', { is: AircallSettings });
    document.body.appendChild(element);
    await flush();
    objectInfoAdapter.error(
      { errorCode: 'UNKNOWN_EXCEPTION', message: 'Server unavailable.' },
      503,
      'Service Unavailable',
    );
    await flush();
    expect($(element, '.state-error')!.textContent).toBe(
      'Aircall Settings could not be loaded: Server unavailable. Reload the page to try again.',
    );
  });

  it('re-reads the settings when the page refreshes (the status mapper saved the mapping mode)', async () => {
    const { refresh } = await load();
    const calls = (registerRefreshHandler as jest.Mock).mock.calls as [
      unknown,
      () => Promise<boolean>,
    ][];
    const handler = calls.at(-1)![1];
    await expect(handler()).resolves.toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('links to the Omni-Channel status mapper, and comes into view when the mapper links here', async () => {
    const scrolled = jest.fn();
    Element.prototype.scrollIntoView = scrolled;
    const { element } = await load();
    const mapper = {
      type: 'standard__navItemPage',
      attributes: { apiName: 'Aircall_Setup' },
      state: { c__section: 'omni' },
    };
    expect(nav.mockGenerateUrl).toHaveBeenCalledWith(mapper);
    const link = $<HTMLAnchorElement>(element, '.mapper-link a')!;
    expect(link.textContent).toBe('Edit the Omni-Channel status mapping');
    link.click();
    expect(nav.mockNavigate).toHaveBeenCalledWith(mapper, undefined);
    expect(scrolled).not.toHaveBeenCalled();
    (navigation.CurrentPageReference as unknown as TestWireAdapter).emit({
      type: 'standard__navItemPage',
      attributes: { apiName: 'Aircall_Setup' },
      state: { c__section: 'settings' },
    });
    await flush();
    expect(scrolled).toHaveBeenCalledTimes(1);
  });

  it('shows the Omni-Channel mapping mode read-only, as the status mapper saved it, and never saves it', async () => {
    const { element } = await load();
    // Text, not a control: the mode is chosen in the status mapper, which saves it with its rules.
    expect($(element, '[data-field="Omni_Mapping_Mode__c"]')).toBeNull();
    expect($(element, 'lightning-combobox.omni-mode')).toBeNull();
    const mode = $(element, '.omni-mode')!;
    expect(mode.textContent!.trim()).toBe('Custom');
    expect($(element, '.omni-mode-help')!.textContent).toContain(
      'Default or Custom is chosen in the Omni-Channel status mapping',
    );
    expect($(element, '.mapper-link a')!.textContent).toBe('Edit the Omni-Channel status mapping');
    // The mapper saves Default while this form has unsaved changes: the panel shows Default…
    await change(element, '.unknown-number', { value: 'Do Nothing' });
    const reread = JSON.parse(JSON.stringify(settings)) as typeof settings;
    reread.uiapi.query.Aircall_Settings__c.edges[0]!.node.Omni_Mapping_Mode__c.value = 'Default';
    graphqlAdapter.emit(reread, onlyQuery('aircallSettings'));
    await flush();
    expect(mode.textContent!.trim()).toBe('Default');
    expect($(element, '.omni-mode-help')!.textContent).toContain('Default: the built-in rules');
    // …and its Save writes its own change, no mode (neither the stale Custom nor any other).
    await save(element);
    const fields = (updateRecord as jest.Mock).mock.calls[0][0].fields as Record<string, unknown>;
    expect(fields.Unknown_Number_Action__c).toBe('Do Nothing');
    expect(fields).not.toHaveProperty('Omni_Mapping_Mode__c');
    await expect(element).toBeAccessible();
  });

  it('is accessible', async () => {
    const { element } = await load();
    await expect(element).toBeAccessible();
  });
});
