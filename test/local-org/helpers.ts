import { Connection } from 'jsforce';
import pino from 'pino';
import { StreamingSubscriber } from '../../src/salesforce/streaming';
import { join } from 'node:path';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../dev/local-org';

export const METADATA_DIR = join(__dirname, '..', '..', 'force-app', 'main', 'default');
export const SEED_FILE = join(__dirname, '..', '..', 'dev', 'local-org', 'seed', 'sample.json');
export const API = '66.0';

export async function openOrg(
  opts: LocalOrgOptions = {},
): Promise<{ org: LocalOrg; conn: Connection }> {
  const org = await startLocalOrg({ metadataDir: METADATA_DIR, ...opts });
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: API,
  });
  return { org, conn };
}

/** A raw REST call, for status codes and headers jsforce hides. */
export async function rest(
  org: LocalOrg,
  method: string,
  path: string,
  body?: unknown,
  token = org.accessToken,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(
    `${org.instanceUrl}${path.startsWith('/services') || path.startsWith('/local') || path.startsWith('/telephony') ? '' : `/services/data/v${API}`}${path}`,
    {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : undefined,
    headers: res.headers,
  };
}

/** Runs `fn` and returns the jsforce error it throws (fails the test when it does not throw). */
export async function errorOf(
  fn: () => Promise<unknown>,
): Promise<{ errorCode: string; message: string; data?: unknown }> {
  try {
    await fn();
  } catch (e) {
    return e as { errorCode: string; message: string };
  }
  throw new Error('expected the call to fail');
}

/**
 * The connector's streaming client (jsforce's CometD client) on a local org connection; after a
 * refusal it would try again only after `retryMs` (long by default here, so a test sees the refusal).
 */
export function streamingSubscriber(conn: Connection, retryMs = 60_000): StreamingSubscriber {
  return new StreamingSubscriber(conn, pino({ level: 'silent' }), { retryMs });
}
