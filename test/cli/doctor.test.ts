/**
 * `aircall-sfv doctor`, run as operators run it (a process, environment variables, one ✔/✖ line
 * per check) against the local org and the simulator's fake Aircall API (no Aircall account on this
 * machine): the agents check names the Aircall users that match no Salesforce user by
 * `Aircall_User_Id__c` nor by e-mail; the person accounts check says whether Person Accounts are on
 * and which record type "Create Person Account" uses, and refuses settings the org cannot honour.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org/server';
import { startFakeAircall } from '../../dev/simulator';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';

const BIN = path.join(__dirname, '..', '..', 'bin', 'aircall-sfv.cjs');

function doctor(env: NodeJS.ProcessEnv) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aircall-doctor-'));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'doctor'], {
      cwd,
      env: { ...process.env, AIRCALL_SFV_FROM_SOURCE: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (status) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}

/** The line of one check: `✔ name: …` or `✖ name: …`. */
function line(stdout: string, check: string): string {
  const found = stdout.split('\n').find((l) => l.slice(2).startsWith(`${check}: `));
  assert.ok(found, `no "${check}" line in:\n${stdout}`);
  return found;
}

async function api(org: LocalOrg, method: string, resource: string, body?: unknown) {
  const response = await fetch(`${org.instanceUrl}/services/data/v${org.apiVersion}${resource}`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${resource}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const orgEnv = (org: LocalOrg) => ({
  SF_INSTANCE_URL: org.instanceUrl,
  SF_ACCESS_TOKEN: org.accessToken,
  AIRCALL_API_ID: '',
  AIRCALL_API_TOKEN: '',
});

function user(fields: Record<string, unknown>) {
  return {
    TimeZoneSidKey: 'Europe/Paris',
    LocaleSidKey: 'fr_FR',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ...fields,
  };
}

describe('doctor', () => {
  it('agents: lists the Aircall users matched by neither Aircall_User_Id__c nor e-mail', async () => {
    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    const aircall = await startFakeAircall({
      agents: [
        { id: 900101, name: 'Camille Martin', email: 'camille.martin@aircall.example' },
        { id: 900102, name: 'Lucas Bernard', email: 'lucas.bernard@corp.example' },
        { id: 900103, name: 'Emma Johnson', email: 'emma.johnson@aircall.example' },
      ],
    });
    try {
      // Camille signs in to Salesforce with another address: her Aircall user id links her.
      await api(
        org,
        'POST',
        '/sobjects/User',
        user({
          Username: 'c.martin@corp.example',
          LastName: 'Martin',
          Email: 'c.martin@corp.example',
          Alias: 'cmart',
          Aircall_User_Id__c: '900101',
        }),
      );
      // Lucas has the same e-mail in both.
      await api(
        org,
        'POST',
        '/sobjects/User',
        user({
          Username: 'lucas.bernard@corp.example',
          LastName: 'Bernard',
          Email: 'lucas.bernard@corp.example',
          Alias: 'lbern',
        }),
      );
      // Emma has a Salesforce user, but neither her id nor her e-mail says she is Aircall's Emma.
      await api(
        org,
        'POST',
        '/sobjects/User',
        user({
          Username: 'e.johnson@corp.example',
          LastName: 'Johnson',
          Email: 'e.johnson@corp.example',
          Alias: 'ejohn',
          Aircall_User_Id__c: '900999',
        }),
      );
      const env = {
        ...orgEnv(org),
        AIRCALL_API_ID: aircall.apiId,
        AIRCALL_API_TOKEN: aircall.apiToken,
        AIRCALL_API_URL: aircall.url,
      };
      const first = await doctor(env);
      assert.equal(first.status, 1, 'a failed check fails the command');
      const agents = line(first.stdout, 'agents');
      assert.match(
        agents,
        /^✖ agents: 1 of 3 Aircall user\(s\) match no active Salesforce user by Aircall user id or e-mail, so their calls have no Agent: Emma Johnson <emma\.johnson@aircall\.example> \(id 900103\)\. Set User\.Aircall_User_Id__c to the id, or give both the same e-mail\.$/,
      );
      assert.doesNotMatch(agents, /Camille|Lucas/);

      // The admin sets Emma's id: every agent is matched.
      const [emma] = (
        (await api(
          org,
          'GET',
          `/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Alias = 'ejohn'")}`,
        )) as { records: { Id: string }[] }
      ).records;
      await api(org, 'PATCH', `/sobjects/User/${emma!.Id}`, { Aircall_User_Id__c: '900103' });
      const second = await doctor(env);
      assert.equal(
        line(second.stdout, 'agents'),
        '✔ agents: 3 Aircall user(s), each matched to a Salesforce user',
      );

      // Without the Aircall API the check says what it needs rather than failing.
      const without = await doctor(orgEnv(org));
      assert.match(line(without.stdout, 'agents'), /^✔ agents: not checked: set AIRCALL_API_ID/);
    } finally {
      await aircall.close();
      await org.close();
    }
  });

  it('person accounts: whether they are on, the record type "Create Person Account" uses, and settings the org cannot honour', async () => {
    const plain = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    try {
      assert.equal(
        line((await doctor(orgEnv(plain))).stdout, 'person accounts'),
        '✔ person accounts: not enabled in this org: calls match Contacts, Leads and Accounts',
      );
      await api(plain, 'POST', '/sobjects/Aircall_Settings__c', {
        Name: 'Settings',
        Unknown_Number_Action__c: 'Create Person Account',
      });
      assert.match(
        line((await doctor(orgEnv(plain))).stdout, 'person accounts'),
        /^✖ person accounts: Unknown_Number_Action__c is "Create Person Account" but this org has no Person Accounts/,
      );
    } finally {
      await plain.close();
    }

    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR, personAccounts: true });
    try {
      const types = (
        (await api(
          org,
          'GET',
          `/query?q=${encodeURIComponent("SELECT Id, DeveloperName FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true")}`,
        )) as { records: { Id: string; DeveloperName: string }[] }
      ).records;
      assert.equal(types.length, 1);
      const person = types[0]!;
      assert.equal(
        line((await doctor(orgEnv(org))).stdout, 'person accounts'),
        `✔ person accounts: enabled: person fields are searched; "Create Person Account" uses record type Person Account (PersonAccount, ${person.Id}); active person record types: Person Account (PersonAccount)`,
      );
      const settings = await api(org, 'POST', '/sobjects/Aircall_Settings__c', {
        Name: 'Settings',
        Unknown_Number_Action__c: 'Create Person Account',
        Person_Account_Record_Type__c: 'VIP_Person',
      });
      assert.equal(
        line((await doctor(orgEnv(org))).stdout, 'person accounts'),
        '✖ person accounts: Person_Account_Record_Type__c is "VIP_Person", which is no active person record type of Account (PersonAccount): calls from unknown numbers are logged without a record until it is fixed in Aircall Settings.',
      );
      // Named by its Id, the record type is found again.
      await api(org, 'PATCH', `/sobjects/Aircall_Settings__c/${String(settings.id)}`, {
        Person_Account_Record_Type__c: person.Id,
      });
      assert.match(
        line((await doctor(orgEnv(org))).stdout, 'person accounts'),
        /^✔ person accounts: enabled: .*"Create Person Account" uses record type Person Account \(PersonAccount, /,
      );
    } finally {
      await org.close();
    }
  });
});
