/**
 * SOAP plumbing for the Metadata API endpoint (`/services/Soap/m/NN.0`): reading the request
 * envelope (the call, its arguments, the session id of its SessionHeader) and writing the response
 * envelope or a fault, in the shape jsforce's SOAP client (what @salesforce/source-deploy-retrieve
 * and the `sf` CLI deploy with) reads: `soapenv:Envelope/soapenv:Body/<call>Response/result`, and
 * `soapenv:Fault` with `faultcode` `sf:<CODE>` and HTTP 500 (Metadata API Developer Guide, "Error
 * Handling": API faults carry an ExceptionCode).
 */
import { XMLParser } from 'fast-xml-parser';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export interface SoapCall {
  method: string;
  args: Record<string, unknown>;
  sessionId: string | undefined;
}

/** A SOAP fault: `sf:<code>` for the API's ExceptionCodes, `soapenv:Client` for a bad request. */
export class SoapFault extends Error {
  constructor(
    readonly faultcode: string,
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

export function parseEnvelope(text: string): SoapCall {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch {
    throw new SoapFault('soapenv:Client', 'The request is not well-formed XML.');
  }
  const envelope = doc.Envelope as Record<string, unknown> | undefined;
  const body = envelope?.Body as Record<string, unknown> | undefined;
  const method = body ? Object.keys(body)[0] : undefined;
  if (!envelope || !body || !method)
    throw new SoapFault('soapenv:Client', 'Missing SOAP envelope or body.');
  const header = (envelope.Header ?? {}) as Record<string, unknown>;
  const session = (header.SessionHeader ?? {}) as Record<string, unknown>;
  const args = body[method];
  return {
    method,
    args: args && typeof args === 'object' ? (args as Record<string, unknown>) : {},
    sessionId: typeof session.sessionId === 'string' ? session.sessionId : undefined,
  };
}

const escape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** One element per value; arrays repeat the element, null is `xsi:nil`, undefined is left out. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  const scalar = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return `<${name}>${escape(scalar)}</${name}>`;
}

const open =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`;
const close = '</soapenv:Body></soapenv:Envelope>';

export function responseEnvelope(method: string, result: unknown): string {
  return `${open}${toXml(`${method}Response`, { result })}${close}`;
}

export function faultEnvelope(fault: SoapFault): string {
  const code = fault.faultcode.startsWith('sf:') ? fault.faultcode.slice(3) : undefined;
  return (
    `${open}<soapenv:Fault><faultcode>${escape(fault.faultcode)}</faultcode>` +
    `<faultstring>${escape(code ? `${code}: ${fault.message}` : fault.message)}</faultstring></soapenv:Fault>${close}`
  );
}
