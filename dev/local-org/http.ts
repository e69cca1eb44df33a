/** HTTP plumbing shared by the local org's API families: replies, JSON bodies, bearer tokens. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SfError } from './errors';
import type { Org } from './runtime';

export interface Reply {
  status: number;
  body?: unknown;
  /** A CSV body (Bulk API 2.0 results), sent as text/csv instead of JSON. */
  csv?: string;
  /** An XML body (the Metadata API's SOAP envelopes), sent as text/xml. */
  xml?: string;
  headers?: Record<string, string>;
}

export type Json = Record<string, unknown>;

export const notFound = (): SfError =>
  new SfError('NOT_FOUND', 'The requested resource does not exist', [], 404);

/** The 401 a real org answers for a missing, wrong or expired session. */
export const INVALID_SESSION: Reply = {
  status: 401,
  body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
};

export function asObject(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError('JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  }
  return body as Json;
}

/** The body as text (Bulk API 2.0 CSV uploads; JSON job requests are parsed by the handler). */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SfError('JSON_PARSER_ERROR', 'The request body is not valid JSON.');
  }
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    res.writeHead(reply.status, headers);
    res.end(reply.csv);
    return;
  }
  if (reply.xml !== undefined) {
    headers['content-type'] = 'text/xml;charset=UTF-8';
    res.writeHead(reply.status, headers);
    res.end(reply.xml);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json;charset=UTF-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

export function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** What a route handler is given: the org, the matched path parameters, the parsed body. */
export interface RouteRequest {
  readonly org: Org;
  readonly method: string;
  /** The URL path, without trailing or doubled slashes. */
  readonly path: string;
  /** Path parameters, URI-decoded (`:type` in the route's path is `params.type`). */
  readonly params: Readonly<Record<string, string>>;
  readonly url: URL;
  readonly body: unknown;
  /** REST API version of the URL ('66.0'); '' outside `/services/data`. */
  readonly version: string;
  /** Query batch size (REST API guide, "Query": Sforce-Query-Options: batchSize, 200–2,000). */
  readonly batchSize: number;
  /**
   * Runs a `/services/data/vXX.X/...` subrequest through the same route table (composite), with
   * its own `httpHeaders` (of which the local org reads `Sforce-Auto-Assign`).
   */
  readonly subrequest: (method: string, url: URL, body: unknown, headers?: unknown) => Reply;
  /** The raw exchange, for the one handler that answers by itself (streaming). */
  readonly http: { req: IncomingMessage; res: ServerResponse } | undefined;
}

/**
 * A route handler. REST handlers are synchronous, so a composite request can run its subrequests
 * in one transaction; `undefined` means the handler answered by itself (a stream).
 */
export type Handler = (r: RouteRequest) => Reply | undefined;
