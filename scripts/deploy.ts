/**
 * `npm run deploy -- --target-org ALIAS [--dry-run] [--wait MINUTES]`
 *
 * Builds the package (npm run build) and deploys dist/mdapi to an org with
 * @salesforce/source-deploy-retrieve, the library the `sf` CLI itself deploys with. The org is
 * resolved by @salesforce/core exactly as `sf` resolves it: an alias or username you authorised
 * with `npm run sf -- org login web|jwt`.
 *
 * Why the library and not `sf project deploy start`: the deployable folder is built here (LWC
 * TypeScript compiled to JavaScript, `.ts` kept out), so the script deploys that folder in-process
 * and prints its own per-component problems without starting a second CLI (≈ 3 s of CPU) or parsing
 * its output. `npm run sf -- project deploy start --metadata-dir dist/mdapi` deploys the same folder.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthInfo, Connection, Org } from '@salesforce/core';
import { MetadataApiDeploy } from '@salesforce/source-deploy-retrieve';
import { buildPackage } from './metadata/build-package';

const USAGE = `Usage: npm run deploy -- --target-org ALIAS [--dry-run] [--wait MINUTES]

  --target-org, -o  alias or username of an org authorised with \`sf org login\`
                    (or set SF_INSTANCE_URL and SF_ACCESS_TOKEN instead)
  --dry-run         validate the deployment without saving it (checkOnly)
  --wait            minutes to wait for the deployment (default 33)

Builds dist/mdapi first. Log in to the org once with the project's sf CLI:
  npm run sf -- org login web --alias my-org`;

interface DeployMessage {
  problem?: string;
  fullName?: string;
  componentType?: string;
  fileName?: string;
  lineNumber?: string | number;
}

async function connect(target: string | undefined): Promise<Connection> {
  const instanceUrl = process.env.SF_INSTANCE_URL;
  const accessToken = process.env.SF_ACCESS_TOKEN;
  if (!target && instanceUrl && accessToken) {
    const authInfo = await AuthInfo.create({
      accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl },
    });
    return Connection.create({ authInfo });
  }
  if (!target)
    throw new UsageError(
      'Say which org to deploy to: --target-org ALIAS (or set SF_INSTANCE_URL and SF_ACCESS_TOKEN).',
    );
  try {
    const org = await Org.create({ aliasOrUsername: target });
    return org.getConnection();
  } catch (error) {
    throw new Error(
      `No authorised org called "${target}" (${error instanceof Error ? error.message : String(error)}). ` +
        `Log in first: sf org login web --alias ${target}`,
    );
  }
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'target-org': { type: 'string', short: 'o' },
      'dry-run': { type: 'boolean', default: false },
      wait: { type: 'string', default: '33' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const waitMinutes = Number(values.wait);
  if (!Number.isFinite(waitMinutes) || waitMinutes <= 0)
    throw new UsageError('--wait takes a number of minutes, e.g. --wait 10.');

  const projectDir = process.cwd();
  const build = await buildPackage({ projectDir, log: (line) => console.log(line) });
  const connection = await connect(values['target-org']);
  console.log(
    `${values['dry-run'] ? 'Validating' : 'Deploying'} ${relative(projectDir, build.mdapiDir)} to ${connection.getUsername() ?? connection.instanceUrl}...`,
  );
  const deploy = new MetadataApiDeploy({
    usernameOrConnection: connection,
    mdapiPath: build.mdapiDir,
    apiOptions: {
      checkOnly: values['dry-run'],
      rollbackOnError: true,
      testLevel: 'NoTestRun',
      singlePackage: true,
    },
  });
  await deploy.start();
  const result = await deploy.pollStatus(2000, waitMinutes * 60);
  const response = result.response;
  const failures = ([] as DeployMessage[]).concat(
    (response.details?.componentFailures as DeployMessage | DeployMessage[] | undefined) ?? [],
  );
  for (const f of failures) {
    console.log(
      `  ${f.componentType ?? ''} ${f.fullName ?? ''}${f.lineNumber ? ` (line ${f.lineNumber})` : ''}: ${f.problem ?? ''}`,
    );
  }
  console.log(
    `${response.status}: ${response.numberComponentsDeployed}/${response.numberComponentsTotal} components, ${response.numberComponentErrors} error(s)${values['dry-run'] ? ' (dry run, nothing saved)' : ''}.`,
  );
  return response.success ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`Deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
