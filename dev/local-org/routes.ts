/**
 * The local org's route table and the one dispatcher that applies it. Each route declares its
 * method, path, API family, authentication, whether injected faults apply and which request
 * counter it increments; the handlers in `api/*.ts` only do the resource's own work.
 *
 * Per family (applied by `dispatch`, in this order):
 * - rest (`/services/data/vXX.X/...`): bearer session (401 INVALID_SESSION_ID), rolling 24-hour
 *   allocation (403 REQUEST_LIMIT_EXCEEDED), served API version (404), `Sforce-Limit-Info` on every
 *   answer, errors as `[{message, errorCode, fields}]`.
 * - telephony (`/telephony/v1/...`): the contact center's RS256 JWT, errors as
 *   `{errors: [{code, message}]}`; not counted against the REST allocation.
 * - identity (`/services/data`, `/services/oauth2/userinfo`): what a client asks before anything.
 * - streaming (`/cometd/NN.0`): the Streaming API's CometD endpoint; its session checks and errors
 *   are Bayeux messages (`../cometd.ts`), not counted against the REST allocation.
 * - local (`/local/...`): endpoints that do not exist on a real org; bearer session.
 * Then: the body is read, the request counted in its category, injected latency and faults drawn
 * (503 / request-limit; a write's UNABLE_TO_LOCK_ROW is drawn by the write itself), and the handler
 * runs.
 */
import { readAutoAssign, subrequestAutoAssign } from './assignment-rules';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../src/util/sleep';
import * as analytics from './api/analytics';
import * as collections from './api/collections';
import { bulk } from './api/bulk';
import { composite } from './api/composite';
import { tree } from './api/tree';
import * as identity from './api/identity';
import * as local from './api/local';
import * as metadata from './api/metadata';
import { metadataSoap } from './api/mdapi';
import { batchSizeOf, query, queryMore, QUERY_BATCH, search } from './api/query';
import * as sobjects from './api/sobjects';
import { cometd, openStream } from './api/streaming';
import * as telephony from './api/telephony';
import { SfError } from './errors';
import {
  bearer,
  INVALID_SESSION,
  notFound,
  readBody,
  readText,
  send,
  type Handler,
  type Reply,
  type RouteRequest,
} from './http';
import type { CounterCategory, Org } from './runtime';
import { TelephonyError, verifyJwt } from './telephony';

export type Family = 'rest' | 'telephony' | 'identity' | 'streaming' | 'local';

export interface Route {
  /** HTTP method, or '*' for any. */
  method: string;
  /** `:name` is a path parameter (`:version` = `66.0` after a `v`), a final `*` any remainder. */
  path: string;
  family: Family;
  /** session: `Authorization: Bearer <access token>`; oauth: the same, answered 403 as the OAuth endpoints do; jwt: the Telephony API token. */
  auth: 'session' | 'oauth' | 'jwt' | 'none';
  /** Whether injected latency, 503s and request-limit faults apply. */
  faults: boolean;
  /** The request counter incremented (none = not counted). */
  count?: CounterCategory | ((r: RouteRequest) => CounterCategory);
  /** The handler reads the raw request itself (no JSON body). */
  raw?: boolean;
  /** The body is passed as a string, not parsed as JSON (Bulk API 2.0: CSV uploads). */
  text?: boolean;
  handle: Handler;
}

const REST = { family: 'rest', auth: 'session', faults: true } as const;
const TELEPHONY = { family: 'telephony', auth: 'jwt', faults: true, count: 'telephony' } as const;
const LOCAL = { family: 'local', auth: 'session', faults: false } as const;
const V = '/services/data/v:version';

const throwNotFound: Handler = () => {
  throw notFound();
};

// prettier-ignore
export const ROUTES: readonly Route[] = [
  // ---- identity ----
  { family: 'identity', auth: 'none', faults: false, method: 'GET', path: '/services/data', handle: identity.versions },
  { family: 'identity', auth: 'oauth', faults: false, method: 'GET', path: '/services/oauth2/userinfo', handle: identity.userinfo },
  { family: 'identity', auth: 'none', faults: false, method: 'GET', path: '/id/:orgId/:userId', handle: identity.identityUrl },
  // ---- Salesforce REST ----
  { ...REST, method: '*', path: V, count: 'rest', handle: identity.resources },
  { ...REST, method: 'GET', path: `${V}/limits`, count: 'rest', handle: identity.limits },
  { ...REST, method: 'GET', path: `${V}/recent`, count: 'rest', handle: metadata.recent },
  { ...REST, method: 'GET', path: `${V}/tabs`, count: 'rest', handle: metadata.tabs },
  { ...REST, method: 'GET', path: `${V}/theme`, count: 'rest', handle: metadata.theme },
  { ...REST, method: 'GET', path: `${V}/query`, count: 'query', handle: query },
  { ...REST, method: 'GET', path: `${V}/queryAll`, count: 'query', handle: query },
  { ...REST, method: 'GET', path: `${V}/query/:locator`, count: 'query', handle: queryMore },
  { ...REST, method: 'GET', path: `${V}/queryAll/:locator`, count: 'query', handle: queryMore },
  { ...REST, method: 'GET', path: `${V}/search`, count: 'search', handle: search },
  { ...REST, method: 'GET', path: `${V}/sobjects`, count: 'rest', handle: sobjects.describeGlobal },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type`, count: 'rest', handle: sobjects.basicInfo },
  { ...REST, method: 'POST', path: `${V}/sobjects/:type`, count: sobjects.createCategory, handle: sobjects.create },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/describe`, count: 'rest', handle: sobjects.describe },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/describe/*`, count: 'rest', handle: metadata.describeSub },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/listviews`, count: 'rest', handle: metadata.listViewsIndex },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/listviews/:id`, count: 'rest', handle: metadata.listView },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/listviews/:id/:sub`, count: 'rest', handle: metadata.listView },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/updated`, count: 'rest', handle: metadata.updated },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/deleted`, count: 'rest', handle: metadata.deleted },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/:id`, count: 'rest', handle: sobjects.read },
  { ...REST, method: 'PATCH', path: `${V}/sobjects/:type/:id`, count: 'rest', handle: sobjects.update },
  { ...REST, method: 'DELETE', path: `${V}/sobjects/:type/:id`, count: 'rest', handle: sobjects.remove },
  { ...REST, method: 'GET', path: `${V}/sobjects/:type/:field/:value`, count: 'rest', handle: sobjects.readByExternalId },
  { ...REST, method: 'PATCH', path: `${V}/sobjects/:type/:field/:value`, count: 'rest', handle: sobjects.upsert },
  { ...REST, method: 'POST', path: `${V}/composite`, count: 'composite', handle: composite },
  { ...REST, method: 'POST', path: `${V}/composite/sobjects`, count: collections.createCategory, handle: collections.createMany },
  { ...REST, method: 'PATCH', path: `${V}/composite/sobjects`, count: 'composite', handle: collections.updateMany },
  { ...REST, method: 'DELETE', path: `${V}/composite/sobjects`, count: 'composite', handle: collections.deleteMany },
  { ...REST, method: 'GET', path: `${V}/composite/sobjects/:type`, count: 'composite', handle: collections.retrieveMany },
  { ...REST, method: 'POST', path: `${V}/composite/sobjects/:type`, count: 'composite', handle: collections.retrieveMany },
  { ...REST, method: 'PATCH', path: `${V}/composite/sobjects/:type/:field`, count: 'composite', handle: collections.upsertMany },
  { ...REST, method: 'POST', path: `${V}/composite/tree/:type`, count: 'composite', handle: tree },
  { ...REST, method: '*', path: `${V}/jobs/*`, count: 'rest', text: true, handle: bulk },
  { ...REST, method: 'GET', path: `${V}/analytics/reports`, count: 'rest', handle: analytics.listReports },
  { ...REST, method: 'GET', path: `${V}/analytics/reports/:id/describe`, count: 'rest', handle: analytics.describeReport },
  { ...REST, method: 'GET', path: `${V}/analytics/reports/:id`, count: 'rest', handle: analytics.runReport },
  { ...REST, method: 'POST', path: `${V}/analytics/reports/:id`, count: 'rest', handle: analytics.runReport },
  { ...REST, method: 'GET', path: `${V}/analytics/dashboards`, count: 'rest', handle: analytics.listDashboards },
  { ...REST, method: 'GET', path: `${V}/analytics/dashboards/:id`, count: 'rest', handle: analytics.dashboardResults },
  { ...REST, method: '*', path: `${V}/*`, handle: throwNotFound },
  // ---- Metadata API (SOAP; the session is in the envelope's SessionHeader) ----
  { ...REST, auth: 'none', faults: false, method: 'POST', path: '/services/Soap/m/:version', count: 'rest', text: true, handle: metadataSoap },
  // ---- Telephony Integration API ----
  { ...TELEPHONY, method: 'POST', path: '/telephony/v1/voiceCalls', handle: telephony.createCall },
  { ...TELEPHONY, method: 'POST', path: '/telephony/v1/voiceCalls/messages', handle: telephony.createMessages },
  { ...TELEPHONY, method: 'PATCH', path: '/telephony/v1/voiceCalls/:id', handle: telephony.updateCall },
  { ...TELEPHONY, method: '*', path: '/telephony/v1/*', handle: telephony.notServed },
  // ---- Streaming API (CometD) ----
  { family: 'streaming', auth: 'none', faults: false, method: 'POST', path: '/cometd', raw: true, handle: cometd },
  { family: 'streaming', auth: 'none', faults: false, method: 'POST', path: '/cometd/*', raw: true, handle: cometd },
  // ---- local-only ----
  { ...LOCAL, method: 'GET', path: '/local/stream', raw: true, handle: openStream },
  { ...LOCAL, method: 'GET', path: '/local/contact-center', handle: local.contactCenter },
  { ...LOCAL, method: 'GET', path: '/local/counters', handle: local.counters },
  { ...LOCAL, method: 'POST', path: '/local/counters/reset', handle: local.resetCounters },
  { ...LOCAL, method: 'POST', path: '/local/presence', handle: local.presence },
  { ...LOCAL, method: 'GET', path: '/local/conversations/:key', handle: telephony.conversation },
  { ...LOCAL, method: '*', path: '/local/faults', handle: local.faults },
  { ...LOCAL, method: '*', path: '/local/*', handle: throwNotFound },
];

// ---- matching ------------------------------------------------------------------------------------

const PARAM_PATTERNS: Record<string, string> = { version: '\\d+\\.\\d' };

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((seg) => {
      if (seg === '*') {
        names.push('rest');
        return '(.+)';
      }
      return seg
        .split(/(:\w+)/)
        .map((part) => {
          if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          const name = part.slice(1);
          names.push(name);
          return `(${PARAM_PATTERNS[name] ?? '[^/]+'})`;
        })
        .join('');
    })
    .join('/');
  return { route, regex: new RegExp(`^${source}$`), names };
}

const COMPILED = ROUTES.map(compile);

/** Trailing and doubled slashes are ignored, as the org does. */
const normalizePath = (pathname: string): string =>
  pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';

function match(
  path: string,
  method: string,
  family?: Family,
): { route: Route; raw: Record<string, string> } | undefined {
  for (const c of COMPILED) {
    if (family && c.route.family !== family) continue;
    if (c.route.method !== '*' && c.route.method !== method) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const raw: Record<string, string> = {};
    c.names.forEach((n, i) => (raw[n] = m[i + 1]!));
    return { route: c.route, raw };
  }
  return undefined;
}

const decodeParams = (raw: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeURIComponent(v)]));

const categoryOf = (route: Route, r: RouteRequest): CounterCategory | undefined =>
  typeof route.count === 'function' ? route.count(r) : route.count;

// ---- dispatch ------------------------------------------------------------------------------------

/**
 * A `/services/data/vXX.X/...` subrequest of a composite request: the same REST routes, without
 * the HTTP-level checks (the composite request passed them once) and counted as part of it.
 */
function subrequest(org: Org, method: string, url: URL, body: unknown, headers?: unknown): Reply {
  const path = normalizePath(url.pathname);
  const found = match(path, method, 'rest');
  if (!found) throw notFound();
  const r: RouteRequest = {
    org,
    method,
    path,
    params: decodeParams(found.raw),
    url,
    body,
    version: found.raw.version ?? '',
    batchSize: QUERY_BATCH,
    subrequest: (m, u, b, h) => subrequest(org, m, u, b, h),
    http: undefined,
  };
  const category = categoryOf(found.route, r);
  if (category) org.count(category);
  // A subrequest's own Sforce-Auto-Assign wins; without one, the composite request's applies.
  const asked = subrequestAutoAssign(headers);
  const run = () => found.route.handle(r) ?? { status: 204 };
  return asked ? org.withAutoAssign(asked, run) : run();
}

async function injectFaults(org: Org, family: Family): Promise<void> {
  if (org.faults.latencyMs) await sleep(org.faults.latencyMs);
  const fault = org.faults.draw(family === 'telephony');
  if (family === 'telephony') {
    if (fault === 'unavailable')
      throw new TelephonyError(
        503,
        'SERVICE_UNAVAILABLE',
        'The service is temporarily unavailable. Retry later.',
      );
    if (fault === 'limit')
      throw new TelephonyError(
        429,
        'RESOURCE_EXHAUSTED',
        'Too many requests. Retry after 30 seconds.',
      );
    return;
  }
  if (fault === 'unavailable')
    throw new SfError(
      'SERVER_UNAVAILABLE',
      'Service temporarily unavailable. Retry later.',
      [],
      503,
    );
  if (fault === 'limit')
    throw new SfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', [], 403);
}

/** An error a handler or a check threw, as its family answers it; anything else is a 500. */
function errorReply(family: Family, e: unknown): Reply {
  if (e instanceof TelephonyError) return { status: e.status, body: e.toBody() };
  if (!(e instanceof SfError)) throw e;
  if (family === 'telephony')
    return { status: e.status, body: { errors: [{ code: e.errorCode, message: e.message }] } };
  return { status: e.status, body: e.toBody() };
}

/** Answers one HTTP request from the route table. */
export async function dispatch(org: Org, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // `//services/data` (what sf sends after storing the instance URL with a trailing slash) is a
  // path, not a protocol-relative URL.
  const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://localhost');
  const path = normalizePath(url.pathname);
  const method = (req.method ?? 'GET').toUpperCase();
  const found = match(path, method);
  if (!found) {
    send(res, { status: 404, body: notFound().toBody() });
    return;
  }
  const { route } = found;
  if (route.auth === 'session' && bearer(req) !== org.accessToken) {
    send(res, INVALID_SESSION);
    return;
  }
  if (route.auth === 'oauth' && bearer(req) !== org.accessToken) {
    send(res, { status: 403, body: 'Bad_OAuth_Token' });
    return;
  }
  const headers = (): Record<string, string> => (route.family === 'rest' ? org.limitHeader() : {});
  try {
    if (route.auth === 'jwt') verifyJwt(org.telephonyCfg, req.headers.authorization, Date.now());
    const version = found.raw.version ?? '';
    if (route.family === 'rest') {
      if (org.allocation.used() >= org.allocation.max) {
        throw new SfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', [], 403);
      }
      org.allocation.add();
      if (!identity.isServedVersion(version)) throw notFound();
    }
    const r: RouteRequest = {
      org,
      method,
      path,
      params: decodeParams(found.raw),
      url,
      body: route.raw ? undefined : route.text ? await readText(req) : await readBody(req),
      version,
      batchSize: batchSizeOf(req.headers['sforce-query-options']),
      subrequest: (m, u, b, h) => subrequest(org, m, u, b, h),
      http: { req, res },
    };
    const category = categoryOf(route, r);
    if (category) org.count(category);
    if (route.faults) await injectFaults(org, route.family);
    // Only the REST API runs assignment rules unasked (assignment-rules.ts).
    const reply =
      route.family === 'rest'
        ? org.withAutoAssign(readAutoAssign(req.headers['sforce-auto-assign']), () =>
            route.handle(r),
          )
        : route.handle(r);
    if (reply) send(res, { ...reply, headers: { ...headers(), ...reply.headers } });
  } catch (e) {
    const reply = errorReply(route.family, e);
    send(res, { ...reply, headers: { ...headers(), ...reply.headers } });
  }
}
