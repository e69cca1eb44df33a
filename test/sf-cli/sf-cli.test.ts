/**
 * The real `sf` CLI (@salesforce/cli, a devDependency) against the local org: what an admin or a developer types, checked
 * on what it prints. No network: the CLI is told not to phone home
 * (telemetry, update checks), and its state (auth files, config, cache) lives in a temporary HOME
 * that is removed afterwards.
 *
 * Cost: the CLI spends ~3 s of CPU starting, so the login runs the real `sf` binary once and the
 * other commands run in one `sf-session.ts` process (the same oclif commands, loaded once).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../../dev/local-org';
import { SF_PACKAGE_DIR, SF_RUN_JS } from '../../scripts/sf';
import { openOrg, SEED_FILE } from '../local-org/helpers';

const ROOT = join(__dirname, '..', '..');
const SESSION = join(__dirname, 'sf-session.ts');

interface Outcome {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ argv: args, exitCode: code ?? -1, stdout, stderr }));
  });
}

/** Output without terminal colours; tables are drawn without borders when CI=true. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const plain = (o: Outcome): string => {
  assert.equal(o.exitCode, 0, `${o.argv.join(' ')}\n${o.stdout}\n${o.stderr}`);
  return o.stdout.replace(ANSI, '');
};

const json = (o: Outcome): { status: number; result: Record<string, unknown> } => {
  assert.equal(o.exitCode, 0, `${o.argv.join(' ')}\n${o.stdout}\n${o.stderr}`);
  return JSON.parse(o.stdout) as { status: number; result: Record<string, unknown> };
};

describe('sf CLI against the local org', () => {
  let org: LocalOrg;
  let conn: Connection;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ({ org, conn } = await openOrg({ seedFile: SEED_FILE }));
    dir = mkdtempSync(join(tmpdir(), 'sf-cli-'));
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, '.config'),
      XDG_DATA_HOME: join(dir, '.local', 'share'),
      XDG_CACHE_HOME: join(dir, '.cache'),
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_HIDE_RELEASE_NOTES: 'true',
      SF_USE_PROGRESS_BAR: 'false',
      NODE_NO_WARNINGS: '1',
      CI: 'true',
    };
  });
  after(async () => {
    await org.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the printed access token, then queries, writes, loads and exports data', async () => {
    // 1. The line `npm start` prints, run by the real `sf` binary.
    const login = await run(
      [
        SF_RUN_JS,
        'org',
        'login',
        'access-token',
        '--instance-url',
        org.instanceUrl,
        '--no-prompt',
        '--alias',
        'local',
      ],
      { ...env, SF_ACCESS_TOKEN: org.accessToken },
    );
    assert.equal(login.exitCode, 0, login.stdout + login.stderr);
    assert.match(
      login.stdout,
      new RegExp(
        `Successfully authorized integration@aircall-sfv\\.local with org ID ${org.telephony.orgId}`,
      ),
    );

    // 2. Everything else in one CLI process.
    const contacts = ['FirstName,LastName,Email,Phone'];
    for (let i = 0; i < 10_000; i++)
      contacts.push(`Bulk,Contact ${i},bulk${i}@example.com,+3361${String(i).padStart(7, '0')}`);
    writeFileSync(join(dir, 'contacts.csv'), `${contacts.join('\n')}\n`);
    writeFileSync(
      join(dir, 'accounts.csv'),
      'Name,Aircall_Phone_Key__c,Industry\nCLI Co,+33900000001,Retail\nUpserted Ltd,+33900000002,Energy\n',
    );
    const commands: string[][] = [
      ['org', 'display', '-o', 'local', '--json'],
      [
        'data',
        'query',
        '-q',
        'SELECT Id, Name, Owner.Name FROM Account ORDER BY Name',
        '-o',
        'local',
      ],
      [
        'data',
        'query',
        '-q',
        'SELECT Id, Name FROM Account ORDER BY Name',
        '-o',
        'local',
        '--json',
      ],
      [
        'data',
        'create',
        'record',
        '-s',
        'Account',
        '-v',
        "Name='CLI Co' Aircall_Phone_Key__c='+33900000001'",
        '-o',
        'local',
      ],
      ['data', 'get', 'record', '-s', 'Account', '-w', "Name='CLI Co'", '-o', 'local', '--json'],
      [
        'data',
        'update',
        'record',
        '-s',
        'Account',
        '-w',
        "Name='CLI Co'",
        '-v',
        "Industry='Technology'",
        '-o',
        'local',
      ],
      [
        'data',
        'upsert',
        'bulk',
        '-s',
        'Account',
        '-i',
        'Aircall_Phone_Key__c',
        '-f',
        join(dir, 'accounts.csv'),
        '-w',
        '10',
        '-o',
        'local',
        '--json',
      ],
      [
        'data',
        'export',
        'tree',
        '-q',
        "SELECT Name, Industry FROM Account WHERE Name = 'Upserted Ltd'",
        '-d',
        join(dir, 'tree'),
        '-o',
        'local',
        '--json',
      ],
      ['data', 'import', 'tree', '-f', join(dir, 'tree', 'Account.json'), '-o', 'local', '--json'],
      ['data', 'delete', 'record', '-s', 'Account', '-w', "Name='CLI Co'", '-o', 'local'],
      [
        'data',
        'import',
        'bulk',
        '-s',
        'Contact',
        '-f',
        join(dir, 'contacts.csv'),
        '-w',
        '10',
        '-o',
        'local',
        '--json',
      ],
      [
        'data',
        'export',
        'bulk',
        '-q',
        "SELECT Id, LastName, Email FROM Contact WHERE FirstName = 'Bulk'",
        '--output-file',
        join(dir, 'export.csv'),
        '-w',
        '10',
        '-o',
        'local',
        '--json',
      ],
      ['sobject', 'describe', '-s', 'Aircall_Voice__c', '-o', 'local', '--json'],
      ['limits', 'api', 'display', '-o', 'local'],
    ];
    writeFileSync(join(dir, 'commands.json'), JSON.stringify(commands));
    const session = await run(
      [SESSION, SF_PACKAGE_DIR, join(dir, 'commands.json'), join(dir, 'results.json')],
      env,
    );
    assert.equal(session.exitCode, 0, session.stderr);
    const out = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Outcome[];
    const [
      display,
      table,
      query,
      create,
      get,
      update,
      upsert,
      exportTree,
      importTree,
      del,
      importBulk,
      exportBulk,
      describeVoice,
      limits,
    ] = out as [
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
      Outcome,
    ];

    const shown = json(display).result;
    assert.equal(shown.id, org.telephony.orgId);
    assert.equal(shown.connectedStatus, 'Connected');
    assert.equal(shown.username, 'integration@aircall-sfv.local');
    assert.equal(shown.apiVersion, org.apiVersion);

    assert.match(plain(table), /ID\s+NAME\s+OWNER\.NAME/);
    assert.match(plain(table), /0015\w{14}\s+Acme Corporation\s+Noah Smith/);
    // Both queries ran before any write: they see the seed's accounts.
    const seeded = (
      JSON.parse(readFileSync(SEED_FILE, 'utf8')) as { Account: { Name: string }[] }
    ).Account.map((a) => a.Name).sort();
    assert.match(
      plain(table),
      new RegExp(`Total number of records retrieved: ${seeded.length}\\.`),
    );
    const q = json(query).result as { totalSize: number; records: { Name: string }[] };
    assert.equal(q.totalSize, seeded.length);
    assert.deepEqual(
      q.records.map((r) => r.Name),
      seeded,
    );

    const createdId = /Successfully created record: (001\w{15})\./.exec(plain(create))?.[1];
    assert.ok(createdId, create.stdout);
    const got = json(get).result;
    assert.equal(got.Id, createdId);
    assert.equal(got.Aircall_Phone_Key__c, '+33900000001');
    assert.match(plain(update), new RegExp(`Successfully updated record: ${createdId}\\.`));

    // Upsert by external id through Bulk API 2.0: CLI Co updated, Upserted Ltd created.
    const up = json(upsert).result as {
      jobInfo: { state: string; numberRecordsProcessed: number };
      records: { successfulResults: Record<string, string>[]; failedResults: unknown[] };
    };
    assert.equal(up.jobInfo.state, 'JobComplete');
    assert.equal(up.jobInfo.numberRecordsProcessed, 2);
    assert.deepEqual(up.records.failedResults, []);
    assert.deepEqual(
      up.records.successfulResults.map((r) => [
        r.sf__Created,
        r.Name,
        r.Industry,
        r.sf__Id === createdId,
      ]),
      [
        ['false', 'CLI Co', 'Retail', true],
        ['true', 'Upserted Ltd', 'Energy', false],
      ],
    );

    // export tree writes a plan-less file that import tree reads back.
    json(exportTree);
    const treeFiles = readdirSync(join(dir, 'tree'));
    assert.deepEqual(treeFiles, ['Account.json']);
    const tree = JSON.parse(readFileSync(join(dir, 'tree', 'Account.json'), 'utf8')) as {
      records: { Name: string; Industry: string }[];
    };
    assert.deepEqual(
      tree.records.map((r) => [r.Name, r.Industry]),
      [['Upserted Ltd', 'Energy']],
    );
    const treeImport = json(importTree).result as unknown as {
      refId: string;
      type: string;
      id: string;
    }[];
    assert.equal(treeImport.length, 1);
    assert.equal(treeImport[0]!.type, 'Account');
    assert.equal(treeImport[0]!.refId, 'AccountRef1');
    const copy = await conn.sobject('Account').retrieve(treeImport[0]!.id);
    assert.equal((copy as unknown as { Name: string }).Name, 'Upserted Ltd');

    assert.match(plain(del), new RegExp(`Successfully deleted record: ${createdId}\\.`));
    assert.equal(
      (await conn.query(`SELECT Id FROM Account WHERE Id = '${createdId}'`)).totalSize,
      0,
    );

    const imported = json(importBulk).result as {
      jobId: string;
      processedRecords: number;
      successfulRecords: number;
      failedRecords: number;
    };
    assert.equal(imported.processedRecords, 10_000);
    assert.equal(imported.successfulRecords, 10_000);
    assert.equal(imported.failedRecords, 0);
    assert.equal(
      (await conn.query("SELECT COUNT() FROM Contact WHERE FirstName = 'Bulk'")).totalSize,
      10_000,
    );

    const exported = json(exportBulk).result as { totalSize: number; filePath: string };
    assert.equal(exported.totalSize, 10_000);
    const lines = readFileSync(join(dir, 'export.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], '"Id","LastName","Email"');
    assert.equal(lines.length, 10_001);
    assert.ok(
      lines.includes(lines.find((l) => l.includes('"Contact 9999","bulk9999@example.com"'))!),
    );

    const describe = json(describeVoice).result as {
      name: string;
      custom: boolean;
      fields: { name: string }[];
    };
    assert.equal(describe.name, 'Aircall_Voice__c');
    assert.equal(describe.custom, true);
    assert.ok(describe.fields.some((f) => f.name === 'Aircall_Call_Id__c'));

    assert.match(plain(limits), /DailyApiRequests\s+\d+\s+150000/);
    // One batch for the 2-record upsert, one for the 10,000 contacts.
    assert.match(plain(limits), /DailyBulkApiBatches\s+14998\s+15000/);
  });
});
