import {
  describePersonAccounts,
  detectPersonAccounts,
  personAccountSettingsProblem,
} from '../salesforce/person-accounts';
import { AircallApi } from '../aircall/api';
import { readConfig } from '../config';
import { SETTINGS_SOQL, USERS_SOQL } from '../connector/context';
import { parseSettings, userMatcher } from '../engine';
import { SqliteInbox } from '../inbox/sqlite';
import { describeInbox, isPostgresUrl, openInbox } from '../inbox/open';
import type { PostgresInbox } from '../inbox/postgres';
import { signTelephonyJwt } from '../salesforce/telephony';
import { detectPackage, packageProblem } from '../salesforce/package';
import { existsSync } from 'node:fs';
import { inboxPath, openOrg, printJson, type CommandContext } from './common';
import { parse } from './flags';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** `aircall-sfv doctor` — auth, metadata deployed, settings present, contact center reachable. */
export async function doctor({ args, io }: CommandContext): Promise<number> {
  const { values } = parse(args, {});
  const checks: Check[] = [];
  const check = async (name: string, fn: () => Promise<string> | string) => {
    try {
      checks.push({ name, ok: true, detail: await fn() });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message });
    }
  };
  const org = await openOrg(values, io);
  try {
    await check('auth', async () => {
      const limits = await org.client.limits();
      const daily = limits.DailyApiRequests;
      return `connected to ${org.label}${daily ? `; ${daily.Max - daily.Remaining}/${daily.Max} daily API requests used` : ''}`;
    });
    await check('api budget', () => {
      const budget = org.client.budget;
      if (budget.state === 'paused')
        throw new Error(`${budget.describe()} — the connector is holding back.`);
      return budget.describe();
    });
    await check('event allocations', async () => {
      // Platform Events Developer Guide, "Platform Event Allocations": publishing is hourly,
      // delivery is per subscribed client over 24 hours (change events included).
      const limits = await org.client.limits();
      const published = limits.HourlyPublishedPlatformEvents;
      const delivered = limits.DailyDeliveredPlatformEvents;
      const clients = limits.DurableStreamingApiConcurrentClients;
      const used = (l: { Max: number; Remaining: number }) => `${l.Max - l.Remaining}/${l.Max}`;
      const problems: string[] = [];
      if (published && published.Remaining <= 0)
        problems.push(
          `the hourly publishing allocation is used up (${used(published)}): agent status events are refused (LIMIT_EXCEEDED) until it refills; calls are still logged`,
        );
      if (delivered && delivered.Remaining <= 0)
        problems.push(
          `the 24-hour delivery allocation is used up (${used(delivered)}): streaming subscribers (Omni-Channel → Aircall among them, and every other app of the org) are disconnected until it refills; calls are still logged`,
        );
      if (problems.length > 0) throw new Error(problems.join('; '));
      const parts = [
        published && `${used(published)} events published this hour`,
        delivered && `${used(delivered)} deliveries in 24 h`,
        clients && `${used(clients)} streaming clients`,
      ].filter(Boolean);
      return parts.length ? parts.join(', ') : 'the org does not report event allocations';
    });
    await check('package', async () => {
      // Names each missing object, field and platform event; also sets the org's names on the
      // client, so the checks below read the package under its namespace.
      const pkg = await detectPackage(org.client, org.namespace);
      if (pkg.how === 'not found' || pkg.missing.length > 0) throw new Error(packageProblem(pkg));
      return pkg.names.namespace
        ? `installed with the namespace ${pkg.names.namespace} (${pkg.how}); every object, field and event the connector uses is there`
        : `deployed without a namespace (${pkg.how === 'forced' ? 'forced' : 'a developer deploy'}); every object, field and event the connector uses is there`;
    });
    await check('settings', async () => {
      const [record] = await org.client.query(SETTINGS_SOQL);
      const { settings, warnings } = parseSettings(record ?? null);
      if (warnings.length > 0) throw new Error(warnings.join(' '));
      return record
        ? `log ${settings.logCalls}, unknown numbers: ${settings.unknownNumberAction}, match ${settings.matchOrder.join(' > ')}`
        : 'no Aircall_Settings__c record yet: defaults apply until an admin saves the Aircall Setup page';
    });
    await check('person accounts', async () => {
      const [found, [record]] = await Promise.all([
        detectPersonAccounts(org.client),
        org.client.query(SETTINGS_SOQL),
      ]);
      const { settings } = parseSettings(record ?? null);
      const problem = personAccountSettingsProblem(
        found,
        settings.unknownNumberAction,
        settings.personAccountRecordType,
      );
      if (problem) throw new Error(problem);
      return describePersonAccounts(found, settings.personAccountRecordType);
    });
    await check('agents', async () => {
      const aircall = AircallApi.fromConfig(
        readConfig(['aircallApiId', 'aircallApiToken', 'aircallApiUrl'], { env: io.env }),
      );
      if (!aircall)
        return 'not checked: set AIRCALL_API_ID and AIRCALL_API_TOKEN to compare Aircall users with Salesforce users';
      const [people, rows] = await Promise.all([
        aircall.listUsers(),
        org.client.query<{ Id: string; Email: string | null; Aircall_User_Id__c?: string | null }>(
          USERS_SOQL,
        ),
      ]);
      const match = userMatcher(
        rows.map((u) => ({
          Id: u.Id,
          Email: u.Email,
          AircallUserId: u.Aircall_User_Id__c ?? null,
        })),
      );
      const unmatched = people.filter((p) => !match({ id: p.id, email: p.email ?? null }));
      if (unmatched.length > 0)
        throw new Error(
          `${unmatched.length} of ${people.length} Aircall user(s) match no active Salesforce user by Aircall user id or e-mail, so their calls have no Agent: ` +
            unmatched
              .map((p) => `${p.name ?? ''} <${p.email ?? 'no e-mail'}> (id ${String(p.id)})`)
              .join(', ') +
            '. Set User.Aircall_User_Id__c to the id, or give both the same e-mail.',
        );
      return `${people.length} Aircall user(s), each matched to a Salesforce user`;
    });
    await check('contact center', async () => {
      const t = org.telephony;
      if (!t)
        throw new Error(
          'not configured: set SCV_TELEPHONY_URL, SCV_CALL_CENTER_API_NAME and SCV_PRIVATE_KEY_FILE.',
        );
      signTelephonyJwt(t); // proves the private key is usable
      const response = await fetch(t.baseUrl, { method: 'GET', signal: AbortSignal.timeout(5000) });
      return `${t.callCenterApiName} at ${t.baseUrl} answers (HTTP ${response.status}); JWT signing works`;
    });
    await check('inbox', async () => {
      const file = inboxPath(values, org, io.env);
      const shared = isPostgresUrl(file);
      if (!shared && !existsSync(file)) return 'no inbox yet (nothing received from this machine)';
      const inbox = shared ? await openInbox(file) : new SqliteInbox(file);
      try {
        const c = await inbox.counts();
        if (c.dead > 0) throw new Error(`${c.dead} dead letter(s): see aircall-sfv dead-letters`);
        const counts = `${c.pending} pending, ${c.done} applied, ${c.skipped} skipped`;
        if (!shared) return counts;
        const p = await (inbox as PostgresInbox).sharing();
        return (
          `${describeInbox(file)}: ${counts}; ${p.processes} connector process(es) connected` +
          ` (${p.connections} connection(s)); ${p.liveClaims} call(s) in a batch now` +
          (p.expiredClaims > 0
            ? `, ${p.expiredClaims} claim(s) of a stopped process expired (their calls are taken over)`
            : '')
        );
      } finally {
        await inbox.close();
      }
    });
  } finally {
    await org.close();
  }
  const ok = checks.every((c) => c.ok);
  if (values.json) printJson(io, { ok, checks });
  else for (const c of checks) io.out.write(`${c.ok ? '✔' : '✖'} ${c.name}: ${c.detail}\n`);
  return ok ? 0 : 1;
}
