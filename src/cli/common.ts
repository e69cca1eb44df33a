/** Helpers shared by the CLI commands. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { str } from './flags';
import { readConfig } from '../config';
import { createLogger } from './log';
import { startConnector } from '../connector/connector';
import { DRAIN_WORKER_OPTIONS } from './drain';
import { STATE_DIR, resolveOrg, type OrgTarget, type ResolveOptions } from '../salesforce/org';
import { localOrgResolver } from './local-org-resolver';

export interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  args: string[];
  io: Io;
}

export type Command = (ctx: CommandContext) => Promise<number>;

export function resolveOptions(values: Record<string, unknown>, io: Io): ResolveOptions {
  const { namespace } = readConfig(['namespace'], { env: io.env, flags: values });
  return {
    targetOrg: str(values, 'target-org'),
    env: io.env,
    ...(namespace !== undefined ? { namespace } : {}),
    // No org configured, or `--target-org local`: the embedded local org.
    defaultOrg: localOrgResolver(),
  };
}

export async function openOrg(values: Record<string, unknown>, io: Io): Promise<OrgTarget> {
  return resolveOrg(resolveOptions(values, io));
}

/**
 * Inbox: --inbox (a SQLite file or a postgres:// URL), else DATABASE_URL (a PostgreSQL inbox shared
 * by several connector processes), else one SQLite file per org under .aircall-sfv/, so sync states
 * never mix orgs.
 */
export function inboxPath(
  values: Record<string, unknown>,
  org: OrgTarget,
  env: Record<string, string | undefined> = process.env,
): string {
  const explicit = readConfig(['inbox'], { env, flags: values }).inbox;
  if (explicit) return explicit;
  mkdirSync(STATE_DIR, { recursive: true });
  const key = createHash('sha256').update(org.client.instanceUrl).digest('hex').slice(0, 12);
  return path.join(STATE_DIR, `inbox-${key}.db`);
}

export function commandLogger(values: Record<string, unknown>, io: Io): Logger {
  return createLogger({
    human: io.err.isTTY === true,
    level: readConfig(['logLevel'], { env: io.env }).logLevel ?? (values.json ? 'warn' : 'info'),
  });
}

/**
 * The connector as the draining commands (replay, dead-letters, backfill) use it: no HTTP server,
 * no background loop, the org's own inbox; `close()` closes both.
 */
export async function openDrainingConnector(
  values: Record<string, unknown>,
  io: Io,
  tokens: readonly string[],
) {
  const logger = commandLogger(values, io);
  const org = await openOrg(values, io);
  const connector = await startConnector({
    org,
    logger,
    inboxFile: inboxPath(values, org, io.env),
    tokens,
    listen: false,
    runWorker: false,
    worker: DRAIN_WORKER_OPTIONS,
  });
  const close = async () => {
    await connector.close();
    await org.close();
  };
  return { org, connector, logger, close };
}

export function printJson(io: Io, value: unknown): void {
  io.out.write(`${JSON.stringify(value)}\n`);
}
