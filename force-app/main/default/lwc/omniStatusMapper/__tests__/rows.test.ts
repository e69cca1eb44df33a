/**
 * The mapper's rows, warnings and field errors without the DOM (plain objects stand in for the
 * base input components, whose validity calls are the only boundary here).
 */
import { modeHelp, omniRows, phoneRows, rowErrors, showFieldErrors, warnings } from '../rows';
import type { MapperState } from '../mapping';

const state: MapperState = {
  mode: 'Custom',
  statuses: [
    { developerName: 'Online', label: 'Online' },
    { developerName: 'Busy', label: 'Busy' },
    { developerName: 'Break', label: 'On Break' },
  ],
  statusesUnavailable: false,
  mappings: [],
  omniDraft: { Break: { availability: 'custom', substatus: '' } },
  phoneDraft: { Ringing: 'Busy', Available: 'Gone' },
  removedOrphans: [],
};

describe('omniStatusMapper rows', () => {
  it('marks what does nothing in its row, and says it once above', () => {
    const rows = omniRows(state, []);
    expect(rows.map((r) => [r.developerName, r.unmapped, r.note])).toEqual([
      ['Online', true, ''],
      ['Busy', false, 'Set by phone events (Ringing): Aircall is left as it is.'],
      ['Break', false, ''],
    ]);
    expect(phoneRows(state).map((r) => [r.phoneEventLabel, r.missing])).toEqual([
      ['Ringing', false],
      ['In Call', false],
      ['After Conversation Work', false],
      ['Available', true],
    ]);
    expect(warnings(state, { statusesError: '', editable: true })).toEqual([
      'No Aircall availability for: Online. Agents who pick these statuses keep their current Aircall availability.',
      "This org has no Omni-Channel status named Gone: the phone events marked below do not change the agent's Omni-Channel status. Create the status in Setup > Presence Statuses, or map the events to another one.",
    ]);
  });

  it('keys each row error by its status, once Save asked for them', () => {
    expect(rowErrors(state, false, '')).toEqual({});
    expect(rowErrors(state, true, 'bad name')).toEqual({
      Break:
        'On Break: a custom availability needs a substatus, the reason Aircall shows (for example "Out for lunch").',
      'new-status': 'bad name',
    });
    expect(
      omniRows(state, [{ status: 'Break', label: 'On Break', kind: 'needsSubstatus' }])[2]!
        .className,
    ).toBe('omni-row invalid-row');
  });

  it('puts each error on its control, clears a fixed one, and focuses the first', () => {
    const control = (key: string) => ({
      dataset: { errorKey: key } as DOMStringMap,
      messages: [] as string[],
      focused: 0,
      setCustomValidity(m: string) {
        this.messages.push(m);
      },
      reportValidity: () => true,
      focus() {
        this.focused += 1;
      },
    });
    const a = control('Busy');
    const b = control('Break');
    const marked = new Set<string>();
    showFieldErrors([a, b], { Break: 'fix me' }, marked, true);
    expect([a.messages, b.messages, a.focused, b.focused]).toEqual([[], ['fix me'], 0, 1]);
    showFieldErrors([a, b], {}, marked, false);
    expect(b.messages).toEqual(['fix me', '']);
    expect(marked.size).toBe(0);
  });

  it('explains the mode to whoever looks', () => {
    expect(modeHelp('Default', 'Default', true, true)).toMatch(/^Default rules: .*Choose Custom/);
    expect(modeHelp('Custom', 'Default', true, true)).toMatch(
      /^Custom rules, starting from the default/,
    );
    expect(modeHelp('Custom', 'Custom', true, true)).toMatch(/^Custom mapping: /);
    expect(modeHelp('Custom', 'Custom', false, false)).toMatch(/Aircall Admin permission set/);
  });
});
