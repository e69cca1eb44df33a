import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { buildPackage } from '../../scripts/metadata/build-package';

const LWC = 'force-app/main/default/lwc';

/** A minimal SFDX project with one TypeScript LWC, written to a temp folder. */
function project(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'aircall-build-'));
  const all: Record<string, string> = {
    'sfdx-project.json': JSON.stringify({
      packageDirectories: [{ path: 'force-app', default: true }],
      sourceApiVersion: '66.0',
    }),
    '.forceignore': '**/*.ts\n**/tsconfig.json\n**/__tests__/**\n',
    [`${LWC}/tsconfig.json`]: JSON.stringify({
      compilerOptions: {
        target: 'ESNext',
        module: 'ESNext',
        moduleResolution: 'bundler',
        strict: true,
        noEmit: true,
        types: [],
      },
      include: ['**/*.ts'],
    }),
    // Stands in for the lwc typings so the fixture compiles without node_modules.
    [`${LWC}/lwc.d.ts`]:
      "declare module 'lwc' {\n  export class LightningElement {}\n  export function api(value: undefined, context: ClassFieldDecoratorContext): void;\n}\n",
    [`${LWC}/callBadge/callBadge.ts`]:
      "import { LightningElement, api } from 'lwc';\n\nexport default class CallBadge extends LightningElement {\n  @api callType: string = 'Answered';\n  get label(): string {\n    return this.callType.toUpperCase();\n  }\n}\n",
    [`${LWC}/callBadge/callBadge.html`]: '<template>{label}</template>\n',
    [`${LWC}/callBadge/callBadge.js-meta.xml`]:
      '<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>66.0</apiVersion>\n    <isExposed>false</isExposed>\n</LightningComponentBundle>\n',
    [`${LWC}/callBadge/__tests__/callBadge.test.ts`]: "it('renders', () => undefined);\n",
    'force-app/main/default/objects/Call_Note__c/Call_Note__c.object-meta.xml':
      '<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">\n    <deploymentStatus>Deployed</deploymentStatus>\n    <label>Call Note</label>\n    <nameField>\n        <label>Name</label>\n        <type>Text</type>\n    </nameField>\n    <pluralLabel>Call Notes</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n</CustomObject>\n',
    ...files,
  };
  for (const [rel, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('buildPackage', () => {
  it('compiles TypeScript components to JavaScript that keeps @api, and ships no TypeScript, tsconfig or tests', async () => {
    const root = project();
    roots.push(root);
    const result = await buildPackage({ projectDir: root });

    const files = walk(result.mdapiDir).map((f) => f.slice(result.mdapiDir.length + 1));
    assert.ok(files.includes('lwc/callBadge/callBadge.js'));
    assert.deepEqual(
      files.filter(
        (f) => f.endsWith('.ts') || f.endsWith('tsconfig.json') || f.includes('__tests__'),
      ),
      [],
    );
    const js = readFileSync(join(result.mdapiDir, 'lwc/callBadge/callBadge.js'), 'utf8');
    assert.match(js, /@api\s+callType/);
    assert.doesNotMatch(js, /: string/);
    assert.equal(result.compiledTs, 1);
  });

  it('writes a package.xml listing each component by type, at the project API version', async () => {
    const root = project();
    roots.push(root);
    const result = await buildPackage({ projectDir: root });
    assert.deepEqual(result.counts, { CustomObject: 1, LightningComponentBundle: 1 });
    assert.match(result.packageXml, /<version>66\.0<\/version>/);
    assert.ok(existsSync(join(result.mdapiDir, 'objects/Call_Note__c.object')));
  });

  it('refuses to build TypeScript components without the LWC tsconfig, saying what to add', async () => {
    const root = project();
    roots.push(root);
    rmSync(join(root, LWC, 'tsconfig.json'));
    await assert.rejects(
      buildPackage({ projectDir: root }),
      /has TypeScript components but no tsconfig\.json/,
    );
  });

  it('fails with the compiler errors when a component does not type-check', async () => {
    const root = project({
      [`${LWC}/callBadge/callBadge.ts`]:
        "import { LightningElement } from 'lwc';\nexport default class CallBadge extends LightningElement {\n  count: number = 'three';\n}\n",
    });
    roots.push(root);
    await assert.rejects(
      buildPackage({ projectDir: root }),
      /TypeScript compilation of the LWC components failed[\s\S]*TS2322/,
    );
  });
});

/**
 * `npm run build` on this project, as a user runs it right after `npm install`: a copy of the
 * repository (without dist/, .git or node_modules, which is linked) so the test neither races other
 * tests over dist/ nor leaves files behind.
 */
describe('npm run build on this project', () => {
  const ROOT = join(__dirname, '..', '..');
  const LEFT_OUT = new Set([
    'node_modules',
    '.git',
    'dist',
    'coverage',
    '.aircall-sfv',
    'test-output',
  ]);

  function copyOfProject(): string {
    const root = mkdtempSync(join(tmpdir(), 'aircall-npm-build-'));
    roots.push(root);
    cpSync(ROOT, root, {
      recursive: true,
      filter: (source) => {
        const rel = source.slice(ROOT.length + 1);
        return rel === '' || !LEFT_OUT.has(rel.split(/[\\/]/)[0] ?? '');
      },
    });
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    return root;
  }

  function npmRunBuild(cwd: string) {
    return spawnSync('npm', ['run', 'build'], {
      cwd,
      encoding: 'utf8',
      shell: process.platform === 'win32',
      timeout: 300_000,
    });
  }

  /** The LWC bundles of the source: folders with a .js-meta.xml. */
  function sourceBundles(root: string): string[] {
    const lwc = join(root, LWC);
    return readdirSync(lwc)
      .filter((name) => existsSync(join(lwc, name, `${name}.js-meta.xml`)))
      .sort();
  }

  it('succeeds, and prints each metadata type with the count its package.xml lists', () => {
    const root = copyOfProject();
    const run = npmRunBuild(root);
    assert.equal(run.status, 0, `npm run build failed:\n${run.stdout}\n${run.stderr}`);

    const printed = new Map<string, number>();
    for (const match of run.stdout.matchAll(/^ {2}(\w+) +(\d+)$/gm)) {
      printed.set(match[1] ?? '', Number(match[2]));
    }
    const mdapi = join(root, 'dist', 'mdapi');
    const packageXml = readFileSync(join(mdapi, 'package.xml'), 'utf8');
    const listed = new Map<string, number>();
    for (const type of packageXml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
      const body = type[1] ?? '';
      const name = /<name>([^<]+)<\/name>/.exec(body)?.[1] ?? '';
      listed.set(name, [...body.matchAll(/<members>/g)].length);
    }
    assert.deepEqual(printed, listed);
    const total = [...listed.values()].reduce((a, b) => a + b, 0);
    assert.match(run.stdout, new RegExp(`^${total} components, no TypeScript inside\\.$`, 'm'));

    // Every component of the source is in the folder, as JavaScript, and nothing TypeScript is.
    const bundles = sourceBundles(root);
    assert.equal(listed.get('LightningComponentBundle'), bundles.length);
    for (const bundle of bundles) {
      assert.ok(
        existsSync(join(mdapi, 'lwc', bundle, `${bundle}.js`)),
        `dist/mdapi/lwc/${bundle}/${bundle}.js was built`,
      );
    }
    assert.deepEqual(
      walk(mdapi).filter((f) => f.endsWith('.ts') || f.endsWith('tsconfig.json')),
      [],
    );
  });

  it('fails, saying why, when the components do not compile (here: the jest typings missing)', () => {
    const root = copyOfProject();
    // What a clone without the test tools installed once looked like: the LWC tsconfig names the
    // jest typings, and the folder it reads them from does not hold them.
    const tsconfigPath = join(root, LWC, 'tsconfig.json');
    const tsconfig = readFileSync(tsconfigPath, 'utf8');
    assert.match(tsconfig, /"typeRoots": \["\.\.\/\.\.\/\.\.\/\.\.\/node_modules\/@types"\]/);
    mkdirSync(join(root, 'no-types'));
    writeFileSync(
      tsconfigPath,
      tsconfig.replace('../../../../node_modules/@types', '../../../../no-types'),
    );

    const run = npmRunBuild(root);
    assert.notEqual(run.status, 0, 'the build must fail');
    assert.match(run.stderr, /Build failed: [\s\S]*Cannot find type definition file for 'jest'/);
    assert.equal(existsSync(join(root, 'dist', 'mdapi', 'package.xml')), false);
  });
});
