/**
 * The console against an org where the package is installed under a namespace: GraphQL queries
 * written with the package's own names (as in force-app and dev/console/web/) are namespaced as the
 * platform namespaces a packaged component's queries ("Use a Namespace and Alias in Managed
 * Packages", GraphQL API Developer Guide), answered by the namespaced local org, with the keys the
 * query was written with; schema imports resolve to the prefixed names.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageNames, qualifier, schemaModule } from '../../dev/console/server/bundle';
import { executeGraphql } from '../../dev/console/server/graphql';
import { Rest } from '../../dev/console/server/rest';
import { UiApi } from '../../dev/console/server/ui-api';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } from '../../dev/local-org/paths';

const PROJECT_DIR = path.join(__dirname, '..', '..');
const NS = 'aircallsfv';

const CALLS = `
  query calls {
    uiapi {
      query {
        Aircall_Voice__c(first: 5, where: { Status__c: { eq: "Ended" } }, orderBy: { Started_At__c: { order: DESC } }) {
          edges { node { Id Call_Type__c { value } Lead__r { Name { value } } } }
        }
        settings: Aircall_Settings__c(first: 1) {
          edges { node { logCalls: Log_Calls__c { value } } }
        }
      }
    }
  }`;

describe('console on a namespaced org', () => {
  let org: LocalOrg;
  let rest: Rest;
  let ui: UiApi;

  before(async () => {
    org = await startLocalOrg({
      metadataDir: PACKAGE_METADATA_DIR,
      seedFile: SAMPLE_SEED_FILE,
      namespace: NS,
    });
    rest = new Rest({
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
    });
    ui = new UiApi(rest);
    const lead = await rest.call<{ id: string }>('POST', '/sobjects/Lead', {
      LastName: 'Caller',
      Company: 'Namespace Ltd',
    });
    await rest.call('POST', `/sobjects/${NS}__Aircall_Voice__c`, {
      [`${NS}__Aircall_Call_Id__c`]: 'c-1',
      [`${NS}__Status__c`]: 'Ended',
      [`${NS}__Call_Type__c`]: 'Answered',
      [`${NS}__Started_At__c`]: '2026-11-27T08:00:00.000Z',
      [`${NS}__Lead__c`]: lead.id,
    });
  });
  after(async () => {
    await org.close();
  });

  it('namespaces the package names of a GraphQL query and answers with the keys as written', async () => {
    const qualify = qualifier(NS, packageNames(PROJECT_DIR));
    const answer = await executeGraphql({ query: CALLS }, rest, (o) => ui.describe(o), qualify);
    assert.deepEqual(answer.errors, []);
    const query = (answer.data as { uiapi: { query: Record<string, { edges: unknown[] }> } }).uiapi
      .query;
    const [call] = query.Aircall_Voice__c!.edges as { node: Record<string, unknown> }[];
    assert.equal(query.Aircall_Voice__c!.edges.length, 1);
    assert.match(String(call!.node.Id), /^a/);
    assert.deepEqual(
      { type: call!.node.Call_Type__c, lead: call!.node.Lead__r },
      { type: { value: 'Answered' }, lead: { Name: { value: 'Caller' } } },
    );
    assert.deepEqual(
      (query.settings!.edges as { node: unknown }[]).map((e) => e.node),
      [{ logCalls: { value: 'Always' } }],
    );
  });

  it("answers Change link's query of a remembered number (a package object, aliased) and of the open follow-up Task", async () => {
    // The query as the component sends it, read from its source.
    const source = readFileSync(
      path.join(PROJECT_DIR, 'force-app/main/default/lwc/aircallChangeLink/changeLink.ts'),
      'utf8',
    );
    const query = /CONTEXT_QUERY = gql`([\s\S]*?)`;/.exec(source)![1]!;
    const created = await rest.call<{ id: string }>(
      'POST',
      `/sobjects/${NS}__Aircall_Number_Link__c`,
      {
        Name: '+34911111111',
        [`${NS}__Phone_Key__c`]: '+34911111111',
        [`${NS}__Phone__c`]: '+34911111111',
      },
    );
    // The call's follow-up Tasks: the open one is found, not the one called back (Completed).
    const followUps = [];
    for (const Status of ['Completed', 'Not Started'])
      followUps.push(
        await rest.call<{ id: string }>('POST', '/sobjects/Task', {
          Subject: 'Call back',
          Status,
          [`${NS}__Aircall_Follow_Up_For__c`]: 'c-1',
        }),
      );
    const qualify = qualifier(NS, packageNames(PROJECT_DIR));
    const answer = await executeGraphql(
      { query, variables: { callId: 'c-1', userId: '005000000000000AAA', number: '+34911111111' } },
      rest,
      (o) => ui.describe(o),
      qualify,
    );
    assert.deepEqual(answer.errors, []);
    const data = answer.data as {
      uiapi: { query: Record<string, { edges: { node: { Id: string } }[] }> };
    };
    assert.deepEqual(
      data.uiapi.query.Aircall_Number_Link__c!.edges.map((e) => e.node.Id),
      [created.id],
    );
    assert.deepEqual(
      data.uiapi.query.FollowUp!.edges.map((e) => e.node.Id),
      [followUps[1]!.id],
    );
  });

  it("answers the settings panel's query: every setting, under the key the query wrote", async () => {
    const source = readFileSync(
      path.join(PROJECT_DIR, 'force-app/main/default/lwc/aircallSettings/settingsQueries.ts'),
      'utf8',
    );
    const query = /SETTINGS_QUERY = gql`([\s\S]*?)`;/.exec(source)![1]!;
    const qualify = qualifier(NS, packageNames(PROJECT_DIR));
    const answer = await executeGraphql({ query }, rest, (o) => ui.describe(o), qualify);
    assert.deepEqual(answer.errors, []);
    const [settings] = (
      answer.data as {
        uiapi: { query: { Aircall_Settings__c: { edges: { node: Record<string, unknown> }[] } } };
      }
    ).uiapi.query.Aircall_Settings__c.edges;
    // The seeded record names neither: each has the default its field gives a new record.
    assert.deepEqual(
      {
        owner: settings!.node.Created_Record_Owner__c,
        source: settings!.node.Created_Lead_Source__c,
        phones: settings!.node.Extra_Phone_Fields__c,
      },
      {
        owner: { value: 'Agent Who Handled The Call' },
        source: { value: 'Phone Inquiry' },
        phones: { value: null },
      },
    );
  });

  it('fails without the namespace, as the unprefixed names do not exist there', async () => {
    const answer = await executeGraphql({ query: CALLS }, rest, (o) => ui.describe(o));
    assert.equal(answer.data, null);
    assert.ok(answer.errors.length > 0);
  });

  it('resolves schema imports to the prefixed names', () => {
    const own = packageNames(PROJECT_DIR);
    assert.deepEqual(schemaModule('Aircall_Voice__c.Lead__r.Name', NS, own), {
      objectApiName: `${NS}__Aircall_Voice__c`,
      fieldApiName: `${NS}__Lead__r.Name`,
    });
    assert.deepEqual(schemaModule('Contact.Aircall_Phone_Key__c', NS, own), {
      objectApiName: 'Contact',
      fieldApiName: `${NS}__Aircall_Phone_Key__c`,
    });
    assert.deepEqual(schemaModule('Contact.Phone', NS, own), {
      objectApiName: 'Contact',
      fieldApiName: 'Phone',
    });
  });
});
