/**
 * How long `npm start` takes, in a given project folder, until a call is visible in the console.
 * The "first call in the console" figures of docs/PERFORMANCE.md come from this script, run against a fresh
 * clone right after `time npm install`:
 *
 *   git clone <repo> /tmp/fresh && cd /tmp/fresh && time npm install
 *   node --import tsx <this repo>/scripts/measure-first-call.ts --dir /tmp/fresh
 *   (or, from the fresh clone itself: npm run measure:first-call)
 *
 * It starts `npm start -- --port 0` (any free webhook port, so a running instance does not get in
 * the way) as a user would, reads the console's URL from what it prints, then asks the console
 * every 250 ms for the latest call the way the console page does (its GraphQL API, the query of
 * the plain list the page shows while the components build). It prints, in seconds after
 * `npm start`: when the console's URL was printed, when the first call was visible, and (unless
 * --no-components) when the components were ready (the "console ready" line), then stops the
 * process group it started.
 *
 * Options: --dir DIR (default: this repository), --timeout SECONDS (default 600),
 * --no-components (stop at the first call).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const FIRST_CALL_QUERY =
  'query { uiapi { query { Aircall_Voice__c(first: 1, orderBy: { Started_At__c: { order: DESC } }) { edges { node { Id Name { value } Call_Type__c { value } Status__c { value } } } } } } }';

interface Figures {
  consoleUrl?: number;
  firstCall?: number;
  components?: number;
  componentsCached?: boolean;
  callName?: string;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

async function firstCall(consoleUrl: string): Promise<string | null> {
  try {
    const res = await fetch(`${consoleUrl}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FIRST_CALL_QUERY }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as {
      data?: {
        uiapi: { query: { Aircall_Voice__c: { edges: { node: { Name: { value: string } } }[] } } };
      };
    };
    const edge = body.data?.uiapi.query.Aircall_Voice__c.edges[0];
    return edge ? edge.node.Name.value : null;
  } catch {
    return null; // not up yet
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      timeout: { type: 'string' },
      'no-components': { type: 'boolean' },
    },
  });
  const dir = resolve(values.dir ?? resolve(__dirname, '..'));
  const timeoutMs = Number(values.timeout ?? 600) * 1000;
  const waitComponents = !values['no-components'];

  const started = performance.now();
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10;
  const child = spawn('npm', ['start', '--', '--port', '0'], {
    cwd: dir,
    detached: true, // its own process group, stopped as a whole at the end
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const figures: Figures = {};
  let consoleUrl: string | null = null;
  let output = '';
  const status: { exited: number | null } = { exited: null };
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString('utf8').replace(ANSI, '');
    output += text;
    for (const line of text.split('\n')) {
      const url = /Console:\s+(http:\/\/\S+)/.exec(line);
      if (url && !consoleUrl) {
        consoleUrl = url[1]!;
        figures.consoleUrl = seconds();
        console.log(`${figures.consoleUrl.toFixed(1)} s  console URL printed: ${consoleUrl}`);
      }
      if (/console ready at/.test(line) && figures.components === undefined) {
        figures.components = seconds();
        figures.componentsCached = /from the cache/.test(line);
        console.log(
          `${figures.components.toFixed(1)} s  components ready (${figures.componentsCached ? 'from the cache' : 'built'})`,
        );
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code) => (status.exited = code ?? -1));

  const stop = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });

  try {
    for (;;) {
      if (status.exited !== null) {
        console.error(`npm start exited (${status.exited}) before a call was visible:\n${output}`);
        return 1;
      }
      if (performance.now() - started > timeoutMs) {
        console.error(`No call visible after ${timeoutMs / 1000} s:\n${output.slice(-4000)}`);
        return 1;
      }
      if (consoleUrl && figures.firstCall === undefined) {
        const name = await firstCall(consoleUrl);
        if (name) {
          figures.firstCall = seconds();
          figures.callName = name;
          console.log(
            `${figures.firstCall.toFixed(1)} s  first call visible in the console (${name})`,
          );
        }
      }
      if (figures.firstCall !== undefined && (!waitComponents || figures.components !== undefined))
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    stop();
  }
  console.log(JSON.stringify({ dir, ...figures }));
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
