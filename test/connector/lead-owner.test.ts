/**
 * Who owns a Lead created for an unknown number, in an org whose lead assignment rule is active
 * (the local org runs it as the REST API does: unless `Sforce-Auto-Assign: FALSE`, see
 * test/local-org/assignment-rules.test.ts). The connector sends FALSE unless the settings choose
 * assignment rules (`Created_Record_Owner__c`), so the rule never takes a Lead from the agent who
 * handled the call or from the integration user, and gets every Lead when it is chosen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureCall, startHarness, type Harness } from './harness';

async function user(h: Harness, alias: string, email: string): Promise<string> {
  const [created] = await h.org.client.create([
    {
      attributes: { type: 'User' },
      Username: email,
      LastName: alias,
      Email: email,
      Alias: alias,
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
    },
  ]);
  assert.ok(created?.success && created.id, JSON.stringify(created));
  return created.id;
}

describe('owner of a Lead created for an unknown number, with an active lead assignment rule', () => {
  it('the agent, the integration user or the rule, as Created_Record_Owner__c says', async () => {
    const h = await startHarness();
    try {
      const [me] = await h.org.client.query<{ Id: string }>(
        "SELECT Id FROM User WHERE Alias != 'desk' ORDER BY CreatedDate LIMIT 1",
      );
      const integrationUser = me!.Id;
      const desk = await user(h, 'desk', 'lead.desk@corp.example');
      // The agent of the fixtures (Aircall user camille.martin@example.com) has a Salesforce user.
      const agent = await user(h, 'cmart', 'camille.martin@example.com');
      h.local.setAssignmentRules({ Lead: { ownerId: desk } });
      const [settings] = await h.org.client.create([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Name: 'Settings',
          Created_Record_Owner__c: 'Agent Who Handled The Call',
        },
      ]);
      assert.ok(settings?.success && settings.id);

      const owners: Record<string, string> = {};
      for (const [choice, number] of [
        ['Agent Who Handled The Call', '+33 6 10 00 00 01'],
        ['Integration User', '+33 6 10 00 00 02'],
        ['Assignment Rules', '+33 6 10 00 00 03'],
      ] as const) {
        await h.org.client.update([
          {
            attributes: { type: 'Aircall_Settings__c' },
            Id: settings.id,
            Created_Record_Owner__c: choice,
          },
        ]);
        await h.restart(); // the connector reads the settings anew
        await h.send(
          fixtureCall('inbound-answered', 9400000 + Object.keys(owners).length, {
            raw_digits: number,
          }),
        );
        assert.deepEqual(await h.drain(), { timedOut: false });
        const [lead] = await h.org.client.query<{ OwnerId: string }>(
          `SELECT OwnerId FROM Lead WHERE Aircall_Phone_Key__c = '${number.replace(/ /g, '')}'`,
        );
        assert.ok(lead !== undefined, `a Lead for ${number}`);
        owners[choice] = lead.OwnerId;
      }
      assert.deepEqual(owners, {
        // Sforce-Auto-Assign: FALSE: the rule would otherwise give both Leads to the desk.
        'Agent Who Handled The Call': agent,
        'Integration User': integrationUser,
        // Sforce-Auto-Assign: TRUE: the org's rule decides.
        'Assignment Rules': desk,
      });
    } finally {
      await h.close();
    }
  });
});
