/**
 * The documentation a newcomer reads: the README stays short, its figures are backed by
 * docs/PERFORMANCE.md, every relative link in the Markdown resolves (file and heading), and no
 * file names an internal work item, which would mean nothing to someone picking the project up.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-output', '.aircall-sfv']);

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) walk(file, keep, out);
    else if (keep(file)) out.push(file);
  }
  return out;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] ?? '')));
}

describe('documentation', () => {
  it('keeps the README to 400 lines at most', () => {
    const lines = readFileSync(README, 'utf8').split('\n').length - 1;
    assert.ok(lines <= 400, `README.md has ${lines} lines; move details to docs/`);
  });

  it('backs every value of the README figures table with docs/PERFORMANCE.md', () => {
    const readme = readFileSync(README, 'utf8');
    const section = /^## Figures\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
    assert.ok(section, 'README.md has a "## Figures" section');
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .slice(2)
      .map((line) => line.split('|').map((cell) => cell.trim()));
    assert.ok(rows.length >= 5, 'the figures table has rows');
    const performance = readFileSync(path.join(ROOT, 'docs', 'PERFORMANCE.md'), 'utf8');
    const missing: string[] = [];
    for (const row of rows) {
      const value = row[2] ?? '';
      for (const [figure] of value.matchAll(/\d[\d,.]*\d|[1-9]/g)) {
        if (!performance.includes(figure)) missing.push(`${figure} (${row[1] ?? ''})`);
      }
    }
    assert.deepEqual(missing, [], 'figures in the README missing from docs/PERFORMANCE.md');
  });

  it('links only to files and headings that exist', () => {
    const markdown = [
      README,
      ...walk(path.join(ROOT, 'docs'), (f) => f.endsWith('.md')),
      ...walk(path.join(ROOT, 'src'), (f) => f.endsWith('.md')),
      ...walk(path.join(ROOT, 'dev'), (f) => f.endsWith('.md')),
    ];
    const broken: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^[a-z]+:/i.test(target)) continue;
        const [pathPart = '', hash] = target.split('#');
        const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), pathPart);
        const where = `${path.relative(ROOT, file)} → ${target}`;
        if (!existsSync(resolved)) broken.push(`${where}: no such file`);
        else if (hash && resolved.endsWith('.md') && !anchorsOf(resolved).has(hash)) {
          broken.push(`${where}: no such heading`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('names no internal work item in code, tests, benches, scripts, docs or metadata', () => {
    // Built from pieces so that this file does not match itself.
    const workItem = new RegExp(
      [
        'wave [0-9]',
        'issue [0-9]+',
        ['product', 'brief'].join(' '),
        'ISSUE_[0-9]',
        '[(]lead,',
      ].join('|'),
      'i',
    );
    const files = [
      README,
      ...['src', 'dev', 'test', 'bench', 'scripts', 'docs', 'force-app'].flatMap((dir) =>
        walk(path.join(ROOT, dir), (f) => !/\.(png|jpg|db)$/.test(f)),
      ),
    ];
    const found: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (workItem.test(line))
            found.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(found, []);
  });
});
