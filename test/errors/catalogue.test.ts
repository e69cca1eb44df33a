/**
 * The error and dead-letter codes a user can see are defined once, in src/errors/catalogue.ts: the
 * sources are scanned (TypeScript's parser) for a code written anywhere else, and docs/ERRORS.md
 * must show the catalogue's table.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import {
  catalogueEntries,
  ERROR_TABLE_HEADER,
  errorRows,
  TRANSIENT_NETWORK_CODES,
  TRANSIENT_SALESFORCE_CODES,
} from '../../src/errors/catalogue';

const ROOT = path.join(__dirname, '..', '..');
const CATALOGUE_FILE = path.join('src', 'errors', 'catalogue.ts');
const NAMES = new Set<string>(catalogueEntries().map(([name]) => name));
/** Where a code is given: the 2nd argument of a SalesforceError, the 3rd of a dead-letter call. */
const CODE_ARGUMENT: Record<string, number> = { deadLetter: 2, deadLetterTask: 2 };
const CODE_PROPERTIES = new Set(['errorCode', 'statusCode', 'error_code']);

/** Each place `text` (a TypeScript file) writes a code itself instead of importing it. */
export function codesWrittenOutsideCatalogue(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${file}:${line + 1}: ${what}`);
  };
  /** A code given as a literal: catalogued (import it) or not (catalogue it). */
  const codeLiteral = (node: ts.Node | undefined) => {
    if (!node) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (!NAMES.has(node.text)) at(node, `'${node.text}' is not in the catalogue`);
    } else if (ts.isTemplateExpression(node)) {
      at(node, `${node.getText(source)} is a code made up in place (use the catalogue's helpers)`);
    } else if (ts.isConditionalExpression(node)) {
      codeLiteral(node.whenTrue);
      codeLiteral(node.whenFalse);
    } else if (ts.isBinaryExpression(node)) {
      codeLiteral(node.right);
    }
  };
  const extendsSalesforceError = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node; n; n = n.parent)
      if (ts.isClassLike(n))
        return (n.heritageClauses ?? []).some((h) =>
          h.types.some((t) => t.expression.getText(source) === 'SalesforceError'),
        );
    return false;
  };
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (NAMES.has(node.text))
        at(node, `'${node.text}' is written here: import it from src/errors/catalogue.ts`);
    } else if (ts.isNewExpression(node) && node.expression.getText(source) === 'SalesforceError') {
      codeLiteral(node.arguments?.[1]);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.SuperKeyword && extendsSalesforceError(node))
        codeLiteral(node.arguments[1]);
      if (ts.isPropertyAccessExpression(node.expression)) {
        const index = CODE_ARGUMENT[node.expression.name.text];
        if (index !== undefined) codeLiteral(node.arguments[index]);
      }
    } else if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      CODE_PROPERTIES.has(node.name.text)
    ) {
      codeLiteral(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

describe('the error catalogue', () => {
  it('is the only place a code is written in the product (src/)', () => {
    const found = sources('src')
      .filter((file) => file !== CATALOGUE_FILE)
      .flatMap((file) =>
        codesWrittenOutsideCatalogue(file, readFileSync(path.join(ROOT, file), 'utf8')),
      );
    assert.deepEqual(found, []);
  });

  it('finds a code used but not catalogued, and a catalogued code written in place', () => {
    const made = codesWrittenOutsideCatalogue(
      'src/connector/x.ts',
      "export const e = new SalesforceError('Nope.', 'MADE_UP_CODE', false);\n",
    );
    assert.match(made.join('\n'), /'MADE_UP_CODE' is not in the catalogue/);
    const dead = codesWrittenOutsideCatalogue(
      'src/connector/x.ts',
      "await inbox.deadLetter(seqs, 'gone', 'SOMETHING_ELSE', now);\n",
    );
    assert.match(dead.join('\n'), /'SOMETHING_ELSE' is not in the catalogue/);
    const sub = codesWrittenOutsideCatalogue(
      'src/salesforce/x.ts',
      "class E extends SalesforceError { constructor() { super('m', 'OWN_CODE', true); } }\n",
    );
    assert.match(sub.join('\n'), /'OWN_CODE' is not in the catalogue/);
    const property = codesWrittenOutsideCatalogue(
      'src/connector/x.ts',
      "const r = { success: false, errors: [{ statusCode: cond ? 'A_CODE' : 'B_CODE' }] };\n",
    );
    assert.equal(property.length, 2);
    const template = codesWrittenOutsideCatalogue(
      'src/salesforce/x.ts',
      'export const e = new SalesforceError(m, `HTTP_${status}`, false);\n',
    );
    assert.match(template.join('\n'), /made up in place/);
    const inline = codesWrittenOutsideCatalogue(
      'src/connector/x.ts',
      "if (error.errorCode === 'PLANNING_FAILED') skip();\n",
    );
    assert.match(inline.join('\n'), /import it from src\/errors\/catalogue\.ts/);
    const imported = codesWrittenOutsideCatalogue(
      'src/connector/x.ts',
      'await inbox.deadLetter(seqs, m, ErrorCode.INVALID_EVENT, now);\nnew SalesforceError(m, error.errorCode, false);\n',
    );
    assert.deepEqual(imported, [], 'an imported code, and a code passed on from Salesforce');
  });

  it('keeps the transient codes the connector retried before it existed', () => {
    assert.deepEqual([...TRANSIENT_SALESFORCE_CODES].sort(), [
      'API_CURRENTLY_DISABLED',
      'CONCURRENT_REQUESTS_LIMIT_EXCEEDED',
      'INVALID_SESSION_ID',
      'QUERY_TIMEOUT',
      'REQUEST_LIMIT_EXCEEDED',
      'RESOURCE_EXHAUSTED',
      'SERVER_UNAVAILABLE',
      'UNABLE_TO_LOCK_ROW',
      'UNKNOWN_EXCEPTION',
    ]);
    assert.deepEqual([...TRANSIENT_NETWORK_CODES].sort(), [
      'EAI_AGAIN',
      'ECONNREFUSED',
      'ECONNRESET',
      'ENOTFOUND',
      'EPIPE',
      'ETIMEDOUT',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_SOCKET',
    ]);
  });

  it('agrees with the table of docs/ERRORS.md (npm run docs:errors rewrites it)', () => {
    const page = readFileSync(path.join(ROOT, 'docs', 'ERRORS.md'), 'utf8');
    const section = /<!-- error-table:start[^>]*-->([\s\S]*?)<!-- error-table:end -->/.exec(page);
    assert.ok(section, 'docs/ERRORS.md has the error-table section');
    const rows = section[1]!
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .slice(1, -1)
          .split('|')
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(rows[0], [...ERROR_TABLE_HEADER]);
    assert.deepEqual(rows.slice(2), errorRows(), 'run `npm run docs:errors`');
  });
});
