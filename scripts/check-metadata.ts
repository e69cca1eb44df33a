/**
 * `npm run test:metadata [-- --dir PATH]`: checks the package metadata the way an org would reject it,
 * before any org is involved. One line per check; exit 1 when any check finds a problem.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { contextFor, runChecks } from './metadata/checks';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'force-app' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('Usage: npm run test:metadata [-- --dir force-app]');
    return 0;
  }
  const dir = resolve(values.dir);
  const results = await runChecks(contextFor(dir));
  let failed = 0;
  for (const result of results) {
    if (result.problems.length === 0) {
      console.log(`ok    ${result.id}: ${result.title}`);
      continue;
    }
    failed += 1;
    console.log(
      `FAIL  ${result.id}: ${result.title} (${result.problems.length} problem${result.problems.length > 1 ? 's' : ''})`,
    );
    for (const problem of result.problems) console.log(`        - ${problem}`);
  }
  console.log(
    failed === 0
      ? `${results.length} metadata checks passed.`
      : `${failed} of ${results.length} metadata checks failed; fix the files listed above.`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
