/**
 * Which names the package has in this org, learnt once at start, and whether every component the
 * connector needs is there.
 *
 * Cost: one global describe (`GET /sobjects`) finds the namespace (`aircallsfv__Aircall_Voice__c`
 * in the list means the managed package, `Aircall_Voice__c` an unprefixed deploy), then ONE
 * Composite request describing the 9 objects the package creates or adds fields to, to name a
 * missing field and to learn the length of every text field (values are fitted to them,
 * src/connector/fit.ts): 2 API requests per connector start, none afterwards.
 * `--namespace` / AIRCALL_SFV_NAMESPACE skips the guess, not the check.
 */
import type { SalesforceClient } from './client';
import { ErrorCode } from '../errors/catalogue';
import { SalesforceError } from './errors';
import { PACKAGE_FIELDS, PACKAGE_OBJECTS, PackageNames } from './names';

/** The object whose name tells the namespace (every install has it). */
const ANCHOR = 'Aircall_Voice__c';

export interface PackageCheck {
  names: PackageNames;
  /** How the namespace was chosen, for logs and doctor. */
  how: 'detected' | 'forced' | 'not found';
  /** Each missing component, in the org's names: `object aircallsfv__Aircall_Settings__c`, `field Contact.aircallsfv__Aircall_Phone_Key__c`. */
  missing: string[];
}

/**
 * The package is missing or half-installed. Transient for the worker: events wait in the inbox
 * (never dead-lettered) until the package is there.
 */
export class PackageMissingError extends SalesforceError {
  constructor(readonly check: PackageCheck) {
    super(packageProblem(check), ErrorCode.PACKAGE_MISSING, true);
    this.name = 'PackageMissingError';
  }
}

/** One sentence naming what is missing and what to do. */
export function packageProblem(check: PackageCheck): string {
  const where = check.names.namespace
    ? `with the namespace ${check.names.namespace}`
    : 'without a namespace';
  const list =
    check.missing.length > 8
      ? `${check.missing.slice(0, 8).join(', ')} and ${check.missing.length - 8} more`
      : check.missing.join(', ');
  if (check.how === 'not found') {
    return (
      `The Aircall package is not installed in this org (no ${ANCHOR}, with or without a namespace): ` +
      'install the managed package or deploy force-app (npm run deploy), then assign the ' +
      'Aircall_Integration permission set to the user the connector logs in as.'
    );
  }
  return (
    `The Aircall package ${where} is missing or half-installed in this org: missing ${list}. ` +
    'Install (or upgrade) the package, or deploy force-app with npm run deploy; a field the ' +
    'connector user cannot see counts as missing, so check the Aircall_Integration permission set is assigned.'
  );
}

function namespaceOf(sobjects: readonly string[]): string | null {
  if (sobjects.includes(ANCHOR)) return '';
  const found = sobjects
    .map((name) => /^([A-Za-z][A-Za-z0-9]*)__Aircall_Voice__c$/.exec(name)?.[1])
    .find((ns) => ns !== undefined);
  return found ?? null;
}

/**
 * Learns the namespace (or takes `forced`), sets it on the client so every later request is
 * translated, and lists the missing components.
 */
export async function detectPackage(
  client: SalesforceClient,
  forced?: string,
): Promise<PackageCheck> {
  const global = await client.get<{ sobjects: { name: string }[] }>('/sobjects');
  const sobjects = global.sobjects.map((s) => s.name);
  const detected = namespaceOf(sobjects);
  const how: PackageCheck['how'] =
    forced !== undefined ? 'forced' : detected === null ? 'not found' : 'detected';
  const names = new PackageNames(forced ?? detected ?? '');
  client.names = names;
  if (how === 'not found') {
    return { names, how, missing: PACKAGE_OBJECTS.map((o) => `object ${names.object(o)}`) };
  }
  const present = new Set(sobjects);
  const missing: string[] = [];
  const described = await client.describeAll(
    Object.keys(PACKAGE_FIELDS)
      .map((o) => names.object(o))
      .filter((o) => present.has(o)),
  );
  for (const [object, fields] of Object.entries(PACKAGE_FIELDS)) {
    const orgObject = names.object(object);
    const describe = described.get(orgObject);
    if (!present.has(orgObject) || !describe) {
      missing.push(`${object.endsWith('__e') ? 'platform event' : 'object'} ${orgObject}`);
      continue;
    }
    const have = new Set(describe.fields.map((f) => f.name));
    const shapes = new Map<string, { type: string; length: number }>();
    for (const f of describe.fields) {
      if (typeof f.length === 'number' && f.length > 0) {
        shapes.set(names.logical(f.name), { type: f.type, length: f.length });
      }
    }
    client.fieldShapes.set(object, shapes);
    for (const field of fields) {
      const orgField = names.field(object, field);
      if (!have.has(orgField)) missing.push(`field ${orgObject}.${orgField}`);
    }
  }
  return { names, how, missing };
}

/** detectPackage, refusing to go on when something is missing. */
export async function requirePackage(
  client: SalesforceClient,
  forced?: string,
): Promise<PackageCheck> {
  const check = await detectPackage(client, forced);
  if (check.how === 'not found' || check.missing.length > 0) throw new PackageMissingError(check);
  return check;
}
