/**
 * Builds the console's browser bundle: the package's own Lightning Web Components from `force-app`
 * (the same sources that are deployed, not copies), the console's pages from `dev/console/web/`, the
 * lightning-base-components they use, and the local adapters that stand in for the platform's
 * modules (`lightning/uiRecordApi`, `lightning/graphql`, `lightning/empApi`, …, see
 * `dev/console/web/platform/`).
 *
 * The bundle is cached under `.aircall-sfv/console/<hash>/`, keyed by a hash of every source that
 * goes into it (force-app LWCs and labels, dev/console/web/, the versions of the LWC toolchain), so a
 * second `npm start` reuses it and a change to any component rebuilds it.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { RollupLwcOptions } from '@lwc/rollup-plugin';
import type { RollupReplaceOptions } from '@rollup/plugin-replace';
import type { Plugin } from 'rollup';

/** The console's browser code (pages, platform stand-ins, index.html, console.css). */
export function webDir(projectDir: string): string {
  return path.join(projectDir, 'dev', 'console', 'web');
}

export interface BundleOptions {
  projectDir: string;
  /** Where cached bundles are kept; default `<projectDir>/.aircall-sfv/console`. */
  cacheDir?: string;
  /** Build even when a cached bundle exists. */
  force?: boolean;
  /**
   * The namespace the package has in the org the console reads ('' = deployed without one): the
   * package's `@salesforce/schema` imports resolve to it (`aircallsfv__Aircall_Voice__c`), as the
   * platform resolves them in a subscriber org. One cached bundle per namespace.
   */
  namespace?: string;
}

export interface Bundle {
  /** Folder holding `app.js`. */
  dir: string;
  file: string;
  hash: string;
  cached: boolean;
  ms: number;
}

/** The LWC sources of the package and the console (every file that ends up in the bundle). */
function listFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__tests__' || entry.name === 'node_modules') continue;
      listFiles(full, out);
    } else out.push(full);
  }
  return out;
}

const TOOLCHAIN = [
  'lwc',
  '@lwc/rollup-plugin',
  '@lwc/synthetic-shadow',
  'lightning-base-components',
  'rollup',
  'typescript',
];

function sourceHash(projectDir: string, namespace: string): string {
  const hash = createHash('sha256');
  hash.update(`namespace:${namespace}\n`);
  const roots = [
    path.join(projectDir, 'force-app', 'main', 'default', 'lwc'),
    path.join(projectDir, 'force-app', 'main', 'default', 'labels'),
    path.join(projectDir, 'force-app', 'main', 'default', 'translations'),
    path.join(projectDir, 'force-app', 'main', 'default', 'aura'),
    webDir(projectDir),
    path.join(projectDir, 'dev', 'console', 'server', 'bundle.ts'),
  ];
  for (const root of roots) {
    const files = existsSync(root) && statSync(root).isFile() ? [root] : listFiles(root).sort();
    for (const file of files) {
      hash.update(path.relative(projectDir, file));
      hash.update(readFileSync(file));
    }
  }
  for (const name of TOOLCHAIN) {
    const pkg = path.join(projectDir, 'node_modules', name, 'package.json');
    if (existsSync(pkg)) {
      hash.update(
        `${name}@${(JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version}`,
      );
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** A translation of the package's Custom Labels: `translations/<language>.translation-meta.xml`. */
export function readLabelTranslations(projectDir: string, language: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = path.join(
    projectDir,
    'force-app',
    'main',
    'default',
    'translations',
    `${language}.translation-meta.xml`,
  );
  if (!existsSync(file)) return out;
  const parser = new XMLParser({ isArray: (name) => name === 'customLabels' });
  const doc = parser.parse(readFileSync(file, 'utf8')) as {
    Translations?: { customLabels?: { name?: unknown; label?: unknown }[] };
  };
  for (const entry of doc.Translations?.customLabels ?? []) {
    if (typeof entry.name === 'string' && typeof entry.label === 'string') {
      out.set(entry.name, entry.label);
    }
  }
  return out;
}

/** Custom Labels of the package: `@salesforce/label/c.Name` (and `<namespace>.Name`). */
export function readCustomLabels(projectDir: string): Map<string, string> {
  const labels = new Map<string, string>();
  const dir = path.join(projectDir, 'force-app', 'main', 'default', 'labels');
  const parser = new XMLParser({ isArray: (name) => name === 'labels' });
  for (const file of listFiles(dir).filter((f) => f.endsWith('.labels-meta.xml'))) {
    const doc = parser.parse(readFileSync(file, 'utf8')) as {
      CustomLabels?: { labels?: { fullName?: unknown; value?: unknown }[] };
    };
    for (const label of doc.CustomLabels?.labels ?? []) {
      const name = label.fullName;
      const value = label.value;
      if (typeof name === 'string') {
        labels.set(
          name,
          typeof value === 'string' || typeof value === 'number' ? String(value) : '',
        );
      }
    }
  }
  return labels;
}

/** Custom objects and fields defined by the package (force-app/main/default/objects). */
export function packageNames(projectDir: string): Set<string> {
  const names = new Set<string>();
  const dir = path.join(projectDir, 'force-app', 'main', 'default', 'objects');
  if (!existsSync(dir)) return names;
  for (const object of readdirSync(dir)) {
    if (/__(c|e|mdt)$/.test(object)) names.add(object);
    const fields = path.join(dir, object, 'fields');
    if (!existsSync(fields)) continue;
    for (const f of readdirSync(fields)) {
      const m = /^(\w+__c)\.field-meta\.xml$/.exec(f);
      if (m?.[1]) names.add(m[1]);
    }
  }
  return names;
}

/**
 * `@salesforce/schema/Obj.Field` or `@salesforce/schema/Obj.Rel.Field` as the platform exports it.
 * Inside a namespaced package, the package's own custom names written without a prefix resolve to
 * the namespace (`Status__c` → `ns__Status__c`, `Agent__r` → `ns__Agent__r`), as on the platform.
 */
export function schemaModule(
  reference: string,
  namespace = '',
  own: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const qualify = qualifier(namespace, own);
  const [objectApiName = '', ...field] = reference.split('.').map(qualify);
  return field.length === 0 ? { objectApiName } : { objectApiName, fieldApiName: field.join('.') };
}

/**
 * A name as the org has it: the package's own objects, fields and relationships prefixed with the
 * namespace, everything else (standard names, already prefixed names) as it is.
 */
export function qualifier(namespace: string, own: ReadonlySet<string>): (name: string) => string {
  return (name) => {
    if (!namespace || /^\w+__\w+__\w+$/.test(name)) return name;
    const asField = name.replace(/__r$/, '__c');
    return own.has(name) || own.has(asField) ? `${namespace}__${name}` : name;
  };
}

/**
 * The package's utility bar items: LWCs targeted at `lightning__UtilityBar`, and Aura components
 * implementing `lightning:utilityItem` with the LWCs they wrap (the console renders the LWC and
 * stands in for the Aura wrapper, e.g. relaying Omni toolkit calls when it has
 * `<lightning:omniToolkitAPI>`).
 */
function auraUtilityItems(
  projectDir: string,
): { aura: string; lwc: string[]; omniToolkit: boolean }[] {
  const dir = path.join(projectDir, 'force-app', 'main', 'default', 'aura');
  if (!existsSync(dir)) return [];
  const items = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name, `${name}.cmp`);
    if (!existsSync(file)) continue;
    const cmp = readFileSync(file, 'utf8');
    const implementsAttr = /<aura:component[^>]*implements="([^"]*)"/.exec(cmp)?.[1] ?? '';
    if (!implementsAttr.split(',').some((i) => i.trim() === 'lightning:utilityItem')) continue;
    const lwc = [...cmp.matchAll(/<c:(\w+)/g)].map((m) => `c/${m[1]}`);
    items.push({ aura: name, lwc, omniToolkit: /<lightning:omniToolkitAPI\b/.test(cmp) });
  }
  return items;
}

/**
 * `console/package`: the package's components with their targets, and the constructors of those
 * placed in the utility bar (the console renders whatever the package declares there).
 */
function packageModule(projectDir: string, lwcDir: string, modules: { name: string }[]): string {
  const wrapped = new Map<string, { aura: string; omniToolkit: boolean }>();
  for (const item of auraUtilityItems(projectDir)) {
    for (const lwc of item.lwc)
      wrapped.set(lwc, { aura: item.aura, omniToolkit: item.omniToolkit });
  }
  const parser = new XMLParser({ isArray: (name) => name === 'target' });
  const lines: string[] = [];
  const entries: string[] = [];
  modules.forEach((m, i) => {
    const bundle = m.name.slice(2);
    const metaFile = path.join(lwcDir, bundle, `${bundle}.js-meta.xml`);
    if (!existsSync(metaFile)) return;
    const meta = parser.parse(readFileSync(metaFile, 'utf8')) as {
      LightningComponentBundle?: {
        masterLabel?: string;
        isExposed?: boolean;
        targets?: { target?: string[] };
      };
    };
    const b = meta.LightningComponentBundle ?? {};
    const targets = b.targets?.target ?? [];
    const aura = wrapped.get(m.name);
    const utility = targets.includes('lightning__UtilityBar') || aura !== undefined;
    if (utility) lines.push(`import c${i} from ${JSON.stringify(m.name)};`);
    entries.push(
      `{ name: ${JSON.stringify(m.name)}, label: ${JSON.stringify(b.masterLabel ?? bundle)}, targets: ${JSON.stringify(targets)}, ctor: ${utility ? `c${i}` : 'null'}, aura: ${JSON.stringify(aura?.aura ?? null)}, omniToolkit: ${aura?.omniToolkit === true} }`,
    );
  });
  return `${lines.join('\n')}\nexport default [${entries.join(',\n')}];\n`;
}

const ICON_CATEGORIES = ['utility', 'standard', 'action', 'doctype', 'custom'] as const;

/**
 * Icon names written out in the sources (`utility:call`, `standard:contact`, …). The base
 * components ship every SLDS icon as a template (≈ 20 MB); the console compiles only these, which
 * takes the bundle from ~40 s of CPU to a few seconds. An icon named only at run time renders blank.
 */
function iconNames(dirs: string[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>(ICON_CATEGORIES.map((c) => [c, new Set<string>()]));
  const pattern = /\b(utility|standard|action|doctype|custom):([a-z0-9_]+)/g;
  for (const dir of dirs) {
    for (const file of listFiles(dir)) {
      if (file.includes(`${path.sep}iconSvgTemplates`) || !/\.(js|ts|html)$/.test(file)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(pattern)) found.get(m[1]!)?.add(m[2]!);
    }
  }
  return found;
}

function iconModule(lbcDir: string, category: string, names: ReadonlySet<string>): string {
  const cap = category[0]!.toUpperCase() + category.slice(1);
  const dir = path.join(lbcDir, `iconSvgTemplates${cap}`, 'buildTemplates', category);
  const imports: string[] = [];
  const entries: string[] = [];
  [...names].sort().forEach((name, i) => {
    const file = path.join(dir, `${name}.html`);
    if (!existsSync(file)) return;
    imports.push(`import t${i} from ${JSON.stringify(file)};`);
    entries.push(`${JSON.stringify(`${category}_${name}`)}: t${i}`);
  });
  return `${imports.join('\n')}\nexport default { ${entries.join(', ')} };\n`;
}

/** The cached bundle for the current sources, or null (nothing is built). */
export function cachedBundle(options: BundleOptions): Bundle | null {
  const started = performance.now();
  const projectDir = path.resolve(options.projectDir);
  const cacheRoot = options.cacheDir ?? path.join(projectDir, '.aircall-sfv', 'console');
  const hash = sourceHash(projectDir, options.namespace ?? '');
  const dir = path.join(cacheRoot, hash);
  const file = path.join(dir, 'app.js');
  return existsSync(file)
    ? { dir, file, hash, cached: true, ms: performance.now() - started }
    : null;
}

export async function buildBundle(options: BundleOptions): Promise<Bundle> {
  const started = performance.now();
  const projectDir = path.resolve(options.projectDir);
  const cacheRoot = options.cacheDir ?? path.join(projectDir, '.aircall-sfv', 'console');
  const hash = sourceHash(projectDir, options.namespace ?? '');
  const dir = path.join(cacheRoot, hash);
  const file = path.join(dir, 'app.js');
  if (!options.force && existsSync(file)) {
    return { dir, file, hash, cached: true, ms: performance.now() - started };
  }

  // The LWC toolchain is a set of devDependencies: loaded only when a bundle must be built.
  const { rollup } = await import('rollup');
  // CommonJS interop: these packages' default export is the plugin factory.
  const lwc = (await import('@lwc/rollup-plugin')).default as unknown as (
    options: RollupLwcOptions,
  ) => Plugin;
  const replace = (await import('@rollup/plugin-replace')).default as unknown as (
    options: RollupReplaceOptions,
  ) => Plugin;
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const ts = await import('typescript');

  const lwcDir = path.join(projectDir, 'force-app', 'main', 'default', 'lwc');
  const consoleDir = webDir(projectDir);
  const platformDir = path.join(consoleDir, 'platform');
  const labels = readCustomLabels(projectDir);
  const spanishLabels = readLabelTranslations(projectDir, 'es');
  const namespace = options.namespace ?? '';
  const own = packageNames(projectDir);

  // The package's components, under the `c` namespace as in the org.
  const packageModules = readdirSync(lwcDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const base = path.join(lwcDir, d.name, d.name);
      const entry = ['.ts', '.js', '.html'].map((ext) => base + ext).find((f) => existsSync(f));
      return entry ? { name: `c/${d.name}`, path: entry } : null;
    })
    .filter((m): m is { name: string; path: string } => m !== null);

  /** Platform modules the package imports, answered by the console's adapters. */
  const platform = new Map<string, string>();
  for (const f of readdirSync(platformDir)) {
    const m = /^(lightning|salesforce)-(\w+)\.ts$/.exec(f);
    if (!m) continue;
    const specifier = m[1] === 'lightning' ? `lightning/${m[2]}` : `@salesforce/${m[2]}`;
    platform.set(specifier, path.join(platformDir, f));
  }
  const gateStub = path.join(platformDir, 'gate-closed.js');
  const VIRTUAL = '\0console-virtual:';
  const lbcDir = path.join(
    projectDir,
    'node_modules',
    'lightning-base-components',
    'src',
    'lightning',
  );
  const icons = iconNames([lwcDir, consoleDir, lbcDir]);

  const platformPlugin = {
    name: 'console-platform',
    resolveId(source: string): string | null {
      const own = platform.get(source);
      if (own) return own;
      if (source === '@salesforce/gate/bc.260.enableComboboxElementInternals') return gateStub;
      if (source.startsWith('@salesforce/schema/')) return VIRTUAL + source;
      const label = /^@salesforce\/label\/(\w+)\.(\w+)$/.exec(source);
      if (label && (label[1] === 'c' || (namespace && label[1] === namespace))) {
        return VIRTUAL + source;
      }
      if (source === 'console/package' || source === '@salesforce/user/Id') return VIRTUAL + source;
      if (source === '@salesforce/i18n/lang' || source === '@salesforce/i18n/locale') {
        return VIRTUAL + source;
      }
      const icon = /^lightning\/iconSvgTemplates(\w*?)(Rtl)?$/.exec(source);
      if (icon) return `${VIRTUAL}icons:${(icon[1] ?? '').toLowerCase()}`;
      return null;
    },
    load(id: string): string | null {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source.startsWith('@salesforce/schema/')) {
        return `export default ${JSON.stringify(schemaModule(source.slice('@salesforce/schema/'.length), namespace, own))};`;
      }
      if (source === 'console/package') return packageModule(projectDir, lwcDir, packageModules);
      if (source === '@salesforce/user/Id') {
        return 'export default globalThis.__consoleUserId || null;';
      }
      // The user's language and locale, as the page says (index.html, from the session's user).
      if (source === '@salesforce/i18n/lang') {
        return "export default globalThis.__consoleLanguage === 'es' ? 'es' : 'en-US';";
      }
      if (source === '@salesforce/i18n/locale') {
        return "export default globalThis.__consoleLanguage === 'es' ? 'es-ES' : 'en-US';";
      }
      if (source.startsWith('icons:')) {
        const category = source.slice('icons:'.length);
        if (!category) return 'export default {};';
        return iconModule(lbcDir, category, icons.get(category) ?? new Set());
      }
      const name = source.slice(source.lastIndexOf('.') + 1);
      const value = labels.get(name);
      if (value === undefined) {
        throw new Error(
          `${source}: no Custom Label named ${name} in force-app/main/default/labels. Add it there (a deploy would fail the same way).`,
        );
      }
      // The Spanish translation for a user whose language is Spanish, as the platform picks it.
      const spanish = spanishLabels.get(name);
      return spanish === undefined
        ? `export default ${JSON.stringify(value)};`
        : `export default globalThis.__consoleLanguage === 'es' ? ${JSON.stringify(spanish)} : ${JSON.stringify(value)};`;
    },
  };

  /** TypeScript → JavaScript, keeping the standard decorators for the LWC compiler (as npm run build does). */
  const typescriptPlugin = {
    name: 'console-typescript',
    transform(code: string, id: string): { code: string; map: null } | null {
      const filename = id.split('?')[0] ?? id;
      if (!filename.endsWith('.ts') || filename.endsWith('.d.ts')) return null;
      const out = ts.transpileModule(code, {
        fileName: filename,
        compilerOptions: {
          target: ts.ScriptTarget.ESNext,
          module: ts.ModuleKind.ESNext,
          useDefineForClassFields: true,
          experimentalDecorators: false,
          verbatimModuleSyntax: false,
          isolatedModules: true,
        },
      });
      return { code: out.outputText, map: null };
    },
  };

  const bundle = await rollup({
    input: path.join(consoleDir, 'main.ts'),
    plugins: [
      platformPlugin,
      typescriptPlugin,
      replace({
        preventAssignment: true,
        values: {
          'process.env.NODE_ENV': JSON.stringify('production'),
          'import.meta.env.SSR': 'false',
        },
      }),
      lwc({
        rootDir: consoleDir,
        enableDynamicComponents: true,
        modules: [
          ...packageModules,
          { dir: path.join(consoleDir, 'modules') },
          { npm: 'lightning-base-components' },
        ],
      }),
      nodeResolve(),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      // lightning-base-components' own templates compile with a few harmless warnings.
      if (warning.id?.includes(`${path.sep}node_modules${path.sep}`)) return;
      if (warning.code === 'UNRESOLVED_IMPORT') {
        throw new Error(
          `${warning.exporter ?? warning.message}: a component imports a platform module the console has no adapter for. Add one under dev/console/web/platform/ (see dev/console/server/README.md).`,
        );
      }
      warn(warning);
    },
  });
  // Written next to its final place and renamed, so an interrupted build never looks complete.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await bundle.write({
    file: path.join(partial, 'app.js'),
    format: 'iife',
    sourcemap: false,
    inlineDynamicImports: true,
  });
  await bundle.close();
  writeFileSync(
    path.join(partial, 'built.json'),
    JSON.stringify({ hash, at: new Date().toISOString() }),
  );
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  // Older bundles are of no use once the sources changed.
  for (const old of readdirSync(cacheRoot)) {
    if (old !== hash && /^[0-9a-f]{16}$/.test(old)) {
      rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
    }
  }
  return { dir, file, hash, cached: false, ms: performance.now() - started };
}
