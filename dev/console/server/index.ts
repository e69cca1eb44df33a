/**
 * `npm start`'s console: serves the package's components in a browser against the org the
 * connector writes to. The HTTP server answers at once; the component bundle builds in the
 * background (or comes from the cache) and the page waits for it.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { cachedBundle, type Bundle } from './bundle';
import { startConsole, type ConsoleServer, type StreamSource } from './server';

export { buildBundle, cachedBundle } from './bundle';
export { startConsole, type ConsoleServer, type StreamSource } from './server';

export const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..');

export interface OpenConsoleOptions {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  stream: StreamSource;
  logger: Logger;
  port?: number;
  host?: string;
  orgLabel?: string;
  /** The package's namespace in the org ('' = none), as the connector found it. */
  namespace?: string;
}

export interface OpenedConsole extends ConsoleServer {
  /** The bundle: how long it took and whether it came from the cache; null when it failed (logged). */
  ready: Promise<{ ms: number; cached: boolean } | null>;
}

/**
 * The bundle for the current sources: from the cache, or built by a child process at a lower CPU
 * priority — compiling takes the CPU for many seconds, and in this process it would stall the
 * connector's webhooks and the local org meanwhile.
 */
async function bundleForConsole(namespace: string, signal: AbortSignal): Promise<Bundle> {
  const cached = cachedBundle({ projectDir: PROJECT_DIR, namespace });
  if (cached) return cached;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PROJECT_DIR, 'scripts', 'console-build.ts'),
      '--if-missing',
      ...(namespace ? ['--namespace', namespace] : []),
    ],
    // Closing the console (the connector stopping) stops the build too: it can run for minutes on
    // a first start, and must not outlive the process that started it.
    { cwd: PROJECT_DIR, stdio: ['ignore', 'pipe', 'pipe'], signal },
  );
  // The abort is reported by `ready` as a stop, not as a failed build.
  child.on('error', () => undefined);
  try {
    if (child.pid) setPriority(child.pid, 10);
  } catch {
    // Not allowed here: it builds at normal priority.
  }
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const built = cachedBundle({ projectDir: PROJECT_DIR, namespace });
  if (code !== 0 || !built) {
    throw new Error(output.trim() || `the console build exited with ${code}`);
  }
  return { ...built, cached: false, ms: performance.now() - started };
}

export async function openConsole(options: OpenConsoleOptions): Promise<OpenedConsole> {
  const building = new AbortController();
  const bundle = bundleForConsole(options.namespace ?? '', building.signal);
  const bundleDir = bundle.then((b) => b.dir);
  // A failed build is reported by `ready` below and by the page; it must not crash the connector.
  bundleDir.catch(() => undefined);
  const server = await startConsole({
    session: {
      instanceUrl: options.instanceUrl,
      accessToken: options.accessToken,
      apiVersion: options.apiVersion,
    },
    stream: options.stream,
    bundleDir,
    projectDir: PROJECT_DIR,
    port: options.port,
    host: options.host,
    orgLabel: options.orgLabel,
    namespace: options.namespace ?? '',
  });
  const ready = bundle.then(
    (b) => {
      options.logger.info(
        { ms: Math.round(b.ms), cached: b.cached, hash: b.hash },
        b.cached
          ? 'Console components loaded from the cache.'
          : `Console components built in ${(b.ms / 1000).toFixed(1)} s.`,
      );
      return { ms: b.ms, cached: b.cached };
    },
    (error: unknown) => {
      if (building.signal.aborted) return null;
      options.logger.error(
        { err: error },
        `The console's components could not be built; the connector goes on without them: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    },
  );
  return {
    ...server,
    ready,
    close: async () => {
      building.abort();
      await server.close();
    },
  };
}
