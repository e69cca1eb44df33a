/**
 * The `references` check (scripts/metadata/checks.ts runs it with the others): pages, tabs, apps,
 * layouts and list views reference components and fields that exist.
 */
import { componentName, type SourcePackage } from './source';
import { childText, childrenNamed, type XmlElement } from './xml';
import type { Check } from './checks';

/** Standard fields layouts, list views and compact layouts may use on a custom object. */
const STANDARD_FIELDS = new Set([
  'Name',
  'NAME',
  'Id',
  'OwnerId',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'CREATED_DATE',
  'LAST_UPDATE',
]);

function lwcTargets(
  pkg: SourcePackage,
  bundle: string,
): { exposed: boolean; targets: string[] } | undefined {
  const meta = (pkg.byType.get('LightningComponentBundle') ?? []).find(
    (f) => componentName(f.path) === bundle,
  );
  if (!meta) return undefined;
  const targets = meta.root.children.find((c) => c.name === 'targets');
  return {
    exposed: childText(meta.root, 'isExposed') === 'true',
    targets: targets ? childrenNamed(targets, 'target').map((t) => t.text.trim()) : [],
  };
}

export const references: Check = {
  id: 'references',
  title: 'pages, tabs, apps, layouts and list views reference components that exist',
  run: ({ pkg }) => {
    const problems: string[] = [];
    const names = (type: string) =>
      new Set((pkg.byType.get(type) ?? []).map((f) => componentName(f.path)));
    const tabs = names('CustomTab');
    const pages = names('FlexiPage');
    const apps = names('CustomApplication');
    const fieldExists = (object: string, field: string) =>
      STANDARD_FIELDS.has(field) || pkg.fields.has(`${object}.${field}`);
    const objectOf = (rel: string) => rel.split('/')[rel.split('/').indexOf('objects') + 1] ?? '';

    for (const f of pkg.byType.get('FlexiPage') ?? []) {
      const pageType = childText(f.root, 'type');
      const target =
        pageType === 'RecordPage'
          ? 'lightning__RecordPage'
          : pageType === 'AppPage'
            ? 'lightning__AppPage'
            : undefined;
      const sobject = childText(f.root, 'sobjectType');
      if (sobject && sobject.endsWith('__c') && !pkg.objects.has(sobject)) {
        problems.push(`${f.rel}: sobjectType ${sobject} is not in the package`);
      }
      const visit = (el: XmlElement) => {
        if (el.name === 'componentName') {
          const component = el.text.trim();
          if (!component.includes(':')) {
            const lwc = lwcTargets(pkg, component);
            if (!lwc)
              problems.push(`${f.rel}: component ${component} is not an LWC bundle of the package`);
            else if (!lwc.exposed)
              problems.push(`${f.rel}: LWC ${component} is not exposed (isExposed true)`);
            else if (target && !lwc.targets.includes(target)) {
              problems.push(`${f.rel}: LWC ${component} does not declare the target ${target}`);
            }
          }
        }
        el.children.forEach(visit);
      };
      visit(f.root);
    }
    for (const bundle of pkg.lwcBundles) {
      if (!lwcTargets(pkg, bundle)) {
        problems.push(
          `lwc/${bundle}: no ${bundle}.js-meta.xml; every LWC bundle needs one to deploy`,
        );
      }
    }
    for (const f of pkg.byType.get('CustomTab') ?? []) {
      const name = componentName(f.path);
      const page = childText(f.root, 'flexiPage');
      if (page && !pages.has(page)) problems.push(`${f.rel}: flexiPage ${page} does not exist`);
      if (childText(f.root, 'customObject') === 'true' && !pkg.objects.get(name)) {
        problems.push(`${f.rel}: object tab for ${name}, which is not in the package`);
      }
    }
    for (const f of pkg.byType.get('CustomApplication') ?? []) {
      for (const t of childrenNamed(f.root, 'tabs')) {
        const tab = t.text.trim();
        if (!tab.startsWith('standard-') && !tabs.has(tab))
          problems.push(`${f.rel}: tab ${tab} does not exist`);
      }
      for (const o of childrenNamed(f.root, 'actionOverrides')) {
        const content = childText(o, 'content');
        if (childText(o, 'type') === 'Flexipage' && content && !pages.has(content)) {
          problems.push(`${f.rel}: action override page ${content} does not exist`);
        }
      }
    }
    for (const f of pkg.byType.get('PermissionSet') ?? []) {
      for (const t of childrenNamed(f.root, 'tabSettings')) {
        const tab = childText(t, 'tab') ?? '';
        if (!tab.startsWith('standard-') && !tabs.has(tab))
          problems.push(`${f.rel}: tab ${tab} does not exist`);
      }
      for (const a of childrenNamed(f.root, 'applicationVisibilities')) {
        const app = childText(a, 'application') ?? '';
        if (!apps.has(app)) problems.push(`${f.rel}: app ${app} does not exist`);
      }
    }
    for (const f of pkg.byType.get('Layout') ?? []) {
      const object = componentName(f.path).split('-')[0]!;
      const visit = (el: XmlElement) => {
        if (el.name === 'field' && !fieldExists(object, el.text.trim())) {
          problems.push(`${f.rel}: field ${el.text.trim()} does not exist on ${object}`);
        }
        el.children.forEach(visit);
      };
      visit(f.root);
      for (const field of pkg.fields.values()) {
        if (field.object === object && field.required) {
          const item = findLayoutItem(f.root, field.name);
          if (item && childText(item, 'behavior') !== 'Required') {
            problems.push(
              `${f.rel}: ${field.name} is required, so its layout behavior must be Required`,
            );
          }
        }
      }
    }
    for (const f of [
      ...(pkg.byType.get('ListView') ?? []),
      ...(pkg.byType.get('CompactLayout') ?? []),
    ]) {
      const object = objectOf(f.rel);
      for (const el of [...childrenNamed(f.root, 'columns'), ...childrenNamed(f.root, 'fields')]) {
        if (!fieldExists(object, el.text.trim()))
          problems.push(`${f.rel}: field ${el.text.trim()} does not exist on ${object}`);
      }
      for (const filter of childrenNamed(f.root, 'filters')) {
        const field = childText(filter, 'field') ?? '';
        if (!fieldExists(object, field))
          problems.push(`${f.rel}: filter field ${field} does not exist on ${object}`);
      }
    }
    return problems;
  },
};

function findLayoutItem(root: XmlElement, field: string): XmlElement | undefined {
  if (root.name === 'layoutItems' && childText(root, 'field') === field) return root;
  for (const child of root.children) {
    const found = findLayoutItem(child, field);
    if (found) return found;
  }
  return undefined;
}
