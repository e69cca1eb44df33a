/**
 * A throwaway PostgreSQL server for tests and benchmarks, from the machine's own PostgreSQL
 * binaries (Debian's `postgresql` package: `.ci/run` installs it when missing).
 *
 * `startPostgres()` runs initdb in a fresh temporary folder and starts `postgres` on a free
 * loopback port; `stop()` shuts it down and removes the folder. initdb and postgres refuse to run as
 * root, so as root (CI) the folder is given to the `postgres` user the package creates and the
 * server runs as that user.
 *
 * As a command it runs another command with the server's URL in an environment variable, so a
 * whole test run shares one server:
 *
 *   node --import tsx scripts/postgres.ts [--env NAME] [--durable] -- COMMAND ARGS...
 *
 * When no PostgreSQL binaries are found the command still runs, without the variable (and the
 * PostgreSQL tests say `skipped:` with the reason, or fail under CI=true).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** The folder holding initdb and postgres, or a sentence saying why there is none. */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) {
    candidates.push(path.dirname(which.stdout.trim()));
  }
  for (const dir of candidates) {
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) {
      return { bin: dir };
    }
  }
  return {
    missing:
      'no PostgreSQL server binaries (initdb, postgres) on this machine; install Debian\'s "postgresql" ' +
      'package (apt-get install postgresql, as .ci/run does) or set DATABASE_URL to a server',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb and postgres refuse root: run them as the `postgres` user the Debian package creates. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      'Running as root, and there is no "postgres" user to run the PostgreSQL server as (initdb refuses root). ' +
        'Install Debian\'s "postgresql" package, which creates it.',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface StartOptions {
  /**
   * Keep fsync and synchronous commit on, as a production server (benchmarks). Tests turn them off:
   * the server is thrown away, and crash safety of the server itself is not what they test.
   */
  durable?: boolean;
  /** Deadline for the server to accept connections (it is waited for, not timed). */
  readyWithinMs?: number;
  /**
   * Let this process exit while the server runs (a test file's own server): the server is then
   * stopped (SIGQUIT) and its folder removed when the process exits.
   */
  unref?: boolean;
}

export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
  const found = findPostgresBin();
  if ('missing' in found) throw new Error(`Cannot start PostgreSQL: ${found.missing}.`);
  const user = runAs();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aircall-pg-'));
  chmodSync(dataDir, 0o700);
  if (user) chownSync(dataDir, user.uid, user.gid);
  const initdb = spawnSync(
    path.join(found.bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '-N'],
    { encoding: 'utf8', ...(user ?? {}), cwd: dataDir },
  );
  if (initdb.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed (${initdb.status}): ${initdb.stderr || initdb.stdout}`);
  }
  const port = await freePort();
  const settings = [
    `listen_addresses=127.0.0.1`,
    `port=${port}`,
    `unix_socket_directories=${dataDir}`,
    'max_connections=200',
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const child: ChildProcess = spawn(
    path.join(found.bin, 'postgres'),
    ['-D', dataDir, ...settings.flatMap((s) => ['-c', s])],
    { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}), cwd: dataDir },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  // A test process that ends without stop() still takes its server with it.
  const onExit = () => {
    if (!exited) child.kill('SIGQUIT');
    if (options.unref) rmSync(dataDir, { recursive: true, force: true });
  };
  if (options.unref) {
    child.unref();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }
  process.on('exit', onExit);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + (options.readyWithinMs ?? 60_000);
  for (;;) {
    if (exited) {
      process.off('exit', onExit);
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`PostgreSQL exited while starting: ${log}`);
    }
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill('SIGQUIT');
        process.off('exit', onExit);
        throw new Error(`PostgreSQL did not accept connections in time: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    port,
    dataDir,
    async stop() {
      process.off('exit', onExit);
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, closes sessions
        await gone;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const split = argv.indexOf('--');
  const own = split < 0 ? [] : argv.slice(0, split);
  const command = split < 0 ? argv : argv.slice(split + 1);
  if (command.length === 0) {
    process.stderr.write(
      'usage: node --import tsx scripts/postgres.ts [--env NAME] [--durable] -- COMMAND ARGS...\n',
    );
    return 2;
  }
  const envIndex = own.indexOf('--env');
  const envName = envIndex >= 0 ? (own[envIndex + 1] ?? 'DATABASE_URL') : 'DATABASE_URL';
  let server: PostgresServer | null = null;
  const env = { ...process.env };
  if (process.env.DATABASE_URL) {
    // The developer's own server is used as it is (see test/postgres.ts).
  } else if ('missing' in findPostgresBin()) {
    process.stderr.write(
      `scripts/postgres.ts: ${(findPostgresBin() as { missing: string }).missing}\n`,
    );
  } else {
    server = await startPostgres({ durable: own.includes('--durable') });
    env[envName] = server.url;
  }
  const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
  );
  await server?.stop();
  return code;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** The user the server runs as, for messages. */
export function serverUser(): string {
  return process.getuid?.() === 0 ? 'postgres' : userInfo().username;
}
