/**
 * The record view for a Spanish-speaking user: every text comes from the Custom Labels, so with the
 * Spanish translation (translations/es.translation-meta.xml) loaded in place of the English values
 * the card reads in Spanish, and no English sentence of ours is left on it.
 */
import { mockLabels, readLabels } from '../../aircallUtils/__tests__/labels';
import { flush } from '../../aircallUtils/__tests__/testUtils';
import { viewRoot } from './viewRoot';
import voicemailCall from './data/getRecordVoicemail.json';
import relatedCalls from './data/getRelatedListRecords.json';

type Adapter = TestWireAdapter;

/** Loads the component and its adapters afresh, with the labels in `language`. */
function load(language: string) {
  jest.resetModules();
  mockLabels(readLabels(language));
  const { createElement } = require('lwc') as typeof import('lwc');
  const Component = (require('c/aircallVoiceRecord') as { default: new () => HTMLElement }).default;
  const getRecord = (require('lightning/uiRecordApi') as { getRecord: Adapter }).getRecord;
  const getRelated = (require('lightning/uiRelatedListApi') as { getRelatedListRecords: Adapter })
    .getRelatedListRecords;
  const getObjectInfo = (require('lightning/uiObjectInfoApi') as { getObjectInfo: Adapter })
    .getObjectInfo;
  const mount = (objectApiName: string, recordId: string): HTMLElement => {
    const element = createElement('c-aircall-voice-record', { is: Component as never });
    Object.assign(element, { recordId, objectApiName });
    document.body.appendChild(element);
    return element;
  };
  return { mount, getRecord, getRelated, getObjectInfo };
}

const text = (element: HTMLElement): string =>
  (viewRoot(element).textContent ?? '').replace(/\s+/g, ' ').trim();

describe('c-aircall-voice-record in Spanish', () => {
  // Loaded once: the element name can be registered only once per document.
  let env: ReturnType<typeof load>;
  beforeAll(() => {
    env = load('es');
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows a voicemail with Spanish labels, and is accessible', async () => {
    const es = readLabels('es');
    const { mount, getRecord } = env;
    const element = mount('Aircall_Voice__c', 'a01Dn00000AbCdFIAV');
    getRecord.emit(voicemailCall);
    await flush();
    const shown = text(element);
    for (const name of [
      'Aircall_Record_Call_Back',
      'Aircall_Record_Reason',
      'Aircall_Record_Timeline',
      'Aircall_Record_Not_Answered',
      'Aircall_Record_Outside_Hours',
      'Aircall_Unassigned',
    ]) {
      expect(shown).toContain(es.get(name));
    }
    expect(shown).toContain('Devolver la llamada');
    expect(shown).toContain('Sin asignar');
    // None of the English texts those labels replace.
    expect(shown).not.toMatch(/Call back|Timeline|Not answered|Unassigned|Outside business hours/);
    await expect(element).toBeAccessible();
  });

  it('lists related calls in Spanish', async () => {
    const { mount, getRelated, getObjectInfo } = env;
    const element = mount('Account', '001Dn00000Qx1AbIAJ');
    getObjectInfo.emit({
      apiName: 'Account',
      label: 'Cuenta',
      childRelationships: [
        {
          childObjectApiName: 'Aircall_Voice__c',
          fieldName: 'Account__c',
          relationshipName: 'Aircall_Calls__r',
        },
      ],
    });
    getRelated.emit(relatedCalls);
    await flush();
    const shown = text(element);
    expect(shown).toContain('Llamadas de Aircall (3)');
    expect(shown).toContain('Llamada a +14155550132');
    expect(shown).toContain('Se muestran las 2 llamadas más recientes de 3.');
    expect(shown).toContain('Ver todas (3)');
  });
});
