import { clearLocalOrgState, writeLocalOrgState } from './local-org-resolver';
import type { UserProfile } from '../../dev/local-org/access';
import { printJson, type CommandContext } from './common';
import { parse, str } from './flags';
import { flagOptions, readConfig, type SettingName } from '../config';
import { untilStopRequested } from './signals';

/**
 * `aircall-sfv local-org [--port P] [--db FILE] [--seed FILE|none] [--search-lag-ms N]
 * [--daily-api-limit N] [--namespace NS] [--schema force-app|none] [--person-accounts]
 * [--user-profile PROFILE] [--json]` — the embedded org alone; `--schema none` starts it without
 * the package, to receive it by a Metadata API deploy; `--user-profile "Minimum Access - API Only
 * Integrations"` gives the integration user only what the permission sets assigned to it grant.
 * With --json the first stdout line is
 * `{"instanceUrl","accessToken","namespace","personAccounts"}` once it is ready (the scripting
 * contract); runs until SIGTERM. `--namespace aircallsfv` (or AIRCALL_SFV_NAMESPACE) loads the
 * package as a subscriber org has it installed as a managed package: every name prefixed.
 * `--person-accounts` enables Person Accounts.
 */
const LOCAL_ORG_SETTINGS = [
  'namespace',
  'localOrgPort',
  'localOrgSearchLagMs',
  'dailyApiLimit',
] as const satisfies readonly SettingName[];

export async function localOrg({ args, io }: CommandContext): Promise<number> {
  // The local org is a stand-in (dev/): loaded when this command runs, not with the CLI.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { USER_PROFILES } =
    require('../../dev/local-org/access') as typeof import('../../dev/local-org/access');
  const { startLocalOrg } =
    require('../../dev/local-org/server') as typeof import('../../dev/local-org/server');
  const { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } =
    require('../../dev/local-org/paths') as typeof import('../../dev/local-org/paths');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { values } = parse(args, {
    ...flagOptions(LOCAL_ORG_SETTINGS),
    db: { type: 'string' },
    seed: { type: 'string' },
    schema: { type: 'string' },
    'person-accounts': { type: 'boolean' },
    'user-profile': { type: 'string' },
  });
  const userProfile = str(values, 'user-profile') ?? 'System Administrator';
  if (!(USER_PROFILES as readonly string[]).includes(userProfile)) {
    io.err.write(
      `--user-profile takes ${USER_PROFILES.map((p) => `"${p}"`).join(' or ')} (the integration user's profile), not "${userProfile}".\n`,
    );
    return 2;
  }
  const schema = str(values, 'schema') ?? 'force-app';
  if (schema !== 'force-app' && schema !== 'none') {
    io.err.write(
      `--schema takes force-app (the package read from force-app at start, the default) or none (an empty org: deploy the package to it), not "${schema}".\n`,
    );
    return 2;
  }
  const config = readConfig(LOCAL_ORG_SETTINGS, { env: io.env, flags: values });
  const stopRequested = untilStopRequested({ env: io.env });
  const seed = str(values, 'seed');
  const namespace = config.namespace ?? '';
  const personAccounts = values['person-accounts'] === true;
  const org = await startLocalOrg({
    namespace,
    personAccounts,
    port: config.localOrgPort,
    dbFile: str(values, 'db'),
    metadataDir: PACKAGE_METADATA_DIR,
    schema,
    userProfile: userProfile as UserProfile,
    seedFile: seed === 'none' ? undefined : (seed ?? SAMPLE_SEED_FILE),
    searchIndexLagMs: config.localOrgSearchLagMs,
    dailyApiLimit: config.dailyApiLimit,
  });
  writeLocalOrgState({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    pid: process.pid,
  });
  if (values.json) {
    printJson(io, {
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      namespace,
      personAccounts,
    });
  } else {
    io.out.write(
      `Local org running at ${org.instanceUrl} (API v${org.apiVersion})\n` +
        (namespace
          ? `  Package installed with the namespace ${namespace}: ${namespace}__Aircall_Voice__c, Contact.${namespace}__Aircall_Phone_Key__c, /event/${namespace}__Aircall_Voice_Update__e\n`
          : '') +
        (personAccounts
          ? '  Person Accounts enabled: record type PersonAccount, Account.PersonMobilePhone, Account.PersonContactId\n'
          : '') +
        `  SF_INSTANCE_URL=${org.instanceUrl}\n  SF_ACCESS_TOKEN=${org.accessToken}\n` +
        `  sf CLI: ${sfLoginCommand(org.instanceUrl, org.accessToken)}\n` +
        `  Telephony API: ${org.telephony.baseUrl} (contact center ${org.telephony.callCenterApiName})\n` +
        'Stop with Ctrl-C.\n',
    );
  }
  await stopRequested;
  clearLocalOrgState(process.pid);
  await org.close();
  return 0;
}

/**
 * The one command that connects the `sf` CLI to a local org (the token is shaped
 * `<Organization Id>!<secret>`, as `sf org login access-token` requires). Then `sf … -o local`.
 */
export function sfLoginCommand(instanceUrl: string, accessToken: string): string {
  return `SF_ACCESS_TOKEN='${accessToken}' npm run sf -- org login access-token --instance-url ${instanceUrl} --no-prompt --alias local`;
}
