/**
 * Change link with the keyboard alone, in Chromium (playwright-core, Debian's chromium as in
 * console.test.ts): from the page, Tab reaches Change link, Enter opens it on the option linked
 * now, the arrow keys move through the records found and the search results, Space ticks Remember
 * for this number, Enter on Save writes the call, its Task, its open follow-up Task and the
 * remembered number, and the focus
 * comes back to Change link. Then a save the org refuses (the record chosen was deleted meanwhile):
 * its error shows in place and takes the focus. Every control is found by its role and the name a
 * screen reader reads (Playwright computes it from the page's accessibility semantics).
 *
 * The org is the local org; the call is written through its REST API as the connector writes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import {
  browserSkip,
  consoleInBrowser,
  LONG,
  orgRest,
  type ConsoleInBrowser,
  type OrgRest,
} from './browser';

const CALL_ID = '9600001';
const NUMBER = '+33612345678';

describe('console: Change link from the keyboard', { skip: browserSkip, timeout: 2 * LONG }, () => {
  let org: LocalOrg;
  let browser: ConsoleInBrowser | undefined;
  let page: Page;
  let rest: OrgRest;
  const ids = { call: '', task: '', followUp: '', acme: '', jane: '', john: '', lead: '' };

  const create = async (sobject: string, fields: Record<string, unknown>) =>
    (await rest<{ id: string }>('POST', `/sobjects/${sobject}`, fields)).id;

  /**
   * Whether `locator` has the keyboard focus (asked of the element: under synthetic shadow,
   * document.activeElement is the console's host element).
   */
  const focused = (locator: Locator) =>
    locator.evaluate((el) => (el as unknown as { matches(s: string): boolean }).matches(':focus'));

  /** Presses Tab until `locator` has the focus (the page's controls before it come first). */
  async function tabTo(locator: Locator): Promise<number> {
    await locator.waitFor({ timeout: LONG });
    for (let presses = 1; presses <= 80; presses++) {
      await page.keyboard.press('Tab');
      if (await focused(locator)) return presses;
    }
    throw new Error(`Tab never reached ${String(locator)}`);
  }

  before(async () => {
    org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    rest = orgRest(org);
    ids.acme = await create('Account', { Name: 'Acme', Phone: '+33 6 12 34 56 78' });
    ids.jane = await create('Contact', {
      FirstName: 'Jane',
      LastName: 'Doe',
      AccountId: ids.acme,
      Phone: '+33 6 12 34 56 78',
    });
    ids.john = await create('Contact', {
      FirstName: 'John',
      LastName: 'Doe',
      AccountId: ids.acme,
      Phone: '+33 6 12 34 56 78',
    });
    ids.lead = await create('Lead', { FirstName: 'Jan', LastName: 'Lee', Company: 'Lee & Co' });
    const why = '2 Contact records have this number; the most recently modified wins';
    ids.call = await create('Aircall_Voice__c', {
      Aircall_Call_Id__c: CALL_ID,
      Status__c: 'Ended',
      Call_Type__c: 'Answered',
      Direction__c: 'Inbound',
      Started_At__c: '2026-11-27T08:00:00.000Z',
      Talk_Seconds__c: 95,
      Total_Seconds__c: 120,
      Customer_Number__c: NUMBER,
      Contact__c: ids.jane,
      Account__c: ids.acme,
      Match_Reason__c: `Multiple Matches: ${why}`,
      // As the connector writes it (`o` object, `n` name, `a` Account, `c` linked, `w` why).
      Match_Candidates__c: JSON.stringify([
        { o: 'Contact', id: ids.jane, n: 'Jane Doe', a: ids.acme, c: true, w: `linked: ${why}` },
        {
          o: 'Contact',
          id: ids.john,
          n: 'John Doe',
          a: ids.acme,
          c: false,
          w: `not linked: ${why}`,
        },
      ]),
    });
    ids.task = await create('Task', {
      Subject: 'Call',
      CallObject: CALL_ID,
      WhoId: ids.jane,
      WhatId: ids.acme,
      Status: 'Completed',
    });
    // The call-back to do that a missed call's type opens, as the connector creates it.
    ids.followUp = await create('Task', {
      Subject: 'Call back +33 6 12 34 56 78',
      Aircall_Follow_Up_For__c: CALL_ID,
      WhoId: ids.jane,
      WhatId: ids.acme,
      Status: 'Not Started',
    });
    browser = await consoleInBrowser(org);
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await org?.close();
  });

  it('links the call to a search result and remembers the number, with the keyboard alone', async () => {
    await page.goto(`${browser!.console.url}/#/record/${ids.call}`);
    const record = page.locator('c-aircall-voice-record');
    const changeLink = record.getByRole('button', { name: 'Change link' });
    await tabTo(changeLink);
    await page.keyboard.press('Enter');

    // Open on the record linked now, named with why the matcher linked it.
    const jane = record.getByRole('radio', { name: 'Jane Doe · Contact' });
    await jane.waitFor({ timeout: LONG });
    assert.ok(await focused(jane), 'the focus is on the option linked now');
    assert.ok(await jane.isChecked());
    assert.ok(
      await jane.getAttribute('aria-describedby'),
      'each record found is described by why it was or was not linked',
    );
    await record
      .getByRole('group', { name: 'Records found for this number' })
      .waitFor({ timeout: LONG });

    // The arrow keys move through the records found.
    await page.keyboard.press('ArrowDown');
    const john = record.getByRole('radio', { name: 'John Doe · Contact' });
    assert.ok((await focused(john)) && (await john.isChecked()), 'ArrowDown checks John Doe');

    // Tab to the search, type a name: the results join the same group, after the records found.
    const search = record.getByRole('searchbox', { name: /Search Contacts, Leads and Accounts/ });
    await page.keyboard.press('Tab');
    assert.ok(await focused(search), 'Tab goes from the options to the search');
    await page.keyboard.type('Lee');
    const lee = record.getByRole('radio', { name: 'Jan Lee · Lead' });
    await lee.waitFor({ timeout: LONG });
    await record.getByRole('group', { name: 'Search results' }).waitFor({ timeout: LONG });
    // Back to the options (one Tab stop: the one checked), then on down to the result.
    await page.keyboard.press('Shift+Tab');
    assert.ok(await focused(john), 'Shift+Tab goes back to the option checked');
    await page.keyboard.press('ArrowDown');
    assert.ok((await focused(lee)) && (await lee.isChecked()), 'ArrowDown reaches the result');

    // Remember for this number (a checkbox: Space), then Save (Enter).
    const remember = record.getByRole('checkbox', { name: /^Remember for this number/ });
    await tabTo(remember);
    await page.keyboard.press('Space');
    assert.ok(await remember.isChecked());
    await tabTo(record.getByRole('button', { name: 'Save' }));
    await page.keyboard.press('Enter');

    // Saved: the panel closes and the focus is back on Change link.
    await record
      .locator(`a.linked-record[data-record-id="${ids.lead}"]`)
      .waitFor({ timeout: LONG });
    await changeLink.waitFor({ timeout: LONG });
    assert.ok(await focused(changeLink), 'the focus is back on Change link');
    const call = await rest<{ Lead__c: string | null; Contact__c: string | null }>(
      'GET',
      `/sobjects/Aircall_Voice__c/${ids.call}`,
    );
    assert.deepEqual([call.Lead__c, call.Contact__c], [ids.lead, null]);
    const task = await rest<{ WhoId: string; WhatId: string | null }>(
      'GET',
      `/sobjects/Task/${ids.task}`,
    );
    assert.deepEqual([task.WhoId, task.WhatId], [ids.lead, null]);
    const followUp = await rest<{ WhoId: string; WhatId: string | null }>(
      'GET',
      `/sobjects/Task/${ids.followUp}`,
    );
    assert.deepEqual([followUp.WhoId, followUp.WhatId], [ids.lead, null], 'the call-back follows');
    const links = await rest<{ records: { Phone_Key__c: string; Lead__c: string }[] }>(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Phone_Key__c, Lead__c FROM Aircall_Number_Link__c')}`,
    );
    assert.deepEqual(
      links.records.map((r) => [r.Phone_Key__c, r.Lead__c]),
      [[NUMBER, ids.lead]],
    );
  });

  it("shows the org's refusal in place and moves the focus to it", async () => {
    const record = page.locator('c-aircall-voice-record');
    const changeLink = record.getByRole('button', { name: 'Change link' });
    assert.ok(await focused(changeLink));
    await page.keyboard.press('Enter');
    // The Lead chosen from the search is offered first, under "Linked now", and has the focus.
    const lee = record
      .getByRole('group', { name: 'Linked now' })
      .getByRole('radio', { name: 'Jan Lee · Lead' });
    await lee.waitFor({ timeout: LONG });
    assert.ok((await focused(lee)) && (await lee.isChecked()), 'the focus is on the link now');
    // Down through the records found to John Doe.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const john = record.getByRole('radio', { name: 'John Doe · Contact' });
    assert.ok((await focused(john)) && (await john.isChecked()), 'ArrowDown twice checks John Doe');
    // Someone deletes John Doe meanwhile: the org refuses the link.
    await rest('DELETE', `/sobjects/Contact/${ids.john}`);
    await tabTo(record.getByRole('button', { name: 'Save' }));
    await page.keyboard.press('Enter');
    const alert = record.getByRole('alert').filter({ hasText: 'The link could not be saved' });
    await alert.waitFor({ timeout: LONG });
    assert.ok(await focused(alert), 'the focus is on the error');
    assert.match(await alert.innerText(), /^The link could not be saved: .+/);
    // Still open, the choice kept: the agent can pick again.
    assert.ok(await john.isChecked());
    assert.deepEqual(browser!.pageErrors, []);
  });

  it('closes on Escape, after clearing a search first', async () => {
    const record = page.locator('c-aircall-voice-record');
    const changeLink = record.getByRole('button', { name: 'Change link' });
    const panel = record.getByRole('region', { name: 'Change link' });
    // From the error left open: Escape closes without saving, the focus back on Change link.
    assert.ok(await panel.isVisible());
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: LONG });
    await changeLink.waitFor({ timeout: LONG });
    assert.ok(await focused(changeLink), 'Escape gives the focus back to Change link');
    // In the search box with text in it, the first Escape clears the search only.
    await page.keyboard.press('Enter');
    const search = record.getByRole('searchbox', { name: /Search Contacts, Leads and Accounts/ });
    await tabTo(search);
    await page.keyboard.type('Lee');
    const results = record.getByRole('group', { name: 'Search results' });
    await results.waitFor({ timeout: LONG });
    await page.keyboard.press('Escape');
    await results.waitFor({ state: 'detached', timeout: LONG });
    assert.equal(await search.inputValue(), '');
    assert.ok(await panel.isVisible(), 'the panel stays open');
    assert.ok(await focused(search), 'the focus stays in the search box');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: LONG });
    await changeLink.waitFor({ timeout: LONG });
    assert.ok(await focused(changeLink), 'the second Escape closes');
    assert.deepEqual(browser!.pageErrors, []);
  });
});
