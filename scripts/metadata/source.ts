import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { childText, childrenNamed, parseXml, type XmlElement } from './xml';

/**
 * A read-only view of a source-format package directory (force-app/main/default layout), built
 * once and shared by every check. Files that do not parse are listed in `unparsable` and left out
 * of the model, so one broken file yields one clear problem instead of many.
 */

export interface MetadataFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the package directory, with forward slashes. */
  rel: string;
  root: XmlElement;
}

export interface FieldInfo {
  object: string;
  name: string;
  file: MetadataFile;
  type: string;
  required: boolean;
  /** Formula and auto-number fields: nobody can edit them. */
  readOnly: boolean;
}

export interface SourcePackage {
  dir: string;
  xmlFiles: MetadataFile[];
  unparsable: { rel: string; error: string }[];
  /** Object API name -> its .object-meta.xml (absent for standard objects that only get fields). */
  objects: Map<string, MetadataFile | undefined>;
  /** `Object.Field` -> field. */
  fields: Map<string, FieldInfo>;
  /** Files by metadata type (root element name). */
  byType: Map<string, MetadataFile[]>;
  /** LWC bundle names. */
  lwcBundles: Set<string>;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Component name from a source file name: `Foo__c.field-meta.xml` -> `Foo__c`. */
export function componentName(path: string): string {
  const base = basename(path);
  const suffix = base.match(/\.[A-Za-z]+-meta\.xml$/);
  return suffix ? base.slice(0, -suffix[0].length) : base.replace(/\.xml$/, '');
}

export function loadSource(dir: string): SourcePackage {
  const pkg: SourcePackage = {
    dir,
    xmlFiles: [],
    unparsable: [],
    objects: new Map(),
    fields: new Map(),
    byType: new Map(),
    lwcBundles: new Set(),
  };
  for (const path of walk(dir).sort()) {
    const rel = relative(dir, path).split(sep).join('/');
    const parts = rel.split('/');
    const lwcIndex = parts.indexOf('lwc');
    if (lwcIndex >= 0 && parts.length > lwcIndex + 2 && !parts.includes('__tests__')) {
      pkg.lwcBundles.add(parts[lwcIndex + 1]!);
    }
    if (!path.endsWith('.xml')) continue;
    const parsed = parseXml(readFileSync(path, 'utf8'));
    if (!parsed.ok) {
      pkg.unparsable.push({ rel, error: parsed.error });
      continue;
    }
    const file: MetadataFile = { path, rel, root: parsed.root };
    pkg.xmlFiles.push(file);
    const list = pkg.byType.get(parsed.root.name) ?? [];
    list.push(file);
    pkg.byType.set(parsed.root.name, list);

    const objIndex = parts.indexOf('objects');
    if (objIndex >= 0 && parts.length > objIndex + 1) {
      const object = parts[objIndex + 1]!;
      if (!pkg.objects.has(object)) pkg.objects.set(object, undefined);
      if (parsed.root.name === 'CustomObject') pkg.objects.set(object, file);
      if (parsed.root.name === 'CustomField') {
        const name = componentName(path);
        const type = childText(parsed.root, 'type') ?? '';
        pkg.fields.set(`${object}.${name}`, {
          object,
          name,
          file,
          type,
          required: childText(parsed.root, 'required') === 'true',
          readOnly: childText(parsed.root, 'formula') !== undefined || type === 'AutoNumber',
        });
      }
    }
  }
  return pkg;
}

/** Picklist value API names of a field file (empty when it has no inline value set). */
export function picklistValues(field: XmlElement): { values: string[]; restricted: boolean } {
  const valueSet = field.children.find((c) => c.name === 'valueSet');
  if (!valueSet) return { values: [], restricted: false };
  const definition = valueSet.children.find((c) => c.name === 'valueSetDefinition');
  const values = definition
    ? childrenNamed(definition, 'value').map((v) => childText(v, 'fullName') ?? '')
    : [];
  return { values, restricted: childText(valueSet, 'restricted') === 'true' };
}
