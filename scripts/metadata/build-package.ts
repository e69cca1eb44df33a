import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { FORBIDDEN_IN_DEPLOY } from './checks';
import { childText, childrenNamed, parseXml } from './xml';

/**
 * Source (force-app, TypeScript LWC) -> Metadata API folder the org accepts:
 *   1. copy the package directory to a staging folder;
 *   2. compile each LWC bundle's TypeScript to JavaScript beside it with plain `tsc`, which keeps
 *      the standard decorators (@api, @wire) the platform's LWC compiler expects;
 *   3. drop TypeScript, tsconfig and tests from the staging copy;
 *   4. convert it with @salesforce/source-deploy-retrieve (the library behind `sf project convert`).
 */

export interface BuildOptions {
  /** Project root (holds sfdx-project.json and .forceignore). */
  projectDir: string;
  /** Package directory to build, relative to projectDir. */
  packageDir?: string;
  /** Output root; staging goes to <outDir>/source, the Metadata API folder to <outDir>/mdapi. */
  outDir?: string;
  log?: (line: string) => void;
}

export interface BuildResult {
  stagingDir: string;
  mdapiDir: string;
  packageXml: string;
  /** Metadata type -> member count, from package.xml. */
  counts: Record<string, number>;
  compiledTs: number;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function tscBinary(projectDir: string): string {
  const local = join(projectDir, 'node_modules', 'typescript', 'bin', 'tsc');
  return existsSync(local) ? local : require.resolve('typescript/bin/tsc');
}

/** Compile the LWC TypeScript of `sourceLwcDir` into `stagingLwcDir`. Returns how many .ts files were compiled. */
function compileLwc(
  projectDir: string,
  sourceLwcDir: string,
  stagingLwcDir: string,
  workDir: string,
): number {
  const tsFiles = walk(sourceLwcDir).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/[\\/]__tests__[\\/]/.test(f),
  );
  if (tsFiles.length === 0) return 0;
  const baseConfig = join(sourceLwcDir, 'tsconfig.json');
  if (!existsSync(baseConfig)) {
    throw new Error(
      `${relative(projectDir, sourceLwcDir)} has TypeScript components but no tsconfig.json. ` +
        'Add force-app/main/default/lwc/tsconfig.json (target ESNext, standard decorators) and run the build again.',
    );
  }
  // A generated config narrows the LWC one to component sources (tests and shared test helpers
  // stay out, since they live outside rootDir) and turns emit on.
  const config = {
    extends: baseConfig,
    compilerOptions: {
      noEmit: false,
      outDir: stagingLwcDir,
      rootDir: sourceLwcDir,
      declaration: false,
      sourceMap: false,
      inlineSourceMap: false,
      incremental: false,
    },
    include: [join(sourceLwcDir, '**/*.ts'), join(projectDir, 'force-app/types/**/*.d.ts')],
    exclude: [join(sourceLwcDir, '**/__tests__/**'), join(sourceLwcDir, '**/*.test.ts')],
  };
  const configPath = join(workDir, 'tsconfig.lwc-build.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  try {
    execFileSync(process.execPath, [tscBinary(projectDir), '-p', configPath], {
      stdio: 'pipe',
      cwd: projectDir,
    });
  } catch (error) {
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `TypeScript compilation of the LWC components failed; fix these errors and build again:\n${String(out.stdout ?? '')}${String(out.stderr ?? '')}`,
    );
  }
  for (const ts of tsFiles) {
    const js = join(stagingLwcDir, relative(sourceLwcDir, ts)).replace(/\.ts$/, '.js');
    if (!existsSync(js))
      throw new Error(
        `tsc produced no ${relative(projectDir, js)} for ${relative(projectDir, ts)}.`,
      );
  }
  return tsFiles.length;
}

/** Remove what must never reach the org from the staging copy. */
function stripNonDeployable(stagingDir: string): void {
  for (const file of walk(stagingDir)) {
    if (FORBIDDEN_IN_DEPLOY.test(file) || file.endsWith('.d.ts')) rmSync(file, { force: true });
  }
  const removeTests = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!statSync(path).isDirectory()) continue;
      if (entry === '__tests__') rmSync(path, { recursive: true, force: true });
      else removeTests(path);
    }
  };
  removeTests(stagingDir);
}

export function countsFromPackageXml(xml: string): Record<string, number> {
  const parsed = parseXml(xml);
  if (!parsed.ok) throw new Error(`package.xml is not well-formed: ${parsed.error}`);
  const counts: Record<string, number> = {};
  for (const types of childrenNamed(parsed.root, 'types')) {
    counts[childText(types, 'name') ?? '?'] = childrenNamed(types, 'members').length;
  }
  return counts;
}

function sourceApiVersion(projectDir: string): string | undefined {
  const path = join(projectDir, 'sfdx-project.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { sourceApiVersion?: string }).sourceApiVersion;
}

export async function buildPackage(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => undefined);
  const projectDir = resolve(options.projectDir);
  const packageDir = options.packageDir ?? 'force-app';
  const sourceDir = join(projectDir, packageDir);
  const outDir = resolve(projectDir, options.outDir ?? 'dist');
  const stagingRoot = join(outDir, 'source');
  const stagingDir = join(stagingRoot, packageDir);
  const mdapiDir = join(outDir, 'mdapi');
  if (!existsSync(sourceDir))
    throw new Error(`No package directory at ${sourceDir}; run the build from the project root.`);

  rmSync(stagingRoot, { recursive: true, force: true });
  rmSync(mdapiDir, { recursive: true, force: true });
  mkdirSync(stagingRoot, { recursive: true });
  cpSync(sourceDir, stagingDir, {
    recursive: true,
    filter: (src) => basename(src) !== '__tests__',
  });
  // SDR reads the nearest .forceignore above the files; give the staging copy the project's rules.
  const forceignore = join(projectDir, '.forceignore');
  if (existsSync(forceignore)) copyFileSync(forceignore, join(stagingRoot, '.forceignore'));
  log(`staged ${packageDir} in ${relative(projectDir, stagingDir)}`);

  let compiledTs = 0;
  for (const lwcDir of walk(sourceDir)
    .filter((f) => basename(f) === 'tsconfig.json' || f.endsWith('.ts'))
    .map((f) => {
      const parts = relative(sourceDir, f).split(/[\\/]/);
      const i = parts.indexOf('lwc');
      return i >= 0 ? join(sourceDir, ...parts.slice(0, i + 1)) : undefined;
    })
    .filter((d, i, all): d is string => d !== undefined && all.indexOf(d) === i)) {
    const staged = join(stagingDir, relative(sourceDir, lwcDir));
    compiledTs += compileLwc(projectDir, lwcDir, staged, stagingRoot);
  }
  log(`compiled ${compiledTs} TypeScript file${compiledTs === 1 ? '' : 's'} to JavaScript`);
  stripNonDeployable(stagingDir);

  const set = ComponentSet.fromSource(stagingDir);
  const version = sourceApiVersion(projectDir);
  if (version) set.sourceApiVersion = version;
  await new MetadataConverter().convert(set, 'metadata', {
    type: 'directory',
    outputDirectory: mdapiDir,
    genUniqueDir: false,
  });
  const leaked = walk(mdapiDir).filter((f) => FORBIDDEN_IN_DEPLOY.test(f));
  if (leaked.length > 0) {
    throw new Error(
      `The build would deploy files the org rejects: ${leaked.map((f) => relative(projectDir, f)).join(', ')}`,
    );
  }
  const packageXmlPath = join(mdapiDir, 'package.xml');
  if (!existsSync(packageXmlPath))
    throw new Error(`Conversion wrote no ${relative(projectDir, packageXmlPath)}.`);
  const packageXml = readFileSync(packageXmlPath, 'utf8');
  return { stagingDir, mdapiDir, packageXml, counts: countsFromPackageXml(packageXml), compiledTs };
}
