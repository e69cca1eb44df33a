/**
 * The console on an org with Person Accounts, in Chromium (playwright-core, Debian's chromium as
 * in console.test.ts): a Person Account's record page is headed by the person's name as a Person
 * Account and lists the person's calls, each naming the person (the call's Contact is the person
 * contact). The org is the local org's Person Accounts mode; the calls are written through its REST
 * API as the connector writes them (Account__c and Contact__c = the account and its person contact).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import {
  browserSkip,
  consoleInBrowser,
  LONG,
  orgRest,
  OUT,
  type ConsoleInBrowser,
  type OrgRest,
} from './browser';

describe(
  'console: a Person Account page with its calls',
  { skip: browserSkip, timeout: 2 * LONG },
  () => {
    let org: LocalOrg;
    let browser: ConsoleInBrowser | undefined;
    let page: Page;
    let rest: OrgRest;
    let account = '';
    const calls: string[] = [];

    before(async () => {
      org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR, personAccounts: true });
      rest = orgRest(org);
      const types = await rest<{ records: { Id: string }[] }>(
        'GET',
        `/query?q=${encodeURIComponent("SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true")}`,
      );
      account = (
        await rest<{ id: string }>('POST', '/sobjects/Account', {
          RecordTypeId: types.records[0]!.Id,
          FirstName: 'Lucía',
          LastName: 'García',
          PersonMobilePhone: '+34 612 34 56 78',
          Phone: '+34 612 34 56 78',
        })
      ).id;
      const { PersonContactId } = await rest<{ PersonContactId: string }>(
        'GET',
        `/sobjects/Account/${account}?fields=PersonContactId`,
      );
      for (const [id, type, direction, started] of [
        ['9500001', 'Answered', 'Inbound', '2026-11-27T08:00:00.000Z'],
        ['9500002', 'Missed', 'Inbound', '2026-11-27T09:30:00.000Z'],
      ] as const) {
        const created = await rest<{ id: string }>('POST', '/sobjects/Aircall_Voice__c', {
          Aircall_Call_Id__c: id,
          Status__c: 'Ended',
          Call_Type__c: type,
          Direction__c: direction,
          Started_At__c: started,
          Talk_Seconds__c: type === 'Answered' ? 95 : 0,
          Total_Seconds__c: 120,
          Customer_Number__c: '+34612345678',
          Account__c: account,
          Contact__c: PersonContactId,
          Match_Reason__c:
            'Matched: one Person Account has this number (its PersonMobilePhone "+34 612 34 56 78")',
        });
        calls.push(created.id);
      }
      browser = await consoleInBrowser(org);
      page = browser.page;
    });

    after(async () => {
      await browser?.close();
      await org?.close();
    });

    it("heads the page with the person's name as a Person Account and lists the person's calls", async () => {
      await page.goto(`${browser!.console.url}/#/record/${account}`);
      const header = page.locator('[data-page="record"][data-object="Account"]');
      await header.waitFor({ timeout: LONG });
      assert.equal((await header.locator('h1').innerText()).trim(), 'Lucía García');
      assert.match(await header.locator('p').innerText(), /^Person Account · \+34 612 34 56 78$/);
      for (const id of calls)
        await page
          .locator(`c-aircall-voice-record a[data-record-id="${id}"]`)
          .first()
          .waitFor({ timeout: LONG });
      const rows = page.locator('c-aircall-voice-record .related-call');
      assert.equal(await rows.count(), 2);
      // Each call names the person: the call's Contact is the person contact.
      for (const row of await rows.all())
        assert.equal((await row.locator('.related-person').innerText()).trim(), 'Lucía García');
      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: path.join(OUT, 'person-account-1280.png'), fullPage: true });
      assert.deepEqual(browser!.pageErrors, []);
    });
  },
);
