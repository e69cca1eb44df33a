// Aircall Setup in an org where the managed package is installed (namespace aircallsfv): the
// GraphQL answer keeps the aliased keys, and what is saved uses the namespaced names the platform
// hands the component through its schema imports.
import { createElement } from 'lwc';
import type { LightningElement } from 'lwc';
import { graphql } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';

import settings from './data/graphqlSettings.json';
import noSettings from './data/graphqlSettingsNone.json';
import businessHours from './data/graphqlBusinessHours.json';
import adminInfo from './data/getObjectInfoAdmin.json';
import { flush, onlyQuery, mountWithToasts } from '../../aircallUtils/__tests__/testUtils';
import { mockNamespacedSchema } from '../../aircallUtils/__tests__/schemaMocks';

// The bundle's field references are all in settingsSchema.ts.
mockNamespacedSchema(`${__dirname}/../settingsSchema.ts`, 'aircallsfv');
const AircallSettings = (require('c/aircallSettings') as { default: typeof LightningElement })
  .default;

const graphqlAdapter = graphql as unknown as TestGraphQLAdapter;
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;

async function load(data: unknown): Promise<HTMLElement> {
  const { element } = await mountWithToasts(
    createElement('c-aircall-settings', { is: AircallSettings }),
  );
  objectInfoAdapter.emit({ ...adminInfo, apiName: 'aircallsfv__Aircall_Settings__c' });
  graphqlAdapter.emit(
    data,
    onlyQuery('aircallSettings'),
    jest.fn(() => Promise.resolve()),
  );
  graphqlAdapter.emit(businessHours, onlyQuery('aircallBusinessHours'));
  await flush();
  return element;
}

async function save(element: HTMLElement): Promise<void> {
  element.shadowRoot!.querySelector<HTMLElement>('.save')!.click();
  await flush();
}

describe('c-aircall-settings under the aircallsfv namespace', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('asks for the namespaced object and creates the record with namespaced fields', async () => {
    (createRecord as jest.Mock).mockResolvedValueOnce({ id: 'a02Dn000001NewIAK', fields: {} });
    const element = await load(noSettings);
    expect(objectInfoAdapter.getLastConfig()).toEqual({
      objectApiName: { objectApiName: 'aircallsfv__Aircall_Settings__c' },
    });
    await save(element);
    expect(createRecord).toHaveBeenCalledWith({
      apiName: 'aircallsfv__Aircall_Settings__c',
      fields: expect.objectContaining({
        aircallsfv__Log_Calls__c: 'Always',
        aircallsfv__Business_Hours_Id__c: null,
        aircallsfv__Save_To_Phone__c: false,
      }),
    });
    const fields = Object.keys((createRecord as jest.Mock).mock.calls[0][0].fields as object);
    expect(fields.every((f) => f.startsWith('aircallsfv__'))).toBe(true);
    // The status mapper saves the mapping mode; the field's default applies to a new record.
    expect(fields).not.toContain('aircallsfv__Omni_Mapping_Mode__c');
  });

  it('reads the aliased GraphQL answer and updates with namespaced fields', async () => {
    const element = await load(settings);
    element
      .shadowRoot!.querySelector('.unknown-number')!
      .dispatchEvent(new CustomEvent('change', { detail: { value: 'Do Nothing' } }));
    await flush();
    await save(element);
    const input = (updateRecord as jest.Mock).mock.calls[0][0] as {
      fields: Record<string, unknown>;
    };
    expect(input.fields.Id).toBe('a02Dn000001SeTtIAK');
    expect(input.fields.aircallsfv__Log_Calls__c).toBe('Business Hours Only');
    expect(
      Object.keys(input.fields).filter((f) => f !== 'Id' && !f.startsWith('aircallsfv__')),
    ).toEqual([]);
  });
});
