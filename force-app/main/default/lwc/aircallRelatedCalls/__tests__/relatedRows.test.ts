// The related calls' rows without the DOM: what relatedRows makes of a related list page.
import type { RecordRepresentation } from 'lightning/uiRecordApi';
import { isLiveCall, relatedRows } from '../relatedRows';
import relatedCalls from '../../aircallVoiceRecord/__tests__/data/getRelatedListRecords.json';

const records = relatedCalls.records as unknown as RecordRepresentation[];

describe('relatedRows', () => {
  it('sorts the calls newest first, whatever order the API gives', () => {
    const rows = relatedRows([...records].reverse(), undefined, Date.now());
    const times = rows.map((r) => r.startedAt ?? '');
    expect(times).toEqual([...times].sort().reverse());
    expect(rows).toHaveLength(records.length);
  });

  it("shows the direction instead of the page's own person", () => {
    const first = records[0]!;
    const contact = String(first.fields.Contact__c?.value);
    expect(relatedRows([first], contact, Date.now())[0]!.person).toBe('Incoming call');
    const elsewhere = relatedRows([first], '001000000000000AAA', Date.now())[0]!;
    expect(elsewhere.person).not.toBe('Incoming call');
    expect(elsewhere.title).toMatch(/^Call from /);
  });

  it('offers a call-back on missed calls only, and follows only live ones', () => {
    const rows = relatedRows(records, undefined, Date.now());
    for (const row of rows) {
      expect(row.callBackHref === '' || row.icon === 'utility:missed_call').toBe(true);
    }
    expect(records.some(isLiveCall)).toBe(false);
  });
});
