/**
 * The mapper's rules without the DOM: what a row holds in each mode, Custom started from the
 * default rules, the problems of a row, and the writes that bring the saved rules in line.
 */
import {
  defaultDrafts,
  findProblems,
  orphans,
  planRules,
  planSize,
  shouldWriteMode,
  type MapperState,
  type Mapping,
} from '../mapping';

const statuses = [
  { developerName: 'Online', label: 'Online' },
  { developerName: 'Busy', label: 'Busy' },
  { developerName: 'Break', label: 'On Break' },
];

const rule = (id: string, fields: Partial<Mapping>): Mapping => ({
  id,
  direction: 'Omni to Aircall',
  omniStatus: '',
  availability: '',
  substatus: '',
  phoneEvent: '',
  ...fields,
});

function state(overrides: Partial<MapperState> = {}): MapperState {
  return {
    mode: 'Custom',
    statuses,
    statusesUnavailable: false,
    mappings: [],
    omniDraft: {},
    phoneDraft: {},
    removedOrphans: [],
    ...overrides,
  };
}

describe('omniStatusMapper mapping rules', () => {
  it('writes the default rules out as Custom rows: every status mapped, the phone events set', () => {
    const drafts = defaultDrafts(statuses, false);
    expect(drafts.omni).toEqual({
      Online: { availability: 'available', substatus: '' },
      Busy: { availability: 'unavailable', substatus: '' },
      Break: { availability: 'unavailable', substatus: '' },
    });
    expect(drafts.phone).toEqual({
      Ringing: 'Busy',
      'In Call': 'Busy',
      'After-Call Work': 'Busy',
      Available: 'Online',
    });
  });

  it('starts a phone event at "No change" when the org lacks its default status', () => {
    const drafts = defaultDrafts([{ developerName: 'Online', label: 'Online' }], false);
    expect(drafts.phone).toEqual({
      Ringing: '',
      'In Call': '',
      'After-Call Work': '',
      Available: 'Online',
    });
    // Without the org's list, the names the default rules use are all there is.
    expect(defaultDrafts([], true).phone.Ringing).toBe('Busy');
  });

  it('plans the default rules over an empty set of rules as creates only', () => {
    const drafts = defaultDrafts(statuses, false);
    const plan = planRules(state({ omniDraft: drafts.omni, phoneDraft: drafts.phone }));
    expect(plan.updates).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(plan.creates).toHaveLength(7);
    expect(plan.creates[0]).toEqual({
      Direction__c: 'Omni to Aircall',
      Omni_Status__c: 'Online',
      Aircall_Availability__c: 'available',
      Aircall_Substatus__c: null,
    });
  });

  it('plans nothing in Default mode, whatever is stored or edited', () => {
    const s = state({
      mode: 'Default',
      mappings: [rule('a1', { omniStatus: 'Online', availability: 'unavailable' })],
      omniDraft: { Busy: { availability: 'custom', substatus: '' } },
    });
    expect(planSize(planRules(s))).toBe(0);
    expect(findProblems(s)).toEqual([]);
    expect(orphans(s)).toEqual([]);
  });

  it('deletes duplicates and cleared rows, updates changed ones, trims the substatus', () => {
    const s = state({
      mappings: [
        rule('a1', { omniStatus: 'Online', availability: 'available' }),
        rule('a2', { omniStatus: 'Online', availability: 'unavailable' }),
        rule('a3', { omniStatus: 'Break', availability: 'custom', substatus: 'Lunch' }),
        rule('a4', { direction: 'Phone to Omni', phoneEvent: 'Ringing', omniStatus: 'Busy' }),
      ],
      omniDraft: { Break: { availability: 'custom', substatus: '  Coffee ' } },
      phoneDraft: { Ringing: '' },
    });
    expect(planRules(s)).toEqual({
      creates: [],
      updates: [{ Id: 'a3', Aircall_Availability__c: 'custom', Aircall_Substatus__c: 'Coffee' }],
      deletes: ['a2', 'a4'],
    });
  });

  it('finds a custom row without a substatus, or with one too long', () => {
    const s = state({
      omniDraft: {
        Busy: { availability: 'custom', substatus: ' ' },
        Break: { availability: 'custom', substatus: 'x'.repeat(256) },
      },
    });
    expect(findProblems(s)).toEqual([
      { status: 'Busy', label: 'Busy', kind: 'needsSubstatus' },
      { status: 'Break', label: 'On Break', kind: 'substatusTooLong' },
    ]);
  });

  it('lists rules of deleted statuses until they are removed on screen', () => {
    const mappings = [rule('a9', { omniStatus: 'Training', availability: 'unavailable' })];
    expect(orphans(state({ mappings }))).toEqual(['Training']);
    expect(orphans(state({ mappings, removedOrphans: ['Training'] }))).toEqual([]);
    expect(planRules(state({ mappings, removedOrphans: ['Training'] })).deletes).toEqual(['a9']);
    // Without the org's list nothing can be called deleted.
    expect(orphans(state({ mappings, statusesUnavailable: true }))).toEqual([]);
  });

  it('writes the mode after the rules: Custom only when every rule was saved, Default always', () => {
    expect(shouldWriteMode({ mode: 'Custom', rulesFailed: 0 })).toBe(true);
    expect(shouldWriteMode({ mode: 'Custom', rulesFailed: 1 })).toBe(false);
    expect(shouldWriteMode({ mode: 'Default', rulesFailed: 1 })).toBe(true);
    expect(shouldWriteMode({ mode: undefined, rulesFailed: 0 })).toBe(false);
  });
});
