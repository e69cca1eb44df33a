import { createElement } from 'lwc';
import AircallChangeLink from 'c/aircallChangeLink';
import { graphql } from 'lightning/graphql';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { flush, onlyQuery } from '../../aircallUtils/__tests__/testUtils';

const gqlAdapter = graphql as unknown as TestWireAdapter & {
  emit(data: unknown, filter?: (config: Record<string, unknown>) => boolean): void;
};
const update = updateRecord as unknown as jest.Mock;
const create = createRecord as unknown as jest.Mock;
const CALL = 'a01Dn00000AbCdEIAV';
const SHARED = '003Dn00000Rz9XyIAJ';
const OTHER = '003Dn00000Rz9XzIAJ';
const ACME = '001Dn00000Qx1AbIAJ';
const FOUND = '003Dn00000Jn5OnIAJ';
const TASK = '00TDn00000Tk1AbIAJ';
const VOICE_CALL = '0LQDn00000Vc1AbIAJ';
const FOLLOW_UP = '00TDn00000Tk2AbIAJ';

/** Match_Candidates__c as the connector writes it. */
const candidates = JSON.stringify([
  {
    o: 'Contact',
    id: SHARED,
    n: 'Jane Doe',
    a: ACME,
    c: true,
    w: 'linked: 2 Contact records have this number; the most recently modified wins (Multiple Matches)',
  },
  {
    o: 'Contact',
    id: OTHER,
    n: 'John Doe',
    a: ACME,
    c: false,
    w: 'not linked: 2 Contact records have this number; the most recently modified wins (Multiple Matches)',
  },
]);

function mount(props: Record<string, unknown> = {}): HTMLElement {
  const element = createElement('c-aircall-change-link', { is: AircallChangeLink });
  Object.assign(element, {
    recordId: CALL,
    callId: '1790600001',
    candidates,
    currentValue: `Contact:${SHARED}`,
    voiceCallId: VOICE_CALL,
    ...props,
  });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot!.querySelector<HTMLElement>(selector);
const all = (element: HTMLElement, selector: string) => [
  ...element.shadowRoot!.querySelectorAll<HTMLElement>(selector),
];
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function open(
  element: HTMLElement,
  numberLinkId?: string,
  followUpId?: string,
): Promise<void> {
  $(element, '.change-link-open')!.click();
  await flush();
  // The call's Task, its open follow-up Task (when it has one) and the agent's name.
  gqlAdapter.emit(
    {
      uiapi: {
        query: {
          Aircall_Number_Link__c: { edges: numberLinkId ? [{ node: { Id: numberLinkId } }] : [] },
          Task: { edges: [{ node: { Id: TASK } }] },
          FollowUp: { edges: followUpId ? [{ node: { Id: followUpId } }] : [] },
          User: { edges: [{ node: { Id: '005x', Name: { value: 'Ana Agent' } } }] },
        },
      },
    },
    onlyQuery('changeLinkContext'),
  );
  await flush();
}

async function pick(element: HTMLElement, value: string): Promise<void> {
  const radio = element.shadowRoot!.querySelector<HTMLInputElement>(`input[value="${value}"]`)!;
  radio.click();
  await flush();
}

async function save(element: HTMLElement): Promise<void> {
  $(element, '.save')!.click();
  await flush();
  await flush();
}

describe('c-aircall-change-link', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('is one button, named for screen readers, until it is used', async () => {
    const element = mount();
    await flush();
    const button = $(element, '.change-link-open') as unknown as { label: string; title: string };
    expect(button.label).toBe('Change link');
    expect(button.title).toBe('Change the record this call is linked to');
    expect($(element, '.change-link')).toBeNull();
  });

  it('lists the records found for the number with why each was or was not linked, the current one checked', async () => {
    const element = mount();
    await open(element);
    const options = all(element, '.candidates .option');
    expect(options.map((o) => text(o.querySelector('label')))).toEqual([
      'Jane Doe · Contact',
      'John Doe · Contact',
    ]);
    expect(text(options[1]!.querySelector('.option-why'))).toMatch(
      /^not linked: 2 Contact records/,
    );
    const radios = options.map((o) => o.querySelector('input')!);
    expect(radios.map((r) => r.checked)).toEqual([true, false]);
    // One radio group (arrow keys move through every choice, "No link" included), each labelled.
    const group = all(element, 'input[type="radio"]') as HTMLInputElement[];
    expect(new Set(group.map((r) => r.name))).toEqual(new Set(['link']));
    expect(group.map((r) => r.value)).toContain('none');
    expect(all(element, 'label[for]')).toHaveLength(group.length);
    // Each option is described by its reason (screen readers read it after the name).
    const why = options[1]!.querySelector('.option-why')!;
    expect(radios[1]!.getAttribute('aria-describedby')).toBe(why.getAttribute('id'));
    // Nothing changed yet: nothing to save.
    expect(($(element, '.save') as unknown as { disabled: boolean }).disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('saves another candidate on the call, its Task and its Voice Call, with who linked it', async () => {
    const element = mount();
    const linked = jest.fn();
    element.addEventListener('linked', linked);
    await open(element);
    await pick(element, `Contact:${OTHER}`);
    await save(element);
    const today = new Date().toISOString().slice(0, 10);
    expect(update.mock.calls.map((c) => (c[0] as { fields: unknown }).fields)).toEqual([
      {
        Id: CALL,
        Contact__c: OTHER,
        Lead__c: null,
        Account__c: ACME,
        Match_Reason__c: `Linked by Ana Agent on ${today}`,
        Linked_By__c: expect.stringMatching(/^005/),
      },
      { Id: TASK, WhoId: OTHER, WhatId: ACME },
      { Id: VOICE_CALL, RelatedRecordId: OTHER },
    ]);
    expect(linked).toHaveBeenCalledTimes(1);
    expect($(element, '.change-link')).toBeNull();
  });

  it("gives the call's open follow-up Task the record chosen, by the call Task's rule", async () => {
    const element = mount();
    await open(element, undefined, FOLLOW_UP);
    await pick(element, `Contact:${OTHER}`);
    await save(element);
    expect(update.mock.calls.map((c) => (c[0] as { fields: unknown }).fields)).toEqual([
      expect.objectContaining({ Id: CALL, Contact__c: OTHER, Account__c: ACME }),
      { Id: TASK, WhoId: OTHER, WhatId: ACME },
      { Id: FOLLOW_UP, WhoId: OTHER, WhatId: ACME },
      { Id: VOICE_CALL, RelatedRecordId: OTHER },
    ]);
  });

  it("keeps the call's Case as the follow-up Task's What", async () => {
    const onCase = mount({ hasCase: true, hasCaseOrOpportunity: true });
    await open(onCase, undefined, FOLLOW_UP);
    await pick(onCase, 'none');
    await save(onCase);
    expect(update.mock.calls.map((c) => (c[0] as { fields: unknown }).fields).slice(1)).toEqual([
      { Id: TASK, WhoId: null },
      { Id: FOLLOW_UP, WhoId: null },
    ]);
  });

  it("shows in place the org's refusal of the follow-up Task, and keeps the panel open", async () => {
    update
      .mockResolvedValueOnce({})
      .mockResolvedValueOnce({})
      .mockRejectedValueOnce({
        body: [
          {
            errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
            message: 'insufficient access rights on object id',
          },
        ],
        status: 400,
      });
    const element = mount();
    await open(element, undefined, FOLLOW_UP);
    await pick(element, `Contact:${OTHER}`);
    await save(element);
    expect((update.mock.calls[2]![0] as { fields: { Id: string } }).fields.Id).toBe(FOLLOW_UP);
    const error = $(element, '.link-error');
    expect(text(error)).toMatch(
      /^The link could not be saved: .*insufficient access rights on object id/,
    );
    expect(error!.querySelector('[role="alert"]')).not.toBeNull();
    expect($(element, '.change-link')).not.toBeNull();
  });

  it('searches Contacts, Leads and Accounts by name and links a Lead found', async () => {
    const element = mount({ candidates: '', currentValue: '' });
    await open(element);
    expect(text($(element, '.none-found'))).toBe('No Contact, Lead or Account has this number.');
    const search = $(element, '.search') as HTMLInputElement;
    search.value = 'Jan';
    search.dispatchEvent(new CustomEvent('change'));
    await flush();
    const config = gqlAdapter.getLastConfig();
    expect(config).toMatchObject({
      operationName: 'changeLinkSearch',
      variables: { term: '%Jan%' },
    });
    gqlAdapter.emit(
      {
        uiapi: {
          query: {
            Contact: {
              edges: [
                { node: { Id: FOUND, Name: { value: 'Janet Roe' }, AccountId: { value: null } } },
              ],
            },
            Lead: { edges: [{ node: { Id: '00QDn00000Ld1AbIAJ', Name: { value: 'Jan Lee' } } }] },
            Account: { edges: [] },
          },
        },
      },
      onlyQuery('changeLinkSearch'),
    );
    await flush();
    expect(all(element, '.results .option label').map(text)).toEqual([
      'Janet Roe · Contact',
      'Jan Lee · Lead',
    ]);
    await pick(element, 'Lead:00QDn00000Ld1AbIAJ');
    await save(element);
    const [voice, task] = update.mock.calls.map((c) => (c[0] as { fields: unknown }).fields);
    expect(voice).toMatchObject({
      Lead__c: '00QDn00000Ld1AbIAJ',
      Contact__c: null,
      Account__c: null,
    });
    // A Lead takes no What on a Task.
    expect(task).toEqual({ Id: TASK, WhoId: '00QDn00000Ld1AbIAJ', WhatId: null });
  });

  it('offers a Person Account once, as its person, which links the account and the person', async () => {
    const element = mount({ candidates: '', currentValue: '' });
    await open(element);
    const search = $(element, '.search') as HTMLInputElement;
    search.value = 'Lucía';
    search.dispatchEvent(new CustomEvent('change'));
    await flush();
    const PERSON = '003Dn00000Pc1AbIAJ';
    const PA = '001Dn00000Pa1AbIAJ';
    gqlAdapter.emit(
      {
        uiapi: {
          query: {
            Contact: {
              edges: [
                { node: { Id: PERSON, Name: { value: 'Lucía García' }, AccountId: { value: PA } } },
              ],
            },
            Lead: { edges: [] },
            Account: { edges: [{ node: { Id: PA, Name: { value: 'Lucía García' } } }] },
          },
        },
      },
      onlyQuery('changeLinkSearch'),
    );
    await flush();
    expect(all(element, '.results .option label').map(text)).toEqual([
      'Lucía García · Person Account',
    ]);
    await pick(element, `Contact:${PERSON}`);
    await save(element);
    expect((update.mock.calls[0]![0] as { fields: unknown }).fields).toMatchObject({
      Contact__c: PERSON,
      Account__c: PA,
    });
  });

  it('says when no record has the name searched', async () => {
    const element = mount();
    await open(element);
    const search = $(element, '.search') as HTMLInputElement;
    search.value = 'Zed';
    search.dispatchEvent(new CustomEvent('change'));
    await flush();
    gqlAdapter.emit(
      { uiapi: { query: { Contact: { edges: [] }, Lead: { edges: [] }, Account: { edges: [] } } } },
      onlyQuery('changeLinkSearch'),
    );
    await flush();
    expect(text($(element, '.no-results'))).toBe('No Contact, Lead or Account has this name.');
  });

  it('unlinks with "No link", and leaves the Case of the call to its Task and Voice Call', async () => {
    const element = mount({ hasCase: true, hasCaseOrOpportunity: true });
    await open(element);
    await pick(element, 'none');
    await save(element);
    expect(update.mock.calls.map((c) => (c[0] as { fields: unknown }).fields)).toEqual([
      expect.objectContaining({ Contact__c: null, Lead__c: null, Account__c: null }),
      { Id: TASK, WhoId: null },
    ]);
  });

  it('shows the error from the org in place and keeps the choice', async () => {
    update.mockRejectedValueOnce({
      body: [
        {
          errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: 'Unable to create/update fields: Contact__c.',
        },
      ],
      status: 400,
    });
    const element = mount();
    await open(element);
    await pick(element, `Contact:${OTHER}`);
    await save(element);
    const error = $(element, '.link-error');
    expect(text(error)).toMatch(
      /^The link could not be saved: .*Unable to create\/update fields: Contact__c\./,
    );
    expect(error!.querySelector('[role="alert"]')).not.toBeNull();
    expect($(element, '.change-link')).not.toBeNull();
    expect(
      element.shadowRoot!.querySelector<HTMLInputElement>(`input[value="Contact:${OTHER}"]`)!
        .checked,
    ).toBe(true);
  });

  it('remembers the number for the record chosen, or points its existing link there', async () => {
    const element = mount({ number: '+33612345678' });
    await open(element);
    expect($(element, '.remember')).not.toBeNull();
    await pick(element, `Contact:${OTHER}`);
    const remember = $(element, '.remember') as HTMLInputElement;
    remember.checked = true;
    remember.dispatchEvent(new CustomEvent('change'));
    await flush();
    await save(element);
    await flush();
    expect(create).toHaveBeenCalledWith({
      apiName: 'Aircall_Number_Link__c',
      fields: {
        Name: '+33612345678',
        Phone_Key__c: '+33612345678',
        Phone__c: '+33612345678',
        Contact__c: OTHER,
        Lead__c: null,
        Account__c: null,
      },
    });

    // The number has a link already: it is pointed at the new choice (one link per number).
    jest.clearAllMocks();
    const again = mount({ number: '+33612345678' });
    await open(again, 'a05Dn00000Nl1AbIAJ');
    await pick(again, `Contact:${SHARED}`);
    const box = $(again, '.remember') as HTMLInputElement;
    box.checked = true;
    box.dispatchEvent(new CustomEvent('change'));
    await flush();
    // The call stays linked as it is; only the number is remembered.
    await save(again);
    await flush();
    expect(create).not.toHaveBeenCalled();
    expect(update.mock.calls.map((c) => (c[0] as { fields: unknown }).fields).at(-1)).toEqual({
      Id: 'a05Dn00000Nl1AbIAJ',
      Phone__c: '+33612345678',
      Contact__c: SHARED,
      Lead__c: null,
      Account__c: null,
    });
  });

  it('offers to remember only a record, and only when the call has a number', async () => {
    const element = mount({ number: '' });
    await open(element);
    expect($(element, '.remember')).toBeNull();
    const numbered = mount({ number: '+33612345678' });
    await open(numbered);
    await pick(numbered, 'none');
    expect($(numbered, '.remember')).toBeNull();
  });

  describe('from the keyboard and with a screen reader', () => {
    // jsdom has no keyboard behaviour of its own: Tab does not move the focus, arrow keys do not
    // move through a radio group, Enter and Space do not press a button. These tests check what
    // the component owns (native controls in one radio group, each named, and where it puts the
    // focus); test/console/change-link-keyboard.test.ts presses the keys in Chromium.
    let focus: jest.SpyInstance;
    beforeEach(() => {
      focus = jest.spyOn(HTMLElement.prototype, 'focus');
    });
    afterEach(() => focus.mockRestore());

    /** The lightning-button stubs render nothing: their focus() is seen on the host. */
    const focusedHost = (element: HTMLElement, selector: string) =>
      focus.mock.contexts.includes($(element, selector));

    it('puts the focus on the chosen option when it opens, where arrow keys move through every choice', async () => {
      const element = mount({ number: '+33612345678' });
      await open(element);
      const active = element.shadowRoot!.activeElement as HTMLInputElement | null;
      expect(active?.value).toBe(`Contact:${SHARED}`);
      expect(active?.checked).toBe(true);
      // Every choice is a native radio of one group, in reading order (the records found, the
      // search results, No link): one Tab stop, and the browser moves through it with the arrows.
      const search = $(element, '.search') as HTMLInputElement;
      search.value = 'Jan';
      search.dispatchEvent(new CustomEvent('change'));
      await flush();
      gqlAdapter.emit(
        {
          uiapi: {
            query: {
              Contact: { edges: [] },
              Lead: { edges: [{ node: { Id: '00QDn00000Ld1AbIAJ', Name: { value: 'Jan Lee' } } }] },
              Account: { edges: [] },
            },
          },
        },
        onlyQuery('changeLinkSearch'),
      );
      await flush();
      const radios = all(element, 'input') as HTMLInputElement[];
      expect(radios.map((r) => [r.type, r.name, r.value])).toEqual([
        ['radio', 'link', `Contact:${SHARED}`],
        ['radio', 'link', `Contact:${OTHER}`],
        ['radio', 'link', 'Lead:00QDn00000Ld1AbIAJ'],
        ['radio', 'link', 'none'],
      ]);
      // Nothing is taken out of the Tab order or put ahead of it.
      expect(all(element, '[tabindex]')).toEqual([]);
      // The arrow keys check the next radio and the browser sends it `change`, as a click does.
      await pick(element, 'Lead:00QDn00000Ld1AbIAJ');
      expect(($(element, '.save') as unknown as { disabled: boolean }).disabled).toBe(false);
    });

    it('names every control and group, and reads the search results out as they come', async () => {
      const element = mount({ number: '+33612345678' });
      await open(element);
      await pick(element, `Contact:${OTHER}`);
      expect($(element, '.change-link')!.getAttribute('aria-label')).toBe('Change link');
      // Each radio is named by its label and described by why the matcher did or did not link it.
      const named = (all(element, 'input[type="radio"]') as HTMLInputElement[]).map((r) => [
        [...(r.labels ?? [])].map(text).join(),
        text(element.shadowRoot!.getElementById(r.getAttribute('aria-describedby') ?? '')),
      ]);
      expect(named).toEqual([
        [
          'Jane Doe · Contact',
          'linked: 2 Contact records have this number; the most recently modified wins (Multiple Matches)',
        ],
        [
          'John Doe · Contact',
          'not linked: 2 Contact records have this number; the most recently modified wins (Multiple Matches)',
        ],
        ['No link', ''],
      ]);
      expect(all(element, 'fieldset > legend').map(text)).toEqual([
        'Records found for this number',
      ]);
      // The base components name their control by `label` (the stubs render nothing of it).
      const label = (selector: string) =>
        ($(element, selector) as unknown as { label: string }).label;
      expect([label('.search'), label('.remember'), label('.save'), label('.cancel')]).toEqual([
        'Search Contacts, Leads and Accounts by name',
        'Remember for this number: link its next calls to this record',
        'Save',
        'Cancel',
      ]);
      expect($(element, '.results-area')!.getAttribute('aria-live')).toBe('polite');
      const search = $(element, '.search') as HTMLInputElement;
      search.value = 'Zed';
      search.dispatchEvent(new CustomEvent('change'));
      await flush();
      gqlAdapter.emit(
        {
          uiapi: { query: { Contact: { edges: [] }, Lead: { edges: [] }, Account: { edges: [] } } },
        },
        onlyQuery('changeLinkSearch'),
      );
      await flush();
      const region = $(element, '.results-area')!;
      expect(text(region.querySelector('legend'))).toBe('Search results');
      expect(text(region.querySelector('.no-results'))).toBe(
        'No Contact, Lead or Account has this name.',
      );
      await expect(element).toBeAccessible();
    });

    it('saves, then gives the focus back to Change link', async () => {
      const element = mount();
      await open(element);
      await pick(element, `Contact:${OTHER}`);
      await save(element);
      expect($(element, '.change-link')).toBeNull();
      expect(focusedHost(element, '.change-link-open')).toBe(true);
    });

    it('gives the focus back to Change link on Cancel', async () => {
      const element = mount();
      await open(element);
      $(element, '.cancel')!.click();
      await flush();
      expect(focusedHost(element, '.change-link-open')).toBe(true);
    });

    /** Escape pressed on `target`, as the browser sends it (it bubbles out of a base component). */
    function escape(target: Element): KeyboardEvent {
      const event = new KeyboardEvent('keydown', {
        key: 'Escape',
        bubbles: true,
        composed: true,
        cancelable: true,
      });
      target.dispatchEvent(event);
      return event;
    }

    it('closes on Escape without saving, and gives the focus back to Change link', async () => {
      const element = mount();
      await open(element);
      await pick(element, `Contact:${OTHER}`);
      const event = escape(element.shadowRoot!.querySelector(`input[value="Contact:${OTHER}"]`)!);
      await flush();
      expect(event.defaultPrevented).toBe(true);
      expect($(element, '.change-link')).toBeNull();
      expect(focusedHost(element, '.change-link-open')).toBe(true);
      expect(update).not.toHaveBeenCalled();
      // Other keys are left to the browser (arrows move through the radio group).
      await open(element);
      const other = new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true });
      element.shadowRoot!.querySelector('input[type="radio"]')!.dispatchEvent(other);
      await flush();
      expect(other.defaultPrevented).toBe(false);
      expect($(element, '.change-link')).not.toBeNull();
    });

    it('clears the search on the first Escape in the search box, and closes on the next', async () => {
      const element = mount();
      await open(element);
      const search = $(element, '.search') as HTMLInputElement;
      search.value = 'Jan';
      search.dispatchEvent(new CustomEvent('change'));
      await flush();
      gqlAdapter.emit(
        {
          uiapi: {
            query: {
              Contact: { edges: [] },
              Lead: { edges: [{ node: { Id: '00QDn00000Ld1AbIAJ', Name: { value: 'Jan Lee' } } }] },
              Account: { edges: [] },
            },
          },
        },
        onlyQuery('changeLinkSearch'),
      );
      await flush();
      expect($(element, '.results')).not.toBeNull();
      escape(search);
      await flush();
      // Still open, the search emptied and its results gone; the focus stays in the search box.
      expect($(element, '.change-link')).not.toBeNull();
      expect(($(element, '.search') as HTMLInputElement).value).toBe('');
      expect($(element, '.results')).toBeNull();
      expect(focusedHost(element, '.change-link-open')).toBe(false);
      escape($(element, '.search')!);
      await flush();
      expect($(element, '.change-link')).toBeNull();
      expect(focusedHost(element, '.change-link-open')).toBe(true);
    });

    it("moves the focus to the org's error, which is read out in place", async () => {
      update.mockRejectedValueOnce({
        body: [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }],
        status: 400,
      });
      const element = mount();
      await open(element);
      await pick(element, `Contact:${OTHER}`);
      await save(element);
      const alert = $(element, '.link-error [role="alert"]');
      expect(text(alert)).toBe('The link could not be saved: entity is deleted');
      expect(element.shadowRoot!.activeElement).toBe(alert);
      // Focusable by script only: Tab goes on from it to Save, not through it.
      expect(alert!.tabIndex).toBe(-1);
      await expect(element).toBeAccessible();
    });
  });

  it('offers the record linked now under "Linked now" when it is not one of the records found', async () => {
    const LEAD = '00QDn00000Ld1AbIAJ';
    const element = mount({
      currentValue: `Lead:${LEAD}`,
      currentName: 'Jan Lee',
      number: '+33612345678',
    });
    await open(element);
    const current = $(element, '.current')!;
    expect(text(current.querySelector('legend'))).toBe('Linked now');
    expect(text(current.querySelector('label'))).toBe('Jan Lee · Lead');
    const radio = current.querySelector('input')!;
    expect(radio.checked).toBe(true);
    expect(element.shadowRoot!.activeElement).toBe(radio);
    // First in the group, before the records found.
    expect((all(element, 'input[type="radio"]') as HTMLInputElement[])[0]).toBe(radio);
    // Found again by a search, it is not offered twice.
    const search = $(element, '.search') as HTMLInputElement;
    search.value = 'Jan';
    search.dispatchEvent(new CustomEvent('change'));
    await flush();
    gqlAdapter.emit(
      {
        uiapi: {
          query: {
            Contact: { edges: [] },
            Lead: { edges: [{ node: { Id: LEAD, Name: { value: 'Jan Lee' } } }] },
            Account: { edges: [] },
          },
        },
      },
      onlyQuery('changeLinkSearch'),
    );
    await flush();
    expect(all(element, `input[value="Lead:${LEAD}"]`)).toHaveLength(1);
    expect($(element, '.no-results')).not.toBeNull();
    // Kept as it is, the number can still be remembered for it.
    const remember = $(element, '.remember') as HTMLInputElement;
    remember.checked = true;
    remember.dispatchEvent(new CustomEvent('change'));
    await flush();
    await save(element);
    await flush();
    expect(create).toHaveBeenCalledWith({
      apiName: 'Aircall_Number_Link__c',
      fields: expect.objectContaining({ Lead__c: LEAD, Contact__c: null }),
    });
    await expect(element).toBeAccessible();
  });

  it('says the record linked now was created for the number, which no record had', async () => {
    const LEAD = '00QDn00000Ld1AbIAJ';
    const element = mount({
      candidates: '',
      currentValue: `Lead:${LEAD}`,
      currentName: '+33612345678',
      createdForNumber: true,
      number: '+33612345678',
    });
    await open(element);
    const current = $(element, '.current')!;
    expect(text(current.querySelector('label'))).toBe('+33612345678 · Lead');
    const why = current.querySelector('.option-why')!;
    expect(text(why)).toBe(
      'Created for this number by the connector, because no Contact, Lead or Account had it.',
    );
    // Read after the option's name, as the reasons of the records found are.
    expect(current.querySelector('input')!.getAttribute('aria-describedby')).toBe(
      why.getAttribute('id'),
    );
    // Not "none has this number" right under the record that has it now.
    expect(text($(element, '.none-found'))).toBe(
      'No other record had this number when the call came in.',
    );
    await expect(element).toBeAccessible();
    // A record linked by other means has no such reason.
    const other = mount({ candidates: '', currentValue: `Lead:${LEAD}`, currentName: 'Jan Lee' });
    await open(other);
    expect(other.shadowRoot!.querySelector('.current .option-why')).toBeNull();
    expect(
      other.shadowRoot!.querySelector('.current input')!.hasAttribute('aria-describedby'),
    ).toBe(false);
    expect(text(other.shadowRoot!.querySelector('.none-found'))).toBe(
      'No Contact, Lead or Account has this number.',
    );
  });

  it('closes without saving on Cancel', async () => {
    const element = mount();
    await open(element);
    await pick(element, 'none');
    $(element, '.cancel')!.click();
    await flush();
    expect(update).not.toHaveBeenCalled();
    expect($(element, '.change-link-open')).not.toBeNull();
  });
});
