/**
 * A Metadata API deploy's zip read into components: package.xml's members, each found in its file
 * (Metadata API Developer Guide, "Deploying and Retrieving Metadata with the Zip File": package.xml
 * at the root of the package folder, each type in its directory — objects/X.object with its fields,
 * list views and compact layouts inside, permissionsets/X.permissionset, labels/CustomLabels.labels,
 * translations/es.translation, …). With `singlePackage` the zip holds one package: package.xml at
 * its root, or in its one top folder (SDR zips a metadata folder under `zip/`).
 */
import { parseMetadataXml, type XmlNode } from './schema';
import { readZip } from './zip';

/** One component as package.xml names it, with the file it lives in. */
export interface Component {
  type: string;
  fullName: string;
  /** The file in the zip, as the deploy result reports it (`zip/objects/Foo__c.object`). */
  fileName: string;
  /** The component's own XML (a field's `<fields>`, a permission set's root), when it has one. */
  node?: XmlNode;
  /** The XML text of a whole-file component (kept so a deployed package can be replayed). */
  text?: string;
  /** Why the component cannot be deployed, when it cannot (a missing file, …). */
  problem?: string;
}

export interface DeployPackage {
  components: Component[];
  /** Problems that stop the deploy before any component is looked at (no package.xml …). */
  problems: { fileName: string; problem: string }[];
}

/** Where each whole-file type lives: directory and suffix. Children live in their parent's file. */
const FILES: Record<string, { dir: string; suffix: string; root?: string }> = {
  CustomObject: { dir: 'objects', suffix: '.object', root: 'CustomObject' },
  PermissionSet: { dir: 'permissionsets', suffix: '.permissionset', root: 'PermissionSet' },
  CustomLabels: { dir: 'labels', suffix: '.labels', root: 'CustomLabels' },
  Translations: { dir: 'translations', suffix: '.translation', root: 'Translations' },
  Layout: { dir: 'layouts', suffix: '.layout', root: 'Layout' },
  FlexiPage: { dir: 'flexipages', suffix: '.flexipage', root: 'FlexiPage' },
  CustomTab: { dir: 'tabs', suffix: '.tab', root: 'CustomTab' },
  CustomApplication: { dir: 'applications', suffix: '.app', root: 'CustomApplication' },
  PlatformEventChannelMember: {
    dir: 'platformEventChannelMembers',
    suffix: '.platformEventChannelMember',
    root: 'PlatformEventChannelMember',
  },
  CustomObjectTranslation: {
    dir: 'objectTranslations',
    suffix: '.objectTranslation',
    root: 'CustomObjectTranslation',
  },
  ReportType: { dir: 'reportTypes', suffix: '.reportType', root: 'ReportType' },
  // A report or dashboard is `Folder/Name` (reports/Folder/Name.report); its folder, `Folder/`, is
  // reports/Folder-meta.xml (FOLDERS below).
  Report: { dir: 'reports', suffix: '.report', root: 'Report' },
  Dashboard: { dir: 'dashboards', suffix: '.dashboard', root: 'Dashboard' },
  ApexClass: { dir: 'classes', suffix: '.cls' },
  ApexTrigger: { dir: 'triggers', suffix: '.trigger' },
  StaticResource: { dir: 'staticresources', suffix: '.resource' },
};

/** The folder element of a foldered type (Metadata API Developer Guide, "ReportFolder"). */
const FOLDERS: Record<string, string> = { Report: 'ReportFolder', Dashboard: 'DashboardFolder' };

/** Bundles: a folder per component. */
const BUNDLES: Record<string, string> = {
  LightningComponentBundle: 'lwc',
  AuraDefinitionBundle: 'aura',
};

/** Child types: the parent type, the element in the parent's file, and the child's name key. */
const CHILDREN: Record<string, { parent: string; element: string; key: string }> = {
  CustomField: { parent: 'CustomObject', element: 'fields', key: 'fullName' },
  ListView: { parent: 'CustomObject', element: 'listViews', key: 'fullName' },
  CompactLayout: { parent: 'CustomObject', element: 'compactLayouts', key: 'fullName' },
  CustomLabel: { parent: 'CustomLabels', element: 'labels', key: 'fullName' },
};

const asArray = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const text = (node: XmlNode, key: string): string | undefined => {
  const v = node[key];
  return typeof v === 'string' ? v : undefined;
};

/** Reads the zip of a deploy() call into its components. */
export function readDeployZip(zip: Buffer, singlePackage: boolean): DeployPackage {
  const files = readZip(zip);
  const manifests = [...files.keys()].filter(
    (p) => p === 'package.xml' || /^[^/]+\/package\.xml$/.test(p),
  );
  if (manifests.length === 0)
    return {
      components: [],
      problems: [{ fileName: 'package.xml', problem: 'No package.xml found' }],
    };
  if (singlePackage && manifests.length > 1)
    return {
      components: [],
      problems: [
        {
          fileName: manifests[1]!,
          problem: 'singlePackage is set, but the zip holds more than one package.xml',
        },
      ],
    };
  const components: Component[] = [];
  const problems: DeployPackage['problems'] = [];
  for (const manifest of manifests) {
    const base = manifest.slice(0, -'package.xml'.length);
    components.push(...readPackage(files, base, manifest, problems));
  }
  return { components, problems };
}

function readPackage(
  files: Map<string, Buffer>,
  base: string,
  manifest: string,
  problems: DeployPackage['problems'],
): Component[] {
  let pkg: XmlNode;
  try {
    pkg = (parseMetadataXml(files.get(manifest)!.toString('utf8')).Package ?? {}) as XmlNode;
  } catch (e) {
    problems.push({ fileName: manifest, problem: `Error parsing file: ${(e as Error).message}` });
    return [];
  }
  const parsed = new Map<string, XmlNode | null>();
  const parse = (path: string, root: string): XmlNode | null => {
    if (!parsed.has(path)) {
      const buf = files.get(path);
      try {
        parsed.set(
          path,
          buf ? ((parseMetadataXml(buf.toString('utf8'))[root] ?? {}) as XmlNode) : null,
        );
      } catch (e) {
        problems.push({ fileName: path, problem: `Error parsing file: ${(e as Error).message}` });
        parsed.set(path, null);
      }
    }
    return parsed.get(path)!;
  };
  const notFound = (type: string, name: string): string =>
    `An object '${name}' of type ${type} was named in package.xml, but was not found in zipped directory`;
  const out: Component[] = [];
  for (const t of asArray(pkg.types as XmlNode[] | undefined)) {
    const type = text(t, 'name') ?? '';
    for (const member of asArray(t.members as string[] | undefined)) {
      const file = FILES[type];
      const bundle = BUNDLES[type];
      const child = CHILDREN[type];
      if (file) {
        const folder = FOLDERS[type] && member.endsWith('/') ? FOLDERS[type] : undefined;
        const path = folder
          ? `${base}${file.dir}/${member.slice(0, -1)}-meta.xml`
          : `${base}${file.dir}/${member}${file.suffix}`;
        const root = folder ?? file.root;
        const node = root ? parse(path, root) : files.has(path) ? {} : null;
        if (!files.has(path)) {
          out.push({ type, fullName: member, fileName: path, problem: notFound(type, member) });
          continue;
        }
        out.push({
          type,
          fullName: member,
          fileName: path,
          ...(node ? { node } : {}),
          text: files.get(path)!.toString('utf8'),
        });
      } else if (bundle) {
        const dir = `${base}${bundle}/${member}/`;
        const present = [...files.keys()].some((p) => p.startsWith(dir));
        out.push({
          type,
          fullName: member,
          fileName: `${base}${bundle}/${member}`,
          ...(present ? {} : { problem: notFound(type, member) }),
        });
      } else if (child) {
        const dot = member.indexOf('.');
        const parentName = child.parent === 'CustomLabels' ? 'CustomLabels' : member.slice(0, dot);
        const name = child.parent === 'CustomLabels' ? member : member.slice(dot + 1);
        const spec = FILES[child.parent]!;
        const path = `${base}${spec.dir}/${parentName}${spec.suffix}`;
        const parent = parse(path, spec.root!);
        const node = asArray(parent?.[child.element] as XmlNode[] | undefined).find(
          (n) => text(n, child.key) === name,
        );
        out.push({
          type,
          fullName: member,
          fileName: path,
          ...(node ? { node } : { problem: notFound(type, member) }),
        });
      } else {
        // A type the local org does not model: kept as deployed, reported as deployed.
        out.push({ type, fullName: member, fileName: `${base}${type}/${member}` });
      }
    }
  }
  return out;
}
