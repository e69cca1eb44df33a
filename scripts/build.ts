/**
 * `npm run build`: compiles the LWC TypeScript and writes a deployable Metadata API folder to
 * dist/mdapi (package.xml included). Deploy it with `npm run deploy -- --target-org ALIAS` or
 * `sf project deploy start --metadata-dir dist/mdapi`.
 */
import { relative } from 'node:path';
import { buildPackage } from './metadata/build-package';

async function main(): Promise<void> {
  const projectDir = process.cwd();
  const result = await buildPackage({ projectDir, log: (line) => console.log(line) });
  console.log(`wrote ${relative(projectDir, result.mdapiDir)}/package.xml:`);
  const width = Math.max(...Object.keys(result.counts).map((t) => t.length));
  for (const [type, count] of Object.entries(result.counts)) {
    console.log(`  ${type.padEnd(width)}  ${count}`);
  }
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  console.log(`${total} components, no TypeScript inside.`);
}

main().catch((error: unknown) => {
  console.error(`Build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
