/**
 * `@salesforce/schema` imports as an org with the package installed resolves them. sfdx-lwc-jest
 * turns `import F from '@salesforce/schema/Obj__c.Field__c'` into `{ objectApiName: 'Obj__c',
 * fieldApiName: 'Field__c' }` unless a module of that name exists; this registers one per import
 * of a component, with the package's custom objects, fields and relationships prefixed
 * (`aircallsfv__Obj__c`, `aircallsfv__Agent__r.Name`) and standard names left alone, the way a
 * subscriber org answers. Call it before the component is first required.
 */
import { readFileSync } from 'node:fs';

const CUSTOM = /__(c|r|e)$/;

function prefixed(name: string, namespace: string): string {
  return CUSTOM.test(name) ? `${namespace}__${name}` : name;
}

export function namespacedRef(
  importPath: string,
  namespace: string,
): { objectApiName: string; fieldApiName?: string } {
  const [object = '', ...path] = importPath.replace('@salesforce/schema/', '').split('.');
  const objectApiName = prefixed(object, namespace);
  if (!path.length) return { objectApiName };
  return { objectApiName, fieldApiName: path.map((p) => prefixed(p, namespace)).join('.') };
}

/** Registers namespaced schema modules for every `@salesforce/schema` import in `sourceFile`. */
export function mockNamespacedSchema(sourceFile: string, namespace: string): string[] {
  const source = readFileSync(sourceFile, 'utf8');
  const paths = [...source.matchAll(/from '(@salesforce\/schema\/[^']+)'/g)].map((m) => m[1]!);
  for (const path of paths) {
    const ref = namespacedRef(path, namespace);
    jest.doMock(path, () => ({ __esModule: true, default: ref }), { virtual: true });
  }
  return paths;
}

/** A UI API record (or related list page) as the namespaced org returns it: custom names prefixed. */
export function namespacedRecordData<T>(data: T, namespace: string): T {
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value === null || typeof value !== 'object') {
      return key === 'apiName' && typeof value === 'string' ? prefixed(value, namespace) : value;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'fields' && v && typeof v === 'object' && !Array.isArray(v)) {
        out[k] = Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([name, field]) => [
            prefixed(name, namespace),
            walk(field),
          ]),
        );
      } else {
        out[k] = walk(v, k);
      }
    }
    return out;
  };
  return walk(data) as T;
}
