import { createElement } from 'lwc';
import AircallVoiceRecord from 'c/aircallVoiceRecord';
import { getRecord } from 'lightning/uiRecordApi';
import answeredCall from './data/getRecordAnswered.json';
import { flush } from '../../aircallUtils/__tests__/testUtils';
import { viewRoot } from './viewRoot';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true,
});

const recordAdapter = getRecord as unknown as TestWireAdapter;
type UiRecord = { fields: Record<string, { value: unknown; displayValue: string | null }> };

const field = (value: unknown) => ({ value, displayValue: null });

/** The answered call with a 300-line transcript and a journey of three transfers and two holds. */
function conversationCall(): UiRecord {
  const record = JSON.parse(JSON.stringify(answeredCall)) as UiRecord;
  const at = (i: number) => `${Math.floor(i / 6)}:${String((i * 10) % 60).padStart(2, '0')}`;
  const transcript = Array.from({ length: 300 }, (_, i) => {
    const who = i % 2 ? 'Customer' : 'Agent (Camille Martin)';
    return `[${at(i)}] ${who}: line ${i}`;
  }).join('\n');
  record.fields.Transcript__c = field(transcript);
  record.fields.Call_Journey__c = field(
    [
      '[0:04] IVR: 1 Sales',
      '[0:15] Answered by Camille Martin',
      '[1:00] On hold',
      '[1:30] Resumed after 0:30',
      '[1:40] Transferred: Camille Martin → Noah Smith',
      '[2:40] Transferred: Noah Smith → Emma Johnson',
      '[3:00] On hold',
      '[3:45] Resumed after 0:45',
      '[4:20] Transferred outside: Emma Johnson → +33 1 70 00 00 00',
      '[5:12] Ended',
    ].join('\n'),
  );
  record.fields.Call_Path__c = field('IVR 1 Sales › Camille Martin');
  record.fields.Hold_Count__c = field(2);
  record.fields.Hold_Seconds__c = field(75);
  record.fields.Transfer_Count__c = field(3);
  return record;
}

describe('c-aircall-voice-record: the conversation', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('reads the transcript and journey fields and shows both on the record page', async () => {
    window.matchMedia = (() => ({ matches: false })) as unknown as typeof window.matchMedia;
    const element = createElement('c-aircall-voice-record', { is: AircallVoiceRecord });
    Object.assign(element, { recordId: 'a01Dn00000AbCdEIAV', objectApiName: 'Aircall_Voice__c' });
    document.body.appendChild(element);
    await flush();
    const config = recordAdapter.getLastConfig() as { optionalFields: { fieldApiName: string }[] };
    const names = config.optionalFields.map((f) => f.fieldApiName);
    for (const name of [
      'Transcript__c',
      'Call_Journey__c',
      'Call_Path__c',
      'Hold_Count__c',
      'Hold_Seconds__c',
      'Transfer_Count__c',
    ])
      expect(names).toContain(name);
    recordAdapter.emit(conversationCall());
    await flush();
    const transcript = viewRoot(element).querySelector('c-aircall-transcript')!;
    expect(transcript.shadowRoot!.querySelectorAll('li.utterance')).toHaveLength(300);
    const journey = viewRoot(element).querySelector('c-aircall-journey')!;
    const steps = [...journey.shadowRoot!.querySelectorAll('li.journey-step .journey-text')].map(
      (s) => s.textContent,
    );
    expect(steps.filter((s) => s!.startsWith('Transferred'))).toHaveLength(3);
    expect(journey.shadowRoot!.querySelector('.journey-transfers')!.textContent).toBe(
      'Transferred 3 times',
    );
    expect(journey.shadowRoot!.querySelector('.journey-holds')!.textContent).toBe(
      'On hold 2 times, 1:15 in total',
    );
  });

  it('shows neither when the call has no transcript and no journey', async () => {
    const element = createElement('c-aircall-voice-record', { is: AircallVoiceRecord });
    Object.assign(element, { recordId: 'a01Dn00000AbCdEIAV', objectApiName: 'Aircall_Voice__c' });
    document.body.appendChild(element);
    recordAdapter.emit(answeredCall);
    await flush();
    const transcript = viewRoot(element).querySelector('c-aircall-transcript')!;
    expect(transcript.shadowRoot!.querySelector('.transcript')).toBeNull();
    const journey = viewRoot(element).querySelector('c-aircall-journey')!;
    expect(journey.shadowRoot!.querySelector('.journey')).toBeNull();
  });
});
