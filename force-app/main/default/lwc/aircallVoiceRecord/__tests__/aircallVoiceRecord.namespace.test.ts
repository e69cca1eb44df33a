// The component in an org where the managed package is installed (namespace aircallsfv): the
// platform hands it namespaced schema references and namespaced record data, and it must ask for,
// read and subscribe to the prefixed names without spelling any of them out.
import { createElement } from 'lwc';
import type { LightningElement } from 'lwc';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';

import answeredCall from './data/getRecordAnswered.json';
import relatedCalls from './data/getRelatedListRecords.json';
import { flush } from '../../aircallUtils/__tests__/testUtils';
import { viewRoot } from './viewRoot';
import {
  mockNamespacedSchema,
  namespacedRecordData,
} from '../../aircallUtils/__tests__/schemaMocks';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true,
});

const NS = 'aircallsfv';
// The component and its two views: every file with schema imports.
const imports = [
  '../aircallVoiceRecord.ts',
  '../../aircallCallPage/callFields.ts',
  '../../aircallRelatedCalls/relatedFields.ts',
  '../../aircallChangeLink/aircallChangeLink.ts',
].flatMap((file) => mockNamespacedSchema(`${__dirname}/${file}`, NS));
// Required after the schema modules are registered (an import would be hoisted above them).
const { default: AircallVoiceRecord, LIVE_REFRESH_MS } = require('c/aircallVoiceRecord') as {
  default: typeof LightningElement;
  LIVE_REFRESH_MS: number;
};

const recordAdapter = getRecord as unknown as TestWireAdapter;
const relatedAdapter = getRelatedListRecords as unknown as TestWireAdapter;
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;
const CALL_ID = 'a01Dn00000AbCdEIAV';

function mount(objectApiName: string, recordId: string): HTMLElement {
  const element = createElement('c-aircall-voice-record', { is: AircallVoiceRecord });
  Object.assign(element, { recordId, objectApiName });
  document.body.appendChild(element);
  return element;
}

function textOf(element: HTMLElement, selector: string): string {
  return (viewRoot(element).querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('c-aircall-voice-record under the aircallsfv namespace', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('takes every object and field from schema imports', () => {
    expect(imports.length).toBeGreaterThan(30);
  });

  it('asks for the prefixed fields and shows a namespaced record', async () => {
    const element = mount(`${NS}__Aircall_Voice__c`, CALL_ID);
    await flush();
    const config = recordAdapter.getLastConfig();
    expect(config.fields).toContainEqual({
      objectApiName: 'aircallsfv__Aircall_Voice__c',
      fieldApiName: 'aircallsfv__Aircall_Call_Id__c',
    });
    expect(config.optionalFields).toContainEqual({
      objectApiName: 'aircallsfv__Aircall_Voice__c',
      fieldApiName: 'aircallsfv__Agent__r.Name',
    });
    recordAdapter.emit(namespacedRecordData(answeredCall, NS));
    await flush();
    expect(textOf(element, '.call-type')).toBe('Answered');
    expect(textOf(element, '.agent')).toBe('Ana Agent');
    const links = [...viewRoot(element).querySelectorAll<HTMLAnchorElement>('.linked-record')];
    expect(links.map((a) => a.textContent)).toEqual(['Jane Doe', 'Acme Corp', '00001234']);
  });

  it('re-reads a live namespaced call: its prefixed status is what it follows', async () => {
    jest.useFakeTimers();
    mount(`${NS}__Aircall_Voice__c`, CALL_ID);
    const live = namespacedRecordData(answeredCall, NS) as {
      fields: Record<string, { value: unknown; displayValue: string | null }>;
    };
    live.fields.aircallsfv__Status__c = { value: 'In Progress', displayValue: 'In Progress' };
    recordAdapter.emit(live);
    await flush();
    jest.advanceTimersByTime(LIVE_REFRESH_MS);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: CALL_ID }]);
    jest.useRealTimers();
  });

  it('names the related list after the namespaced relationship of the page object', async () => {
    const element = mount('Contact', '003Dn00000Rz9XyIAJ');
    objectInfoAdapter.emit({
      apiName: 'Contact',
      label: 'Contact',
      createable: true,
      updateable: true,
      deletable: true,
      fields: {},
      childRelationships: [
        {
          childObjectApiName: 'aircallsfv__Aircall_Voice__c',
          fieldName: 'aircallsfv__Contact__c',
          relationshipName: 'aircallsfv__Aircall_Calls__r',
        },
      ],
    });
    await flush();
    const config = relatedAdapter.getLastConfig();
    expect(config.relatedListId).toBe('aircallsfv__Aircall_Calls__r');
    expect(config.fields).toContain('aircallsfv__Aircall_Voice__c.aircallsfv__Direction__c');
    relatedAdapter.emit(namespacedRecordData(relatedCalls, NS));
    await flush();
    // Person first, read through the namespaced relationships (Contact__r.Name).
    const rows = [...viewRoot(element).querySelectorAll('.related-link .related-person')];
    expect(rows.map((a) => a.textContent)).toEqual(['+14155550132', 'Léa Garnier']);
  });
});
