import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import type { SourcePackage } from './source';

/**
 * Once the package is installed with a namespace, `Aircall_Voice__c` is
 * `aircallsfv__Aircall_Voice__c`. A component that names an object, field, relationship or
 * platform event in a string keeps the unprefixed name and fails in every subscriber org; an
 * `@salesforce/schema` import is resolved by the platform (namespace added, the dependency
 * recorded so the field cannot be deleted) — "Import Objects and Fields from @salesforce/schema",
 * Lightning Web Components Developer Guide. GraphQL queries (`gql` templates) are namespaced by the
 * platform when the component is deployed ("Use a Namespace and Alias in Managed Packages",
 * GraphQL API Developer Guide), so their text is allowed; everything else is checked here.
 */

/** A custom object, field, relationship, platform event or custom metadata type name. */
const CUSTOM_NAME = /\b[A-Za-z][A-Za-z0-9_]*__(c|r|e|mdt)\b/;
/** Properties the UI API adapters and record functions read as object/field/relationship names. */
const NAME_PROPERTIES = new Set([
  'objectApiName',
  'fieldApiName',
  'apiName',
  'fields',
  'optionalFields',
  'relatedListId',
  'relatedListNames',
]);
/** Template attributes that name objects or fields (lightning-record-form and friends). */
const NAME_ATTRIBUTES =
  /\b(field-name|object-api-name|fields|related-list-id)\s*=\s*"([^"{][^"]*)"/g;
/** Standard fields every custom object has, which a schema import may name. */
const STANDARD_FIELDS = new Set([
  'Id',
  'Name',
  'OwnerId',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'SystemModstamp',
  'ReplayId',
  'EventUuid',
]);

function filesOf(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry === '__tests__' || entry.startsWith('.')) continue;
      const path = join(d, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.(ts|js|html)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
    }
  };
  visit(dir);
  return out.sort();
}

function isGqlTemplate(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isTaggedTemplateExpression(n)) {
      return ts.isIdentifier(n.tag) && n.tag.text === 'gql';
    }
  }
  return false;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
    return node.text;
  }
  return undefined;
}

/** `Obj__c.Field__c` / `Obj__c.Lookup__r.Name` named by a schema import exists in the package. */
function checkSchemaImport(pkg: SourcePackage, spec: string): string | undefined {
  const [object = '', first, ...rest] = spec.replace('@salesforce/schema/', '').split('.');
  const custom = CUSTOM_NAME.test(object);
  if (custom && !pkg.objects.has(object)) return `${object} is not an object of the package`;
  if (first === undefined) return undefined;
  const field = rest.length ? first.replace(/__r$/, '__c') : first;
  if (!CUSTOM_NAME.test(field) && (!custom || STANDARD_FIELDS.has(field))) return undefined;
  if (rest.length && !first.endsWith('__r') && !custom) return undefined;
  if (!pkg.fields.has(`${object}.${field}`))
    return `${object}.${field} is not a field of the package`;
  return undefined;
}

export function hardCodedNames(pkg: SourcePackage): string[] {
  const lwcDir = join(pkg.dir, 'main', 'default', 'lwc');
  let files: string[];
  try {
    files = filesOf(lwcDir);
  } catch {
    return [];
  }
  const problems: string[] = [];
  const advice =
    'import it from @salesforce/schema (relationship names: read them from the parent object info) so the platform adds the package namespace';
  for (const path of files) {
    const rel = relative(pkg.dir, path).split(sep).join('/');
    const source = readFileSync(path, 'utf8');
    if (path.endsWith('.html')) {
      for (const m of source.matchAll(NAME_ATTRIBUTES)) {
        const line = source.slice(0, m.index).split('\n').length;
        problems.push(`${rel}:${line}: ${m[1]}="${m[2]}" names a field in the template; ${advice}`);
      }
      continue;
    }
    const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node) =>
      file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const spec = node.moduleSpecifier.text;
        if (spec.startsWith('@salesforce/schema/')) {
          const missing = checkSchemaImport(pkg, spec);
          if (missing) problems.push(`${rel}:${lineOf(node)}: ${spec}: ${missing}`);
        }
        return;
      }
      if (ts.isPropertyAssignment(node) && NAME_PROPERTIES.has(node.name.getText(file))) {
        const values = ts.isArrayLiteralExpression(node.initializer)
          ? [...node.initializer.elements]
          : [node.initializer];
        for (const value of values) {
          const text = literalText(value);
          // '$prop' is a reactive reference to a component property, not a name.
          if (text !== undefined && !text.startsWith('$')) {
            problems.push(
              `${rel}:${lineOf(value)}: ${node.name.getText(file)} '${text}' is spelled out; ${advice}`,
            );
            return;
          }
        }
      }
      const text = literalText(node);
      if (text !== undefined && !isGqlTemplate(node)) {
        const name = CUSTOM_NAME.exec(text);
        if (name) {
          problems.push(
            `${rel}:${lineOf(node)}: '${name[0]}' is spelled out in a string; ${advice}`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return problems;
}
