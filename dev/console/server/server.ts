/**
 * The console: the package's Lightning Web Components served on loopback, with the platform
 * services they use answered from the org (see ui-api.ts, graphql.ts and dev/console/web/platform/).
 *
 *   GET  /                       the console page (SLDS + the bundle)
 *   GET  /app.js                 the bundle (bundle.ts)
 *   GET  /assets/…               SLDS styles, icons and fonts
 *   GET  /api/ui-api/records/:id?fields=&optionalFields=
 *   POST /api/ui-api/records     PATCH/DELETE /api/ui-api/records/:id
 *   GET  /api/ui-api/related-list-records/:parentId/:relatedListId?fields=&optionalFields=&pageSize=
 *   GET  /api/ui-api/object-info/:objectApiName
 *   GET  /api/ui-api/object-info/:objectApiName/picklist-values/:recordTypeId/:fieldApiName
 *   POST /api/graphql            {query, variables, operationName}
 *   GET  /api/stream?channel=    Server-Sent Events: `ready` once subscribed, then the org's messages
 *   GET/POST /api/omni/presence?userId=   the Omni toolkit's get/set status, for the utility bar
 *   GET  /api/analytics/dashboards[/:id]  the org's dashboards and a dashboard's results
 *   POST /api/language           {language: 'en_US' | 'es'}: the session user's language (and locale),
 *                                as the user sets it in their personal settings; the page reloads
 *
 * It holds no state of its own: every read goes to the org, so what the connector writes shows up
 * on the next read, and what an admin saves here is what the connector reads for its next calls.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { packageNames, qualifier, webDir } from './bundle';
import { executeGraphql, type GraphqlRequest } from './graphql';
import { Rest, type OrgSession } from './rest';
import { UiApi, UiApiError } from './ui-api';

/** A streaming subscription as the connector's subscribers offer it (SSE locally, CometD on an org). */
export interface StreamSource {
  subscribe(channel: string, handler: (message: unknown) => void): Promise<{ unsubscribe(): void }>;
}

export interface ConsoleOptions {
  session: OrgSession;
  stream: StreamSource;
  /** Folder with app.js (bundle.ts); the page waits for it while it builds. */
  bundleDir: Promise<string>;
  projectDir: string;
  port?: number;
  host?: string;
  /** Shown in the header, e.g. "local org". */
  orgLabel?: string;
  /** The package's namespace in the org ('' = none): GraphQL queries are namespaced with it. */
  namespace?: string;
}

export interface ConsoleServer {
  url: string;
  rest: Rest;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

function sendFile(res: ServerResponse, file: string, cache: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'No such file.' }]);
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': cache,
  });
  createReadStream(file).pipe(res);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000)
      throw new UiApiError(413, [
        { errorCode: 'JSON_PARSER_ERROR', message: 'The request body is larger than 1 MB.' },
      ]);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new UiApiError(400, [
      { errorCode: 'JSON_PARSER_ERROR', message: 'The request body is not valid JSON.' },
    ]);
  }
}

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function fieldsBody(body: unknown): Record<string, unknown> {
  const fields = (body as { fields?: unknown } | null)?.fields;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new UiApiError(400, [
      { errorCode: 'INVALID_INPUT', message: 'The body must be {"fields": {…}}.' },
    ]);
  }
  return fields as Record<string, unknown>;
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const rest = new Rest(options.session);
  const ui = new UiApi(rest);
  // The package's names, prefixed in GraphQL queries as the platform does for a namespaced package.
  const qualify = options.namespace
    ? qualifier(options.namespace, packageNames(options.projectDir))
    : undefined;
  const sldsDir = path.join(
    options.projectDir,
    'node_modules',
    '@salesforce-ux',
    'design-system',
    'assets',
  );
  const indexHtml = readFileSync(
    path.join(webDir(options.projectDir), 'index.html'),
    'utf8',
  ).replace('%ORG_LABEL%', (options.orgLabel ?? 'org').replace(/[<>&"]/g, ''));
  const streams = new Set<ServerResponse>();
  // The user the console acts as by default (the session's user): `@salesforce/user/Id`.
  let userId = '';
  try {
    const r = await fetch(`${options.session.instanceUrl}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${options.session.accessToken}` },
    });
    if (r.ok) userId = ((await r.json()) as { user_id?: string }).user_id ?? '';
  } catch {
    // No user id: components reading @salesforce/user/Id get null, as for a guest.
  }
  const pageWithUser = indexHtml.replace('%USER_ID%', userId.replace(/\W/g, ''));
  /** The page in the session user's language: labels, translated picklists and dates follow it. */
  const page = async (): Promise<string> => {
    let language = 'en_US';
    if (userId) {
      try {
        const user = await rest.call<{ LanguageLocaleKey?: string }>(
          'GET',
          `/sobjects/User/${userId}?fields=LanguageLocaleKey`,
        );
        language = user.LanguageLocaleKey ?? 'en_US';
      } catch {
        // Unreadable: English, the package's master language.
      }
    }
    const lang = language.startsWith('es') ? 'es' : 'en';
    return pageWithUser.replace(/%LANGUAGE%/g, lang);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // api, …
    const [, area, kind, a, b, c, d] = parts;
    if (area === 'graphql' && method === 'POST') {
      const body = (await readJson(req)) as GraphqlRequest;
      if (typeof body.query !== 'string') {
        throw new UiApiError(400, [
          { errorCode: 'INVALID_INPUT', message: 'The body must have a "query" string.' },
        ]);
      }
      sendJson(res, 200, await executeGraphql(body, rest, (o) => ui.describe(o), qualify));
      return;
    }
    // The Reports and Dashboards REST API, for the dashboard page.
    if (area === 'analytics' && kind === 'dashboards' && method === 'GET') {
      const id = a ? `/${encodeURIComponent(a)}` : '';
      sendJson(res, 200, await rest.call('GET', `/analytics/dashboards${id}`));
      return;
    }
    if (area === 'omni') {
      await omni(req, res, url, method);
      return;
    }
    if (area === 'language' && method === 'POST') {
      const body = (await readJson(req)) as { language?: unknown };
      const language = body.language;
      if (language !== 'en_US' && language !== 'es') {
        throw new UiApiError(400, [
          { errorCode: 'INVALID_INPUT', message: 'language must be "en_US" or "es".' },
        ]);
      }
      await rest.call('PATCH', `/sobjects/User/${userId}`, {
        LanguageLocaleKey: language,
        LocaleSidKey: language === 'es' ? 'es_ES' : 'en_US',
      });
      // Describes are answered in the user's language: read them again.
      ui.forgetDescribes();
      sendJson(res, 200, { language });
      return;
    }
    if (area === 'stream' && method === 'GET') {
      await stream(req, res, url.searchParams.getAll('channel'));
      return;
    }
    if (area === 'ui-api') {
      if (kind === 'records' && a && method === 'GET') {
        const fields = list(url.searchParams.get('fields'));
        const optional = list(url.searchParams.get('optionalFields'));
        sendJson(res, 200, await ui.getRecord(a, fields, optional));
        return;
      }
      if (kind === 'records' && !a && method === 'POST') {
        const body = (await readJson(req)) as { apiName?: unknown };
        if (typeof body.apiName !== 'string') {
          throw new UiApiError(400, [
            { errorCode: 'INVALID_INPUT', message: 'The body must have an "apiName" string.' },
          ]);
        }
        sendJson(res, 201, await ui.createRecord(body.apiName, fieldsBody(body)));
        return;
      }
      if (kind === 'records' && a && method === 'PATCH') {
        sendJson(res, 200, await ui.updateRecord(a, fieldsBody(await readJson(req))));
        return;
      }
      if (kind === 'records' && a && method === 'DELETE') {
        await ui.deleteRecord(a);
        res.writeHead(204).end();
        return;
      }
      if (kind === 'related-list-records' && a && b && method === 'GET') {
        sendJson(
          res,
          200,
          await ui.getRelatedListRecords(a, b, {
            fields: list(url.searchParams.get('fields')),
            optionalFields: list(url.searchParams.get('optionalFields')),
            pageSize: Number(url.searchParams.get('pageSize') ?? 50),
          }),
        );
        return;
      }
      if (kind === 'object-info' && a && b === 'picklist-values' && c && d && method === 'GET') {
        sendJson(res, 200, await ui.getPicklistValues(a, c, d));
        return;
      }
      if (kind === 'object-info' && a && !b && method === 'GET') {
        sendJson(res, 200, await ui.getObjectInfo(a));
        return;
      }
    }
    sendJson(res, 404, [
      { errorCode: 'NOT_FOUND', message: `No console API at ${method} ${url.pathname}.` },
    ]);
  };

  /**
   * The Omni-Channel toolkit's two calls (getServicePresenceStatusId, setServicePresenceStatus) for
   * the utility bar's Aura wrapper. Reading is a SOQL query; setting a rep's status has no API on a
   * real org (Omni does it in the browser), so it works against the local org only.
   */
  const omni = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string) => {
    const userId = url.searchParams.get('userId') ?? '';
    if (!/^005\w{12}(\w{3})?$/.test(userId)) {
      throw new UiApiError(400, [
        { errorCode: 'INVALID_INPUT', message: 'userId must be a User id (005…).' },
      ]);
    }
    if (method === 'POST') {
      const body = (await readJson(req)) as { statusId?: unknown };
      const response = await fetch(`${options.session.instanceUrl}/local/presence`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.session.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ userId, status: body.statusId ?? null }),
      });
      if (!response.ok) {
        throw new UiApiError(response.status === 404 ? 501 : response.status, [
          {
            errorCode: 'NOT_SUPPORTED',
            message:
              response.status === 404
                ? 'Only the local org lets the console set an Omni-Channel status; in Lightning the Omni toolkit does it.'
                : await response.text(),
          },
        ]);
      }
    } else if (method !== 'GET') {
      throw new UiApiError(405, [
        { errorCode: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed here.` },
      ]);
    }
    const { records } = await rest.query<{ ServicePresenceStatusId: string | null }>(
      `SELECT ServicePresenceStatusId FROM UserServicePresence WHERE UserId = '${userId}' AND IsCurrentState = true LIMIT 1`,
    );
    sendJson(res, 200, { statusId: records[0]?.ServicePresenceStatusId ?? null });
  };

  const stream = async (req: IncomingMessage, res: ServerResponse, channels: string[]) => {
    if (channels.length === 0) {
      throw new UiApiError(400, [
        { errorCode: 'INVALID_INPUT', message: 'Give at least one ?channel=.' },
      ]);
    }
    const subs: { unsubscribe(): void }[] = [];
    let closed = false;
    req.on('close', () => {
      closed = true;
      streams.delete(res);
      for (const s of subs) s.unsubscribe();
    });
    try {
      for (const channel of channels) {
        subs.push(
          await options.stream.subscribe(channel, (message) => {
            if (!closed) res.write(`data: ${JSON.stringify(message)}\n\n`);
          }),
        );
      }
    } catch (error) {
      for (const s of subs) s.unsubscribe();
      throw new UiApiError(400, [
        {
          errorCode: 'INVALID_CHANNEL',
          message: error instanceof Error ? error.message : String(error),
        },
      ]);
    }
    if (closed) {
      for (const s of subs) s.unsubscribe();
      return;
    }
    streams.add(res);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`event: ready\ndata: ${JSON.stringify({ channels })}\n\n`);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const handle = async () => {
      if (url.pathname.startsWith('/api/')) return api(req, res, url);
      if (req.method !== 'GET') {
        sendJson(res, 405, [
          { errorCode: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed here.` },
        ]);
        return;
      }
      if (url.pathname === '/' || url.pathname === '/index.html') {
        res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
        res.end(await page());
        return;
      }
      if (url.pathname === '/app.js') {
        let dir: string;
        try {
          dir = await options.bundleDir;
        } catch (error) {
          const message = `The console's components could not be built: ${error instanceof Error ? error.message : String(error)}`;
          res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' });
          res.end(`document.getElementById('root').textContent = ${JSON.stringify(message)};`);
          return;
        }
        return sendFile(res, path.join(dir, 'app.js'), 'no-store');
      }
      if (url.pathname === '/console.css') {
        return sendFile(res, path.join(webDir(options.projectDir), 'console.css'), 'no-store');
      }
      if (url.pathname.startsWith('/assets/')) {
        const file = path.normalize(path.join(sldsDir, url.pathname.slice('/assets/'.length)));
        if (!file.startsWith(sldsDir + path.sep)) {
          sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'No such file.' }]);
          return;
        }
        return sendFile(res, file, 'public, max-age=3600');
      }
      sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: `Nothing at ${url.pathname}.` }]);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (error instanceof UiApiError) sendJson(res, error.status, error.body);
      else {
        sendJson(res, 502, [
          {
            errorCode: 'UNKNOWN_EXCEPTION',
            message: `The org did not answer as expected: ${error instanceof Error ? error.message : String(error)}`,
          },
        ]);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    rest,
    close: async () => {
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
