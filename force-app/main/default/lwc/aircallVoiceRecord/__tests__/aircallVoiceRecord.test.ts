import { createElement } from 'lwc';
import AircallVoiceRecord, { LIVE_REFRESH_MS, RELATED_LIVE_REFRESH_MS } from 'c/aircallVoiceRecord';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import * as navigation from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';

import answeredCall from './data/getRecordAnswered.json';
import voicemailCall from './data/getRecordVoicemail.json';
import relatedCalls from './data/getRelatedListRecords.json';
import noRelatedCalls from './data/getRelatedListRecordsEmpty.json';
import { flush } from '../../aircallUtils/__tests__/testUtils';
import { viewRoot } from './viewRoot';

// refreshApex talks to the server in Lightning; here we only check it is asked for the related list.
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true,
});

const recordAdapter = getRecord as unknown as TestWireAdapter;
const relatedAdapter = getRelatedListRecords as unknown as TestWireAdapter;
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
const nav = navigation as unknown as NavigationMock;
const CALL_ID = 'a01Dn00000AbCdEIAV';

/** Lets LWC re-render and pending promise callbacks run (three microtask turns suffice here). */

type UiRecord = { fields: Record<string, { value: unknown; displayValue: string | null }> };

/** The answered call as it looks while it is still going on (not Ended yet). */
function liveCall(status = 'In Progress'): UiRecord {
  const record = JSON.parse(JSON.stringify(answeredCall)) as UiRecord;
  record.fields.Status__c = { value: status, displayValue: status };
  record.fields.Ended_At__c = { value: null, displayValue: null };
  return record;
}

function mount(
  objectApiName: string,
  recordId: string | null = CALL_ID,
): HTMLElement & { maxCalls?: number } {
  const element = createElement('c-aircall-voice-record', { is: AircallVoiceRecord });
  Object.assign(element, { recordId, objectApiName });
  document.body.appendChild(element);
  return element;
}

/** The parent page's object info (UI API), whose child relationship names the related list. */
function parentInfo(apiName: string, lookup: string, relationshipName = 'Aircall_Calls__r') {
  return {
    apiName,
    label: apiName,
    createable: true,
    updateable: true,
    deletable: true,
    fields: {},
    childRelationships: [
      { childObjectApiName: 'Task', fieldName: 'WhatId', relationshipName: 'Tasks' },
      { childObjectApiName: 'Aircall_Voice__c', fieldName: lookup, relationshipName },
    ],
  };
}

function mountRelated(
  objectApiName: string,
  recordId: string,
  lookup: string,
): HTMLElement & { maxCalls?: number } {
  const element = mount(objectApiName, recordId);
  objectInfoAdapter.emit(parentInfo(objectApiName, lookup));
  return element;
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return viewRoot(element).querySelector<HTMLElement>(selector);
}

function textOf(element: HTMLElement, selector: string): string {
  return ($(element, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('c-aircall-voice-record', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  describe('on an Aircall Voice page', () => {
    it('asks for the call with only name and call id required, so hidden fields do not break the card', async () => {
      mount('Aircall_Voice__c');
      await flush();
      const config = recordAdapter.getLastConfig();
      expect(config.recordId).toBe(CALL_ID);
      // Schema imports, as the platform hands them to the component.
      expect(config.fields).toEqual([
        { objectApiName: 'Aircall_Voice__c', fieldApiName: 'Name' },
        { objectApiName: 'Aircall_Voice__c', fieldApiName: 'Aircall_Call_Id__c' },
      ]);
      expect(config.optionalFields).toEqual(
        expect.arrayContaining([
          { objectApiName: 'Aircall_Voice__c', fieldApiName: 'Agent__r.Name' },
          { objectApiName: 'Aircall_Voice__c', fieldApiName: 'AI_Summary__c' },
        ]),
      );
    });

    it('shows a spinner until the call arrives', async () => {
      const element = mount('Aircall_Voice__c');
      await flush();
      expect($(element, '.state-loading lightning-spinner')).not.toBeNull();
    });

    it('shows direction, type, numbers, agent, assignment and the linked records of an answered call', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      // The person first, then the outcome; the record number last.
      expect(textOf(element, '.card-title-text')).toBe('Jane Doe');
      expect(($(element, '.card-title-time') as unknown as { value: string } | null)?.value).toBe(
        '2026-09-28T13:44:10.000Z',
      );
      expect(textOf(element, '.outcome')).toBe('Answered');
      expect($(element, '.outcome')?.className).toContain('slds-theme_success');
      expect(textOf(element, '.record-number')).toBe('Call record AV-000123');
      expect($(element, '.call-back')).toBeNull();
      expect(textOf(element, '.direction')).toBe('Inbound');
      expect(textOf(element, '.call-type')).toBe('Answered');
      expect(textOf(element, '.status')).toBe('Ended');
      expect(
        ($(element, '.customer-number lightning-formatted-phone') as unknown as { value: string })
          .value,
      ).toBe('+14155550132');
      expect(textOf(element, '.aircall-line')).toBe('Support FR · +33187210000');
      expect(textOf(element, '.agent')).toBe('Ana Agent');
      expect(textOf(element, '.assigned-to')).toBe('Marc Martin');
      const links = [...viewRoot(element).querySelectorAll<HTMLAnchorElement>('.linked-record')];
      expect(links.map((a) => [a.textContent, a.dataset.recordId])).toEqual([
        ['Jane Doe', '003Dn00000Rz9XyIAJ'],
        ['Acme Corp', '001Dn00000Qx1AbIAJ'],
        ['00001234', '0LQDn0000001AbCOAU'],
      ]);
      expect($(element, '.missed-reason')).toBeNull();
      expect($(element, '.outside-hours')).toBeNull();
    });

    it('shows the timeline with ring, talk and total durations kept apart', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      const times = [
        ...viewRoot(element).querySelectorAll('.timeline lightning-formatted-date-time'),
      ].map((e) => (e as unknown as { value: string }).value);
      expect(times).toEqual([
        '2026-09-28T13:44:10.000Z',
        '2026-09-28T13:44:13.000Z',
        '2026-09-28T13:44:31.000Z',
      ]);
      expect(textOf(element, '.ring-duration')).toBe('0:03');
      expect(textOf(element, '.talk-duration')).toBe('0:18');
      expect(textOf(element, '.total-duration')).toBe('0:21');
    });

    it('plays the recording, links to Aircall and lists tags, comments and AI insights', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      expect($(element, '.recording audio')?.getAttribute('src')).toBe(
        'https://media.aircall.io/recordings/1790603050.mp3',
      );
      expect($(element, '.voicemail')).toBeNull();
      expect($(element, '.aircall-link')?.getAttribute('href')).toBe(
        'https://assets.aircall.io/calls/1790603050/recording',
      );
      const badges = (selector: string): string[] =>
        [...viewRoot(element).querySelectorAll(`${selector} .slds-badge`)].map(
          (b) => b.textContent ?? '',
        );
      expect(badges('.tags')).toEqual(['VIP', 'Renewal']);
      // Author, then the time in the user's locale and zone (as the timeline), then the text.
      const comments = [...viewRoot(element).querySelectorAll('.comments li')];
      expect(comments.map((li) => li.querySelector('.comment-author')?.textContent)).toEqual([
        'Ana Agent',
        'Marc Martin',
      ]);
      expect(
        comments.map(
          (li) =>
            (li.querySelector('lightning-formatted-date-time') as unknown as { value: string })
              .value,
        ),
      ).toEqual(['2026-09-28T13:45:00.000Z', '2026-09-28T14:02:00.000Z']);
      expect(comments.map((li) => li.querySelector('.comment-text')?.textContent)).toEqual([
        'Customer asked for a callback on Monday',
        'Sent the quote by e-mail',
      ]);
      // Audio has a name; the new-tab link says it opens a new tab.
      expect($(element, '.recording audio')?.getAttribute('aria-label')).toBe('Call recording');
      expect(textOf(element, '.aircall-link')).toBe(
        'Open the call in Aircall (opens in a new tab)',
      );
      expect(textOf(element, '.sentiment')).toBe('Sentiment: Positive');
      expect($(element, '.sentiment .slds-badge')?.className).toContain('slds-theme_success');
      expect(textOf(element, '.ai-summary')).toMatch(/renew the annual plan/);
      expect(badges('.ai-topics')).toEqual(['Renewal', 'Pricing']);
      expect(
        [...viewRoot(element).querySelectorAll('.ai-action-items li')].map((li) => li.textContent),
      ).toEqual(['Send the renewal quote', 'Call back on Monday']);
    });

    it('shows a missed call: no answer time, zero talk, the voicemail player, the reason and the after-hours badge', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(voicemailCall);
      await flush();
      expect(textOf(element, '.answered')).toBe('Not answered');
      expect(textOf(element, '.talk-duration')).toBe('0:00');
      expect(textOf(element, '.ring-duration')).toBe('0:12');
      // The reason is the picklist's label, not the stored code.
      expect(textOf(element, '.missed-reason-text')).toBe('Out of opening hours');
      expect(textOf(element, '.outcome')).toBe('Voicemail');
      expect($(element, '.outcome')?.className).toContain('slds-theme_warning');
      expect(textOf(element, '.card-title-text')).toBe('Unknown caller +33612345678');
      expect($(element, '.call-back')?.getAttribute('href')).toBe('tel:+33612345678');
      expect($(element, '.call-back')?.getAttribute('aria-label')).toBe(
        'Call back Unknown caller +33612345678',
      );
      expect(textOf(element, '.outside-hours')).toBe('Outside business hours');
      // No value is ever a blank row.
      // Nobody handled it and nobody is assigned: "Unassigned" once, not beside "Assigned to".
      expect(textOf(element, '.agent')).toBe('Unassigned');
      expect($(element, '.assigned-to')).toBeNull();
      expect($(element, '.voicemail audio')?.getAttribute('src')).toBe(
        'https://media.aircall.io/voicemails/1790609999.mp3',
      );
      expect($(element, '.recording')).toBeNull();
      expect($(element, '.outside-hours')).not.toBeNull();
      expect($(element, '.tags')).toBeNull();
      expect($(element, '.comments')).toBeNull();
      expect($(element, '.ai-summary')).toBeNull();
      expect($(element, '.aircall-link')).toBeNull();
      expect(
        [...viewRoot(element).querySelectorAll('.linked-record')].map((a) => a.textContent),
      ).toEqual(['Unknown caller +33612345678']);
    });

    it('links the Case created for a voicemail and the open Opportunity the call is on', async () => {
      const onCase = JSON.parse(JSON.stringify(voicemailCall)) as UiRecord;
      onCase.fields.Case__c = { value: '500Dn00000Cs1AbIAJ', displayValue: null };
      onCase.fields.Case__r = {
        value: { fields: { CaseNumber: { value: '00001027', displayValue: null } } },
        displayValue: null,
      };
      onCase.fields.Opportunity__c = { value: '006Dn00000Op1AbIAJ', displayValue: null };
      onCase.fields.Opportunity__r = {
        value: { fields: { Name: { value: 'Renewal 2027', displayValue: null } } },
        displayValue: null,
      };
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(onCase);
      await flush();
      const links = [...viewRoot(element).querySelectorAll<HTMLElement>('.linked-record')];
      expect(links.map((a) => [a.textContent, a.dataset.recordId])).toEqual(
        expect.arrayContaining([
          ['00001027', '500Dn00000Cs1AbIAJ'],
          ['Renewal 2027', '006Dn00000Op1AbIAJ'],
        ]),
      );
    });

    it('shows a missed call apart from answered and voicemail ones: red badge, reason label, call-back, no player', async () => {
      const missed = JSON.parse(JSON.stringify(voicemailCall)) as UiRecord;
      missed.fields.Call_Type__c = { value: 'Missed', displayValue: 'Missed' };
      missed.fields.Voicemail_Url__c = { value: null, displayValue: null };
      // An open picklist value the org has no label for yet is still shown as words.
      missed.fields.Missed_Reason__c = {
        value: 'no_available_agent',
        displayValue: 'no_available_agent',
      };
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(missed);
      await flush();
      expect(textOf(element, '.outcome')).toBe('Missed');
      expect($(element, '.outcome')?.className).toContain('slds-theme_error');
      expect(
        ($(element, '.outcome lightning-icon') as unknown as { iconName: string }).iconName,
      ).toBe('utility:missed_call');
      expect(textOf(element, '.missed-reason-text')).toBe('No available agent');
      expect($(element, '.call-back')).not.toBeNull();
      expect($(element, 'audio')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('never leaves a row blank: a dash, or Unassigned for people', async () => {
      const bare = {
        ...answeredCall,
        fields: {
          Name: { value: 'AV-000200', displayValue: null },
          Aircall_Call_Id__c: { value: '42', displayValue: null },
        },
      };
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(bare);
      await flush();
      const values = [...viewRoot(element).querySelectorAll('dd')].map((dd) =>
        (dd.textContent ?? '').trim(),
      );
      expect(values.length).toBeGreaterThan(8);
      expect(values.filter((v) => v === '')).toEqual([]);
      expect(textOf(element, '.agent')).toBe('Unassigned');
      expect(textOf(element, '.customer-number')).toBe('—');
      expect(textOf(element, '.started')).toBe('—');
      expect(textOf(element, '.card-title-text')).toBe('Unknown caller');
      await expect(element).toBeAccessible();
    });

    it('tells the user which permission set to ask for when the platform refuses access', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.error(
        [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' }],
        403,
        'Forbidden',
      );
      await flush();
      expect(textOf(element, '.state-error')).toBe(
        "You don't have access to Aircall Voice fields. Ask your admin for the Aircall Agent permission set.",
      );
    });

    it('explains other load failures and what to do about them', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.error(
        { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' },
        500,
        'Server Error',
      );
      await flush();
      expect(textOf(element, '.state-error')).toBe(
        'The call could not be loaded. Reload the page; if it keeps failing, send this message to your admin. An unexpected error occurred.',
      );
    });

    it('opens a linked record when its name is clicked', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      $(element, '.linked-record[data-record-id="003Dn00000Rz9XyIAJ"]')!.click();
      expect(nav.mockNavigate).toHaveBeenCalledWith(
        {
          type: 'standard__recordPage',
          attributes: { recordId: '003Dn00000Rz9XyIAJ', actionName: 'view' },
        },
        undefined,
      );
    });

    it('reloads on demand with the Refresh button', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      $(element, '.refresh')!.click();
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: CALL_ID }]);
    });

    it('reloads the call when the record page refreshes', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      const handler = (registerRefreshHandler as jest.Mock).mock.calls[0][1] as () => boolean;
      expect(handler()).toBe(true);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: CALL_ID }]);
      document.body.removeChild(element);
      expect(unregisterRefreshHandler).toHaveBeenCalledTimes(1);
    });

    it('refreshes a live call through Lightning Data Service and stops once the call is final', async () => {
      jest.useFakeTimers();
      mount('Aircall_Voice__c');
      recordAdapter.emit(liveCall('Ringing'));
      await flush();
      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
      jest.advanceTimersByTime(LIVE_REFRESH_MS);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: CALL_ID }]);
      // The refreshed record says the call was answered: still live, still refreshed.
      recordAdapter.emit(liveCall('In Progress'));
      await flush();
      jest.advanceTimersByTime(LIVE_REFRESH_MS * 2);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(3);
      // The next read brings the ended call: no more reads, however long the page stays open.
      recordAdapter.emit(answeredCall);
      await flush();
      jest.advanceTimersByTime(LIVE_REFRESH_MS * 100);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(3);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('runs the ring, talk and total durations of a live call every second, then shows the stored ones', async () => {
      jest.useFakeTimers();
      // Ringing for 7 s, then answered 3 s after it started and talking for 62 s.
      jest.setSystemTime(Date.parse('2026-09-28T13:44:17.000Z'));
      const element = mount('Aircall_Voice__c');
      const ringing = liveCall('Ringing');
      ringing.fields.Answered_At__c = { value: null, displayValue: null };
      recordAdapter.emit(ringing);
      await flush();
      expect(textOf(element, '.ring-duration')).toBe('0:07');
      jest.advanceTimersByTime(1000);
      await flush();
      expect(textOf(element, '.ring-duration')).toBe('0:08');
      jest.setSystemTime(Date.parse('2026-09-28T13:45:15.000Z'));
      recordAdapter.emit(liveCall('In Progress'));
      jest.advanceTimersByTime(1000);
      await flush();
      expect(
        ['.ring-duration', '.talk-duration', '.total-duration'].map((c) => textOf(element, c)),
      ).toEqual(['0:03', '1:03', '1:06']);
      expect($(element, '.outcome')!.className).toContain('slds-theme_info');
      recordAdapter.emit(answeredCall);
      await flush();
      expect(
        ['.ring-duration', '.talk-duration', '.total-duration'].map((c) => textOf(element, c)),
      ).toEqual(['0:03', '0:18', '0:21']);
      expect(jest.getTimerCount()).toBe(0);
      jest.useRealTimers();
    });

    it('shows who a call is assigned to by name, and not when it only repeats the agent', async () => {
      const element = mount('Aircall_Voice__c');
      const assigned = JSON.parse(JSON.stringify(answeredCall)) as UiRecord;
      assigned.fields.Assigned_To__c = {
        value: 'Marc Martin <marc@example.com>',
        displayValue: null,
      };
      recordAdapter.emit(assigned);
      await flush();
      expect(textOf(element, '.assigned-to')).toBe('Marc Martin');
      assigned.fields.Assigned_To__c = { value: 'Ana Agent <ana@example.com>', displayValue: null };
      recordAdapter.emit({ ...assigned });
      await flush();
      expect($(element, '.assigned-to')).toBeNull();
      expect(textOf(element, '.agent')).toBe('Ana Agent');
    });

    it('shows every time in one format: hour without zero padding, and the time zone', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      const times = [
        ...viewRoot(element).querySelectorAll('lightning-formatted-date-time'),
      ] as unknown as { hour: string; timeZoneName: string }[];
      expect(times.length).toBeGreaterThan(2);
      expect(times.map((t) => [t.hour, t.timeZoneName])).toEqual(
        times.map(() => ['numeric', 'short']),
      );
    });

    it('never polls a call that is already over', async () => {
      jest.useFakeTimers();
      mount('Aircall_Voice__c');
      recordAdapter.emit(voicemailCall);
      await flush();
      jest.advanceTimersByTime(LIVE_REFRESH_MS * 100);
      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('stops refreshing a live call when the page is left', async () => {
      jest.useFakeTimers();
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(liveCall());
      await flush();
      document.body.removeChild(element);
      jest.advanceTimersByTime(LIVE_REFRESH_MS * 10);
      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('reads nothing while the browser tab is hidden', async () => {
      jest.useFakeTimers();
      const visibility = jest.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
      mount('Aircall_Voice__c');
      recordAdapter.emit(liveCall());
      await flush();
      jest.advanceTimersByTime(LIVE_REFRESH_MS * 3);
      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
      visibility.mockReturnValue('visible');
      jest.advanceTimersByTime(LIVE_REFRESH_MS);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledTimes(1);
      visibility.mockRestore();
    });

    it('keeps the browser on the page when a link is clicked (navigation is done by Lightning)', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      const click = new MouseEvent('click', { bubbles: true, cancelable: true });
      $(element, '.linked-record')!.dispatchEvent(click);
      expect(click.defaultPrevented).toBe(true);
    });

    it('is accessible', async () => {
      const element = mount('Aircall_Voice__c');
      recordAdapter.emit(answeredCall);
      await flush();
      await expect(element).toBeAccessible();
    });
  });

  describe('on an Account, Contact, Lead or Voice Call page', () => {
    it('asks for the Aircall Calls related list of the record with the configured page size', async () => {
      const element = mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      element.maxCalls = 2;
      await flush();
      expect(objectInfoAdapter.getLastConfig()).toEqual({ objectApiName: 'Account' });
      const config = relatedAdapter.getLastConfig();
      expect(config).toMatchObject({
        parentRecordId: '001Dn00000Qx1AbIAJ',
        relatedListId: 'Aircall_Calls__r',
        pageSize: 2,
      });
      expect(config.fields).toContain('Aircall_Voice__c.Agent__r.Name');
    });

    for (const [object, id, lookup] of [
      ['Case', '500Dn00000Cs1AbIAJ', 'Case__c'],
      ['Opportunity', '006Dn00000Op1AbIAJ', 'Opportunity__c'],
    ] as const) {
      it(`lists the calls of a ${object} through its ${lookup} lookup`, async () => {
        const element = mountRelated(object, id, lookup);
        await flush();
        expect(relatedAdapter.getLastConfig()).toMatchObject({
          parentRecordId: id,
          relatedListId: 'Aircall_Calls__r',
        });
        relatedAdapter.emit(relatedCalls);
        await flush();
        expect(textOf(element, '.card-title')).toBe('Aircall calls (3)');
      });
    }

    it('waits for the page object to name the related list before asking for it', async () => {
      mount('Account', '001Dn00000Qx1AbIAJ');
      await flush();
      expect(relatedAdapter.getLastConfig().relatedListId).toBeUndefined();
    });

    it('says where to place it when the page object has no Aircall calls', async () => {
      const element = mount('Opportunity', '006Dn00000Op1AbIAJ');
      objectInfoAdapter.emit({ ...parentInfo('Opportunity', 'x'), childRelationships: [] });
      await flush();
      expect(textOf(element, '.state-error')).toMatch(
        /Opportunity records have no Aircall calls. Place this component on an Aircall Voice/,
      );
    });

    it('lists the linked calls newest first and says when there are more', async () => {
      const element = mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      relatedAdapter.emit(relatedCalls);
      await flush();
      expect(textOf(element, '.card-title')).toBe('Aircall calls (3)');
      // Person first ("Léa Garnier · Voicemail · 0:03 · time"); on the Account itself, a call
      // linked to nobody else reads as its direction. The link's hidden text adds the number.
      const calls = [...viewRoot(element).querySelectorAll<HTMLElement>('.related-call')];
      expect(
        calls.map((c) => [
          c.querySelector('.related-person')?.textContent,
          c.querySelector('.related-link .slds-assistive-text')?.textContent,
          c.querySelector('.slds-badge')?.textContent,
          c.querySelector('.related-duration')?.textContent,
          (c.querySelector('.related-time') as unknown as { value: string; timeZoneName: string })
            .value,
          (c.querySelector('.related-time') as unknown as { timeZoneName: string }).timeZoneName,
          c.querySelector<HTMLElement>('.related-link')?.dataset.recordId,
        ]),
      ).toEqual([
        [
          'Outgoing call',
          ', Call to +14155550132',
          'Answered',
          '4:05',
          '2026-09-29T08:10:00.000Z',
          'short',
          'a01Dn00000AbCdGIAV',
        ],
        [
          'Léa Garnier',
          ', Call from +33612345678',
          'Voicemail',
          '0:03',
          '2026-09-28T20:02:00.000Z',
          'short',
          'a01Dn00000AbCdFIAV',
        ],
      ]);
      // The agent when there is one; a call-back on the call nobody answered, named for the person.
      expect(calls.map((c) => c.querySelector('.related-details')?.textContent?.trim())).toEqual([
        'Ana Agent',
        undefined,
      ]);
      const back = calls[1]!.querySelector<HTMLAnchorElement>('.related-call-back')!;
      expect([back.getAttribute('href'), back.getAttribute('aria-label')]).toEqual([
        'tel:+33612345678',
        'Call back Léa Garnier',
      ]);
      expect(calls[0]!.querySelector('.related-call-back')).toBeNull();
      // Inbound, outbound and missed calls have different icons.
      expect(
        calls.map(
          (c) => (c.querySelector('lightning-icon') as unknown as { iconName: string }).iconName,
        ),
      ).toEqual(['utility:outbound_call', 'utility:missed_call']);
      expect(textOf(element, '.more span')).toBe('Showing the 2 most recent of 3 calls.');
      expect(textOf(element, '.more a')).toBe('View all (3)');
    });

    it('opens the full related list from "View all"', async () => {
      const element = mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      relatedAdapter.emit(relatedCalls);
      await flush();
      $(element, '.view-all')!.click();
      expect(nav.mockNavigate.mock.calls.at(-1)?.[0]).toEqual({
        type: 'standard__recordRelationshipPage',
        attributes: {
          recordId: '001Dn00000Qx1AbIAJ',
          objectApiName: 'Account',
          relationshipApiName: 'Aircall_Calls__r',
          actionName: 'view',
        },
      });
    });

    it('says no call is linked yet when the list is empty', async () => {
      const element = mountRelated('Contact', '003Dn00000Rz9XyIAJ', 'Contact__c');
      relatedAdapter.emit(noRelatedCalls);
      await flush();
      expect(textOf(element, '.state-empty')).toBe(
        'No Aircall calls are linked to this record yet. Calls appear here as soon as they are logged.',
      );
    });

    it('shows the access message when the related list is refused', async () => {
      const element = mountRelated('Lead', '00QDn00000Lm2NpMAJ', 'Lead__c');
      relatedAdapter.error(
        [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' }],
        403,
        'Forbidden',
      );
      await flush();
      expect(textOf(element, '.state-error')).toMatch(/Aircall Agent permission set/);
    });

    it('opens a call from the list', async () => {
      const element = mountRelated('VoiceCall', '0LQDn0000001AbCOAU', 'Voice_Call__c');
      relatedAdapter.emit(relatedCalls);
      await flush();
      $(element, '.related-link')!.click();
      expect(nav.mockNavigate).toHaveBeenCalledWith(
        {
          type: 'standard__recordPage',
          attributes: { recordId: 'a01Dn00000AbCdGIAV', actionName: 'view' },
        },
        undefined,
      );
    });

    it('re-reads the list while one of its calls is live, and stops when none is', async () => {
      jest.useFakeTimers();
      mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      const live = JSON.parse(JSON.stringify(relatedCalls)) as { records: UiRecord[] };
      live.records[0]!.fields.Status__c = { value: 'In Progress', displayValue: 'In Progress' };
      relatedAdapter.emit(live);
      await flush();
      jest.advanceTimersByTime(RELATED_LIVE_REFRESH_MS);
      expect(refreshApex).toHaveBeenCalledTimes(1);
      relatedAdapter.emit(relatedCalls);
      await flush();
      jest.advanceTimersByTime(RELATED_LIVE_REFRESH_MS * 10);
      expect(refreshApex).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(0);
    });

    it("asks for each listed call's status, which tells whether it is live", async () => {
      mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      await flush();
      expect(relatedAdapter.getLastConfig().fields).toContain('Aircall_Voice__c.Status__c');
    });

    it('refreshes the list with the Refresh button', async () => {
      const element = mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      relatedAdapter.emit(relatedCalls);
      await flush();
      $(element, '.refresh')!.click();
      expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('is accessible', async () => {
      const element = mountRelated('Account', '001Dn00000Qx1AbIAJ', 'Account__c');
      relatedAdapter.emit(relatedCalls);
      await flush();
      await expect(element).toBeAccessible();
    });
  });

  it('explains where to place the component when it has no record context', async () => {
    const element = mount('Aircall_Voice__c', null);
    await flush();
    expect(textOf(element, '.state-empty')).toMatch(/^Place this component on an Aircall Voice/);
  });
});
