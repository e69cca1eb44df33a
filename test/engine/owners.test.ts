import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain, parseSettings, planBatch } from '../../src/engine';
import { AGENT_EMAIL, AGENT_USER_ID, batch, callsOf, load, parisHours, settings } from './helpers';

/** An answered inbound call from a number no record has, and a missed one from another. */
const answered = load('inbound-answered.json');
const missed = load('inbound-missed.json');
const created = (plan: ReturnType<typeof planBatch>) =>
  plan.writes.filter((w) => w.sobject !== 'Aircall_Voice__c');

describe('owner and source of records created for unknown numbers', () => {
  it('gives the record to the agent who handled the call, with Lead Source "Phone Inquiry", by default', () => {
    const plan = planBatch(batch(callsOf(answered)));
    const [lead] = created(plan);
    assert.equal(lead!.sobject, 'Lead');
    assert.equal(lead!.fields.OwnerId, AGENT_USER_ID);
    assert.equal(lead!.fields.LeadSource, 'Phone Inquiry');
    assert.equal(lead!.assignmentRules, false);
  });

  it("leaves a missed call's record with the integration user (no agent handled it)", () => {
    const plan = planBatch(batch(callsOf(missed)));
    const [lead] = created(plan);
    assert.equal(lead!.fields.OwnerId, undefined);
  });

  it('keeps the integration user, or asks for lead assignment rules, when the admin says so', () => {
    const integration = planBatch(
      batch(callsOf(answered), { settings: settings({ createdRecordOwner: 'Integration User' }) }),
    );
    assert.equal(created(integration)[0]!.fields.OwnerId, undefined);
    const rules = planBatch(
      batch(callsOf(answered), { settings: settings({ createdRecordOwner: 'Assignment Rules' }) }),
    );
    assert.equal(created(rules)[0]!.fields.OwnerId, undefined);
    assert.equal(created(rules)[0]!.assignmentRules, true);
    // A Contact has no assignment rules: the integration user keeps it.
    const contact = planBatch(
      batch(callsOf(answered), {
        settings: settings({
          createdRecordOwner: 'Assignment Rules',
          unknownNumberAction: 'Create Contact',
        }),
      }),
    );
    assert.equal(created(contact)[0]!.sobject, 'Contact');
    assert.equal(created(contact)[0]!.assignmentRules, undefined);
  });

  it('writes Account Source on an Account and nothing when the setting is emptied', () => {
    const account = planBatch(
      batch(callsOf(answered), {
        settings: settings({ unknownNumberAction: 'Create Account', createdLeadSource: 'Web' }),
      }),
    );
    assert.equal(created(account)[0]!.fields.AccountSource, 'Web');
    const none = planBatch(
      batch(callsOf(answered), { settings: settings({ createdLeadSource: null }) }),
    );
    assert.equal('LeadSource' in created(none)[0]!.fields, false);
  });

  it('reads the two settings, the lead source defaulting to Phone and cleared when emptied', () => {
    assert.equal(parseSettings(null).settings.createdLeadSource, 'Phone Inquiry');
    const { settings: s, warnings } = parseSettings({
      Created_Record_Owner__c: 'Integration User',
      Created_Lead_Source__c: ' ',
    });
    assert.deepEqual(warnings, []);
    assert.equal(s.createdRecordOwner, 'Integration User');
    assert.equal(s.createdLeadSource, null);
  });
});

describe('agents matched by Aircall user id before e-mail', () => {
  it('attributes the call to the User whose Aircall_User_Id__c is the agent, whatever the e-mails', () => {
    const plan = planBatch(
      batch(callsOf(answered), {
        users: [
          {
            Id: '005000000000009AAA',
            Email: 'someone.else@corp.example',
            AircallUserId: '2078001',
          },
          { Id: AGENT_USER_ID, Email: AGENT_EMAIL },
        ],
      }),
    );
    const voice = plan.writes.find((w) => w.sobject === 'Aircall_Voice__c')!;
    assert.equal(voice.fields.Agent__c, '005000000000009AAA');
    assert.equal(created(plan)[0]!.fields.OwnerId, '005000000000009AAA');
  });

  it('falls back to the e-mail, and warns when neither matches', () => {
    const byEmail = planBatch(batch(callsOf(answered)));
    assert.equal(
      byEmail.writes.find((w) => w.sobject === 'Aircall_Voice__c')!.fields.Agent__c,
      AGENT_USER_ID,
    );
    const neither = planBatch(batch(callsOf(answered), { users: [] }));
    assert.match(neither.warnings.join('\n'), /Aircall_User_Id__c 2078001 or the same e-mail/);
  });
});

describe('explain', () => {
  const base = {
    number: '+33 6 12 34 56 78',
    at: new Date('2026-09-29T08:00:00Z'),
    matches: new Map(),
    businessHours: parisHours(),
    country: 'FR',
  };

  it('says who would own the record created for an unknown number', () => {
    const text = explain({ ...base, settings: settings(), agentId: AGENT_USER_ID });
    assert.match(
      text,
      new RegExp(
        `Owner of the new Lead: the agent who handled the call \\(User ${AGENT_USER_ID}\\) when an agent with a Salesforce user takes or makes it, else the integration user \\(Owner of Created Records is "Agent Who Handled The Call"\\)\\. Lead Source "Phone Inquiry"\\.`,
      ),
    );
    const rules = explain({
      ...base,
      settings: settings({ createdRecordOwner: 'Assignment Rules' }),
    });
    assert.match(rules, /Owner of the new Lead: the org's active lead assignment rule/);
  });
});
