/**
 * Stopping means stopped: however the CLI is started, a SIGTERM to the process that was started
 * leaves no process behind, frees the port and the inbox; and `start` drains: webhooks that arrive
 * while it stops get 503 (Aircall retries them) and are stored by the next start, none lost.
 * Every wait is for a condition (a printed line, a held request, a process gone), never for time.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SqliteInbox } from '../../src/inbox/sqlite';
import { startLocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { generateCalls, type WebhookEnvelope } from '../../dev/simulator';
import { BIN, launch, waitFor, type Started } from '../helpers/processes';

const TOKEN = 'shutdown-test-token';

/** The first `node` on PATH outside node_modules: the machine's own Node, whatever its version. */
function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    const candidate = path.join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}

type Command = 'local-org' | 'start';
interface Way {
  name: string;
  argv(command: Command, args: string[]): [string, string[]];
}

const WAYS: Way[] = [
  {
    name: 'npm start / npm run local-org',
    argv: (command, args) =>
      command === 'start'
        ? ['npm', ['start', '--silent', '--', ...args]]
        : ['npm', ['run', '--silent', 'local-org', '--', ...args]],
  },
  { name: 'npx aircall-sfv', argv: (command, args) => ['npx', ['aircall-sfv', command, ...args]] },
  {
    // On a machine whose Node is older than 22 this is the re-exec path of bin/aircall-sfv.cjs.
    name: `bin/aircall-sfv.cjs under the system Node (${systemNode()})`,
    argv: (command, args) => [systemNode(), [BIN, command, ...args]],
  },
  {
    name: 'node bin/aircall-sfv.cjs',
    argv: (command, args) => [process.execPath, [BIN, command, ...args]],
  },
];

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AIRCALL_WEBHOOK_TOKENS: TOKEN, ...extra };
  if (!('SF_INSTANCE_URL' in extra)) delete env.SF_INSTANCE_URL;
  if (!('SF_ACCESS_TOKEN' in extra)) delete env.SF_ACCESS_TOKEN;
  return env;
}

/** Pids of live processes in a process group (Linux /proc). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const READY: Record<Command, RegExp> = {
  'local-org': /Local org running at http:\/\/127\.0\.0\.1:(\d+)/,
  start: /Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//,
};

describe('stopping the CLI however it is started', { concurrency: 2 }, () => {
  for (const command of ['local-org', 'start'] as const) {
    for (const way of WAYS) {
      it(`${command} via ${way.name}: SIGTERM to the started process leaves no process and frees the port`, async () => {
        const args = command === 'start' ? ['--port', '0', '--no-demo'] : ['--seed', 'none'];
        const [file, argv] = way.argv(command, args);
        const started = launch(file, argv, cleanEnv());
        const pgid = started.child.pid!;
        try {
          const port = Number(await started.line(READY[command]));
          started.child.kill('SIGTERM');
          await started.exited;
          await waitFor('every process of the group to end', () => groupMembers(pgid).length === 0);
          assert.equal(await portIsFree(port), true, `port ${port} is still taken`);
        } finally {
          for (const pid of groupMembers(pgid)) process.kill(pid, 'SIGKILL');
        }
      });
    }
  }
});

/** A pass-through proxy to the org that can hold the connector's Composite requests. */
async function holdingProxy(target: string) {
  let holding = false;
  const held: (() => void)[] = [];
  let onHeld: (() => void) | null = null;
  const server = http.createServer((req, res) => {
    const forward = () => {
      const upstream = http.request(
        new URL(req.url!, target),
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (holding && req.url!.includes('/composite')) {
      held.push(forward);
      onHeld?.();
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold() {
      holding = true;
      return new Promise<void>((resolve) => (onHeld = resolve));
    },
    release() {
      holding = false;
      for (const forward of held.splice(0)) forward();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function post(
  url: string,
  envelope: WebhookEnvelope,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  return { status: response.status, body: await response.text() };
}

describe('start drains on SIGTERM', () => {
  it('answers 503 to webhooks while the batch in flight finishes, exits 0, and the next start stores and applies them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-shutdown-'));
    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    const proxy = await holdingProxy(org.instanceUrl);
    const inboxFile = path.join(dir, 'inbox.db');
    const env = cleanEnv({ SF_INSTANCE_URL: proxy.url, SF_ACCESS_TOKEN: org.accessToken });
    const { envelopes, calls } = generateCalls({
      count: 2,
      seed: 7,
      token: TOKEN,
      scenarios: { answered: 1, held: 0, transferred: 0, missed: 0, voicemail: 0, abandoned: 0 },
      userEvents: false,
      aiRate: 0,
    });
    const [first, second] = calls.map((call) =>
      envelopes.filter((e) => (e.data as { id?: unknown }).id === call.id),
    );
    const startArgs = ['start', '--port', '0', '--no-demo', '--inbox', inboxFile];
    let running: Started | null = null;
    try {
      running = launch(process.execPath, [BIN, ...startArgs], env);
      const port = Number(await running.line(READY.start));
      const webhooks = `http://127.0.0.1:${port}/webhooks/aircall`;

      // The first call's batch reaches the org's Composite endpoint and is held there.
      const heldComposite = proxy.hold();
      for (const envelope of first!) assert.equal((await post(webhooks, envelope)).status, 200);
      await heldComposite;

      running.child.kill('SIGTERM');
      await running.line(/^Stopping \(SIGTERM\)/);
      const refused = [];
      for (const envelope of second!) {
        const answer = await post(webhooks, envelope);
        assert.equal(answer.status, 503, answer.body);
        assert.match(answer.body, /shutting down/);
        refused.push(envelope);
      }
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { status: string }).status, 'draining');

      proxy.release();
      assert.equal(await running.exited, 0, running.lines.join('\n'));
      assert.equal(await portIsFree(port), true);

      // The next start opens the same inbox; Aircall's retries of the refused webhooks are stored.
      running = launch(process.execPath, [BIN, ...startArgs], env);
      const nextPort = Number(await running.line(READY.start));
      for (const envelope of refused) {
        const answer = await post(`http://127.0.0.1:${nextPort}/webhooks/aircall`, envelope);
        assert.equal(answer.status, 200, answer.body);
      }
      const ids = calls.map((c) => String(c.id)).sort();
      const query = encodeURIComponent('SELECT Aircall_Call_Id__c FROM Aircall_Voice__c');
      const logged = await waitFor('both calls in the org', async () => {
        const response = await fetch(
          `${org.instanceUrl}/services/data/v${org.apiVersion}/query?q=${query}`,
          { headers: { authorization: `Bearer ${org.accessToken}` } },
        );
        const body = (await response.json()) as { records: { Aircall_Call_Id__c: string }[] };
        return body.records.length >= 2 ? body.records : undefined;
      });
      assert.deepEqual(logged.map((r) => r.Aircall_Call_Id__c).sort(), ids);
      await waitFor('the inbox to have nothing pending', async () => {
        const health = await fetch(`http://127.0.0.1:${nextPort}/healthz`);
        const body = (await health.json()) as { inbox: { pending: number } };
        return body.inbox.pending === 0;
      });
      running.child.kill('SIGTERM');
      assert.equal(await running.exited, 0, running.lines.join('\n'));
      running = null;

      const inbox = new SqliteInbox(inboxFile);
      try {
        const counts = await inbox.counts();
        assert.deepEqual({ pending: counts.pending, dead: counts.dead }, { pending: 0, dead: 0 });
      } finally {
        await inbox.close();
      }
    } finally {
      if (running) running.child.kill('SIGKILL');
      proxy.release();
      await proxy.close();
      await org.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
