/**
 * The mapping and settings objects and fields as the platform names them: the imported references
 * carry the package namespace once it is installed, and the rules are written with them.
 */
import MAPPING_OBJECT from '@salesforce/schema/Aircall_Status_Mapping__c';
import DIRECTION_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Direction__c';
import OMNI_STATUS_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Omni_Status__c';
import AIRCALL_AVAILABILITY_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Aircall_Availability__c';
import AIRCALL_SUBSTATUS_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Aircall_Substatus__c';
import PHONE_EVENT_FIELD from '@salesforce/schema/Aircall_Status_Mapping__c.Phone_Event__c';
import SETTINGS_OBJECT from '@salesforce/schema/Aircall_Settings__c';
import OMNI_MODE_FIELD from '@salesforce/schema/Aircall_Settings__c.Omni_Mapping_Mode__c';
import type { SaveTarget } from './save';

export { MAPPING_OBJECT, SETTINGS_OBJECT };

/** Where a save writes: this source's rule field names → the org's, and the settings record. */
export function saveTarget(settingsId: string | undefined): SaveTarget {
  return {
    mappingObject: MAPPING_OBJECT.objectApiName,
    settingsObject: SETTINGS_OBJECT.objectApiName,
    modeField: OMNI_MODE_FIELD.fieldApiName,
    fields: {
      Direction__c: DIRECTION_FIELD.fieldApiName,
      Omni_Status__c: OMNI_STATUS_FIELD.fieldApiName,
      Aircall_Availability__c: AIRCALL_AVAILABILITY_FIELD.fieldApiName,
      Aircall_Substatus__c: AIRCALL_SUBSTATUS_FIELD.fieldApiName,
      Phone_Event__c: PHONE_EVENT_FIELD.fieldApiName,
    },
    settingsId,
  };
}
