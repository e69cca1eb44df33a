// The status mapper in an org where the managed package is installed (namespace aircallsfv): the
// rules it saves use the namespaced object and fields the platform hands it.
import { createElement } from 'lwc';
import type { LightningElement } from 'lwc';
import { graphql } from 'lightning/graphql';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';

import statuses from './data/graphqlPresenceStatuses.json';
import customMappings from './data/graphqlMappingsCustom.json';
import adminInfo from './data/getObjectInfoAdmin.json';
import { flush, onlyQuery, mountWithToasts } from '../../aircallUtils/__tests__/testUtils';
import { mockNamespacedSchema } from '../../aircallUtils/__tests__/schemaMocks';

mockNamespacedSchema(`${__dirname}/../schema.ts`, 'aircallsfv');
const OmniStatusMapper = (require('c/omniStatusMapper') as { default: typeof LightningElement })
  .default;

const graphqlAdapter = graphql as unknown as TestGraphQLAdapter;
const objectInfoAdapter = getObjectInfo as unknown as TestWireAdapter;

describe('c-omni-status-mapper under the aircallsfv namespace', () => {
  it('saves rules with the namespaced object and fields', async () => {
    const { element } = await mountWithToasts(
      createElement('c-omni-status-mapper', { is: OmniStatusMapper }),
    );
    objectInfoAdapter.emit({ ...adminInfo, apiName: 'aircallsfv__Aircall_Status_Mapping__c' });
    graphqlAdapter.emit(statuses, onlyQuery('omniPresenceStatuses'));
    graphqlAdapter.emit(
      customMappings,
      onlyQuery('aircallStatusMappings'),
      jest.fn(() => Promise.resolve()),
    );
    await flush();
    const change = async (selector: string, value: string) => {
      element
        .shadowRoot!.querySelector(selector)!
        .dispatchEvent(new CustomEvent('change', { detail: { value } }));
      await flush();
    };
    await change('.availability[data-status="Busy"]', 'unavailable');
    await change('.omni-status[data-event="In Call"]', 'Break');
    element.shadowRoot!.querySelector<HTMLElement>('.save')!.click();
    await flush().then(flush).then(flush);
    expect(createRecord).toHaveBeenCalledWith({
      apiName: 'aircallsfv__Aircall_Status_Mapping__c',
      fields: {
        aircallsfv__Direction__c: 'Omni to Aircall',
        aircallsfv__Omni_Status__c: 'Busy',
        aircallsfv__Aircall_Availability__c: 'unavailable',
        aircallsfv__Aircall_Substatus__c: null,
      },
    });
    expect(updateRecord).toHaveBeenCalledWith({
      fields: { Id: 'a03Dn0000000006IAA', aircallsfv__Omni_Status__c: 'Break' },
    });
  });
});
