/**
 * Deploys a Metadata API folder to a local org the way `npm run deploy` and `sf project deploy
 * start --metadata-dir` do: @salesforce/source-deploy-retrieve's MetadataApiDeploy on a
 * @salesforce/core connection (jsforce's SOAP Metadata API client underneath).
 */
import { AuthInfo, Connection } from '@salesforce/core';
import { MetadataApiDeploy } from '@salesforce/source-deploy-retrieve';
import type { LocalOrg } from '../../src/local-org';

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
