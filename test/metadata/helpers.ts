import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkById, contextFor, type CheckContext } from '../../scripts/metadata/checks';

export const PROJECT = join(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');
export const BROKEN = join(FIXTURES, 'broken');
const DEFAULT = 'force-app/main/default';

export interface Sandbox {
  /** The package directory (…/force-app) to check. */
  dir: string;
  root: string;
  /** Copy a fixture file over (or next to) a package file, path relative to force-app/main/default. */
  put(fixture: string, rel: string): void;
  /** Copy a fixture file to a path relative to the project root. */
  putAtRoot(fixture: string, rel: string): void;
  write(rel: string, content: string): void;
  remove(rel: string): void;
  context(overrides?: Partial<Omit<CheckContext, 'pkg'>>): CheckContext;
  run(checkId: string, overrides?: Partial<Omit<CheckContext, 'pkg'>>): Promise<string[]>;
  dispose(): void;
}

/**
 * A throw-away copy of the package metadata as committed, with stub LWC bundles standing in for
 * the components (written in parallel by another part of the project) so the checks see a
 * complete package; tests then break one thing and look for the problem it must cause.
 */
export function sandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'aircall-metadata-'));
  const dir = join(root, 'force-app');
  const target = join(root, DEFAULT);
  mkdirSync(target, { recursive: true });
  cpSync(join(PROJECT, DEFAULT), target, {
    recursive: true,
    filter: (src) => !src.startsWith(join(PROJECT, DEFAULT, 'lwc')),
  });
  cpSync(join(FIXTURES, 'lwc-stubs'), join(target, 'lwc'), { recursive: true });
  // The components' label imports (not their code): the custom-labels check needs them.
  const lwcRoot = join(PROJECT, DEFAULT, 'lwc');
  for (const bundle of readdirSync(lwcRoot)) {
    if (!existsSync(join(lwcRoot, bundle, `${bundle}.ts`))) continue;
    // Every source file of the bundle (a bundle may keep its labels in a module of its own).
    const imports = readdirSync(join(lwcRoot, bundle))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .flatMap((f) => [
        ...readFileSync(join(lwcRoot, bundle, f), 'utf8').matchAll(
          /^import \w+ from '@salesforce\/label\/[\w.]+';$/gm,
        ),
      ]);
    mkdirSync(join(target, 'lwc', bundle), { recursive: true });
    const meta = join(lwcRoot, bundle, `${bundle}.js-meta.xml`);
    const stubMeta = join(target, 'lwc', bundle, `${bundle}.js-meta.xml`);
    if (!existsSync(stubMeta)) copyFileSync(meta, stubMeta);
    writeFileSync(join(target, 'lwc', bundle, 'labels.js'), imports.map((m) => m[0]).join('\n'));
  }
  copyFileSync(join(PROJECT, '.forceignore'), join(root, '.forceignore'));
  cpSync(join(PROJECT, 'config'), join(root, 'config'), { recursive: true });
  const box: Sandbox = {
    dir,
    root,
    put(fixture, rel) {
      mkdirSync(dirname(join(target, rel)), { recursive: true });
      copyFileSync(join(BROKEN, fixture), join(target, rel));
    },
    putAtRoot(fixture, rel) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      copyFileSync(join(BROKEN, fixture), join(root, rel));
    },
    write(rel, content) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), content);
    },
    remove(rel) {
      rmSync(join(target, rel), { recursive: true, force: true });
    },
    context: (overrides) => contextFor(dir, overrides),
    run: async (checkId, overrides) => checkById(checkId).run(contextFor(dir, overrides)),
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  return box;
}

/** True when some problem line contains every fragment. */
export function reports(problems: string[], ...fragments: string[]): boolean {
  return problems.some((p) => fragments.every((f) => p.includes(f)));
}
