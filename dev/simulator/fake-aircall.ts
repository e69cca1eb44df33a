/**
 * A fake of the Aircall public REST API (https://api.aircall.io/v1) for the endpoints the connector
 * calls: users (listing, availability), contacts (create, search by phone) and the call listing used by
 * backfill. HTTP Basic auth with an API id and token, Aircall's pagination `meta`, and Aircall's
 * error body `{error, troubleshoot}`. Everything received is recorded for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DEFAULT_AGENTS, type SimAgent } from './agents';
import type { WebhookEnvelope } from './generate';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
}

export interface FakeAircallOptions {
  port?: number;
  apiId?: string;
  apiToken?: string;
  agents?: SimAgent[];
  /** Aircall Call objects served by GET /v1/calls (see callsFromEnvelopes). */
  calls?: Record<string, unknown>[];
  /** Requests allowed per minute before 429 (Aircall: 60 per company). 0 = unlimited (default). */
  rateLimitPerMinute?: number;
}

export interface FakeAircall {
  url: string;
  apiId: string;
  apiToken: string;
  received(): ReceivedRequest[];
  contacts(): Record<string, unknown>[];
  users(): Record<string, unknown>[];
  setCalls(calls: Record<string, unknown>[]): void;
  close(): Promise<void>;
}

/** The final state of every call in a stream (the payload of its latest call.* event). */
export function callsFromEnvelopes(
  envelopes: readonly WebhookEnvelope[],
): Record<string, unknown>[] {
  const latest = new Map<unknown, { ts: number; data: Record<string, unknown> }>();
  for (const env of envelopes) {
    if (env.resource !== 'call') continue;
    const prev = latest.get(env.data.id);
    if (!prev || env.timestamp >= prev.ts)
      latest.set(env.data.id, { ts: env.timestamp, data: env.data });
  }
  return [...latest.values()]
    .map((v) => v.data)
    .sort((a, b) => Number(a.started_at) - Number(b.started_at));
}

const MAX_PER_PAGE = 50;
const MAX_RESULTS = 10_000;

function e164(value: string): string | undefined {
  return parsePhoneNumberFromString(value)?.number ?? (value.replace(/\D/g, '') || undefined);
}

export async function startFakeAircall(opts: FakeAircallOptions = {}): Promise<FakeAircall> {
  const apiId = opts.apiId ?? 'sim-api-id';
  const apiToken = opts.apiToken ?? 'sim-api-token';
  const expectedAuth = `Basic ${Buffer.from(`${apiId}:${apiToken}`).toString('base64')}`;
  const received: ReceivedRequest[] = [];
  const contacts: Record<string, unknown>[] = [];
  const users = new Map<string, Record<string, unknown>>(
    (opts.agents ?? DEFAULT_AGENTS).map((a) => [
      String(a.id),
      {
        id: a.id,
        name: a.name,
        email: a.email,
        available: true,
        availability_status: 'available',
        substatus: 'always_opened',
      },
    ]),
  );
  let calls = opts.calls ?? [];
  let contactSeq = 0;
  const window: number[] = [];
  let url = '';

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, error: string, troubleshoot: string): void =>
    send(res, status, { error, troubleshoot });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        error(res, 400, 'Bad Request', 'The body must be JSON.');
        return;
      }
    }
    const method = req.method ?? 'GET';
    received.push({
      method,
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      body,
      at: Date.now(),
    });
    if (req.headers.authorization !== expectedAuth) {
      error(
        res,
        401,
        'Unauthorized',
        'Use HTTP Basic authentication with your API ID and API token.',
      );
      return;
    }
    if (opts.rateLimitPerMinute) {
      const now = Date.now();
      while (window.length && window[0]! <= now - 60_000) window.shift();
      const headers = {
        'X-AircallApi-Limit': String(opts.rateLimitPerMinute),
        'X-AircallApi-Remaining': String(Math.max(0, opts.rateLimitPerMinute - window.length - 1)),
        'X-AircallApi-Reset': String(Math.ceil(((window[0] ?? now) + 60_000) / 1000)),
      };
      if (window.length >= opts.rateLimitPerMinute) {
        send(
          res,
          429,
          { error: 'Too Many Requests', troubleshoot: 'Wait for the rate limit to reset.' },
          headers,
        );
        return;
      }
      window.push(now);
    }
    const path = u.pathname.replace(/\/+$/, '');
    const userMatch = /^\/v1\/users\/([^/]+)$/.exec(path);
    if (userMatch && method === 'PUT') {
      const user = users.get(decodeURIComponent(userMatch[1]!));
      if (!user) {
        error(res, 404, 'Not found', 'No user with this id in this company.');
        return;
      }
      const b = (body ?? {}) as Record<string, unknown>;
      const allowed = ['available', 'unavailable', 'custom'];
      const status = b.availability_status;
      if (status !== undefined && (typeof status !== 'string' || !allowed.includes(status))) {
        error(res, 400, 'Bad Request', `availability_status must be one of ${allowed.join(', ')}.`);
        return;
      }
      if (b.availability_status !== undefined) user.availability_status = b.availability_status;
      if (b.substatus !== undefined) user.substatus = b.substatus;
      send(res, 200, { user });
      return;
    }
    if (path === '/v1/users' && method === 'GET') {
      const page = Math.max(1, Number(u.searchParams.get('page') ?? 1));
      const perPage = Math.min(
        MAX_PER_PAGE,
        Math.max(1, Number(u.searchParams.get('per_page') ?? 20)),
      );
      const all = [...users.values()];
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const next = new URL(`${url}/v1/users`);
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(perPage));
      send(res, 200, {
        users: slice,
        meta: {
          count: slice.length,
          total: all.length,
          current_page: page,
          per_page: perPage,
          next_page_link: page * perPage < all.length ? next.toString() : null,
          previous_page_link: null,
        },
      });
      return;
    }
    if (userMatch && method === 'GET') {
      const user = users.get(decodeURIComponent(userMatch[1]!));
      if (!user) error(res, 404, 'Not found', 'No user with this id in this company.');
      else send(res, 200, { user });
      return;
    }
    if (path === '/v1/contacts' && method === 'POST') {
      const b = (body ?? {}) as Record<string, unknown>;
      const phones = Array.isArray(b.phone_numbers)
        ? (b.phone_numbers as { label?: string; value?: string }[])
        : [];
      if (phones.length === 0 || phones.some((p) => typeof p.value !== 'string')) {
        error(res, 400, 'Bad Request', 'phone_numbers must contain at least one { label, value }.');
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const contact = {
        id: ++contactSeq,
        direct_link: `${url}/v1/contacts/${contactSeq}`,
        first_name: b.first_name ?? null,
        last_name: b.last_name ?? null,
        company_name: b.company_name ?? null,
        information: b.information ?? null,
        is_shared: true,
        created_at: now,
        updated_at: now,
        emails: [],
        phone_numbers: phones.map((p, i) => ({
          id: contactSeq * 100 + i,
          label: p.label ?? 'Work',
          value: p.value,
        })),
      };
      contacts.push(contact);
      send(res, 201, { contact });
      return;
    }
    if (path === '/v1/contacts/search' && method === 'GET') {
      const wanted = e164(u.searchParams.get('phone_number') ?? '');
      const found = contacts.filter((c) =>
        (c.phone_numbers as { value: string }[]).some(
          (p) => wanted !== undefined && e164(p.value) === wanted,
        ),
      );
      send(res, 200, {
        contacts: found,
        meta: {
          count: found.length,
          total: found.length,
          current_page: 1,
          per_page: 20,
          next_page_link: null,
          previous_page_link: null,
        },
      });
      return;
    }
    if (path === '/v1/calls' && method === 'GET') {
      const from = Number(u.searchParams.get('from') ?? 0);
      const to = Number(u.searchParams.get('to') ?? Number.MAX_SAFE_INTEGER);
      const page = Math.max(1, Number(u.searchParams.get('page') ?? 1));
      const perPage = Math.min(
        MAX_PER_PAGE,
        Math.max(1, Number(u.searchParams.get('per_page') ?? 20)),
      );
      const order = u.searchParams.get('order') === 'desc' ? -1 : 1;
      const matching = calls
        .filter((c) => Number(c.started_at) >= from && Number(c.started_at) <= to)
        .sort((a, b) => order * (Number(a.started_at) - Number(b.started_at)));
      const total = Math.min(matching.length, MAX_RESULTS);
      if ((page - 1) * perPage >= MAX_RESULTS) {
        error(res, 400, 'Bad Request', 'A listing returns at most 10,000 results: narrow from/to.');
        return;
      }
      const slice = matching.slice((page - 1) * perPage, Math.min(page * perPage, total));
      const hasNext = page * perPage < total;
      const next = new URL(`${url}/v1/calls`);
      for (const [k, v] of u.searchParams) next.searchParams.set(k, v);
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(perPage));
      send(res, 200, {
        calls: slice,
        meta: {
          count: slice.length,
          total,
          current_page: page,
          per_page: perPage,
          next_page_link: hasNext ? next.toString() : null,
          previous_page_link: null,
        },
      });
      return;
    }
    error(res, 404, 'Not found', `${method} ${path} is not served by the fake Aircall API.`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) =>
      error(res, 500, 'Internal Server Error', (e as Error).message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiId,
    apiToken,
    received: () => [...received],
    contacts: () => [...contacts],
    users: () => [...users.values()],
    setCalls: (c) => {
      calls = c;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
