/**
 * Test harness: the embedded local org (a real HTTP server speaking the Salesforce REST and
 * Telephony shapes) plus a connector wired to it exactly as `aircall-sfv start` wires it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  startConnector,
  type Connector,
  type ConnectorOptions,
} from '../../src/connector/connector';
import { ingest, type IngestResult } from '../../src/connector/ingest';
import { REDACT_PATHS } from '../../src/cli/log';
import { drainUntilDone } from '../../src/cli/drain';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../dev/local-org/server';
import { deployPermissionSets } from '../local-org/deploy-helpers';
import { resolveOrg, type OrgTarget } from '../../src/salesforce/org';
import { localOrgResolver } from '../../src/cli/local-org-resolver';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { isPostgresUrl } from '../../src/inbox/open';
import { testInbox, type InboxBackend } from '../inbox/database';

export const TOKEN = 'test-webhook-token-1';
export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'aircall');

export function fixture(name: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >[];
}

/** The events of a fixture call, as another call (`id`) with some fields of `data` replaced. */
export function fixtureCall(
  name: string,
  id: number,
  patch: Record<string, unknown>,
): { data: Record<string, unknown> }[] {
  return fixture(name).map((e) => {
    const copy = structuredClone(e) as unknown as { data: Record<string, unknown> };
    copy.data = { ...copy.data, id, ...patch };
    return copy;
  });
}

export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    callback();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface Harness {
  local: LocalOrg;
  org: OrgTarget;
  connector: Connector;
  logs: LogCapture;
  send(events: readonly unknown[]): Promise<IngestResult[]>;
  drain(deadlineMs?: number): Promise<{ timedOut: boolean }>;
  /** Closes the connector, runs `whileStopped` (the connector is down meanwhile), starts it again. */
  restart(whileStopped?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

type HarnessOptions = {
  org?: LocalOrgOptions;
  connector?: Partial<ConnectorOptions>;
  /** A SQLite file, or a PostgreSQL URL (the test owns it); default: a throwaway inbox. */
  inboxFile?: string;
  /** PostgreSQL: a fresh schema of the test server unless `inboxFile` is a URL already. */
  backend?: InboxBackend;
  /**
   * Log in again after the org ends the session, as a JWT or `sf` login would (the new session
   * is the local org's current access token); without it, the session given cannot be renewed.
   */
  relogin?: boolean;
  /**
   * The package installed under this namespace in the local org (`aircallsfv`); the connector
   * detects it at start, as against a subscriber org. Default: none (a developer deploy).
   */
  namespace?: string;
  /**
   * The connector runs as an integration user with the "Minimum Access - API Only Integrations"
   * profile and only the Aircall_Integration permission set (deployed and assigned first), as
   * the README sets it up: what the permission set does not grant, the org refuses.
   */
  integrationUser?: boolean;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const local = await startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.integrationUser
      ? { userProfile: 'Minimum Access - API Only Integrations' as const }
      : {}),
    ...options.org,
    // The admin's setup (deploy, assignment) happens before any injected fault.
    ...(options.integrationUser ? { faults: {} } : {}),
  });
  if (options.integrationUser) {
    await deployPermissionSets(local, ['Aircall_Integration']);
    if (options.org?.faults) local.setFaults(options.org.faults);
  }
  const h = await connectHarness(local, options);
  const closeConnector = h.close.bind(h);
  return Object.assign(h, {
    local,
    async close() {
      await closeConnector();
      await local.close();
    },
  });
}

/**
 * The connector of a harness wired to an org that is already there (`instanceUrl`, `accessToken`
 * of its session): the local org a test started, or one the package was deployed to by someone
 * else (the scratch-org CI's local mode). Closing it leaves the org running.
 */
export async function connectHarness(
  target: { instanceUrl: string; accessToken: string },
  options: Omit<HarnessOptions, 'org' | 'namespace' | 'integrationUser'> = {},
): Promise<Omit<Harness, 'local'>> {
  const own =
    options.backend === 'PostgreSQL' && !isPostgresUrl(options.inboxFile ?? '')
      ? await testInbox('PostgreSQL')
      : null;
  const inboxFile = own?.location ?? options.inboxFile ?? ':memory:';
  const org = await resolveOrg({
    env: { SF_INSTANCE_URL: target.instanceUrl, SF_ACCESS_TOKEN: target.accessToken },
    // The local org's Telephony API settings, which it publishes itself.
    defaultOrg: localOrgResolver(),
  });
  if (options.relogin) {
    org.relogin = () => {
      org.client.conn.accessToken = target.accessToken;
      return Promise.resolve();
    };
  }
  const logs = new LogCapture();
  const logger = pino(
    { level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    logs,
  );
  const make = () =>
    startConnector({
      org,
      logger,
      inboxFile,
      tokens: [TOKEN],
      listen: false,
      runWorker: false,
      ...options.connector,
      worker: {
        backoffBaseMs: 20,
        backoffMaxMs: 200,
        windowMs: 0,
        linkDelayMs: 0,
        linkRetryMs: 20,
        linkSweepEveryMs: 0,
        ...options.connector?.worker,
      },
    });
  const harness: Omit<Harness, 'local'> = {
    org,
    connector: await make(),
    logs,
    async send(events) {
      const results: IngestResult[] = [];
      for (const e of events) {
        results.push(
          await ingest(e, {
            inbox: harness.connector.inbox,
            tokens: [TOKEN],
            metrics: harness.connector.metrics,
          }),
        );
      }
      return results;
    },
    drain(deadlineMs = 20_000) {
      return drainUntilDone(harness.connector, { deadlineMs });
    },
    async restart(whileStopped) {
      await harness.connector.close();
      await whileStopped?.();
      harness.connector = await make();
    },
    async close() {
      await harness.connector.close();
      await org.close();
      await own?.drop();
    },
  };
  return harness;
}

/**
 * The two ways the package lives in an org, for suites that run in both: deployed from source
 * (no namespace) and installed as the managed package (`aircallsfv`).
 */
export const PACKAGE_MODES = [
  { label: 'unprefixed deploy', namespace: '' },
  { label: 'managed package (aircallsfv)', namespace: 'aircallsfv' },
] as const;

/** Fisher–Yates with a seeded PRNG, so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
