// The call page's logic without the DOM: what buildCallView makes of a UI API record.
import type { RecordRepresentation } from 'lightning/uiRecordApi';
import { buildCallView, parseComments } from '../callView';
import answeredCall from '../../aircallVoiceRecord/__tests__/data/getRecordAnswered.json';
import voicemailCall from '../../aircallVoiceRecord/__tests__/data/getRecordVoicemail.json';

const record = (data: unknown): RecordRepresentation => data as RecordRepresentation;

function withFields(data: unknown, fields: Record<string, unknown>): RecordRepresentation {
  const copy = JSON.parse(JSON.stringify(data)) as { fields: Record<string, unknown> };
  for (const [name, value] of Object.entries(fields)) {
    copy.fields[name] = { value, displayValue: value === null ? null : String(value) };
  }
  return record(copy);
}

describe('buildCallView', () => {
  it('names the call after its contact and lists the linked records in a fixed order', () => {
    const view = buildCallView(record(answeredCall), Date.now());
    expect(view.person).toBe('Jane Doe');
    expect(view.isLive).toBe(false);
    expect(view.outcomeLabel).toBe('Answered');
    expect(view.linkedRecords.map((l) => l.key)).toEqual(
      expect.arrayContaining(['Contact__c', 'Account__c']),
    );
    expect(view.linkedRecords[0]?.key).toBe('Contact__c');
    expect(view.showCallBack).toBe(false);
    // Change link offers the record linked now, by name, with the Contact's Account.
    expect(view.link).toMatchObject({
      currentValue: 'Contact:003Dn00000Rz9XyIAJ',
      currentName: 'Jane Doe',
      currentAccountId: '001Dn00000Qx1AbIAJ',
    });
    const onLead = withFields(answeredCall, {
      Contact__c: null,
      Account__c: null,
      Lead__c: '00Qx',
    });
    expect(buildCallView(onLead, Date.now()).link).toMatchObject({
      currentValue: 'Lead:00Qx',
      currentAccountId: '',
      createdForNumber: false,
    });
    // A Lead the connector created for the unknown number: Change link says so.
    const created = withFields(onLead, {
      Match_Reason__c:
        'Created for this number: no Contact, Lead or Account had +33612345678, so a Lead with Aircall_Phone_Key__c +33612345678 was created for it',
    });
    expect(buildCallView(created, Date.now()).link.createdForNumber).toBe(true);
  });

  it('offers a call-back on a voicemail, to the digits of the number', () => {
    const view = buildCallView(record(voicemailCall), Date.now());
    expect(view.showCallBack).toBe(true);
    expect(view.callBackHref).toMatch(/^tel:\+\d+$/);
    expect(view.missedReason).toBe('Out of opening hours');
  });

  it('runs the durations of a live call from its times and the clock', () => {
    const live = withFields(answeredCall, {
      Status__c: 'In Progress',
      Started_At__c: '2026-09-28T13:44:10.000Z',
      Answered_At__c: '2026-09-28T13:44:20.000Z',
      Ended_At__c: null,
    });
    const view = buildCallView(live, Date.parse('2026-09-28T13:45:20.000Z'));
    expect(view.isLive).toBe(true);
    expect(view.outcomeLabel).toBe('In Progress');
    expect([view.ringDuration, view.talkDuration, view.totalDuration]).toEqual([
      '0:10',
      '1:00',
      '1:10',
    ]);
  });

  it('falls back to the number, then to "unknown caller", with no linked person', () => {
    const unlinked = withFields(answeredCall, { Contact__c: null, Account__c: null });
    expect(buildCallView(unlinked, 0).person).toBe('+14155550132');
    const anonymous = withFields(unlinked, { Customer_Number__c: null });
    expect(buildCallView(anonymous, 0).person).not.toBe('');
  });
});

describe('parseComments', () => {
  it('reads one comment per line, or per paragraph with a time', () => {
    expect(parseComments('Ana: call back Monday\nhttps://example.com: not an author')).toEqual([
      { key: 'c0', author: 'Ana', at: null, text: 'call back Monday' },
      { key: 'c1', author: '', at: null, text: 'https://example.com: not an author' },
    ]);
    expect(parseComments('Ana, 2026-09-28 13:45 UTC: first\n\nMarc: second')).toEqual([
      { key: 'c0', author: 'Ana', at: '2026-09-28T13:45:00.000Z', text: 'first' },
      { key: 'c1', author: 'Marc', at: null, text: 'second' },
    ]);
  });
});
