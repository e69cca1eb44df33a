/**
 * Resolves which org a command talks to, the way `sf` does:
 *  - `local` (or nothing configured): the embedded local org — the one `npm start` runs if it is
 *    up (its URL is kept in .aircall-sfv/local-org.json), otherwise a new one in this process;
 *  - SF_INSTANCE_URL + SF_ACCESS_TOKEN: that org directly (real or local) — the scripting contract;
 *  - SF_CLIENT_ID + SF_JWT_KEY_FILE + SF_USERNAME (+ SF_LOGIN_URL): OAuth JWT bearer flow, for a
 *    server deployment;
 *  - anything else: an alias or username known to `sf org login`, through @salesforce/core.
 *
 * The Telephony Integration API needs its own settings on a real org (SCV_TELEPHONY_URL,
 * SCV_CALL_CENTER_API_NAME, SCV_PRIVATE_KEY_FILE); the local org publishes them itself.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import { readConfig, type Config } from '../config';
import { DEFAULT_API_VERSION, SalesforceClient } from './client';
import type { TelephonyConfig } from './telephony';

export interface OrgTarget {
  client: SalesforceClient;
  telephony: TelephonyConfig | null;
  /** How the org was chosen, for logs and `doctor` (never contains a secret). */
  label: string;
  isLocal: boolean;
  /** The package namespace forced with --namespace / AIRCALL_SFV_NAMESPACE; undefined = detect it. */
  namespace?: string;
  /**
   * Gets a new session after the org said the current one is no longer valid, and puts it on
   * `client.conn`; absent when the login cannot be renewed (an access token given as such).
   */
  relogin?: () => Promise<void>;
  close(): Promise<void>;
}

export interface ResolveOptions {
  targetOrg?: string;
  env?: NodeJS.ProcessEnv;
  apiVersion?: string;
  /** For a local org started by this process. */
  localDb?: string;
  localSeed?: string;
  localSearchLagMs?: number;
  /**
   * The package namespace ('' = none). Forces the connector's names instead of detecting them, and
   * a local org started by this process loads the package as installed with it.
   */
  namespace?: string;
}

export class OrgResolutionError extends Error {}

export const STATE_DIR = '.aircall-sfv';
/** The package's own metadata: the local org reads its schema from it, wherever the CLI runs. */
export const PACKAGE_METADATA_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  'force-app',
  'main',
  'default',
);
export const SAMPLE_SEED_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'dev',
  'local-org',
  'seed',
  'sample.json',
);
const LOCAL_STATE_FILE = path.join(STATE_DIR, 'local-org.json');

interface LocalState {
  instanceUrl: string;
  accessToken: string;
  pid: number;
}

export function writeLocalOrgState(state: LocalState): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(LOCAL_STATE_FILE, JSON.stringify(state), { mode: 0o600 });
}

export function clearLocalOrgState(pid: number): void {
  try {
    const state = JSON.parse(readFileSync(LOCAL_STATE_FILE, 'utf8')) as LocalState;
    if (state.pid === pid) rmSync(LOCAL_STATE_FILE);
  } catch {
    // nothing to clear
  }
}

function readLocalOrgState(): LocalState | null {
  if (!existsSync(LOCAL_STATE_FILE)) return null;
  try {
    const state = JSON.parse(readFileSync(LOCAL_STATE_FILE, 'utf8')) as LocalState;
    process.kill(state.pid, 0); // throws when that process is gone
    return state;
  } catch {
    return null;
  }
}

function connectionFor(instanceUrl: string, accessToken: string, version: string): Connection {
  return new Connection({ instanceUrl, accessToken, version });
}

/** The local org publishes its contact-center settings at a local-only endpoint. */
async function discoverLocalTelephony(
  instanceUrl: string,
  accessToken: string,
): Promise<TelephonyConfig | null> {
  try {
    const response = await fetch(`${instanceUrl}/local/contact-center`, {
      headers: { Authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as {
      telephonyBaseUrl: string;
      callCenterApiName: string;
      orgId: string;
      privateKeyPem: string;
    };
    return {
      baseUrl: body.telephonyBaseUrl,
      callCenterApiName: body.callCenterApiName,
      orgId: body.orgId,
      privateKeyPem: body.privateKeyPem,
    };
  } catch {
    return null;
  }
}

const TELEPHONY_SETTINGS = [
  'scvTelephonyUrl',
  'scvCallCenterApiName',
  'scvPrivateKeyFile',
  'scvOrgId',
  'scvProviderName',
] as const;

async function telephonyFromEnv(
  config: Config<(typeof TELEPHONY_SETTINGS)[number]>,
  client: SalesforceClient,
): Promise<TelephonyConfig | null> {
  const baseUrl = config.scvTelephonyUrl;
  const callCenterApiName = config.scvCallCenterApiName;
  const keyFile = config.scvPrivateKeyFile;
  if (!baseUrl || !callCenterApiName || !keyFile) return null;
  const [org] = await client.query<{ Id: string }>('SELECT Id FROM Organization LIMIT 1');
  if (!org)
    throw new OrgResolutionError(
      'Could not read the org id (SELECT Id FROM Organization returned nothing).',
    );
  return {
    baseUrl,
    callCenterApiName,
    orgId: config.scvOrgId ?? org.Id,
    privateKeyPem: readFileSync(keyFile, 'utf8'),
    providerName: config.scvProviderName,
  };
}

async function fromInstance(
  instanceUrl: string,
  accessToken: string,
  label: string,
  isLocal: boolean,
  options: ResolveOptions,
  close: () => Promise<void> = async () => {},
  renew?: () => Promise<string>,
): Promise<OrgTarget> {
  const version = options.apiVersion ?? DEFAULT_API_VERSION;
  const client = new SalesforceClient(connectionFor(instanceUrl, accessToken, version), version);
  // Read before anything can fail quietly: a value the configuration refuses stops the command.
  const config = readConfig(TELEPHONY_SETTINGS, { env: options.env ?? process.env });
  const telephony =
    (await telephonyFromEnv(config, client).catch(() => null)) ??
    (await discoverLocalTelephony(instanceUrl, accessToken));
  return {
    client,
    telephony,
    label,
    isLocal: isLocal || telephony?.baseUrl.startsWith(instanceUrl) === true,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(renew
      ? {
          relogin: async () => {
            client.conn.accessToken = await renew();
          },
        }
      : {}),
    close,
  };
}

/**
 * Starts the embedded local org in this process. It is loaded only here, when a command targets it
 * (the one import of the local org outside the CLI, bench and tests; see eslint.config.js), so a
 * connector on a real org never loads it.
 */
export async function startEmbeddedOrg(options: ResolveOptions & { port?: number }) {
  // Lazy: only commands that target the local org load it (require, not import(): the CLI
  // registers tsx's CommonJS hook only).
  // eslint-disable-next-line @typescript-eslint/no-require-imports, no-restricted-syntax
  const { startLocalOrg } = require('../../dev/local-org') as typeof import('../../dev/local-org');
  return startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    port: options.port ?? 0,
    dbFile: options.localDb,
    seedFile: options.localSeed ?? SAMPLE_SEED_FILE,
    searchIndexLagMs: options.localSearchLagMs ?? 0,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
}

export async function resolveOrg(options: ResolveOptions = {}): Promise<OrgTarget> {
  const env = readConfig(
    ['sfInstanceUrl', 'sfAccessToken', 'sfClientId', 'sfJwtKeyFile', 'sfUsername', 'sfLoginUrl'],
    { env: options.env ?? process.env },
  );
  const target = options.targetOrg;

  if (!target && env.sfInstanceUrl && env.sfAccessToken) {
    return fromInstance(
      env.sfInstanceUrl,
      env.sfAccessToken,
      `org at ${env.sfInstanceUrl}`,
      false,
      options,
    );
  }

  if (!target && env.sfClientId && env.sfJwtKeyFile && env.sfUsername) {
    const { AuthInfo, Connection: CoreConnection } = await import('@salesforce/core');
    const authInfo = await AuthInfo.create({
      username: env.sfUsername,
      oauth2Options: {
        clientId: env.sfClientId,
        privateKeyFile: env.sfJwtKeyFile,
        loginUrl: env.sfLoginUrl,
      },
    });
    const conn = await CoreConnection.create({ authInfo });
    return fromInstance(
      conn.instanceUrl,
      conn.accessToken ?? '',
      `${env.sfUsername} (JWT)`,
      false,
      options,
      undefined,
      async () => {
        // A new JWT bearer token exchange.
        await conn.refreshAuth();
        return conn.accessToken ?? '';
      },
    );
  }

  if (!target || target === 'local') {
    const running = readLocalOrgState();
    if (running) {
      return fromInstance(
        running.instanceUrl,
        running.accessToken,
        `local org at ${running.instanceUrl}`,
        true,
        options,
        undefined,
        () => Promise.resolve(readLocalOrgState()?.accessToken ?? running.accessToken),
      );
    }
    const org = await startEmbeddedOrg(options);
    return fromInstance(
      org.instanceUrl,
      org.accessToken,
      `embedded local org at ${org.instanceUrl}`,
      true,
      options,
      () => org.close(),
      () => Promise.resolve(org.accessToken),
    );
  }

  const { Org } = await import('@salesforce/core');
  let org;
  try {
    org = await Org.create({ aliasOrUsername: target });
  } catch (error) {
    throw new OrgResolutionError(
      `No org named "${target}" is known to sf. Log in with \`sf org login web --alias ${target}\`, ` +
        `or set SF_INSTANCE_URL and SF_ACCESS_TOKEN. (${(error as Error).message})`,
    );
  }
  const conn = org.getConnection();
  await conn.refreshAuth().catch(() => undefined);
  return fromInstance(
    conn.instanceUrl,
    conn.accessToken ?? '',
    `${org.getUsername() ?? target}`,
    false,
    options,
    undefined,
    async () => {
      // The refresh token `sf org login` stored.
      await conn.refreshAuth();
      return conn.accessToken ?? '';
    },
  );
}
