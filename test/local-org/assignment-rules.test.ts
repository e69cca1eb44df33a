/**
 * The local org's active lead and case assignment rules, run as the REST API's Assignment Rule
 * header decides:
 * - REST API Developer Guide, "Assignment Rule Header"
 *   (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_autoassign.htm):
 *   `Sforce-Auto-Assign` applies "when creating or updating Accounts, Cases, or Leads"; `TRUE`:
 *   "Active assignment rules are applied for created or updated Accounts, Cases, or Leads";
 *   `FALSE`: they are not; "Valid AssignmentRule ID. The given AssignmentRule is applied for created
 *   Accounts, Cases, or Leads"; "TRUE and FALSE are not case-sensitive"; "If the header is not
 *   provided in the request, the default value is TRUE".
 * - REST API Developer Guide, "Composite Subrequest": each subrequest has its own `httpHeaders`.
 * - SOAP API Developer Guide, "AssignmentRuleHeader"
 *   (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_header_assignmentruleheader.htm):
 *   the header "must be specified in the create() or update() call of a Case or Lead for the
 *   specified assignment rule to be applied".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { ASSIGNMENT_RULE_IDS } from '../../dev/local-org/assignment-rules';
import { API, METADATA_DIR } from './helpers';

type Row = Record<string, unknown>;

describe('local org: lead and case assignment rules and Sforce-Auto-Assign', () => {
  let org: LocalOrg;
  let integrationUser: string;
  let ruleOwner: string;

  async function call(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${org.instanceUrl}/services/data/v${API}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${org.accessToken}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function ownerOf(object: string, id: string): Promise<unknown> {
    const { body } = await call('GET', `/sobjects/${object}/${id}?fields=OwnerId`, undefined);
    return (body as Row).OwnerId;
  }

  async function createLead(headers: Record<string, string> = {}): Promise<string> {
    const { status, body } = await call(
      'POST',
      '/sobjects/Lead',
      { LastName: 'Caller', Company: 'ACME' },
      headers,
    );
    assert.equal(status, 201, JSON.stringify(body));
    return (body as { id: string }).id;
  }

  before(async () => {
    org = await startLocalOrg({ port: 0, metadataDir: METADATA_DIR });
    const me = await call(
      'GET',
      '/query?q=' + encodeURIComponent('SELECT Id FROM User'),
      undefined,
    );
    integrationUser = ((me.body as { records: Row[] }).records[0]!.Id as string) ?? '';
    const created = await call('POST', '/sobjects/User', {
      Username: 'lead.desk@corp.example',
      LastName: 'Desk',
      Email: 'lead.desk@corp.example',
      Alias: 'ldesk',
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    ruleOwner = (created.body as { id: string }).id;
    org.setAssignmentRules({ Lead: { ownerId: ruleOwner }, Case: { ownerId: ruleOwner } });
  });
  after(() => org.close());

  it('runs the active lead rule when the header is absent or TRUE (any case), not when FALSE', async () => {
    assert.equal(await ownerOf('Lead', await createLead()), ruleOwner, 'absent = TRUE');
    assert.equal(
      await ownerOf('Lead', await createLead({ 'Sforce-Auto-Assign': 'true' })),
      ruleOwner,
    );
    assert.equal(
      await ownerOf('Lead', await createLead({ 'Sforce-Auto-Assign': 'FALSE' })),
      integrationUser,
    );
    assert.equal(
      await ownerOf('Lead', await createLead({ 'Sforce-Auto-Assign': 'false' })),
      integrationUser,
    );
    // An owner given with FALSE stays.
    const { body } = await call(
      'POST',
      '/sobjects/Lead',
      { LastName: 'Given', Company: 'ACME', OwnerId: integrationUser },
      { 'Sforce-Auto-Assign': 'FALSE' },
    );
    assert.equal(await ownerOf('Lead', (body as { id: string }).id), integrationUser);
  });

  it('runs the rule named by its Id on a create, and the active rules again on an update unless FALSE', async () => {
    assert.equal(
      await ownerOf('Lead', await createLead({ 'Sforce-Auto-Assign': ASSIGNMENT_RULE_IDS.Lead })),
      ruleOwner,
    );
    const id = await createLead({ 'Sforce-Auto-Assign': 'FALSE' });
    const kept = await call(
      'PATCH',
      `/sobjects/Lead/${id}`,
      { Title: 'Buyer' },
      { 'Sforce-Auto-Assign': 'FALSE' },
    );
    assert.equal(kept.status, 204);
    assert.equal(
      await ownerOf('Lead', id),
      integrationUser,
      'an update with FALSE keeps the owner',
    );
    const reassigned = await call('PATCH', `/sobjects/Lead/${id}`, { Title: 'CEO' });
    assert.equal(reassigned.status, 204);
    assert.equal(await ownerOf('Lead', id), ruleOwner, 'an update without the header reassigns');
  });

  it('reads each Composite subrequest’s own header, and the composite request’s when it has none', async () => {
    const upsert = (key: string, headers?: Record<string, string>) => ({
      method: 'PATCH',
      url: `/services/data/v${API}/composite/sobjects/Lead/Aircall_Phone_Key__c`,
      referenceId: key.replace(/\D/g, 'x'),
      body: {
        allOrNone: false,
        records: [
          {
            attributes: { type: 'Lead' },
            Aircall_Phone_Key__c: key,
            LastName: 'Caller',
            Company: 'ACME',
          },
        ],
      },
      ...(headers ? { httpHeaders: headers } : {}),
    });
    const { status, body } = await call('POST', '/composite', {
      compositeRequest: [
        upsert('+33100000001', { 'Sforce-Auto-Assign': 'FALSE' }),
        upsert('+33100000002', { 'Sforce-Auto-Assign': 'TRUE' }),
        upsert('+33100000003'),
      ],
    });
    assert.equal(status, 200, JSON.stringify(body));
    const owners = await call(
      'GET',
      '/query?q=' +
        encodeURIComponent(
          "SELECT Aircall_Phone_Key__c, OwnerId FROM Lead WHERE Aircall_Phone_Key__c LIKE '+331%' ORDER BY Aircall_Phone_Key__c",
        ),
      undefined,
    );
    assert.deepEqual(
      (owners.body as { records: Row[] }).records.map((r) => [r.Aircall_Phone_Key__c, r.OwnerId]),
      [
        ['+33100000001', integrationUser],
        ['+33100000002', ruleOwner],
        // No header of its own and none on the composite request: the REST default, TRUE.
        ['+33100000003', ruleOwner],
      ],
    );
  });

  it('runs the case rule the same way, and no rule when none is active', async () => {
    const kase = async (headers: Record<string, string> = {}) => {
      const { body } = await call('POST', '/sobjects/Case', { Subject: 'Missed call' }, headers);
      return ownerOf('Case', (body as { id: string }).id);
    };
    assert.equal(await kase(), ruleOwner);
    assert.equal(await kase({ 'Sforce-Auto-Assign': 'FALSE' }), integrationUser);
    org.setAssignmentRules({});
    assert.equal(await kase(), integrationUser);
    assert.equal(await ownerOf('Lead', await createLead()), integrationUser);
    org.setAssignmentRules({ Lead: { ownerId: ruleOwner }, Case: { ownerId: ruleOwner } });
  });
});
