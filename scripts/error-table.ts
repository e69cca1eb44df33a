/**
 * `npm run docs:errors`: writes the table of docs/ERRORS.md from src/errors/catalogue.ts (the one
 * place every error and dead-letter code is defined), then lets Prettier align it.
 * test/errors/catalogue.test.ts fails when the page and the module disagree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorTable } from '../src/errors/catalogue';

export const START = '<!-- error-table:start (npm run docs:errors) -->';
export const END = '<!-- error-table:end -->';

const page = path.join(__dirname, '..', 'docs', 'ERRORS.md');
const text = readFileSync(page, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`docs/ERRORS.md has no ${START} … ${END} section.`);
writeFileSync(
  page,
  `${text.slice(0, from + START.length)}\n\n${errorTable()}\n\n${text.slice(to)}`,
);
execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', page], {
  stdio: 'inherit',
});
