/**
 * One record when the connector is killed (SIGKILL) after the org committed it and before the
 * connector recorded it: the next start applies the call again, and the upsert finds the record
 * instead of creating a second one — a Case by `Case.Aircall_Call_Id__c`, a Person Account created
 * for an unknown number by `Account.Aircall_Phone_Key__pc`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startLocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { BIN, launch, waitFor, type Started } from '../helpers/processes';
import { fixture, TOKEN } from './harness';

/**
 * A pass-through proxy to the org that, once armed, lets the first Composite request carrying
 * `marker` (a subrequest's URL) reach the org and be committed, then never answers it (the
 * connector is killed meanwhile).
 */
async function committingProxy(target: string, marker: string) {
  let armed = true;
  let onCommitted: (() => void) | null = null;
  const committed = new Promise<void>((resolve) => (onCommitted = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const swallow = armed && req.url!.includes('/composite') && body.includes(marker);
      if (swallow) armed = false;
      const upstream = http.request(
        new URL(req.url!, target),
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          if (swallow) {
            answer.resume();
            answer.on('end', () => onCommitted?.());
            return;
          }
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    committed,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Scenario {
  title: string;
  org: { personAccounts?: boolean };
  settings: Record<string, unknown>;
  marker: string;
  /** The call's events. */
  events: Record<string, unknown>[];
  /** The record that must exist once: a SOQL returning it. */
  soql: string;
  /** Aircall Voice field → the field of that record it must hold. */
  links: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  {
    title: 'the Case of a voicemail',
    org: {},
    settings: { Create_Case_For__c: 'Voicemails' },
    marker: '/composite/sobjects/Case/',
    events: fixture('inbound-voicemail'),
    soql: 'SELECT Id FROM Case',
    links: { Case__c: 'Id' },
  },
  {
    title: 'the Person Account created for an unknown number',
    org: { personAccounts: true },
    settings: { Unknown_Number_Action__c: 'Create Person Account' },
    marker: '/composite/sobjects/Account/Aircall_Phone_Key__pc',
    events: fixture('inbound-voicemail'),
    soql: 'SELECT Id, PersonContactId FROM Account WHERE IsPersonAccount = true',
    links: { Account__c: 'Id', Contact__c: 'PersonContactId' },
  },
];

describe('a record written by upsert and a killed connector', () => {
  for (const scenario of SCENARIOS) {
    it(`SIGKILL after the org committed ${scenario.title}: the next start makes no second one`, async () => {
      await crashOnce(scenario);
    });
  }
});

async function crashOnce(scenario: Scenario): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-upsert-crash-'));
  const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR, ...scenario.org });
  const proxy = await committingProxy(org.instanceUrl, scenario.marker);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // From this checkout's sources: the prebuilt CLI lives in node_modules, which several
    // checkouts of the repository may share.
    AIRCALL_SFV_FROM_SOURCE: '1',
    AIRCALL_WEBHOOK_TOKENS: TOKEN,
    SF_INSTANCE_URL: proxy.url,
    SF_ACCESS_TOKEN: org.accessToken,
  };
  const api = `${org.instanceUrl}/services/data/v${org.apiVersion}`;
  const headers = {
    authorization: `Bearer ${org.accessToken}`,
    'content-type': 'application/json',
  };
  const query = async (soql: string) =>
    (
      (await (await fetch(`${api}/query?q=${encodeURIComponent(soql)}`, { headers })).json()) as {
        records: Record<string, unknown>[];
      }
    ).records;
  const startArgs = [
    'start',
    '--port',
    '0',
    '--no-demo',
    '--hold-ms',
    '0',
    '--inbox',
    path.join(dir, 'inbox.db'),
  ];
  let running: Started | null = null;
  try {
    const saved = await fetch(`${api}/sobjects/Aircall_Settings__c`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ Name: 'Settings', ...scenario.settings }),
    });
    assert.equal(saved.status, 201);
    running = launch(process.execPath, [BIN, ...startArgs], env);
    const port = Number(await running.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//));
    for (const envelope of scenario.events) {
      const answer = await fetch(`http://127.0.0.1:${port}/webhooks/aircall`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
      });
      assert.equal(answer.status, 200);
    }
    await proxy.committed;
    running.child.kill('SIGKILL');
    await running.exited;
    running = null;
    assert.equal((await query(scenario.soql)).length, 1, 'the org has the record');

    running = launch(process.execPath, [BIN, ...startArgs], env);
    const next = Number(await running.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//));
    await waitFor('the inbox to have nothing pending', async () => {
      const health = await fetch(`http://127.0.0.1:${next}/healthz`);
      const body = (await health.json()) as { inbox: { pending: number } };
      return body.inbox.pending === 0;
    });
    const records = await query(scenario.soql);
    assert.equal(records.length, 1, JSON.stringify(records));
    const fields = Object.keys(scenario.links);
    const voices = await query(`SELECT ${fields.join(', ')} FROM Aircall_Voice__c`);
    assert.deepEqual(
      voices.map((v) => fields.map((f) => v[f])),
      [fields.map((f) => records[0]![scenario.links[f]!])],
    );
    running.child.kill('SIGTERM');
    await running.exited;
    running = null;
  } finally {
    if (running) running.child.kill('SIGKILL');
    await proxy.close();
    await org.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
