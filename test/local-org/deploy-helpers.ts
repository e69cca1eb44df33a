/**
 * Deploys a Metadata API folder to a local org the way `npm run deploy` and `sf project deploy
 * start --metadata-dir` do: @salesforce/source-deploy-retrieve's MetadataApiDeploy on a
 * @salesforce/core connection (jsforce's SOAP Metadata API client underneath).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, Connection } from '@salesforce/core';
import { Connection as JsforceConnection } from 'jsforce';
import { MetadataApiDeploy } from '@salesforce/source-deploy-retrieve';
import type { LocalOrg } from '../../dev/local-org';

const PERMSETS = join(__dirname, '..', '..', 'force-app', 'main', 'default', 'permissionsets');

// @salesforce/core logs to a file under HOME unless told not to.
process.env.SF_DISABLE_LOG_FILE = 'true';

export interface DeployMessage {
  componentType: string;
  fullName: string;
  fileName: string;
  created: string | boolean;
  problem?: string;
  problemType?: string;
}

export interface DeployOutcome {
  id: string;
  status: string;
  success: boolean;
  done: boolean;
  checkOnly: boolean;
  runTestsEnabled: boolean;
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  numberTestsTotal: number;
  successes: DeployMessage[];
  failures: DeployMessage[];
}

const list = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export async function deployTo(
  org: LocalOrg,
  mdapiPath: string,
  apiOptions: {
    checkOnly?: boolean;
    testLevel?: 'NoTestRun' | 'RunLocalTests';
    rollbackOnError?: boolean;
  } = {},
  opts: { cancel?: boolean } = {},
): Promise<DeployOutcome> {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: {
      accessToken: org.accessToken,
      instanceUrl: org.instanceUrl,
      loginUrl: org.instanceUrl,
    },
  });
  const connection = await Connection.create({ authInfo });
  const deploy = new MetadataApiDeploy({
    usernameOrConnection: connection,
    mdapiPath,
    apiOptions: {
      rollbackOnError: true,
      singlePackage: true,
      testLevel: 'NoTestRun',
      ...apiOptions,
    },
  });
  await deploy.start();
  if (opts.cancel) await deploy.cancel();
  const result = await deploy.pollStatus(50, 120);
  const r = result.response;
  const details = r.details ?? {};
  const asNumber = (v: unknown): number => Number(v);
  return {
    id: r.id,
    status: r.status,
    success: String(r.success) === 'true',
    done: String(r.done) === 'true',
    checkOnly: String(r.checkOnly) === 'true',
    runTestsEnabled: String(r.runTestsEnabled) === 'true',
    numberComponentsTotal: asNumber(r.numberComponentsTotal),
    numberComponentsDeployed: asNumber(r.numberComponentsDeployed),
    numberComponentErrors: asNumber(r.numberComponentErrors),
    numberTestsTotal: asNumber(r.numberTestsTotal),
    successes: list(details.componentSuccesses as DeployMessage | DeployMessage[] | undefined),
    failures: list(details.componentFailures as DeployMessage | DeployMessage[] | undefined),
  };
}

/**
 * Deploys the package's permission sets (force-app's files are already in Metadata API format) to
 * an org started from force-app, and assigns `assign` to the integration user the way `sf org
 * assign permset` does (a PermissionSet looked up by Name, a PermissionSetAssignment created).
 */
export async function deployPermissionSets(org: LocalOrg, assign: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'permsets-'));
  try {
    const names = readdirSync(PERMSETS).map((f) => f.replace('.permissionset-meta.xml', ''));
    mkdirSync(join(dir, 'permissionsets'));
    for (const n of names)
      copyFileSync(
        join(PERMSETS, `${n}.permissionset-meta.xml`),
        join(dir, 'permissionsets', `${n}.permissionset`),
      );
    writeFileSync(
      join(dir, 'package.xml'),
      `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types>${names.map((n) => `<members>${n}</members>`).join('')}<name>PermissionSet</name></types><version>66.0</version></Package>`,
    );
    const outcome = await deployTo(org, dir);
    if (outcome.status !== 'Succeeded') throw new Error(JSON.stringify(outcome.failures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const conn = new JsforceConnection({
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    version: '66.0',
  });
  const user = (await conn.identity()).user_id;
  for (const name of assign) {
    const ps = await conn.query<{ Id: string }>(
      `SELECT Id FROM PermissionSet WHERE Name='${name}'`,
    );
    await conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user, PermissionSetId: ps.records[0]!.Id });
  }
}
