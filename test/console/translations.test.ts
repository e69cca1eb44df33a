/**
 * Spanish all the way: the package's object translations (force-app/main/default/objectTranslations)
 * reach a user whose language is Spanish through describe, as on the platform (Salesforce Help,
 * "Translation Workbench": translated field labels and picklist values are shown to users of that
 * language; REST API Developer Guide, "sObject Describe": labels are the user's language), so the
 * UI API gives the components Spanish field labels and picklist `displayValue`s; an English user
 * keeps the master labels. Both without and with the package's namespace.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Rest } from '../../dev/console/server/rest';
import { UiApi } from '../../dev/console/server/ui-api';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';

for (const namespace of ['', 'aircallsfv']) {
  const ns = namespace ? `${namespace}__` : '';
  describe(`object translations through the UI API${namespace ? ' (namespaced)' : ''}`, () => {
    let org: LocalOrg;
    let rest: Rest;
    let ui: UiApi;
    let userId: string;
    let callId: string;

    const setLanguage = async (language: string) => {
      await rest.call('PATCH', `/sobjects/User/${userId}`, { LanguageLocaleKey: language });
      ui.forgetDescribes();
    };

    before(async () => {
      org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR, namespace });
      rest = new Rest({
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        apiVersion: org.apiVersion,
      });
      ui = new UiApi(rest);
      const me = await rest.call<{ records: { Id: string }[] }>(
        'GET',
        `/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'integration@aircall-sfv.local'")}`,
      );
      userId = me.records[0]!.Id;
      const created = await rest.call<{ id: string }>('POST', `/sobjects/${ns}Aircall_Voice__c`, {
        [`${ns}Aircall_Call_Id__c`]: 'tr-1',
        [`${ns}Status__c`]: 'In Progress',
        [`${ns}Direction__c`]: 'Inbound',
        [`${ns}Call_Type__c`]: 'Voicemail',
        [`${ns}Missed_Reason__c`]: 'no_available_agent',
      });
      callId = created.id;
    });
    after(async () => {
      await org.close();
    });

    const read = () =>
      ui.getRecord(
        callId,
        ['Status__c', 'Direction__c', 'Call_Type__c', 'Missed_Reason__c'].map(
          (f) => `${ns}Aircall_Voice__c.${ns}${f}`,
        ),
        [],
      );

    it('gives an English user the master labels', async () => {
      await setLanguage('en_US');
      const record = await read();
      assert.deepEqual(
        ['Status__c', 'Direction__c', 'Call_Type__c', 'Missed_Reason__c'].map(
          (f) => record.fields[`${ns}${f}`]?.displayValue,
        ),
        ['In Progress', 'Inbound', 'Voicemail', 'No available agent'],
      );
      const info = (await ui.getObjectInfo(`${ns}Aircall_Voice__c`)) as {
        label: string;
        fields: Record<string, { label: string }>;
      };
      assert.equal(info.label, 'Aircall Voice');
      assert.equal(info.fields[`${ns}Missed_Reason__c`]?.label, 'Missed Reason');
    });

    it('gives a Spanish user the Spanish picklist labels, field labels and object name; values stay the API names', async () => {
      await setLanguage('es');
      const record = await read();
      assert.deepEqual(
        ['Status__c', 'Direction__c', 'Call_Type__c', 'Missed_Reason__c'].map((f) => ({
          value: record.fields[`${ns}${f}`]?.value,
          label: record.fields[`${ns}${f}`]?.displayValue,
        })),
        [
          { value: 'In Progress', label: 'En curso' },
          { value: 'Inbound', label: 'Entrante' },
          { value: 'Voicemail', label: 'Mensaje de voz' },
          { value: 'no_available_agent', label: 'Ningún agente disponible' },
        ],
      );
      const info = (await ui.getObjectInfo(`${ns}Aircall_Voice__c`)) as {
        label: string;
        labelPlural: string;
        fields: Record<string, { label: string }>;
      };
      assert.deepEqual(
        [
          info.label,
          info.labelPlural,
          info.fields[`${ns}Missed_Reason__c`]?.label,
          info.fields.Name?.label,
        ],
        [
          'Llamada de Aircall',
          'Llamadas de Aircall',
          'Motivo de la llamada perdida',
          'Número de llamada de Aircall',
        ],
      );
      const settings = await rest.call<{
        fields: { name: string; picklistValues: { value: string; label: string }[] }[];
      }>('GET', `/sobjects/${ns}Aircall_Settings__c/describe`);
      const log = settings.fields.find((f) => f.name === `${ns}Log_Calls__c`);
      assert.deepEqual(
        log?.picklistValues.map((v) => [v.value, v.label]),
        [
          ['Always', 'Siempre'],
          ['Business Hours Only', 'Solo en horario laboral'],
        ],
      );
    });
  });
}
