/**
 * The embedded local org as the CLI injects it into org resolution (src/salesforce/org.ts knows
 * nothing of it): `--target-org local`, or no org configured, means the local org `npm start` runs
 * if it is up (its URL is kept in .aircall-sfv/local-org.json), otherwise a new one in this
 * process. The local org (dev/local-org) is loaded only when one is started here, so a command on a
 * real org never loads it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalOrg } from '../../dev/local-org';
import {
  connectOrg,
  STATE_DIR,
  type DefaultOrg,
  type OrgTarget,
  type ResolveOptions,
} from '../salesforce/org';
import type { TelephonyConfig } from '../salesforce/telephony';

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

/** The local org listens on loopback only; a real org never does. */
function isLoopback(instanceUrl: string): boolean {
  try {
    const host = new URL(instanceUrl).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
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

export interface EmbeddedOrgOptions {
  port?: number;
  /** The org's SQLite file; in memory when absent. */
  db?: string;
  /** Sample data loaded into an empty org; the package's sample data when absent. */
  seed?: string;
  searchLagMs?: number;
  /** The package namespace the org has the package installed under ('' = none). */
  namespace?: string;
}

/** Starts the embedded local org in this process (the one place the CLI loads it for `start`). */
export function startEmbeddedOrg(options: EmbeddedOrgOptions = {}): Promise<LocalOrg> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startLocalOrg } = require('../../dev/local-org') as typeof import('../../dev/local-org');
  const { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } =
    require('../../dev/local-org/paths') as typeof import('../../dev/local-org/paths');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    port: options.port ?? 0,
    dbFile: options.db,
    seedFile: options.seed ?? SAMPLE_SEED_FILE,
    searchIndexLagMs: options.searchLagMs ?? 0,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
}

/** The target for a local org started in this process: its settings are known, not asked for. */
export function localOrgTarget(
  org: LocalOrg,
  options: ResolveOptions,
  label = `local org at ${org.instanceUrl}`,
  close?: () => Promise<void>,
): Promise<OrgTarget> {
  return connectOrg(
    {
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      label,
      telephony: org.telephony,
      renew: () => Promise.resolve(org.accessToken),
      ...(close ? { close } : {}),
    },
    options,
  );
}

/**
 * The local org as the default org (`--target-org local`, or none configured), and the source of
 * the Telephony API settings of a local org given by SF_INSTANCE_URL (asked at loopback URLs only).
 */
export function localOrgResolver(embedded: EmbeddedOrgOptions = {}): DefaultOrg {
  return {
    name: 'local',
    async resolve(options) {
      const running = readLocalOrgState();
      if (running) {
        return connectOrg(
          {
            instanceUrl: running.instanceUrl,
            accessToken: running.accessToken,
            label: `local org at ${running.instanceUrl}`,
            renew: () => Promise.resolve(readLocalOrgState()?.accessToken ?? running.accessToken),
          },
          options,
        );
      }
      const org = await startEmbeddedOrg({
        ...embedded,
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      });
      return localOrgTarget(org, options, `embedded local org at ${org.instanceUrl}`, () =>
        org.close(),
      );
    },
    telephonyAt: (instanceUrl, accessToken) =>
      isLoopback(instanceUrl)
        ? discoverLocalTelephony(instanceUrl, accessToken)
        : Promise.resolve(null),
  };
}
