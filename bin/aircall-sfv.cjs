#!/usr/bin/env node
'use strict';
// Entry point of the `aircall-sfv` CLI.
//
// The Salesforce toolchain (jsforce 3, @salesforce/core 9) and node:sqlite need Node >= 22.12.
// The project installs Node 22 as an npm dependency, so when this file is started by an older
// system Node (e.g. `./node_modules/.bin/aircall-sfv` from a shell), it re-executes itself with
// the project's Node instead of failing.
const path = require('node:path');
const { spawn } = require('node:child_process');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  // npm installs the one package of the optionalDependencies node-<platform>-<arch> that fits
  // this machine (package.json; node_modules/.bin/node links to it).
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const bundled = path.join(
    __dirname,
    '..',
    'node_modules',
    `node-${platform}-${process.arch}`,
    'bin',
    platform === 'win' ? 'node.exe' : 'node',
  );
  // The real CLI runs in a child. This process stays as a thin parent that forwards every stop
  // signal and ends with the child's status, so a process manager that signals the process it
  // started (this one) stops the connector too (docs/OPERATIONS.md, "Stopping").
  const child = spawn(bundled, [__filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, AIRCALL_SFV_WRAPPER_PID: String(process.pid) },
  });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']) process.on(signal, forward);
  child.on('error', () => {
    console.error(
      `aircall-sfv needs Node.js 22.12 or newer (found ${process.versions.node}). ` +
        'Run `npm install` in the project to get it, or install Node 22.',
    );
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    // Killed by a signal: report it the shell's way (128 + signal number).
    if (signal) process.exit(128 + (require('node:os').constants.signals[signal] ?? 0));
    process.exit(code ?? 1);
  });
  return;
}

// `start` runs for days: it replaces itself (same process id, so signals and process managers
// are unaffected) with the same command under memory settings sized for the connector, unless
// they were given already (docs/RELIABILITY.md, "Soak", for the figures):
// - --max-semi-space-size=4: V8's young generation stays at 2 × 4 MB instead of growing to
//   2 × 16 MB; the connector's short-lived objects (one webhook, one batch) still die young, and
//   the resident memory is about 24 MB lower.
// - --max-old-space-size=160: the connector's live heap is about 45 MB whatever the run's length;
//   without a limit V8 lets the old generation fill with garbage up to ~130 MB before its first
//   full collection and grows it by up to 4× afterwards. A limit of 160 MB makes it collect
//   earlier and grow by about 1.3× (resident memory about 60 MB lower under load). A process that
//   ever needed more would stop with an out-of-memory error; nothing is lost (the inbox is on
//   disk) and NODE_OPTIONS=--max-old-space-size=N raises it.
// - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool, V8's workers) its
//   own malloc arena, which holds freed memory; two arenas keep that slack small.
// - --expose-gc: lets `start` ask V8 every 5 minutes (--memory-trim-ms) for the full collection
//   that returns its pooled spare pages to the system (src/cli/memory-trim.ts); a connector that
//   is never idle otherwise keeps the pages of its busiest minute (5–12 MB in the soak).
// AIRCALL_SFV_NODE_TUNING=off keeps Node's defaults; either flag given (command line or NODE_OPTIONS)
// keeps the caller's settings.
const SEMI_SPACE = '--max-semi-space-size';
const OLD_SPACE = '--max-old-space-size';
if (
  process.argv[2] === 'start' &&
  process.env.AIRCALL_SFV_NODE_TUNING !== 'off' &&
  typeof process.execve === 'function' &&
  ![SEMI_SPACE, OLD_SPACE].some(
    (flag) =>
      process.execArgv.some((arg) => arg.startsWith(flag)) ||
      (process.env.NODE_OPTIONS ?? '').includes(flag),
  )
) {
  process.execve(
    process.execPath,
    [
      process.execPath,
      ...process.execArgv,
      `${SEMI_SPACE}=4`,
      `${OLD_SPACE}=160`,
      '--expose-gc',
      __filename,
      ...process.argv.slice(2),
    ],
    { MALLOC_ARENA_MAX: '2', ...process.env },
  );
}

// node:sqlite prints an ExperimentalWarning on first use; it is noise for operators.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...args) => {
  const text = typeof warning === 'string' ? warning : warning && warning.message;
  if (typeof text === 'string' && text.includes('SQLite')) return;
  return emitWarning.call(process, warning, ...args);
};

/**
 * The CLI runs from one prebuilt CommonJS file, not from the TypeScript sources through tsx: tsx
 * compiles every module in memory at each start and keeps the results, which costs a long-running
 * connector about 25 MB of resident memory and seconds of CPU at start (docs/OPERATIONS.md,
 * "Memory"). The file is built with esbuild (the compiler tsx itself uses) into
 * node_modules/.cache/aircall-sfv/cli.cjs on the first start after an install or after any source
 * changed (sources newer than the file), which takes about a second; the packages stay in
 * node_modules (not bundled) and every command's modules are still loaded only when it runs.
 * AIRCALL_SFV_FROM_SOURCE=1, or a build that cannot run, starts from the sources through tsx.
 */
async function loadCli() {
  const fs = require('node:fs');
  const root = path.join(__dirname, '..');
  if (process.env.AIRCALL_SFV_FROM_SOURCE !== '1') {
    // One file per checkout: several checkouts (git worktrees) may share one node_modules through a
    // symbolic link, and each must run its own sources.
    const key = require('node:crypto').createHash('sha256').update(root).digest('hex').slice(0, 12);
    const out = path.join(root, 'node_modules', '.cache', 'aircall-sfv', `cli-${key}.cjs`);
    try {
      const built = fs.statSync(out, { throwIfNoEntry: false });
      if (!built || newestSource(fs, root) > built.mtimeMs) await buildCli(fs, root, out);
      return require(out);
    } catch (error) {
      if (process.env.DEBUG)
        console.error(`Prebuilt CLI unavailable (${error.message}); using tsx.`);
    }
  }
  require('tsx/cjs');
  return require('../src/cli/main.ts');
}

/** The newest modification time of what the bundle is built from (sources, lock file, this file). */
function newestSource(fs, root) {
  let newest = Math.max(
    fs.statSync(__filename).mtimeMs,
    fs.statSync(path.join(root, 'package-lock.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0,
  );
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|json)$/.test(entry.name))
        newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
  };
  // The product, and the stand-ins its commands load when asked (the local org, the simulator, the
  // console's server).
  walk(path.join(root, 'src'));
  walk(path.join(root, 'dev'));
  return newest;
}

async function buildCli(fs, root, out) {
  const esbuild = require('esbuild');
  const src = path.join(root, 'src');
  const dev = path.join(root, 'dev');
  // `__dirname` in a source file means that file's own directory, wherever the bundle lives.
  const ownDirname = {
    name: 'own-dirname',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        let contents = fs.readFileSync(args.path, 'utf8');
        if (
          (args.path.startsWith(src + path.sep) || args.path.startsWith(dev + path.sep)) &&
          contents.includes('__dirname')
        ) {
          const dir = JSON.stringify(path.relative(root, path.dirname(args.path)).split(path.sep));
          contents = contents.replace(
            /\b__dirname\b/g,
            `require('node:path').join(__aircallSfvRoot, ...${dir})`,
          );
        }
        return { contents, loader: 'ts' };
      });
    },
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: [path.join(src, 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    packages: 'external',
    outfile: tmp,
    logLevel: 'silent',
    // The checkout's own folder: the bundle's `__dirname` is where node_modules really is, which
    // is another folder when node_modules is a symbolic link.
    banner: { js: `const __aircallSfvRoot = ${JSON.stringify(root)};` },
    plugins: [ownDirname],
  });
  // Atomic: processes starting together each build, and each finds a whole file.
  fs.renameSync(tmp, out);
}

loadCli()
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
