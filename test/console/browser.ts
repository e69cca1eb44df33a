/**
 * What the console's smaller browser tests share: Debian's Chromium driven by playwright-core (the
 * test is skipped without it, except in CI, where it fails), the console served on a local org,
 * and that org's REST API for the records a test needs. console.test.ts starts the whole stack
 * (`aircall-sfv start`) instead.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Page } from 'playwright-core';
import { openConsole, type OpenedConsole } from '../../dev/console/server';
import type { LocalOrg } from '../../dev/local-org';
import { rest } from '../local-org/helpers';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Safety net only: the tests' waits are for conditions. */
export const LONG = 10 * 60_000;
export const OUT = path.resolve(__dirname, '..', '..', 'test-output', 'console');

const inCi = process.env.CI === 'true' || process.env.CI === '1';
/** The `skip` of a browser test's describe: a message without Chromium (outside CI), else false. */
export const browserSkip: string | false =
  !existsSync(CHROMIUM) && !inCi
    ? `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" to run the console's browser tests.`
    : false;

/** A call of the org's REST API (`/services/data/vXX.X` + `resource`); a non-2xx answer fails. */
export type OrgRest = <T>(method: string, resource: string, body?: unknown) => Promise<T>;

export function orgRest(org: LocalOrg): OrgRest {
  return async <T>(method: string, resource: string, body?: unknown): Promise<T> => {
    const answer = await rest(org, method, resource, body);
    assert.ok(
      answer.status >= 200 && answer.status < 300,
      `${method} ${resource}: ${answer.status} ${JSON.stringify(answer.body)}`,
    );
    return answer.body as T;
  };
}

export interface ConsoleInBrowser {
  console: OpenedConsole;
  page: Page;
  /** The errors the page raised (a test ends by asserting there were none). */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Serves the console on `org` (no streaming: pages read on load) and opens it in Chromium. */
export async function consoleInBrowser(org: LocalOrg): Promise<ConsoleInBrowser> {
  const opened = await openConsole({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    apiVersion: org.apiVersion,
    stream: { subscribe: () => Promise.resolve({ unsubscribe: () => undefined }) },
    logger: pino({ level: 'silent' }),
    port: 0,
  });
  assert.ok(await opened.ready, 'the console built its components');
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'aircall-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    console: opened,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      await opened.close();
    },
  };
}
