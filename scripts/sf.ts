/**
 * Where the project's Salesforce CLI (`sf`, @salesforce/cli, a devDependency) is installed, for the
 * scripts and tests that run it in-process or on the project's Node (`npm run sf -- …` runs the
 * `sf` binary from node_modules/.bin directly).
 */
import { join, resolve } from 'node:path';

/** The CLI's package folder (what oclif's `Config.load({ root })` takes). */
export const SF_PACKAGE_DIR = resolve(__dirname, '..', 'node_modules', '@salesforce', 'cli');
/** The CLI's entry point (`sf` is `node bin/run.js`). */
export const SF_RUN_JS = join(SF_PACKAGE_DIR, 'bin', 'run.js');
