/**
 * Change link for a Spanish-speaking user: with the Spanish translation loaded in place of the
 * English values, every text of the panel is Spanish (Custom Labels), none of ours English.
 */
import { mockLabels, readLabels } from '../../aircallUtils/__tests__/labels';
import { flush } from '../../aircallUtils/__tests__/testUtils';

describe('c-aircall-change-link in Spanish', () => {
  it('offers the link now, the records found, the search, No link and Remember in Spanish', async () => {
    jest.resetModules();
    mockLabels(readLabels('es'));
    const es = readLabels('es');
    const { createElement } = require('lwc') as typeof import('lwc');
    const Component = (require('c/aircallChangeLink') as { default: new () => HTMLElement })
      .default;
    const element = createElement('c-aircall-change-link', { is: Component as never });
    Object.assign(element, {
      recordId: 'a01Dn00000AbCdEIAV',
      callId: '1',
      number: '+34911111111',
      currentValue: 'Contact:003Dn00000Rz9XyIAJ',
      currentName: 'Jane',
      candidates: JSON.stringify([
        { o: 'Lead', id: '00QDn00000Ld1AbIAJ', n: 'Ana', c: false, w: '' },
      ]),
    });
    document.body.appendChild(element);
    await flush();
    const open = element.shadowRoot!.querySelector('.change-link-open') as unknown as {
      label: string;
      click(): void;
    };
    expect(open.label).toBe(es.get('Aircall_Link_Change'));
    open.click();
    await flush();
    const radio = element.shadowRoot!.querySelector<HTMLInputElement>('input[value^="Lead:"]')!;
    radio.click();
    await flush();
    const shown = (element.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ');
    expect(shown).toContain(es.get('Aircall_Link_Current'));
    expect(shown).toContain(`Jane · ${es.get('Aircall_Record_Contact')}`);
    expect(shown).toContain(es.get('Aircall_Link_Found'));
    expect(shown).toContain(`Ana · ${es.get('Aircall_Record_Lead')}`);
    expect(shown).toContain(es.get('Aircall_Link_No_Link'));
    const labelOf = (selector: string) =>
      (element.shadowRoot!.querySelector(selector) as unknown as { label: string }).label;
    expect(labelOf('.search')).toBe(es.get('Aircall_Link_Search'));
    expect(labelOf('.remember')).toBe(es.get('Aircall_Link_Remember'));
    expect(labelOf('.save')).toBe(es.get('Aircall_Link_Save'));
    expect(labelOf('.cancel')).toBe(es.get('Aircall_Link_Cancel'));
    expect(shown).not.toMatch(/Linked now|Records found|No link|Search Contacts/);
    // A record the connector created for the number says so.
    const created = createElement('c-aircall-change-link', { is: Component as never });
    Object.assign(created, {
      recordId: 'a01Dn00000AbCdEIAV',
      currentValue: 'Lead:00QDn00000Ld1AbIAJ',
      currentName: '+34911111111',
      createdForNumber: true,
    });
    document.body.appendChild(created);
    await flush();
    (
      created.shadowRoot!.querySelector('.change-link-open') as unknown as { click(): void }
    ).click();
    await flush();
    const createdShown = (created.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ');
    expect(createdShown).toContain(es.get('Aircall_Link_Created'));
    expect(createdShown).toContain(es.get('Aircall_Link_None_Other'));
    expect(createdShown).not.toMatch(/Created for|No other record/);
  });
});
