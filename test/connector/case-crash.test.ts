/**
 * One Case per call when the connector is killed (SIGKILL) after the org committed the Case and
 * before the connector recorded it: the next start applies the call again, and the Case upsert by
 * `Case.Aircall_Call_Id__c` finds the Case instead of creating a second one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startLocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR } from '../../src/salesforce/org';
import { BIN, launch, waitFor, type Started } from '../helpers/processes';
import { fixture, TOKEN } from './harness';

/**
 * A pass-through proxy to the org that, once armed, lets the first Composite request carrying a
 * Case reach the org and be committed, then never answers it (the connector is killed meanwhile).
 */
async function committingProxy(target: string) {
  let armed = true;
  let onCommitted: (() => void) | null = null;
  const committed = new Promise<void>((resolve) => (onCommitted = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const swallow =
        armed && req.url!.includes('/composite') && body.includes('/composite/sobjects/Case/');
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

describe('a Case and a killed connector', () => {
  it('SIGKILL after the org committed the Case: the next start makes no second Case', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-case-crash-'));
    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    const proxy = await committingProxy(org.instanceUrl);
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
        body: JSON.stringify({ Name: 'Settings', Create_Case_For__c: 'Voicemails' }),
      });
      assert.equal(saved.status, 201);
      running = launch(process.execPath, [BIN, ...startArgs], env);
      const port = Number(await running.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//));
      for (const envelope of fixture('inbound-voicemail')) {
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
      assert.equal((await query('SELECT Id FROM Case')).length, 1, 'the org has the Case');

      running = launch(process.execPath, [BIN, ...startArgs], env);
      const next = Number(await running.line(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//));
      await waitFor('the inbox to have nothing pending', async () => {
        const health = await fetch(`http://127.0.0.1:${next}/healthz`);
        const body = (await health.json()) as { inbox: { pending: number } };
        return body.inbox.pending === 0;
      });
      const cases = await query('SELECT Id, Aircall_Call_Id__c FROM Case');
      assert.equal(cases.length, 1, JSON.stringify(cases));
      const voices = await query('SELECT Case__c FROM Aircall_Voice__c');
      assert.deepEqual(
        voices.map((v) => v.Case__c),
        [cases[0]!.Id],
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
  });
});
