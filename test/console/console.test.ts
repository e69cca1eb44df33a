/**
 * The console in a real browser: `aircall-sfv start` (local org, connector, simulator, console)
 * driven by Debian's Chromium through playwright-core. It waits for a simulated call to show live on
 * its record page and end there, checks the recording player of a recorded call, changes a setting
 * in the Settings panel and sees the next unknown caller follow it, and saves a screenshot of each
 * page under test-output/console/.
 *
 * Every page is shot at 320 px (a phone, the narrowest utility panel), 400 px (a sidebar or
 * utility bar) and 1280 px (a record page) in each state a person meets — an answered, a missed and
 * a voicemail call, a call with long content (many tags, long names, URLs in comments), the related
 * calls of a Contact, the settings clean and with unsaved changes, the grid of kinds of call and
 * the Case settings with an error on a field, the status mapper switched to Custom (from the
 * default rules) and with warnings, the utility bar item during a call, the dashboard with an
 * agent whose name does not break — and the test fails when any of them scrolls sideways
 * (CONSOLE_TEST_WIDTHS and CONSOLE_FAIL_ON_OVERFLOW=false change that for a local run).
 *
 * Chromium comes from Debian (`apt-get install -y chromium`, done by .ci/run). Without it the test
 * is skipped with a message, except in CI (CI=true), where it fails.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'aircall-sfv.cjs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-output', 'console');
const WIDTHS = (process.env.CONSOLE_TEST_WIDTHS ?? '320,400,1280').split(',').map(Number);
/** Every component fits from 320 px up: a page wider than the window fails the test. */
const FAIL_ON_OVERFLOW = process.env.CONSOLE_FAIL_ON_OVERFLOW !== 'false';
/** Safety nets only: every wait below is for a condition, these just stop a hung run. */
const LONG = 10 * 60_000;

const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const skip =
  !haveChromium && !inCi
    ? `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does) to run the console's browser test.`
    : false;

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Stack {
  child: ChildProcess;
  url: string;
  lines: string[];
  /** The local org's REST API, for the records a state needs (`Local org:` line of start). */
  org: { instanceUrl: string; accessToken: string };
}

/** Starts `aircall-sfv start` and resolves once the console has its components. */
async function startStack(): Promise<Stack> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'aircall-console-'));
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--port', '0', '--console-port', '0', '--calls-per-minute', '30'],
    { cwd, env: { ...process.env, AIRCALL_WEBHOOK_TOKENS: '' } },
  );
  child.once('exit', () => rmSync(cwd, { recursive: true, force: true }));
  const lines: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let consoleUrl = '';
    let org = { instanceUrl: '', accessToken: '' };
    child.once('exit', (code) =>
      reject(
        new Error(`start exited (${code}) before the console was ready:\n${lines.join('\n')}`),
      ),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const m = /^ {2}Console: +(http:\/\/\S+)/.exec(line);
      if (m?.[1]) consoleUrl = m[1];
      const o = /SF_INSTANCE_URL=(\S+) SF_ACCESS_TOKEN=(\S+)/.exec(line);
      if (o?.[1] && o[2]) org = { instanceUrl: o[1], accessToken: o[2] };
      if (/console ready at/.test(line) && consoleUrl)
        resolve(`${consoleUrl} ${JSON.stringify(org)}`);
    });
  });
  const [consoleUrl = '', orgJson = '{}'] = url.split(' ');
  return { child, url: consoleUrl, lines, org: JSON.parse(orgJson) as Stack['org'] };
}

/** A REST call to the local org, as any API client would make it. */
async function rest<T>(stack: Stack, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.org.instanceUrl}/services/data/v66.0${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.org.accessToken}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A GraphQL query through the console's own API (what the components' adapter sends). */
async function graphql<T>(stack: Stack, query: string): Promise<T> {
  const response = await fetch(`${stack.url}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: T; errors: { message: string }[] };
  assert.deepEqual(body.errors, []);
  return body.data;
}

/** Polls `probe` until it returns a value (conditions, not elapsed time, decide). */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  const deadline = Date.now() + LONG;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** How many pixels the page is wider than its viewport (0 = no horizontal scroll). */
async function overflowOf(page: Page): Promise<number> {
  // A string, not a function: this file is type-checked without the DOM library.
  return page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
}

const overflows: { name: string; width: number; px: number }[] = [];
/** Toasts that do not fit the window (cut at its edges), per page and width. */
const cutToasts: { name: string; width: number; box: string }[] = [];

/** Each visible toast's box against the viewport: a toast must fit, whatever the width. */
async function checkToasts(page: Page, name: string, width: number): Promise<void> {
  for (const toast of await page.locator('[data-id="toast"]').all()) {
    const box = await toast.boundingBox();
    if (box && (box.x < 0 || box.x + box.width > width + 0.5)) {
      cutToasts.push({ name, width, box: `${Math.round(box.x)}+${Math.round(box.width)}` });
    }
  }
}

/**
 * Resizes the window to `width` and resolves once the page has followed: the window has the new
 * width and every chart is as wide as the box it fills. CSS layout follows at once, but Chart.js
 * sizes its canvas from script — a ResizeObserver on the box, then the new size a frame later — so
 * until then a chart keeps the width of the previous layout (the dashboard's 374 px charts from
 * 1280 px make a 320 px page 83 px too wide). A frame counted from the test's side is no bound:
 * under load it can run before the resize is even laid out.
 */
async function resizeTo(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: page.viewportSize()?.height ?? 900 });
  // A string, not a function: this file is type-checked without the DOM library. The walk goes
  // into the components' shadow trees, where the charts are.
  await page.waitForFunction(
    `(() => {
      if (window.innerWidth !== ${width}) return false;
      const canvases = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.tagName === 'CANVAS') canvases.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return canvases.every((canvas) => {
        const box = canvas.parentElement;
        if (!box || box.clientWidth === 0) return true;
        const style = getComputedStyle(box);
        const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return Math.abs(canvas.getBoundingClientRect().width - inner) < 1;
      });
    })()`,
    undefined,
    { timeout: LONG },
  );
}

/** Screenshots `name` at every width, recording horizontal overflow. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await resizeTo(page, width);
    overflows.push({ name, width, px: await overflowOf(page) });
    await checkToasts(page, name, width);
    await page.screenshot({ path: path.join(OUT, `${name}-${width}.png`), fullPage: true });
  }
  await resizeTo(page, 1280);
}

type Edges<N> = { edges: { node: N }[] };
interface V<T> {
  value: T | null;
}

describe('console in Chromium', { skip, timeout: 2 * LONG }, () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const pageErrors: string[] = [];

  before(async () => {
    if (!haveChromium) {
      throw new Error(
        `CI must run the console's browser test but ${CHROMIUM} is missing: .ci/run installs Debian's chromium.`,
      );
    }
    mkdirSync(OUT, { recursive: true });
    stack = await startStack();
    userDataDir = mkdtempSync(path.join(tmpdir(), 'aircall-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: LAUNCH_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    if (stack) {
      const exited = new Promise((r) => stack.child.once('exit', r));
      stack.child.kill('SIGINT');
      await exited;
    }
    if (overflows.length) {
      console.log(
        `horizontal overflow (px): ${overflows.map((o) => `${o.name}@${o.width}=${o.px}`).join(', ')}`,
      );
    }
  });

  it('lists calls newest first as the simulator sends them', async () => {
    await page.goto(`${stack.url}/#/calls`);
    await page.locator('[data-id="call-row"]').first().waitFor({ timeout: LONG });
    const times = await page
      .locator('[data-id="call-row"] lightning-formatted-date-time')
      .allInnerTexts();
    assert.ok(times.length > 0);
    await shoot(page, 'calls');
  });

  it('shows a call live on its record page, then ended, without a reload', async () => {
    const record = page.locator('c-aircall-voice-record');
    const status = record.locator('.status');
    // A call still ringing or in progress, opened from the calls list as an agent would; one that
    // ends while its page opens does not count, the next live one is taken.
    const url = await until('a live call on its record page', async () => {
      await page.goto(`${stack.url}/#/calls`);
      const live = page.locator(
        '[data-id="call-row"]:not([data-status="Ended"]) [data-id="call-link"]',
      );
      await live.first().waitFor({ timeout: LONG });
      await live.first().click();
      await status.waitFor({ timeout: LONG });
      return /Ringing|In Progress/.test(await status.innerText()) && page.url();
    });
    // The durations run while the call is live: the total reads m:ss and moves on by itself.
    const total = record.locator('.total-duration');
    const first = (await total.innerText()).trim();
    assert.match(first, /^\d+:\d\d$/);
    await until('the live total to tick', async () => {
      const now = (await total.innerText()).trim();
      return now !== first || /\bEnded\b/.test(await status.innerText());
    });
    await shoot(page, 'record-live');
    await until('the live call to end on its page', async () =>
      /\bEnded\b/.test(await status.innerText()),
    );
    assert.equal(page.url(), url, 'the page was not reloaded or left');
  });

  it('plays the recording of a recorded call, and lists the call on its Contact', async () => {
    type Data = {
      uiapi: {
        query: {
          Aircall_Voice__c: Edges<{
            Id: string;
            Recording_Url__c: V<string>;
            Contact__c: V<string>;
          }>;
        };
      };
    };
    const call = await until('a recorded call linked to a Contact', async () => {
      const data = await graphql<Data>(
        stack,
        `
          query {
            uiapi {
              query {
                Aircall_Voice__c(
                  first: 1
                  where: { and: [{ Recording_Url__c: { ne: null } }, { Contact__c: { ne: null } }] }
                  orderBy: { Started_At__c: { order: DESC } }
                ) {
                  edges {
                    node {
                      Id
                      Recording_Url__c {
                        value
                      }
                      Contact__c {
                        value
                      }
                    }
                  }
                }
              }
            }
          }
        `,
      );
      return data.uiapi.query.Aircall_Voice__c.edges[0]?.node;
    });
    await page.goto(`${stack.url}/#/record/${call.Id}`);
    // The console routes by hash: until the new record loads, the page can still show the previous
    // test's call (and its player). Wait for this call's player rather than for any player.
    const audio = page
      .locator(`c-aircall-voice-record audio[src="${call.Recording_Url__c.value}"]`)
      .first();
    await audio.waitFor({ timeout: LONG });
    assert.equal(await audio.getAttribute('src'), call.Recording_Url__c.value);
    await shoot(page, 'record');

    await page.goto(`${stack.url}/#/record/${call.Contact__c.value}`);
    await page
      .locator(`c-aircall-voice-record a[data-record-id="${call.Id}"]`)
      .first()
      .waitFor({ timeout: LONG });
    await shoot(page, 'contact');
  });

  it('lists the related calls on a Lead and on an Account', async () => {
    type Data = {
      uiapi: {
        query: {
          Aircall_Voice__c: Edges<{
            Id: string;
            Lead__c: V<string>;
            Account__c: V<string>;
            Direction__c: V<string>;
            Contact__r: { Name: V<string> } | null;
          }>;
        };
      };
    };
    for (const [object, field] of [
      ['lead', 'Lead__c'],
      ['account', 'Account__c'],
    ] as const) {
      const call = await until(`an ended call linked to a ${object}`, async () => {
        const data = await graphql<Data>(
          stack,
          `query { uiapi { query { Aircall_Voice__c(first: 1, where: { and: [{ ${field}: { ne: null } }, { Status__c: { eq: "Ended" } }] }, orderBy: { Started_At__c: { order: DESC } }) { edges { node { Id Lead__c { value } Account__c { value } Direction__c { value } Contact__r { Name { value } } } } } } } }`,
        );
        return data.uiapi.query.Aircall_Voice__c.edges[0]?.node;
      });
      await page.goto(`${stack.url}/#/record/${call[field].value}`);
      // The related list of this record, with this call in it (not the previous page's list).
      await page
        .locator(`c-aircall-voice-record a[data-record-id="${call.Id}"]`)
        .first()
        .waitFor({ timeout: LONG });
      // Person first: on an Account the contact's name; on the Lead itself, the direction. Then
      // the outcome, the duration as m:ss (0:00 when none) and the time with its zone.
      const row = page.locator('c-aircall-voice-record .related-call', {
        has: page.locator(`a[data-record-id="${call.Id}"]`),
      });
      const expected =
        object === 'account' && call.Contact__r?.Name.value
          ? call.Contact__r.Name.value
          : call.Direction__c.value === 'Outbound'
            ? 'Outgoing call'
            : object === 'lead'
              ? 'Incoming call'
              : undefined;
      const person = (await row.locator('.related-person').innerText()).trim();
      if (expected) assert.equal(person, expected);
      assert.doesNotMatch(person, /^Call (from|to) /);
      const line = (await row.locator('.related-head').innerText()).replace(/\s+/g, ' ').trim();
      assert.match(
        line,
        /^.+ · (Answered|Missed|Voicemail|Abandoned|Unanswered Outbound|Invalid Number) · \d+:\d\d · .*\d{1,2}:\d\d\s?[AP]M \S+/,
        line,
      );
      assert.doesNotMatch(line, / 0\d:\d\d/, 'hours are not zero-padded');
      // Missed rows offer a call-back.
      for (const missed of await page
        .locator('c-aircall-voice-record .related-call', {
          has: page.locator('.slds-theme_error'),
        })
        .all()) {
        assert.equal(await missed.locator('.related-call-back').count(), 1);
      }
      await shoot(page, object);
    }
  });

  it('saves "unknown number → Create Contact" in Settings and the next unknown caller becomes a Contact', async () => {
    await page.goto(`${stack.url}/#/settings`);
    const settings = page.locator('c-aircall-settings');
    await settings.getByRole('combobox', { name: 'When no record matches' }).click();
    await settings.getByRole('option', { name: 'Create a contact' }).click();
    const savedAt = new Date().toISOString();
    await settings.getByRole('button', { name: /^(Save|Create settings)$/ }).click();
    await page.locator('[data-id="toast"]', { hasText: 'Aircall settings saved' }).waitFor({
      timeout: LONG,
    });
    await shoot(page, 'settings');

    type Data = {
      uiapi: {
        query: {
          Contact: Edges<{ Id: string; Name: V<string>; Phone: V<string> }>;
        };
      };
    };
    const contact = await until('a Contact created for an unknown caller', async () => {
      const data = await graphql<Data>(
        stack,
        `query { uiapi { query { Contact(first: 1, where: { and: [{ Aircall_Phone_Key__c: { ne: null } }, { CreatedDate: { gt: "${savedAt}" } }] }) { edges { node { Id Name { value } Phone { value } } } } } } }`,
      );
      return data.uiapi.query.Contact.edges[0]?.node;
    });
    // The agent sees it: the new Contact's page lists the call.
    await page.goto(`${stack.url}/#/record/${contact.Id}`);
    await page
      .locator('c-aircall-voice-record a[data-record-id]')
      .first()
      .waitFor({ timeout: LONG });
    await shoot(page, 'unknown-caller-contact');
  });

  it('shows the call Tasks on the Activity timeline of a Contact and an Account once Activity Task is on', async () => {
    const settings = await rest<{ records: { Id: string }[] }>(
      stack,
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id FROM Aircall_Settings__c ORDER BY LastModifiedDate DESC LIMIT 1')}`,
    );
    const settingsId = settings.records[0]?.Id;
    if (settingsId)
      await rest(stack, 'PATCH', `/sobjects/Aircall_Settings__c/${settingsId}`, {
        Activity_Task__c: 'Completed Task',
      });
    else
      await rest(stack, 'POST', '/sobjects/Aircall_Settings__c', {
        Name: 'Settings',
        Activity_Task__c: 'Completed Task',
      });
    const task = await until('a call Task on a Contact and its Account', async () => {
      const found = await rest<{ records: { Id: string; WhoId: string; WhatId: string }[] }>(
        stack,
        'GET',
        `/query?q=${encodeURIComponent("SELECT Id, WhoId, WhatId FROM Task WHERE TaskSubtype = 'Call' AND WhoId != null AND WhatId != null ORDER BY CreatedDate DESC LIMIT 1")}`,
      );
      return found.records.find((r) => r.WhoId.startsWith('003'));
    });
    for (const [name, id] of [
      ['activity-contact', task.WhoId],
      ['activity-account', task.WhatId],
    ] as const) {
      await page.goto(`${stack.url}/#/record/${id}`);
      await page
        .locator(`console-activity-timeline li[data-task="${task.Id}"][data-kind="call"]`)
        .waitFor({ timeout: LONG });
      await shoot(page, name);
    }
  });

  it('shows missed and voicemail calls apart, and a call with long content, at every width', async () => {
    type Data = {
      uiapi: { query: { Aircall_Voice__c: Edges<{ Id: string }> } };
    };
    for (const type of ['Missed', 'Voicemail']) {
      const call = await until(`a ${type} call`, async () => {
        const data = await graphql<Data>(
          stack,
          `query { uiapi { query { Aircall_Voice__c(first: 1, where: { and: [{ Call_Type__c: { eq: "${type}" } }, { Status__c: { eq: "Ended" } }] }) { edges { node { Id } } } } } }`,
        );
        return data.uiapi.query.Aircall_Voice__c.edges[0]?.node;
      });
      await page.goto(`${stack.url}/#/record/${call.Id}`);
      const outcome = page.locator('c-aircall-voice-record .outcome');
      // The route changes without a reload: wait for this call's outcome, not the last page's.
      await until(`the ${type} call's outcome`, async () =>
        (await outcome.count()) > 0 ? (await outcome.first().innerText()).trim() === type : false,
      );
      await shoot(page, `record-${type.toLowerCase()}`);
    }

    // What an agent meets on a busy account: many tags, long names and lines, URLs in comments.
    const long = await rest<{ id: string }>(stack, 'POST', '/sobjects/Aircall_Voice__c', {
      Aircall_Call_Id__c: '990000000001',
      Direction__c: 'Inbound',
      Call_Type__c: 'Answered',
      Status__c: 'Ended',
      Started_At__c: '2026-09-28T13:44:10.000Z',
      Answered_At__c: '2026-09-28T13:44:13.000Z',
      Ended_At__c: '2026-09-28T13:54:31.000Z',
      Ring_Seconds__c: 3,
      Talk_Seconds__c: 618,
      Total_Seconds__c: 621,
      Customer_Number__c: '+14155550132',
      Aircall_Number__c: '+33187210000',
      Aircall_Line_Name__c:
        'Customer Success – Enterprise EMEA (French, German and Spanish speaking) after-hours overflow',
      Tags__c:
        'VIP; Renewal; Escalated to Tier 2; Billing dispute; Callback requested; Procurement-portal-upload-issue',
      Comments__c:
        'Ana Agent, 2026-09-28 13:45 UTC: Customer asked for a callback on Monday\n\nAna Agent, 2026-09-28 14:30 UTC: Customer confirmed https://acme.example.com/procurement/portal/requests/2026/renewal-quote-approval-form-with-a-very-long-path is the right upload link',
      AI_Summary__c:
        'The customer, who manages the enterprise account, called to renew the annual plan for 250 seats and asked about volume discounts beyond the standard tiers (INV-2026-08-4411-DUPLICATE-CREDIT-REQUEST).',
    });
    await page.goto(`${stack.url}/#/record/${long.id}`);
    await page.locator('c-aircall-voice-record .tags').waitFor({ timeout: LONG });
    await shoot(page, 'record-long');
  });

  it('shows the conversation of a call: the journey with its transfers and holds, and a long transcript (collapsed at 320 px)', async () => {
    const said = Array.from({ length: 60 }, (_, i) => {
      const t = `${Math.floor((i * 9) / 60)}:${String((i * 9) % 60).padStart(2, '0')}`;
      return i % 2
        ? `[${t}] Customer: I would like to renew the annual plan for 250 seats, question ${i}.`
        : `[${t}] Agent (Ana Agent): Of course, let me check the volume discounts for you, answer ${i}.`;
    });
    const call = await rest<{ id: string }>(stack, 'POST', '/sobjects/Aircall_Voice__c', {
      Aircall_Call_Id__c: '990000000002',
      Direction__c: 'Inbound',
      Call_Type__c: 'Answered',
      Status__c: 'Ended',
      Started_At__c: '2026-09-28T13:44:10.000Z',
      Answered_At__c: '2026-09-28T13:44:25.000Z',
      Ended_At__c: '2026-09-28T13:53:10.000Z',
      Ring_Seconds__c: 15,
      Talk_Seconds__c: 525,
      Total_Seconds__c: 540,
      Customer_Number__c: '+14155550132',
      Transcript__c: said.join('\n'),
      Call_Path__c: 'IVR 1 Sales › Ana Agent › Noah Smith',
      Hold_Count__c: 2,
      Hold_Seconds__c: 75,
      Transfer_Count__c: 2,
      Transfers__c: '[1:40] Ana Agent → Noah Smith\n[4:10] Noah Smith → Emma Johnson',
      Call_Journey__c: [
        '[0:04] IVR: 1 Sales',
        '[0:06] Rang on Ana Agent',
        '[0:15] Answered by Ana Agent',
        '[1:00] On hold',
        '[1:30] Resumed after 0:30',
        '[1:40] Transferred: Ana Agent → Noah Smith',
        '[3:00] On hold',
        '[3:45] Resumed after 0:45',
        '[4:10] Transferred: Noah Smith → Emma Johnson',
        '[9:00] Ended',
      ].join('\n'),
    });
    await page.goto(`${stack.url}/#/record/${call.id}`);
    await page.locator('c-aircall-transcript li.utterance').first().waitFor({ timeout: LONG });
    await page.locator('c-aircall-journey li.journey-step').first().waitFor({ timeout: LONG });
    await shoot(page, 'record-conversation');
    // A phone opens the page with the transcript folded: only its button shows.
    await resizeTo(page, 320);
    await page.reload();
    await page.locator('c-aircall-transcript lightning-button').waitFor({ timeout: LONG });
    assert.equal(await page.locator('c-aircall-transcript li.utterance').count(), 0);
    await page.screenshot({
      path: path.join(OUT, 'record-conversation-collapsed-320.png'),
      fullPage: true,
    });
    await resizeTo(page, 1280);
  });

  it('shows the settings clean and with unsaved changes', async () => {
    await page.goto(`${stack.url}/#/settings`);
    const settings = page.locator('c-aircall-settings');
    const save = settings.getByRole('button', { name: /^(Save|Create settings)$/ });
    await save.waitFor({ timeout: LONG });
    await shoot(page, 'settings-clean');
    await settings.getByRole('combobox', { name: 'When several records match' }).click();
    await settings.getByRole('option', { name: 'The oldest' }).click();
    await settings.getByText('Unsaved changes').waitFor({ timeout: LONG });
    assert.equal(await save.isEnabled(), true);
    await shoot(page, 'settings-dirty');
    // The org's Lead Source values and phone fields (getPicklistValues, getObjectInfos).
    await settings.getByRole('combobox', { name: 'Lead Source of created records' }).click();
    await settings.getByRole('option', { name: 'Phone Inquiry' }).click();
    await settings.getByText('have no other phone fields you can read').waitFor({ timeout: LONG });

    // Leaving with unsaved changes asks first; staying keeps the page and the changes.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.locator('nav a[data-route="calls"]').click();
    await until('the unsaved-changes question', () => Promise.resolve(asked.length > 0));
    assert.match(asked[0] ?? '', /not saved/);
    assert.match(page.url(), /#\/settings$/);
    await settings.getByText('Unsaved changes').waitFor({ timeout: LONG });

    // An unknown country is refused on its field, which gets the focus; a known one shows what
    // it was understood as.
    const country = settings.getByRole('textbox', { name: 'Default country' });
    await country.fill('Narnia');
    await save.click();
    const error = settings.locator('.default-country').getByText(/"Narnia" names no country/);
    await error.waitFor({ timeout: LONG });
    // The input itself has the focus (document.activeElement is the console's host element
    // under synthetic shadow, so ask the input).
    assert.equal(
      await country.evaluate((input) =>
        (input as unknown as { matches(selector: string): boolean }).matches(':focus'),
      ),
      true,
      'focus moved to the field in error',
    );
    assert.equal(await page.locator('[data-id="toast"]').count(), 0, 'no toast for a form error');
    await shoot(page, 'settings-error');
    await country.fill('España');
    await settings.getByText('→ ES').waitFor({ timeout: LONG });
    await error.waitFor({ state: 'detached', timeout: LONG });

    await settings.getByRole('button', { name: 'Cancel' }).click();
    await settings.getByText('Unsaved changes').waitFor({ state: 'detached', timeout: LONG });
  });

  it('sets what happens to each kind of call and to Cases in Settings, each error on its field', async () => {
    await page.goto(`${stack.url}/#/settings`);
    const settings = page.locator('c-aircall-settings');
    const save = settings.getByRole('button', { name: /^(Save|Create settings)$/ });
    await save.waitFor({ timeout: LONG });
    /** The text a control shows (its label, and its error once Save found one). */
    const shows = (selector: string, text: string) =>
      until(`"${text}" on ${selector}`, async () =>
        (await settings.locator(selector).innerText()).includes(text),
      );
    const cleared = (selector: string, text: string) =>
      until(
        `"${text}" gone from ${selector}`,
        async () => !(await settings.locator(selector).innerText()).includes(text),
      );
    const focused = (locator: typeof save) =>
      locator.evaluate((el) =>
        (el as unknown as { matches(s: string): boolean }).matches(':focus'),
      );

    // The grid: a radio per kind of call and action, each named by both; help on each.
    const grid = settings.locator('table.call-types');
    assert.deepEqual(
      (await grid.locator('tbody .call-type-label').allInnerTexts()).map((t) => t.trim()),
      [
        'Answered inbound',
        'Answered outbound',
        'Missed inbound',
        'Voicemail',
        'Unanswered outbound',
      ],
    );
    assert.deepEqual(
      (await grid.locator('thead .action-name').allInnerTexts()).map((t) => t.trim()),
      ['Log', 'Log + follow-up Task', "Don't log"],
    );
    assert.equal(await grid.locator('lightning-helptext').count(), 8, 'help on 5 rows, 3 actions');
    await settings
      .getByRole('radio', { name: 'Missed inbound: Log + follow-up Task', exact: true })
      .check();
    await settings
      .getByRole('radio', { name: "Answered outbound: Don't log", exact: true })
      .check();

    // Follow-ups bring their owner and callback window; a wrong owner is refused on its field.
    const owner = settings.getByRole('textbox', {
      name: 'Owner of follow-up Tasks nobody else owns',
    });
    await owner.fill('ops team');
    await settings.locator('.callback-window input').fill('12');
    await save.click();
    const ownerError = 'Enter the Id of a user (starts with 005)';
    await shows('.follow-up-owner', ownerError);
    assert.equal(await focused(owner), true, 'focus moved to the follow-up owner');
    await owner.fill('');
    await cleared('.follow-up-owner', ownerError);

    // Cases: the links, what gets a Case, and who owns it (a user or queue needs its Id).
    await settings.locator('.link-case label').first().click();
    await settings.getByRole('combobox', { name: 'Create a Case for' }).click();
    await settings.getByRole('option', { name: 'Missed calls and voicemails' }).click();
    await settings.getByRole('combobox', { name: 'Owner of created Cases' }).click();
    await settings.getByRole('option', { name: 'A user or queue' }).click();
    await save.click();
    const caseOwner = settings.getByRole('textbox', { name: 'User or queue Id' });
    const caseOwnerError = 'Enter the Id of the user or queue that owns created Cases';
    await shows('.case-owner', caseOwnerError);
    assert.equal(await focused(caseOwner), true, 'focus moved to the Case owner');
    assert.equal(await page.locator('[data-id="toast"]').count(), 0, 'no toast for a form error');
    await shoot(page, 'settings-calls-error');
    const users = await rest<{ records: { Id: string }[] }>(
      stack,
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id FROM User ORDER BY CreatedDate LIMIT 1')}`,
    );
    const userId = users.records[0]!.Id;
    await caseOwner.fill(userId);
    await cleared('.case-owner', caseOwnerError);
    await save.click();
    await page.locator('[data-id="toast"]', { hasText: 'Aircall settings saved' }).waitFor({
      timeout: LONG,
    });
    await shoot(page, 'settings-calls');

    const saved = await rest<{ records: Record<string, unknown>[] }>(
      stack,
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id, Missed_Inbound_Action__c, Answered_Outbound_Action__c, Voicemail_Action__c, Follow_Up_Owner_Id__c, Callback_Window_Hours__c, Link_To_Open_Case__c, Create_Case_For__c, Case_Owner__c FROM Aircall_Settings__c ORDER BY CreatedDate LIMIT 1')}`,
    );
    const record = saved.records[0]!;
    assert.deepEqual(
      {
        missed: record.Missed_Inbound_Action__c,
        outbound: record.Answered_Outbound_Action__c,
        voicemail: record.Voicemail_Action__c,
        followUpOwner: record.Follow_Up_Owner_Id__c,
        window: record.Callback_Window_Hours__c,
        linkCase: record.Link_To_Open_Case__c,
        caseFor: record.Create_Case_For__c,
        caseOwner: record.Case_Owner__c,
      },
      {
        missed: 'Log + open follow-up Task',
        outbound: "Don't log",
        voicemail: 'Log',
        followUpOwner: null,
        window: 12,
        linkCase: true,
        caseFor: 'Both',
        caseOwner: userId,
      },
    );
    // Back to logging every call without follow-ups or Cases, for whatever runs next.
    await rest(stack, 'PATCH', `/sobjects/Aircall_Settings__c/${String(record.Id)}`, {
      Missed_Inbound_Action__c: 'Log',
      Answered_Outbound_Action__c: 'Log',
      Callback_Window_Hours__c: 24,
      Link_To_Open_Case__c: false,
      Create_Case_For__c: 'None',
      Case_Owner__c: null,
    });
  });

  it('speaks Spanish after the language switch, at every width', async () => {
    await page.goto(`${stack.url}/#/calls`);
    await page.locator('[data-id="language"]').selectOption('es');
    try {
      await page
        .locator('nav a[data-route="calls"]', { hasText: 'Llamadas' })
        .waitFor({ timeout: LONG });
      await page.locator('[data-id="call-row"]').first().waitFor({ timeout: LONG });
      await shoot(page, 'es-calls');
      // A missed call linked to an Account, made here so the state does not hang on what the
      // simulator happened to send by now.
      const account = await rest<{ id: string }>(stack, 'POST', '/sobjects/Account', {
        Name: 'Ferretería Hermanos Ruiz',
        Phone: '+34911234567',
      });
      const call = await rest<{ id: string }>(stack, 'POST', '/sobjects/Aircall_Voice__c', {
        Aircall_Call_Id__c: '990000000004',
        Direction__c: 'Inbound',
        Call_Type__c: 'Missed',
        Status__c: 'Ended',
        Started_At__c: '2026-09-29T08:12:04.000Z',
        Ended_At__c: '2026-09-29T08:12:31.000Z',
        Ring_Seconds__c: 27,
        Talk_Seconds__c: 0,
        Total_Seconds__c: 27,
        Customer_Number__c: '+34911234567',
        Aircall_Number__c: '+33187210000',
        Account__c: account.id,
      });
      await page.goto(`${stack.url}/#/record/${call.id}`);
      // Picklist values in Spanish (object translations), labels in Spanish (Custom Labels).
      await page
        .locator('c-aircall-voice-record .outcome', { hasText: 'Perdida' })
        .waitFor({ timeout: LONG });
      assert.equal(
        (await page.locator('c-aircall-voice-record .status').innerText()).trim(),
        'Finalizada',
      );
      await shoot(page, 'es-record-missed');
      // The call's Account in Spanish: its related calls (the README's es-account screenshot).
      await page.goto(`${stack.url}/#/record/${account.id}`);
      await page.locator('c-aircall-voice-record .related-call').first().waitFor({ timeout: LONG });
      // The page around the package's components speaks Spanish too, as Lightning's would.
      await page
        .locator('[data-component="activity-timeline"] h2', { hasText: 'Actividad (0)' })
        .waitFor({ timeout: LONG });
      await shoot(page, 'es-account');
      await page.goto(`${stack.url}/#/settings`);
      const settings = page.locator('c-aircall-settings');
      await settings.getByRole('textbox', { name: 'País predeterminado' }).fill('Narnia');
      await settings.getByRole('button', { name: /^(Guardar|Crear la configuración)$/ }).click();
      await settings
        .locator('.default-country')
        .getByText(/"Narnia"/)
        .waitFor({ timeout: LONG });
      // The grid and the Case settings speak Spanish too.
      await settings
        .locator('table.call-types thead', { hasText: 'Registrar + tarea de seguimiento' })
        .waitFor({ timeout: LONG });
      await settings
        .getByRole('combobox', { name: 'Crear un caso para' })
        .waitFor({ timeout: LONG });
      await shoot(page, 'es-settings-error');
      await settings.getByRole('button', { name: 'Cancelar' }).click();
      await page.goto(`${stack.url}/#/omni`);
      await page.locator('c-omni-status-mapper table').first().waitFor({ timeout: LONG });
      await shoot(page, 'es-omni');
      await page.goto(`${stack.url}/#/utility`);
      await page.locator('[data-page="utility"]').waitFor({ timeout: LONG });
      await shoot(page, 'es-utility');
    } finally {
      // Back to English for whatever runs next, even when a step above failed.
      await page.goto(`${stack.url}/#/calls`);
      await page.locator('[data-id="language"]').selectOption('en_US');
      await page
        .locator('nav a[data-route="calls"]', { hasText: 'Calls' })
        .waitFor({ timeout: LONG });
    }
  });

  it('shows the Omni-Channel mapping: Custom chosen in the mapper starts from the default rules and is saved with them', async () => {
    type Rows = { records: { Id: string; Omni_Mapping_Mode__c?: string }[] };
    const settings = async () =>
      (
        await rest<Rows>(
          stack,
          'GET',
          `/query?q=${encodeURIComponent('SELECT Id, Omni_Mapping_Mode__c FROM Aircall_Settings__c ORDER BY CreatedDate LIMIT 1')}`,
        )
      ).records[0];
    const settingsId = (await settings())?.Id;
    assert.ok(settingsId, 'the settings record saved earlier');
    await rest(stack, 'PATCH', `/sobjects/Aircall_Settings__c/${settingsId}`, {
      Omni_Mapping_Mode__c: 'Default',
    });
    await page.goto(`${stack.url}/#/calls`);
    await page.goto(`${stack.url}/#/omni`);
    const mapper = page.locator('c-omni-status-mapper');
    await mapper.locator('table').first().waitFor({ timeout: LONG });
    await shoot(page, 'omni');

    // Default → Custom in the mapper: the rows are the default rules, so no status is "Not mapped".
    await mapper.locator('.mode-choice label', { hasText: 'Custom' }).click();
    await mapper.locator('.mode-help', { hasText: 'starting from the default ones' }).waitFor({
      timeout: LONG,
    });
    const omniRows = await mapper.locator('.omni-row').allInnerTexts();
    assert.ok(omniRows.length > 0, 'status rows');
    for (const row of omniRows) assert.doesNotMatch(row, /Not mapped/, row);
    assert.equal(await mapper.locator('.unmapped-icon').count(), 0);
    const phoneRows = await mapper.locator('.phone-row').allInnerTexts();
    assert.equal(phoneRows.length, 4);
    for (const row of phoneRows) assert.doesNotMatch(row, /No change/, row);
    for (const width of [320, 1280]) {
      await resizeTo(page, width);
      assert.ok(await mapper.locator('.mode-choice').isVisible(), `mode choice at ${width} px`);
      if (FAIL_ON_OVERFLOW) assert.equal(await overflowOf(page), 0, `mapper at ${width} px`);
    }
    await shoot(page, 'omni-custom');

    // One Save writes the rules, then the mode.
    await mapper.getByRole('button', { name: 'Save' }).click();
    await page
      .locator('[data-id="toast"]', { hasText: 'Mode: Custom.' })
      .waitFor({ timeout: LONG });
    const count = async (direction: string) =>
      (
        await rest<Rows>(
          stack,
          'GET',
          `/query?q=${encodeURIComponent(`SELECT Id FROM Aircall_Status_Mapping__c WHERE Direction__c = '${direction}'`)}`,
        )
      ).records.length;
    assert.equal(await count('Omni to Aircall'), omniRows.length);
    assert.equal(await count('Phone to Omni'), 4);
    assert.equal((await settings())?.Omni_Mapping_Mode__c, 'Custom');

    // The mapper and the settings panel link to each other.
    await mapper.getByRole('link', { name: 'Aircall Settings' }).click();
    await page
      .locator('c-aircall-settings')
      .getByRole('link', { name: 'Edit the Omni-Channel status mapping' })
      .click();
    await mapper.locator('table').first().waitFor({ timeout: LONG });
    assert.equal(new URL(page.url()).hash, '#/omni');

    // A rule for a status the org no longer has: the mapper marks it in its row.
    await rest(stack, 'POST', '/sobjects/Aircall_Status_Mapping__c', {
      Direction__c: 'Omni to Aircall',
      Omni_Status__c: 'Training_2024',
      Aircall_Availability__c: 'unavailable',
    });
    await page.goto(`${stack.url}/#/calls`);
    await page.goto(`${stack.url}/#/omni`);
    await mapper.locator('.orphan-row').waitFor({ timeout: LONG });
    await mapper.locator('.warnings').waitFor({ timeout: LONG });
    await shoot(page, 'omni-warnings');
    await rest(stack, 'PATCH', `/sobjects/Aircall_Settings__c/${settingsId}`, {
      Omni_Mapping_Mode__c: 'Default',
    });

    await page.goto(`${stack.url}/#/utility`);
    await page.locator('[data-page="utility"]').waitFor({ timeout: LONG });
    await until('the Omni-Channel status', async () =>
      (await page.locator('[data-id="omni-status"]').innerText()).trim(),
    );
    await shoot(page, 'utility');
  });

  it("shows the agent's current call in the utility bar item: who, since when, a running timer", async () => {
    // An agent the simulator does not route calls to, in a call with a matched Contact.
    type Rows = { records: { Id: string }[] };
    const agent = await rest<Rows>(
      stack,
      'GET',
      `/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Email = 'former.agent@aircall-demo.example'")}`,
    );
    const userId = agent.records[0]?.Id;
    assert.ok(userId, 'the seeded former agent');
    type Matched = {
      uiapi: {
        query: {
          Aircall_Voice__c: Edges<{
            Aircall_Call_Id__c: V<string>;
            Contact__r: { Name: V<string> } | null;
          }>;
        };
      };
    };
    // A call the simulator matched to a Contact (an earlier state waited for one; wait here too).
    const call = await until('a call matched to a Contact', async () => {
      const matched = await graphql<Matched>(
        stack,
        `
          query {
            uiapi {
              query {
                Aircall_Voice__c(first: 1, where: { Contact__c: { ne: null } }) {
                  edges {
                    node {
                      Aircall_Call_Id__c {
                        value
                      }
                      Contact__r {
                        Name {
                          value
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        `,
      );
      const node = matched.uiapi.query.Aircall_Voice__c.edges[0]?.node;
      return node?.Contact__r?.Name.value ? node : undefined;
    });
    const person = call.Contact__r?.Name.value ?? '';
    // Ringing: the call is not logged yet, the agent's state names the caller by number.
    await rest(stack, 'PATCH', `/sobjects/Aircall_Agent_State__c/User_Key__c/${userId}`, {
      User__c: userId,
      Phone_Event__c: 'Ringing',
      Call_Id__c: '9900000001',
      Caller_Number__c: '+33612345678',
      Changed_At__c: new Date().toISOString(),
    });
    await page.goto(`${stack.url}/?user=${userId}#/utility`);
    const ringing = page.locator('c-aircall-omni-sync .who-number');
    await ringing.waitFor({ timeout: LONG });
    assert.match(await ringing.innerText(), /33.*6.*12.*34.*56.*78/);
    await rest(stack, 'PATCH', `/sobjects/Aircall_Agent_State__c/User_Key__c/${userId}`, {
      User__c: userId,
      Phone_Event__c: 'In Call',
      Call_Id__c: call.Aircall_Call_Id__c.value,
      Changed_At__c: new Date(Date.now() - 65_000).toISOString(),
    });
    await page.goto(`${stack.url}/?user=${userId}#/utility`);
    const item = page.locator('c-aircall-omni-sync');
    await item.locator('.who-name', { hasText: person }).waitFor({ timeout: LONG });
    assert.equal((await item.locator('.phone-state').innerText()).trim(), 'In Call');
    assert.ok(await item.locator('.since lightning-formatted-date-time').isVisible());
    assert.ok(await item.getByRole('button', { name: `Open the call with ${person}` }).isVisible());
    // The timer runs: its text moves on without a reload.
    const timer = item.getByRole('timer', { name: 'Time in this state' });
    const first = (await timer.innerText()).trim();
    assert.match(first, /^\d+:\d\d$/);
    await until('the timer to move', async () => (await timer.innerText()).trim() !== first);
    for (const width of [320, 1280]) {
      await resizeTo(page, width);
      assert.ok(await item.locator('.who-name').isVisible(), `the person at ${width} px`);
      if (FAIL_ON_OVERFLOW) assert.equal(await overflowOf(page), 0, `utility at ${width} px`);
    }
    await shoot(page, 'utility-call');
  });

  it("shows the supervisors' dashboard: every packaged component charted from its report", async () => {
    await page.goto(`${stack.url}/#/dashboard`);
    const dashboard = page.locator('console-dashboard');
    await dashboard.getByRole('heading', { name: 'Aircall: today and this week' }).waitFor({
      timeout: LONG,
    });
    // Seven components in three columns: six charts and the agents' table, filled by the
    // simulated calls of this run (the page re-reads the dashboard every few seconds).
    await until('every component drawn', async () => {
      const charts = await dashboard.locator('canvas').count();
      const empty = await dashboard.locator('[data-id="empty"]').count();
      const rows = await dashboard.locator('table tbody tr').count();
      return (
        (await dashboard.locator('[data-tile]').count()) === 7 && charts + empty === 6 && rows > 0
      );
    });
    const donut = dashboard.locator('[data-chart][aria-label^="Calls today by outcome"]');
    assert.match((await donut.getAttribute('aria-label')) ?? '', /Record Count\. Answered: \d+/);
    const agents = await dashboard.locator('table tbody tr td:first-child').allInnerTexts();
    assert.ok(
      agents.every((name) => name.trim() !== ''),
      agents.join(', '),
    );
    await shoot(page, 'dashboard');

    // An agent whose name does not break (an e-mail address as the user's name): the agents'
    // table wraps it and the page still fits a phone.
    const longName = 'bartholomew.konstantinopoulou-fitzgerald@aircall-demo.example';
    const agent = await rest<{ id: string }>(stack, 'POST', '/sobjects/User', {
      Username: 'long.name.agent@aircall-demo.example',
      LastName: longName,
      Email: 'long.name.agent@aircall-demo.example',
      Alias: 'lnagent',
      TimeZoneSidKey: 'Europe/Paris',
      IsActive: true,
    });
    const now = Date.now();
    await rest(stack, 'POST', '/sobjects/Aircall_Voice__c', {
      Aircall_Call_Id__c: '990000000003',
      Direction__c: 'Inbound',
      Call_Type__c: 'Answered',
      Status__c: 'Ended',
      Started_At__c: new Date(now - 120_000).toISOString(),
      Answered_At__c: new Date(now - 110_000).toISOString(),
      Ended_At__c: new Date(now - 20_000).toISOString(),
      Answered__c: 1,
      Wait_Seconds__c: 10,
      Talk_Seconds__c: 90,
      Total_Seconds__c: 100,
      Customer_Number__c: '+14155550132',
      Agent__c: agent.id,
    });
    await dashboard.locator('table tbody td', { hasText: longName }).waitFor({ timeout: LONG });
    await shoot(page, 'dashboard-long-agent');
  });

  it("changes a call's link with Change link and remembers the number: the next call from it arrives linked", async () => {
    const webhooks = /Webhooks:\s+(http:\/\/\S+)/.exec(stack.lines.join('\n'))?.[1];
    assert.ok(webhooks, 'start printed its webhook URL');
    const number = '+33 6 40 40 40 40';
    const { id: chosen } = await rest<{ id: string }>(stack, 'POST', '/sobjects/Contact', {
      FirstName: 'Rémi',
      LastName: 'Remembered',
    });
    /** One call from the number, as Aircall sends it (the demo token the console accepts). */
    const call = async (id: number): Promise<string> => {
      const events = JSON.parse(
        readFileSync(
          path.join(ROOT, 'test', 'fixtures', 'aircall', 'inbound-answered.json'),
          'utf8',
        ),
      ) as { token: string; data: Record<string, unknown> }[];
      for (const e of events) {
        e.token = 'demo-webhook-token';
        e.data = { ...e.data, id, raw_digits: number, contact: null };
        const response = await fetch(webhooks, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(e),
        });
        assert.ok(response.ok, `${response.status} ${await response.text()}`);
      }
      type Data = {
        uiapi: { query: { Aircall_Voice__c: Edges<{ Id: string; Contact__c: V<string> }> } };
      };
      return until(`call ${id} logged`, async () => {
        const data = await graphql<Data>(
          stack,
          `query { uiapi { query { Aircall_Voice__c(where: { Aircall_Call_Id__c: { eq: "${id}" } }) { edges { node { Id Contact__c { value } } } } } } }`,
        );
        const node = data.uiapi.query.Aircall_Voice__c.edges[0]?.node;
        return node && `${node.Id} ${node.Contact__c.value ?? ''}`;
      });
    };
    const [first = ''] = (await call(7700001)).split(' ');
    await page.goto(`${stack.url}/#/record/${first}`);
    const record = page.locator('c-aircall-voice-record');
    await record.getByRole('button', { name: 'Change link' }).click({ timeout: LONG });
    await record
      .getByRole('searchbox', { name: /Search Contacts, Leads and Accounts/ })
      .fill('Remem');
    await record.getByRole('radio', { name: 'Rémi Remembered · Contact' }).check({ timeout: LONG });
    // The label draws the box (SLDS): a person clicks the label text.
    await record.getByText(/^Remember for this number/).click();
    await shoot(page, 'change-link');
    await record.getByRole('button', { name: 'Save' }).click();
    await record.locator(`a.linked-record[data-record-id="${chosen}"]`).waitFor({ timeout: LONG });
    // Saved: the panel closes once the call, its Task, its Voice Call and the number are written.
    await record.getByRole('button', { name: 'Change link' }).waitFor({ timeout: LONG });
    const links = await rest<{ records: { Phone_Key__c: string; Contact__c: string }[] }>(
      stack,
      'GET',
      `/query?q=${encodeURIComponent('SELECT Phone_Key__c, Contact__c FROM Aircall_Number_Link__c')}`,
    );
    assert.deepEqual(
      links.records.map((r) => [r.Phone_Key__c, r.Contact__c]),
      [['+33640404040', chosen]],
      'the number is remembered for the person chosen',
    );
    // The connector finds the link with its search: once the org's search index has it (the
    // embedded org lags 20 s, as an org's index does), the next call from the number is linked.
    await until('the remembered number in the search index', async () => {
      const found = await rest<{ searchRecords: unknown[] }>(
        stack,
        'GET',
        `/search?q=${encodeURIComponent('FIND {"33640404040"} IN PHONE FIELDS RETURNING Aircall_Number_Link__c(Id)')}`,
      );
      return found.searchRecords.length > 0;
    });
    // The next call from the number: linked to the person chosen, by the connector.
    const [second = '', linked] = (await call(7700002)).split(' ');
    const reason = await rest<{ Match_Reason__c: string }>(
      stack,
      'GET',
      `/sobjects/Aircall_Voice__c/${second}`,
    );
    assert.equal(linked, chosen, reason.Match_Reason__c);
  });

  it('raised no error in the page and fits the widths it was asked to', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(cutToasts, [], 'toasts cut at the edge of the window');
    if (FAIL_ON_OVERFLOW) {
      assert.deepEqual(
        overflows.filter((o) => o.px > 0),
        [],
        'pages wider than the viewport (horizontal scroll)',
      );
    }
  });
});
