/**
 * The Metadata API deploy of the local org, driven by the library the `sf` CLI and `npm run deploy`
 * deploy with (@salesforce/source-deploy-retrieve's MetadataApiDeploy over jsforce's SOAP client):
 * the package built by `npm run build` (dist/mdapi, here in a temporary folder) deployed into an
 * org started with `schema: 'none'`.
 *
 * Shapes and calls (Metadata API Developer Guide):
 * - deploy(): https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deploy.htm
 *   — answers an AsyncResult (id, done false, state Queued); DeployOptions checkOnly,
 *   rollbackOnError, singlePackage, testLevel.
 * - checkDeployStatus(): https://developer.salesforce.com/docs/platform/api-metadata/references/file-based-calls/meta-checkdeploystatus.html
 *   — DeployResult, with DeployDetails (componentSuccesses / componentFailures) when includeDetails.
 * - DeployResult: https://developer.salesforce.com/docs/platform/api-metadata/references/result-objects/meta-deployresult.html
 * - cancelDeploy(): https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_canceldeploy.htm
 *   — a queued deployment is canceled at once (done true, status Canceled); INVALID_ID_FIELD
 *   "Invalid deploy ID" / "Deployment already completed".
 * - CustomObjectTranslation: https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_objecttranslations.htm
 *   — objectTranslations/<Object>-<language>.objectTranslation: caseValues, nameFieldLabel, and
 *   `fields` (name, label, picklistValues masterLabel/translation).
 * - Report, ReportType, Dashboard and their folders: https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_report.htm
 *   — reports/<Folder>/<Name>.report, the folder reports/<Folder>-meta.xml (ReportFolder), named
 *   `Folder/Name` and `Folder/` in package.xml; reportTypes/<Name>.reportType.
 * SDR's side: lib/src/client/metadataApiDeploy.js (getZipBuffer zips the folder under `zip/`,
 * checkStatus → conn.metadata.checkDeployStatus(id, true), cancel → cancelDeploy(id)).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection as JsforceConnection } from 'jsforce';
import { buildPackage } from '../../scripts/metadata/build-package';
import { deployTo } from './deploy-helpers';
import { API, errorOf, openOrg, rest } from './helpers';
import type { LocalOrg } from '../../dev/local-org';

const ROOT = join(__dirname, '..', '..');
let work: string;
let mdapi: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'deploy-'));
  mdapi = (await buildPackage({ projectDir: ROOT, outDir: join(work, 'dist') })).mdapiDir;
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Every object's describe, fields sorted by name (the order files are read in is not a contract). */
async function schemaOf(org: LocalOrg, names: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const r = await rest(org, 'GET', `/sobjects/${name}/describe`);
    assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
    const d = r.body as {
      fields: { name: string }[];
      childRelationships: { field: string; childSObject: string }[];
    };
    d.fields.sort((a, b) => a.name.localeCompare(b.name));
    d.childRelationships.sort((a, b) =>
      `${a.childSObject}.${a.field}`.localeCompare(`${b.childSObject}.${b.field}`),
    );
    out[name] = d;
  }
  return out;
}

async function globalNames(org: LocalOrg): Promise<string[]> {
  const r = await rest(org, 'GET', '/sobjects');
  return (r.body as { sobjects: { name: string }[] }).sobjects.map((s) => s.name).sort();
}

describe('Metadata API deploy to the local org', () => {
  for (const namespace of ['', 'aircallsfv']) {
    it(`deploys the built package into an empty org${namespace ? ' with a namespace' : ''}, which then has the schema an org started from force-app has`, async () => {
      const { org: empty } = await openOrg({ schema: 'none', namespace });
      const { org: reference } = await openOrg({ namespace });
      try {
        const voice = `${namespace ? `${namespace}__` : ''}Aircall_Voice__c`;
        assert.equal((await rest(empty, 'GET', `/sobjects/${voice}/describe`)).status, 404);

        const outcome = await deployTo(empty, mdapi);
        assert.equal(outcome.status, 'Succeeded', JSON.stringify(outcome.failures));
        assert.equal(outcome.success, true);
        assert.equal(outcome.numberComponentErrors, 0);
        assert.equal(outcome.numberComponentsDeployed, outcome.numberComponentsTotal);
        assert.ok(
          outcome.successes.some(
            (s) =>
              s.componentType === 'CustomObject' && s.fullName === 'Aircall_Voice__c' && s.created,
          ),
        );
        assert.ok(
          outcome.successes.some(
            (s) => s.componentType === 'PermissionSet' && s.fullName === 'Aircall_Integration',
          ),
        );
        // No Apex in the package: the test level is accepted and no test runs.
        assert.equal(outcome.numberTestsTotal, 0);

        const names = await globalNames(reference);
        assert.deepEqual(await globalNames(empty), names);
        assert.deepEqual(await schemaOf(empty, names), await schemaOf(reference, names));
        if (namespace)
          assert.equal(
            (await rest(empty, 'GET', '/sobjects/Aircall_Voice__c/describe')).status,
            404,
          );
      } finally {
        await empty.close();
        await reference.close();
      }
    });
  }

  for (const namespace of ['', 'aircallsfv']) {
    it(`serves the deployed reports and dashboards, and describes in Spanish as translated${namespace ? ' (namespace)' : ''}`, async () => {
      const { org: empty } = await openOrg({ schema: 'none', namespace });
      const { org: reference } = await openOrg({ namespace });
      try {
        const reports = async (org: LocalOrg) =>
          ((await rest(org, 'GET', '/analytics/reports')).body as { name: string }[])
            .map((r) => r.name)
            .sort();
        assert.deepEqual(await reports(empty), [], 'an empty org has no report');
        assert.equal((await deployTo(empty, mdapi)).status, 'Succeeded');
        const served = await reports(empty);
        assert.ok(served.length > 0);
        assert.deepEqual(served, await reports(reference));
        const dashboards = async (org: LocalOrg) =>
          (
            (await rest(org, 'GET', '/analytics/dashboards')).body as {
              dashboards: { name: string }[];
            }
          ).dashboards
            .map((d) => d.name)
            .sort();
        assert.deepEqual(await dashboards(empty), await dashboards(reference));
        // A deployed report runs on the org's records.
        const first = (
          (await rest(empty, 'GET', '/analytics/reports')).body as { id: string }[]
        )[0]!;
        const ran = await rest(empty, 'GET', `/analytics/reports/${first.id}`);
        assert.equal(ran.status, 200, JSON.stringify(ran.body));

        // The user reads Spanish: describe answers in the deployed translations.
        const p = namespace ? `${namespace}__` : '';
        for (const org of [empty, reference]) {
          const user = (
            (await rest(org, 'GET', '/query?q=SELECT+Id+FROM+User')).body as {
              records: { Id: string }[];
            }
          ).records[0]!.Id;
          await rest(org, 'PATCH', `/sobjects/User/${user}`, { LanguageLocaleKey: 'es' });
        }
        const spanish = async (org: LocalOrg) => {
          const d = (await rest(org, 'GET', `/sobjects/${p}Aircall_Voice__c/describe`)).body as {
            label: string;
            fields: { name: string; label: string }[];
          };
          return { label: d.label, call: d.fields.find((f) => f.name === `${p}Account__c`)?.label };
        };
        assert.deepEqual(await spanish(empty), { label: 'Llamada de Aircall', call: 'Cuenta' });
        assert.deepEqual(await spanish(empty), await spanish(reference));
      } finally {
        await empty.close();
        await reference.close();
      }
    });
  }

  it('validates without saving when checkOnly is set, and runs no tests whatever the test level', async () => {
    const { org } = await openOrg({ schema: 'none' });
    try {
      const outcome = await deployTo(org, mdapi, { checkOnly: true, testLevel: 'RunLocalTests' });
      assert.equal(outcome.status, 'Succeeded');
      assert.equal(outcome.checkOnly, true);
      assert.equal(outcome.runTestsEnabled, true);
      assert.equal(outcome.numberTestsTotal, 0);
      assert.equal((await rest(org, 'GET', '/sobjects/Aircall_Voice__c/describe')).status, 404);
    } finally {
      await org.close();
    }
  });

  it('keeps a deployed package across restarts of a file-backed org, with its records', async () => {
    const db = join(work, 'org.db');
    const first = await openOrg({ schema: 'none', dbFile: db });
    let id: string;
    try {
      assert.equal((await deployTo(first.org, mdapi)).status, 'Succeeded');
      const created = await first.conn
        .sobject('Aircall_Voice__c')
        .create({ Aircall_Call_Id__c: '42' });
      id = (created as { id: string }).id;
    } finally {
      await first.org.close();
    }
    const second = await openOrg({ schema: 'none', dbFile: db });
    try {
      const rec = (await second.conn.sobject('Aircall_Voice__c').retrieve(id)) as unknown as Record<
        string,
        unknown
      >;
      assert.equal(rec.Aircall_Call_Id__c, '42');
    } finally {
      await second.org.close();
    }
  });

  it('cancels a deployment still in the queue, and refuses to cancel a finished or unknown one', async () => {
    const { org } = await openOrg({ schema: 'none' });
    const conn = new JsforceConnection({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      version: API,
    });
    try {
      org.pauseDeploys();
      const canceled = await deployTo(org, mdapi, {}, { cancel: true });
      assert.equal(canceled.status, 'Canceled');
      assert.equal(canceled.done, true);
      org.resumeDeploys();
      assert.equal((await rest(org, 'GET', '/sobjects/Aircall_Voice__c/describe')).status, 404);

      const done = await deployTo(org, mdapi, { checkOnly: true });
      const already = await errorOf(() => conn.metadata.cancelDeploy(done.id));
      assert.equal(already.errorCode, 'sf:INVALID_ID_FIELD');
      assert.match(already.message, /Deployment already completed/);
      const unknown = await errorOf(() =>
        conn.metadata.checkDeployStatus('0Af000000000000AAA', true),
      );
      assert.equal(unknown.errorCode, 'sf:INVALID_ID_FIELD');
      assert.match(unknown.message, /Invalid deploy ID/);
    } finally {
      await org.close();
    }
  });

  it('answers a wrong session with the SOAP fault INVALID_SESSION_ID (HTTP 500)', async () => {
    const { org } = await openOrg({ schema: 'none' });
    try {
      const res = await fetch(`${org.instanceUrl}/services/Soap/m/${API}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', SOAPAction: '""' },
        body:
          '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
          '<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>nope</sessionId></SessionHeader></soapenv:Header>' +
          '<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><checkDeployStatus><asyncProcessId>0Af</asyncProcessId></checkDeployStatus></soapenv:Body></soapenv:Envelope>',
      });
      assert.equal(res.status, 500);
      const body = await res.text();
      assert.match(body, /<faultcode>sf:INVALID_SESSION_ID<\/faultcode>/);
    } finally {
      await org.close();
    }
  });
});

/** A copy of the built package with one file changed. */
function brokenCopy(name: string, file: string, change: (xml: string) => string): string {
  const dir = join(work, name);
  cpSync(mdapi, dir, { recursive: true });
  const path = join(dir, file);
  const original = readFileSync(path, 'utf8');
  const changed = change(original);
  assert.notEqual(changed, original, `${name}: the change did not apply to ${file}`);
  writeFileSync(path, changed);
  return dir;
}

/** The `<fields>` block of one field in an object file. */
function fieldBlock(xml: string, field: string): string {
  const at = xml.indexOf(`<fullName>${field}</fullName>`);
  const start = xml.lastIndexOf('<fields>', at);
  const end = xml.indexOf('</fields>', at) + '</fields>'.length;
  return xml.slice(start, end);
}

const VOICE = 'objects/Aircall_Voice__c.object';

/**
 * What a real org refuses, with the Metadata API's per-component problem. Problem texts as an org
 * reports them in a deploy's componentFailures:
 * - "referenceTo value of 'X' does not resolve to a valid sObject type" (CustomField; e.g.
 *   github.com/wadewegner/deploy-to-sfdx/issues/41, github.com/SalesforceLabs/CommunityCookieConsent/issues/25);
 * - "In field: field - no CustomField named X.Y found" (PermissionSet / Profile;
 *   github.com/trailheadapps/ebikes-lwc/issues/391);
 * - "Duplicate name 'X.Y' specified" (github.com/forcedotcom/cli/issues/468);
 * - "Cannot update a field to a Lookup, MasterDetail, or Hierarchy from something else"
 *   (github.com/trailheadapps/ebikes-lwc/issues/457) and "Cannot change type due to existing data"
 *   (github.com/trailheadapps/coral-cloud/issues/87);
 * - "An object 'X' of type T was named in package.xml, but was not found in zipped directory";
 * - a picklist with several default values (Metadata API Developer Guide, "Picklist (Including
 *   Dependent Picklist)": CustomValue.default marks *the* default value) — the wording of the
 *   local org's problem is its own;
 * - a translation of a label the org does not have ("In field: name - no CustomLabel named X
 *   found", the same pattern as the permission set's).
 * With rollbackOnError (DeployOptions; what SDR and sf send) nothing of a failed deploy is saved.
 */
describe('deploy refusals (a broken copy of the package)', () => {
  let org: LocalOrg;
  before(async () => ({ org } = await openOrg({ schema: 'none' })));
  after(async () => org.close());

  async function refused(
    dir: string,
    expected: { componentType: string; fullName: string; problem: RegExp },
  ): Promise<void> {
    const outcome = await deployTo(org, dir);
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.success, false);
    const failure = outcome.failures.find(
      (f) => f.componentType === expected.componentType && f.fullName === expected.fullName,
    );
    assert.ok(failure, JSON.stringify(outcome.failures));
    assert.match(failure.problem ?? '', expected.problem);
    assert.equal(failure.problemType, 'Error');
    // rollbackOnError: the org is as it was.
    assert.equal((await rest(org, 'GET', '/sobjects/Aircall_Voice__c/describe')).status, 404);
  }

  it('refuses a lookup to an object the org does not have', async () => {
    const dir = brokenCopy('missing-target', VOICE, (xml) =>
      xml.replace(fieldBlock(xml, 'Lead__c'), (b) =>
        b.replace('<referenceTo>Lead</referenceTo>', '<referenceTo>Prospect__c</referenceTo>'),
      ),
    );
    await refused(dir, {
      componentType: 'CustomField',
      fullName: 'Aircall_Voice__c.Lead__c',
      problem: /^referenceTo value of 'Prospect__c' does not resolve to a valid sObject type$/,
    });
  });

  it('refuses a picklist with two default values', async () => {
    const dir = brokenCopy('two-defaults', VOICE, (xml) =>
      xml.replace(fieldBlock(xml, 'Direction__c'), (b) =>
        b.replaceAll('<default>false</default>', '<default>true</default>'),
      ),
    );
    await refused(dir, {
      componentType: 'CustomField',
      fullName: 'Aircall_Voice__c.Direction__c',
      problem: /only one default value/,
    });
  });

  it('refuses a permission set naming a field the org does not have', async () => {
    const dir = brokenCopy(
      'unknown-field',
      'permissionsets/Aircall_Integration.permissionset',
      (xml) =>
        xml.replace(
          '<fieldPermissions>',
          '<fieldPermissions><editable>true</editable><field>Aircall_Voice__c.Mood__c</field><readable>true</readable></fieldPermissions><fieldPermissions>',
        ),
    );
    await refused(dir, {
      componentType: 'PermissionSet',
      fullName: 'Aircall_Integration',
      problem: /^In field: field - no CustomField named Aircall_Voice__c\.Mood__c found$/,
    });
  });

  it('refuses the same API name twice', async () => {
    const dir = brokenCopy('duplicate', VOICE, (xml) => {
      const block = fieldBlock(xml, 'Customer_Number__c');
      return xml.replace(block, block + block.replace('Customer_Number__c', 'CUSTOMER_NUMBER__C'));
    });
    await refused(dir, {
      componentType: 'CustomField',
      fullName: 'Aircall_Voice__c.Customer_Number__c',
      problem: /^Duplicate name 'Aircall_Voice__c\.Customer_Number__c' specified$/,
    });
  });

  it('refuses a translation of a label the org does not have', async () => {
    const dir = brokenCopy('unknown-label', 'translations/es.translation', (xml) =>
      xml.replace(
        '<customLabels>',
        '<customLabels><label>Hola</label><name>Aircall_Hello</name></customLabels><customLabels>',
      ),
    );
    await refused(dir, {
      componentType: 'Translations',
      fullName: 'es',
      problem: /^In field: name - no CustomLabel named Aircall_Hello found$/,
    });
  });

  it('refuses an object translation of a field the org does not have', async () => {
    const dir = brokenCopy(
      'unknown-field-translation',
      'objectTranslations/Aircall_Voice__c-es.objectTranslation',
      (xml) =>
        xml.replace(
          '<fields>',
          '<fields><label>Nada</label><name>Nothing__c</name></fields><fields>',
        ),
    );
    await refused(dir, {
      componentType: 'CustomObjectTranslation',
      fullName: 'Aircall_Voice__c-es',
      problem: /^In field: name - no CustomField named Aircall_Voice__c.Nothing__c found$/,
    });
  });

  it('refuses a package.xml member whose file is not in the zip', async () => {
    const dir = brokenCopy('missing-file', 'package.xml', (xml) =>
      xml.replace(
        '<members>Aircall_Setup</members>',
        '<members>Aircall_Reports</members><members>Aircall_Setup</members>',
      ),
    );
    await refused(dir, {
      componentType: 'CustomTab',
      fullName: 'Aircall_Reports',
      problem:
        /^An object 'Aircall_Reports' of type CustomTab was named in package\.xml, but was not found in zipped directory$/,
    });
  });

  it('refuses field type changes the platform forbids, once the package is deployed', async () => {
    assert.equal((await deployTo(org, mdapi)).status, 'Succeeded');
    const conn = new JsforceConnection({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      version: API,
    });
    await conn
      .sobject('Aircall_Voice__c')
      .create({ Aircall_Call_Id__c: '7', Customer_Number__c: '+33612345678' });

    const toLookup = brokenCopy('to-lookup', VOICE, (xml) =>
      xml.replace(fieldBlock(xml, 'Customer_Number__c'), (b) =>
        b.replace(
          '<type>Phone</type>',
          '<referenceTo>Account</referenceTo><relationshipName>Numbered_Calls</relationshipName><type>Lookup</type>',
        ),
      ),
    );
    const lookup = await deployTo(org, toLookup);
    assert.equal(lookup.status, 'Failed');
    assert.deepEqual(
      lookup.failures.map((f) => [f.fullName, f.problem]),
      [
        [
          'Aircall_Voice__c.Customer_Number__c',
          'Cannot update a field to a Lookup, MasterDetail, or Hierarchy from something else',
        ],
      ],
    );

    const toNumber = brokenCopy('to-number', VOICE, (xml) =>
      xml.replace(fieldBlock(xml, 'Customer_Number__c'), (b) =>
        b.replace(
          '<type>Phone</type>',
          '<precision>18</precision><scale>0</scale><type>Number</type>',
        ),
      ),
    );
    const number = await deployTo(org, toNumber);
    assert.deepEqual(
      number.failures.map((f) => [f.fullName, f.problem]),
      [['Aircall_Voice__c.Customer_Number__c', 'Cannot change type due to existing data']],
    );
    // The field is still a phone field.
    const describe = (await rest(org, 'GET', '/sobjects/Aircall_Voice__c/describe')).body as {
      fields: { name: string; type: string }[];
    };
    assert.equal(describe.fields.find((f) => f.name === 'Customer_Number__c')?.type, 'phone');
  });
});
