/**
 * `npm run console:build`: builds the console's component bundle now (npm start would build it on
 * first use) and prints how long it took, in wall-clock time and CPU time. `--if-missing` keeps a
 * cached bundle for the current sources. `--namespace NS` builds it for an org where the package is
 * installed under NS (its schema imports resolve to `NS__…`).
 */
import { buildBundle } from '../dev/console/server/bundle';

async function main(): Promise<void> {
  const cpu = process.cpuUsage();
  const at = process.argv.indexOf('--namespace');
  const bundle = await buildBundle({
    projectDir: process.cwd(),
    force: !process.argv.includes('--if-missing'),
    namespace: at > 0 ? (process.argv[at + 1] ?? '') : '',
  });
  const used = process.cpuUsage(cpu);
  console.log(
    bundle.cached
      ? `console bundle ${bundle.hash} already built: ${bundle.file}`
      : `console bundle ${bundle.hash} built in ${(bundle.ms / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU: ${bundle.file}`,
  );
}

main().catch((error: unknown) => {
  console.error(`Console build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
