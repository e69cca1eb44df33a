/**
 * The console's `getPicklistValues` (dev/console/server/ui-api.ts) answers as the User Interface API's
 * "Get Values for a Picklist Field" resource does
 * (https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_picklist_values.htm:
 * `/ui-api/object-info/{objectApiName}/picklist-values/{recordTypeId}/{fieldApiName}`, for fields whose
 * dataType is Picklist or MultiPicklist; the response is Picklist Values: `controllerValues`,
 * `defaultValue`, `url`, `values` of `{attributes, label, validFor, value}`), from the org's describe:
 * the settings panel offers a Lead Source from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Rest } from '../../dev/console/server/rest';
import { UiApi, UiApiError } from '../../dev/console/server/ui-api';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';

const MASTER = '012000000000000AAA';

describe('picklist values through the console UI API', () => {
  let org: LocalOrg;
  let ui: UiApi;

  before(async () => {
    org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    ui = new UiApi(
      new Rest({
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        apiVersion: org.apiVersion,
      }),
    );
  });
  after(async () => {
    await org.close();
  });

  it("gives a picklist's active values in describe's order, and its default", async () => {
    const describe = await ui.describe('Lead');
    const field = describe!.fields.find((f) => f.name === 'LeadSource')!;
    const values = (await ui.getPicklistValues('Lead', MASTER, 'LeadSource')) as {
      values: { attributes: unknown; label: string; validFor: unknown[]; value: string }[];
      defaultValue: unknown;
      controllerValues: unknown;
      url: string;
    };
    assert.deepEqual(
      values.values.map((v) => v.value),
      field.picklistValues!.filter((v) => v.active !== false).map((v) => v.value),
    );
    assert.ok(values.values.some((v) => v.value === 'Phone Inquiry'));
    assert.deepEqual(values.values[0], {
      attributes: null,
      label: values.values[0]!.value,
      validFor: [],
      value: values.values[0]!.value,
    });
    assert.equal(values.defaultValue, null);
    assert.deepEqual(values.controllerValues, {});
    assert.match(
      values.url,
      /\/ui-api\/object-info\/Lead\/picklist-values\/012000000000000AAA\/LeadSource$/,
    );
    // Account Source is a picklist of its own.
    const account = (await ui.getPicklistValues('Account', MASTER, 'AccountSource')) as {
      values: unknown[];
    };
    assert.ok(account.values.length > 0);
  });

  it('refuses a field that is no picklist, and one that does not exist', async () => {
    await assert.rejects(ui.getPicklistValues('Lead', MASTER, 'Phone'), (error: unknown) => {
      assert.ok(error instanceof UiApiError);
      assert.equal(error.status, 400);
      return true;
    });
    // Account.PersonLeadSource exists only in an org with Person Accounts.
    for (const [object, field] of [
      ['Account', 'PersonLeadSource'],
      ['Lead', 'No_Such_Field__c'],
      ['No_Such_Object__c', 'Name'],
    ] as const) {
      await assert.rejects(ui.getPicklistValues(object, MASTER, field), (error: unknown) => {
        assert.ok(error instanceof UiApiError, `${object}.${field}`);
        assert.equal(error.status, 404, `${object}.${field}`);
        return true;
      });
    }
  });
});
