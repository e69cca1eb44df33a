/**
 * `aircall-sfv` — the connector's command line. sf-style flags (`--target-org/-o`, `--json`),
 * exit status 0 success, 1 failure, 2 usage error (README "The `aircall-sfv` command").
 */
import { UsageError } from './flags';
import { ConfigError, readConfig } from '../config';
import { printJson, type Command, type Io } from './common';
import { OrgResolutionError } from '../salesforce/org';

const HELP = `aircall-sfv — logs Aircall calls into Salesforce Service Cloud Voice

Usage: aircall-sfv <command> [flags]

Commands:
  start [--target-org ALIAS|local] [--port N] [--demo|--no-demo]   run the connector (npm start)
        [--console-port N|--no-console]                            … and the console (default port 8788)
  replay FILE.ndjson [--target-org ALIAS|local]                     feed recorded webhooks, wait until applied
  local-org [--port N] [--db FILE] [--seed FILE] [--json]           run the embedded local org alone
        [--namespace NS]                                           … with the package installed under NS (aircallsfv)
        [--schema none] [--user-profile PROFILE]                   … empty (deploy the package to it); the user's profile
  query "SOQL" [--target-org ALIAS|local]                           run a SOQL query
  doctor [--target-org ALIAS|local]                                 check auth, package (names each missing component), settings, contact center
  dead-letters [--retry]                                            list (or replay) events that failed for good
  backfill --since DATE [--until DATE]                              import calls from Aircall's API
  explain --number N [--at TIME]                                    what the rules would do for a call

Common flags: --target-org/-o ALIAS (an sf alias or username, or "local"), --json, --inbox FILE,
--namespace NS (the package namespace, e.g. aircallsfv; "" = none; default: detected, or AIRCALL_SFV_NAMESPACE).
Environment: SF_INSTANCE_URL + SF_ACCESS_TOKEN select an org directly; AIRCALL_WEBHOOK_TOKENS lists the
webhook tokens accepted (comma-separated); every variable is in README.md, "Environment variables".
`;

/*
 * Each command is loaded when it runs, not before: `start` then never loads the local org's
 * server, `doctor`'s checks or `backfill`'s Aircall client, which keeps the connector's resident
 * memory down (docs/RELIABILITY.md, "Soak"). `require`, not `import()`: the CLI registers tsx's
 * CommonJS hook only, and the prebuilt bundle (bin/aircall-sfv.cjs) keeps these lazy as well.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  start: () => (require('./start') as typeof import('./start')).start,
  replay: () => (require('./replay') as typeof import('./replay')).replay,
  'local-org': () => (require('./local-org') as typeof import('./local-org')).localOrg,
  query: () => (require('./query') as typeof import('./query')).query,
  doctor: () => (require('./doctor') as typeof import('./doctor')).doctor,
  'dead-letters': () => (require('./dead-letters') as typeof import('./dead-letters')).deadLetters,
  backfill: () => (require('./backfill') as typeof import('./backfill')).backfill,
  explain: () => (require('./explain') as typeof import('./explain')).explainCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(
  argv: string[],
  io: Io = { out: process.stdout, err: process.stderr, env: process.env },
): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(HELP);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err.write(`Unknown command "${name}".\n\n${HELP}`);
    return 2;
  }
  const json = args.includes('--json');
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.out.write(HELP);
      return 0;
    }
    return await command()({ args, io });
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    const message = error instanceof Error ? error.message : String(error);
    if (json) printJson(io, { status: usage ? 2 : 1, error: message });
    else io.err.write(`${usage ? 'Usage error' : 'Error'}: ${message}\n`);
    if (!usage && !(error instanceof OrgResolutionError) && debugging(io))
      io.err.write(`${(error as Error).stack}\n`);
    return usage ? 2 : 1;
  }
}

function debugging(io: Io): boolean {
  try {
    return readConfig(['debug'], { env: io.env }).debug;
  } catch {
    return false;
  }
}
