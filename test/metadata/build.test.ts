import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
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
