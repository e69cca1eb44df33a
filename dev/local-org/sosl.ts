/**
 * SOSL for the shapes the product sends: `FIND {a OR b} IN PHONE FIELDS RETURNING Obj(fields WHERE …)`.
 *
 * How a real org tokenizes phone values for search is not documented precisely, so matching here is
 * deliberately conservative: a record matches a term when the digits of one of its phone fields
 * contain the digits of the term. Code that works with this (search with the national number and
 * the E.164 digits, then confirm in code) also works against an org. Each RETURNING clause is
 * evaluated as the SOQL query it resembles.
 */
import type { Access } from './access';
import { SfError } from './errors';
import { getObject } from './dml';
import type { ObjectDef } from './schema';
import { parseSoql, runQuery, type QueryContext } from './soql';
import type { Rec } from './store';

export interface SearchContext extends QueryContext {
  /** False while the search index has not caught up with the record (search-index lag). */
  isSearchable: (rec: Rec) => boolean;
}

type Scope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

function malformed(message: string): SfError {
  return new SfError('MALFORMED_SEARCH', message);
}

/** Splits on commas that are not inside parentheses or quotes. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'") quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out.filter((x) => x !== '');
}

export interface ParsedSearch {
  terms: string[];
  searchQueryLength: number;
  scope: Scope;
  returning: { object: string; soql: string }[];
  limit: number | undefined;
}

export function parseSosl(sosl: string): ParsedSearch {
  const m =
    /^\s*FIND\s+\{((?:\\.|[^}\\])*)\}\s*(?:IN\s+(ALL|NAME|EMAIL|PHONE)\s+FIELDS\s*)?(?:RETURNING\s+([\s\S]*?))?\s*(?:LIMIT\s+(\d+))?\s*$/i.exec(
      sosl,
    );
  if (!m)
    throw malformed(`unexpected token: the local org understands FIND {…} IN … FIELDS RETURNING …`);
  const searchQuery = m[1]!;
  const rawTerms = searchQuery.replace(/\\(.)/g, '$1');
  const terms = rawTerms
    .split(/\s+OR\s+/i)
    .map((t) => t.trim().replace(/^"(.*)"$/, '$1'))
    .filter((t) => t !== '');
  if (terms.length === 0 || terms.some((t) => t.replace(/[*?]/g, '').length < 2)) {
    throw new SfError('INVALID_SEARCH', 'search term must be longer than one character');
  }
  const returning = splitTopLevel(m[3] ?? '').map((item) => {
    const im = /^(\w+)\s*(?:\(([\s\S]*)\))?$/.exec(item);
    if (!im) throw malformed(`unexpected token: ${item}`);
    const object = im[1]!;
    const inner = (im[2] ?? '').trim();
    const kw = /\b(WHERE|ORDER\s+BY|LIMIT|OFFSET)\b/i.exec(inner);
    const fields = (kw ? inner.slice(0, kw.index) : inner).trim() || 'Id';
    const rest = kw ? inner.slice(kw.index) : '';
    return { object, soql: `SELECT ${fields} FROM ${object} ${rest}`.trim() };
  });
  return {
    terms,
    searchQueryLength: searchQuery.length,
    scope: (m[2] ?? 'ALL').toUpperCase() as Scope,
    returning,
    limit: m[4] ? Number(m[4]) : undefined,
  };
}

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

function matcher(
  obj: ObjectDef,
  scope: Scope,
  terms: string[],
  access: Access | undefined,
): (rec: Rec) => boolean {
  const fields = [...obj.fields.values()].filter((f) => {
    // A field the user may not read is not searched for it either.
    if (access && !access.fieldReadable(obj, f)) return false;
    switch (scope) {
      case 'PHONE':
        return f.type === 'phone';
      case 'EMAIL':
        return f.type === 'email';
      case 'NAME':
        return f.name === 'Name' || f.name === 'FirstName' || f.name === 'LastName';
      default:
        return ['string', 'textarea', 'phone', 'email', 'url', 'picklist'].includes(f.type);
    }
  });
  if (scope === 'PHONE') {
    const wanted = terms.map((t) => digits(t)).filter((d) => d.length >= 2);
    return (rec) =>
      fields.some((f) => {
        const v = rec[f.name];
        if (typeof v !== 'string') return false;
        const d = digits(v);
        return d.length > 0 && wanted.some((w) => d.includes(w));
      });
  }
  const wanted = terms.map((t) => t.replace(/[*?]/g, '').toLowerCase());
  return (rec) =>
    fields.some((f) => {
      const v = rec[f.name];
      return typeof v === 'string' && wanted.some((w) => v.toLowerCase().includes(w));
    });
}

export function runSearch(
  ctx: SearchContext,
  sosl: string,
): { searchRecords: Record<string, unknown>[] } {
  const parsed = parseSosl(sosl);
  // SOQL and SOSL Reference, "SOSL Syntax": a SearchQuery longer than 10,000 characters returns no
  // rows — silently, so callers must keep their FIND clause short.
  if (parsed.searchQueryLength > 10_000) return { searchRecords: [] };
  const targets =
    parsed.returning.length > 0
      ? parsed.returning
      : [...ctx.schema.objects.values()]
          .filter((o) => !o.isPlatformEvent && ['Account', 'Contact', 'Lead'].includes(o.name))
          .filter((o) => ctx.access?.object(o, 'read') !== false)
          .map((o) => ({ object: o.name, soql: `SELECT Id FROM ${o.name}` }));
  const searchRecords: Record<string, unknown>[] = [];
  for (const t of targets) {
    const obj = getObject(ctx.schema, t.object);
    if (!obj || obj.isPlatformEvent) {
      throw new SfError('INVALID_TYPE', `sObject type '${t.object}' is not supported.`);
    }
    const match = matcher(obj, parsed.scope, parsed.terms, ctx.access);
    const result = runQuery(ctx, parseSoql(t.soql), (rec) => ctx.isSearchable(rec) && match(rec));
    searchRecords.push(...result.records);
  }
  return { searchRecords: searchRecords.slice(0, parsed.limit ?? 2000) };
}
