import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element with its children in document order (order and repetition matter to the checks). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside the element, untrimmed. */
  text: string;
}

export type ParseResult = { ok: true; root: XmlElement } | { ok: false; error: string };

const ATTRIBUTES = ':@';
const TEXT = '#text';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
});

type OrderedNode = Record<string, unknown>;

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ATTRIBUTES);
  if (name === undefined || name === TEXT || name === '#comment') return undefined;
  const attrs = (node[ATTRIBUTES] ?? {}) as Record<string, string>;
  const element: XmlElement = { name, attributes: { ...attrs }, children: [], text: '' };
  for (const child of node[name] as OrderedNode[]) {
    if (TEXT in child) element.text += String(child[TEXT]);
    else {
      const sub = toElement(child);
      if (sub) element.children.push(sub);
    }
  }
  return element;
}

/**
 * Parse an XML document strictly: the validator rejects what the parser alone would "repair"
 * (unclosed tags, mismatched tags, duplicate attributes), which is what `sf project convert`
 * lets through.
 */
export function parseXml(text: string): ParseResult {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    return {
      ok: false,
      error: `line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
    };
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) {
    return { ok: false, error: `expected one root element, found ${roots.length}` };
  }
  return { ok: true, root: roots[0]! };
}

/** Text of the first direct child called `name`, trimmed; undefined when absent. */
export function childText(element: XmlElement, name: string): string | undefined {
  const child = element.children.find((c) => c.name === name);
  return child === undefined ? undefined : child.text.trim();
}

/** All direct children called `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
