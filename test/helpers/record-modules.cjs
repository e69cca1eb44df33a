'use strict';
// Preloaded with `node --require` into a CLI process (test/cli/module-graph.test.ts): when the
// process exits, writes the file of every module it loaded, one a line, to the file named by
// AIRCALL_SFV_RECORD_MODULES. The CLI run from its sources loads each of them through `require`
// (tsx's CommonJS hook), so the module cache is the whole graph.
const fs = require('node:fs');

const out = process.env.AIRCALL_SFV_RECORD_MODULES;
if (out) {
  process.on('exit', () => {
    fs.writeFileSync(out, Object.keys(require.cache).join('\n') + '\n');
  });
}
