/**
 * `npm run screenshots`: the README's screenshots (docs/screenshots/*.png), taken by the console's
 * browser test (test/console/console.test.ts, which starts the stack and drives Debian's Chromium)
 * and copied from its output folder, test-output/console/<page>-<width>.png, at the width that shows
 * each page best. When Debian's `pngquant` is installed (`apt-get install -y pngquant`) the copies
 * are reduced to 256 colours (about a third of the size; the pages are flat SLDS colours);
 * otherwise they are copied as they are.
 *
 *   npm run screenshots            run the browser test, then copy
 *   npm run screenshots -- --copy  only copy what the last run of the test wrote
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FROM = path.join(ROOT, 'test-output', 'console');
const TO = path.join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** docs/screenshots/<name>.png ← test-output/console/<page>-<width>.png */
export const SHOTS: Record<string, string> = {
  calls: 'calls-1280',
  'calls-narrow': 'calls-320',
  'record-live': 'record-live-1280',
  record: 'record-1280',
  'record-narrow': 'record-320',
  'record-missed': 'record-missed-400',
  'record-voicemail': 'record-voicemail-1280',
  'record-long': 'record-long-1280',
  'record-long-narrow': 'record-long-320',
  'record-conversation': 'record-conversation-1280',
  'record-conversation-narrow': 'record-conversation-collapsed-320',
  contact: 'contact-400',
  lead: 'lead-1280',
  account: 'account-1280',
  settings: 'settings-1280',
  'settings-dirty': 'settings-dirty-1280',
  'settings-narrow': 'settings-clean-320',
  'unknown-caller-contact': 'unknown-caller-contact-1280',
  omni: 'omni-1280',
  'omni-custom': 'omni-custom-320',
  'omni-warnings': 'omni-warnings-400',
  utility: 'utility-400',
  'utility-call': 'utility-call-400',
  'settings-error': 'settings-error-400',
  'es-calls': 'es-calls-400',
  'es-record-missed': 'es-record-missed-1280',
  'es-account': 'es-account-400',
  'es-settings-error': 'es-settings-error-320',
  'es-omni': 'es-omni-1280',
  'es-utility': 'es-utility-400',
};

function havePngquant(): boolean {
  return spawnSync('pngquant', ['--version'], { stdio: 'ignore' }).status === 0;
}

function main(argv: string[]): number {
  if (!argv.includes('--copy')) {
    if (!existsSync(CHROMIUM)) {
      console.error(
        `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`,
      );
      return 1;
    }
    const test = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', path.join('test', 'console', 'console.test.ts')],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CONSOLE_TEST_WIDTHS: '320,400,1280' } },
    );
    if (test.status !== 0) {
      console.error('The browser test failed: no screenshot copied.');
      return 1;
    }
  }
  mkdirSync(TO, { recursive: true });
  const quantize = havePngquant();
  if (!quantize) console.log('pngquant not installed: copying the PNGs as they are.');
  let total = 0;
  for (const [name, source] of Object.entries(SHOTS)) {
    const from = path.join(FROM, `${source}.png`);
    const to = path.join(TO, `${name}.png`);
    if (!existsSync(from)) {
      console.error(`missing ${path.relative(ROOT, from)}: run the browser test first.`);
      return 1;
    }
    const reduced =
      quantize &&
      spawnSync('pngquant', ['--force', '--strip', '--quality', '60-90', '--output', to, from], {
        stdio: 'inherit',
      }).status === 0;
    if (!reduced) copyFileSync(from, to);
    const kb = statSync(to).size / 1024;
    total += kb;
    console.log(`${path.relative(ROOT, to)}  ← ${source}.png  ${kb.toFixed(0)} KB`);
  }
  console.log(`${Object.keys(SHOTS).length} screenshots, ${total.toFixed(0)} KB.`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
