/**
 * `npm run docs:env`: writes the README's "Environment variables" table from src/config (the one
 * place every flag and variable is declared), then lets Prettier align it.
 * test/config/config.test.ts fails when the README and the module disagree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { environmentTable } from '../src/config';

export const START = '<!-- env-table:start (npm run docs:env) -->';
export const END = '<!-- env-table:end -->';

const readme = path.join(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section.`);
writeFileSync(
  readme,
  `${text.slice(0, from + START.length)}\n\n${environmentTable()}\n\n${text.slice(to)}`,
);
execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', readme], {
  stdio: 'inherit',
});
