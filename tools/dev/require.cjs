// How the project's configuration files (eslint.config.js, jest.config.js) and the tests that drive
// a test tool (test/lint/layers.test.ts) load the test tools: from tools/dev/node_modules, where
// `npm run dev-tools` (scripts/dev-tools.ts) installs them, not from the project's node_modules.
const { createRequire } = require('node:module');
const path = require('node:path');

const DEV_TOOL_DIR = __dirname;
const DEV_MODULES = path.join(DEV_TOOL_DIR, 'node_modules');
const requireFromDev = createRequire(path.join(DEV_TOOL_DIR, 'package.json'));

function missing(id, e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && !require('node:fs').existsSync(DEV_MODULES)) {
    return new Error(
      `${id} is one of the test tools in tools/dev, which are not installed: run \`npm run dev-tools\` (npm test, lint, typecheck and prettier do it themselves).`,
    );
  }
  return e;
}

/** `require()` of a test tool (e.g. `devRequire('eslint')`). */
function devRequire(id) {
  try {
    return requireFromDev(id);
  } catch (e) {
    throw missing(id, e);
  }
}

/** The file a test tool's module id resolves to. */
function devResolve(id) {
  try {
    return requireFromDev.resolve(id);
  } catch (e) {
    throw missing(id, e);
  }
}

module.exports = { DEV_TOOL_DIR, DEV_MODULES, devRequire, devResolve };
