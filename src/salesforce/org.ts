/**
 * Resolves which org a command talks to, the way `sf` does:
 *  - nothing configured, or `--target-org` naming it: the default org the caller injects (the
 *    CLI's, in src/cli); with none injected, an error that says what to configure;
 *  - SF_INSTANCE_URL + SF_ACCESS_TOKEN: that org directly — the scripting contract;
 *  - SF_CLIENT_ID + SF_JWT_KEY_FILE + SF_USERNAME (+ SF_LOGIN_URL): OAuth JWT bearer flow, for a
 *    server deployment;
 *  - anything else: an alias or username known to `sf org login`, through @salesforce/core.
 *
 * The Telephony Integration API needs its own settings (SCV_TELEPHONY_URL, SCV_CALL_CENTER_API_NAME,
 * SCV_PRIVATE_KEY_FILE); the injected default org may supply them for an org that publishes its own.
 */
import { readFileSync } from 'node:fs';
import { Connection } from 'jsforce';
import { readConfig, type Config } from '../config';
import { DEFAULT_API_VERSION, SalesforceClient } from './client';
import type { TelephonyConfig } from './telephony';

export interface OrgTarget {
  client: SalesforceClient;
  telephony: TelephonyConfig | null;
  /** How the org was chosen, for logs and `doctor` (never contains a secret). */
  label: string;
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
  /**
   * The package namespace ('' = none). Forces the connector's names instead of detecting them, and
   * a default org started by this process loads the package as installed with it.
   */
  namespace?: string;
  /** The org used when none is configured, or when `--target-org` names it: the caller's. */
  defaultOrg?: DefaultOrg;
}

/** An org the caller provides when none is configured (the CLI: its embedded stand-in). */
export interface DefaultOrg {
  /** The `--target-org` value that picks it. */
  name: string;
  resolve(options: ResolveOptions): Promise<OrgTarget>;
  /**
   * The Telephony API settings of an org given by URL and token (SF_INSTANCE_URL) when that org
   * publishes them itself; null when it does not. Asked only when no SCV_* setting is given.
   */
  telephonyAt?(instanceUrl: string, accessToken: string): Promise<TelephonyConfig | null>;
}

/** An org reached by URL and access token, as `connectOrg` turns it into a target. */
export interface OrgConnection {
  instanceUrl: string;
  accessToken: string;
  /** How the org was chosen, for logs and `doctor` (never contains a secret). */
  label: string;
  /** Known settings for the Telephony API; otherwise read from SCV_* or asked of `defaultOrg`. */
  telephony?: TelephonyConfig;
  close?: () => Promise<void>;
  /** A new access token after the org refused the current one. */
  renew?: () => Promise<string>;
}

export class OrgResolutionError extends Error {}

export const STATE_DIR = '.aircall-sfv';

function connectionFor(instanceUrl: string, accessToken: string, version: string): Connection {
  return new Connection({ instanceUrl, accessToken, version });
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

/** The target for an org reached by URL and token: its client, its Telephony API settings. */
export async function connectOrg(
  connection: OrgConnection,
  options: ResolveOptions,
): Promise<OrgTarget> {
  const { instanceUrl, accessToken, renew } = connection;
  const version = options.apiVersion ?? DEFAULT_API_VERSION;
  const client = new SalesforceClient(connectionFor(instanceUrl, accessToken, version), version);
  // Read before anything can fail quietly: a value the configuration refuses stops the command.
  const config = readConfig(TELEPHONY_SETTINGS, { env: options.env ?? process.env });
  const telephony =
    connection.telephony ??
    (await telephonyFromEnv(config, client).catch(() => null)) ??
    (await options.defaultOrg?.telephonyAt?.(instanceUrl, accessToken)) ??
    null;
  return {
    client,
    telephony,
    label: connection.label,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(renew
      ? {
          relogin: async () => {
            client.conn.accessToken = await renew();
          },
        }
      : {}),
    close: connection.close ?? (async () => {}),
  };
}

function fromInstance(
  instanceUrl: string,
  accessToken: string,
  label: string,
  options: ResolveOptions,
  close?: () => Promise<void>,
  renew?: () => Promise<string>,
): Promise<OrgTarget> {
  return connectOrg(
    {
      instanceUrl,
      accessToken,
      label,
      ...(close ? { close } : {}),
      ...(renew ? { renew } : {}),
    },
    options,
  );
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
      options,
      undefined,
      async () => {
        // A new JWT bearer token exchange.
        await conn.refreshAuth();
        return conn.accessToken ?? '';
      },
    );
  }

  const fallback = options.defaultOrg;
  if (fallback && (!target || target === fallback.name)) return fallback.resolve(options);
  if (!target) {
    throw new OrgResolutionError(
      'No org configured: set SF_INSTANCE_URL and SF_ACCESS_TOKEN, SF_CLIENT_ID + SF_JWT_KEY_FILE + SF_USERNAME, or --target-org ALIAS.',
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
    options,
    undefined,
    async () => {
      // The refresh token `sf org login` stored.
      await conn.refreshAuth();
      return conn.accessToken ?? '';
    },
  );
}
