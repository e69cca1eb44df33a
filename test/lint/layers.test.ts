/**
 * The layer rules in eslint.config.js fail on deliberate violations, and only on those: each snippet
 * is linted with the project's own configuration as if it were a file at that place in the tree.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..');
const LAYER_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);
// The project's configuration, running only the layer rules: they need no type information, so the
// parser is spared building the TypeScript program (`npm run lint` runs everything on the tree).
const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => LAYER_RULES.has(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** The layer-rule messages ESLint reports for `code` placed at `file` (an existing file). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId))
    .map((m) => m.message);
}

describe('layer rules', () => {
  it('keep the engine pure: nothing from the rest of src, no I/O', async () => {
    const fromConnector = await layerErrors(
      'src/engine/rules.ts',
      "import { Worker } from '../connector/worker';\nexport const w = Worker;\n",
    );
    assert.match(fromConnector.join('\n'), /The engine imports nothing from the rest of src/);
    const io = await layerErrors(
      'src/engine/rules.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    );
    assert.match(io.join('\n'), /The engine is pure/);
    const contract = await layerErrors(
      'src/engine/rules.ts',
      "import type { CallEvent } from '../aircall/schemas';\nexport type E = CallEvent;\n",
    );
    assert.deepEqual(contract, [], "Aircall's webhook contract is allowed");
    const client = await layerErrors(
      'src/engine/rules.ts',
      "import { AircallApi } from '../aircall/api';\nexport const a = AircallApi;\n",
    );
    assert.match(client.join('\n'), /not its REST client/, "but not Aircall's REST client");
    const presenceRules = await layerErrors(
      'src/engine/presence.ts',
      "import { isAvailableStatus } from '../../force-app/main/default/lwc/aircallUtils/presenceRules';\nexport const a = isAvailableStatus;\n",
    );
    assert.deepEqual(presenceRules, [], 'the default presence rules shared with the components');
    const otherComponent = await layerErrors(
      'src/engine/presence.ts',
      "import X from '../../force-app/main/default/lwc/omniStatusMapper/omniStatusMapper';\nexport const x = X;\n",
    );
    assert.match(otherComponent.join('\n'), /The engine imports nothing from the rest of src/);
  });

  it('let other code reach the engine only through its index', async () => {
    const deep = await layerErrors(
      'src/connector/worker.ts',
      "import { planBatch } from '../engine/planner';\nexport const p = planBatch;\n",
    );
    assert.match(deep.join('\n'), /Import the engine from its index/);
    const fromBench = await layerErrors(
      'bench/run.ts',
      "import { parseWebhook } from '../src/engine/events';\nexport const p = parseWebhook;\n",
    );
    assert.match(fromBench.join('\n'), /Import the engine from its index/);
    const index = await layerErrors(
      'src/connector/worker.ts',
      "import { planBatch } from '../engine';\nexport const p = planBatch;\n",
    );
    assert.deepEqual(index, []);
  });

  it('keep the stand-ins (dev/) out of the product (src/)', async () => {
    const stat = await layerErrors(
      'src/connector/connector.ts',
      "import { startLocalOrg } from '../../dev/local-org/server';\nexport const s = startLocalOrg;\n",
    );
    assert.match(stat.join('\n'), /The product \(src\/\) never loads a stand-in/);
    const typeOnly = await layerErrors(
      'src/salesforce/org.ts',
      "import type { LocalOrg } from '../../dev/local-org';\nexport type L = LocalOrg;\n",
    );
    assert.match(typeOnly.join('\n'), /The product \(src\/\) never loads a stand-in/);
    const dynamic = await layerErrors(
      'src/salesforce/client.ts',
      "export const load = () => import('../../dev/simulator/index.js');\n",
    );
    assert.match(dynamic.join('\n'), /The product \(src\/\) never loads a stand-in/);
    const required = await layerErrors(
      'src/connector/worker.ts',
      "export const load = (): unknown => require('../../dev/local-org');\n",
    );
    assert.match(required.join('\n'), /The product \(src\/\) never loads a stand-in/);
    const console = await layerErrors(
      'src/inbox/open.ts',
      "export const load = (): unknown => require('../../dev/console/server');\n",
    );
    assert.match(console.join('\n'), /The product \(src\/\) never loads a stand-in/);
  });

  it('let the CLI load a stand-in only where a command uses it', async () => {
    const stat = await layerErrors(
      'src/cli/local-org.ts',
      "import { startLocalOrg } from '../../dev/local-org/server';\nexport const s = startLocalOrg;\n",
    );
    assert.match(stat.join('\n'), /only where a command uses it/);
    const atLoad = await layerErrors(
      'src/cli/start.ts',
      "const simulator: unknown = require('../../dev/simulator');\nexport const s = simulator;\n",
    );
    assert.match(atLoad.join('\n'), /only where a command uses it/);
    const importAtLoad = await layerErrors(
      'src/cli/start.ts',
      "export const s = import('../../dev/simulator');\n",
    );
    assert.match(importAtLoad.join('\n'), /only where a command uses it/);
    const atUse = await layerErrors(
      'src/cli/local-org.ts',
      "import type { UserProfile } from '../../dev/local-org/access';\nexport function run(): unknown {\n  const p: UserProfile = 'System Administrator';\n  return [p, require('../../dev/local-org/server')];\n}\n",
    );
    assert.deepEqual(atUse, [], 'a type, and a require inside the command');
  });

  it('keep the local org and the simulator out of the console, which also runs against a real org', async () => {
    const localOrg = await layerErrors(
      'dev/console/server/server.ts',
      "import { startLocalOrg } from '../../local-org/server';\nexport const s = startLocalOrg;\n",
    );
    assert.match(localOrg.join('\n'), /The console also runs against a real org/);
    const simulator = await layerErrors(
      'dev/console/server/index.ts',
      "import { generateCalls } from '../../simulator';\nexport const g = generateCalls;\n",
    );
    assert.match(simulator.join('\n'), /The console also runs against a real org/);
  });

  it('let the stand-ins reach the engine only through its index', async () => {
    const deep = await layerErrors(
      'dev/local-org/dml.ts',
      "import { planBatch } from '../../src/engine/planner';\nexport const p = planBatch;\n",
    );
    assert.match(deep.join('\n'), /Import the engine from its index/);
    const index = await layerErrors(
      'dev/simulator/generate.ts',
      "import { planBatch } from '../../src/engine';\nexport const p = planBatch;\n",
    );
    assert.deepEqual(index, []);
  });

  it('keep src/util a leaf that everyone may use', async () => {
    const upward = await layerErrors(
      'src/util/sleep.ts',
      "import { Worker } from '../connector/worker';\nexport const w = Worker;\n",
    );
    assert.match(upward.join('\n'), /src\/util holds leaf helpers/);
    const use = await layerErrors(
      'src/connector/worker.ts',
      "import { sleep } from '../util/sleep';\nexport const s = sleep;\n",
    );
    assert.deepEqual(use, []);
  });

  it('keep the error catalogue a leaf that everyone may use', async () => {
    const upward = await layerErrors(
      'src/errors/catalogue.ts',
      "import { SalesforceError } from '../salesforce/errors';\nexport const e = SalesforceError;\n",
    );
    assert.match(upward.join('\n'), /The error catalogue \(src\/errors\) is a leaf/);
    const use = await layerErrors(
      'src/salesforce/errors.ts',
      "import { ErrorCode } from '../errors/catalogue';\nexport const c = ErrorCode.TIMEOUT;\n",
    );
    assert.deepEqual(use, []);
  });

  it('pass on the tree as it is', async () => {
    const results = await eslint.lintFiles(['src', 'dev', 'bench', 'scripts']);
    const violations = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId))
        .map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    assert.deepEqual(violations, []);
  });
});
