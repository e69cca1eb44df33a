/**
 * POST /composite (REST API Developer Guide, "Composite"): up to 25 subrequests in one call, later
 * ones referring to earlier results with `@{referenceId.field}`; with allOrNone the whole request
 * is one transaction. Subrequests run through the same route table as top-level requests.
 */
import { SfError } from '../errors';
import { asObject, type Reply, type RouteRequest } from '../http';

const MAX_SUBREQUESTS = 25;
const MAX_HEAVY_SUBREQUESTS = 5;

/** Replaces `@{referenceId.path}` with values from earlier subrequest results. */
function resolveReferences(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g,
      (_m, ref: string, path: string) => {
        let current: unknown = results.get(ref);
        for (const part of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
          const key = part.startsWith('.') ? part.slice(1) : Number(part.slice(1, -1));
          current =
            current && typeof current === 'object'
              ? (current as Record<string | number, unknown>)[key]
              : undefined;
        }
        if (
          typeof current !== 'string' &&
          typeof current !== 'number' &&
          typeof current !== 'boolean'
        ) {
          throw new SfError(
            'PROCESSING_HALTED',
            `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`,
          );
        }
        return String(current);
      },
    );
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]),
    );
  }
  return value;
}

/** POST /composite */
export function composite({ org, body, subrequest }: RouteRequest): Reply {
  const payload = asObject(body) as { allOrNone?: boolean; compositeRequest?: unknown };
  const subs = payload.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0) {
    throw new SfError(
      'JSON_PARSER_ERROR',
      'compositeRequest must be a non-empty array of subrequests.',
    );
  }
  if (subs.length > MAX_SUBREQUESTS) {
    throw new SfError(
      'INVALID_BATCH_REQUEST',
      `A composite request can contain at most ${MAX_SUBREQUESTS} subrequests.`,
    );
  }
  // "Up to 5 of these subrequests can be sObject Collections or query operations" (REST API guide,
  // "Send Multiple Requests Using Composite"). The error code an org answers is not verified here.
  const heavy = subs.filter((raw) => {
    const url =
      typeof (raw as { url?: unknown })?.url === 'string' ? (raw as { url: string }).url : '';
    return /^\/services\/data\/v\d+\.\d\/(composite\/sobjects|query|queryAll)(\/|\?|$)/.test(url);
  }).length;
  if (heavy > MAX_HEAVY_SUBREQUESTS) {
    throw new SfError(
      'LIMIT_EXCEEDED',
      `A composite request can contain at most ${MAX_HEAVY_SUBREQUESTS} sObject Collections or query subrequests; this one has ${heavy}. Split it into several composite requests.`,
    );
  }
  const allOrNone = payload.allOrNone === true;
  const results = new Map<string, unknown>();
  const responses: {
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }[] = [];
  let failedAt = -1;
  org.transaction(() => {
    subs.forEach((raw, i) => {
      const sub = asObject(raw) as {
        method?: string;
        url?: string;
        referenceId?: string;
        body?: unknown;
        httpHeaders?: unknown;
      };
      const referenceId = sub.referenceId ?? `ref${i}`;
      if (allOrNone && failedAt >= 0) {
        responses.push({ body: null, httpHeaders: {}, httpStatusCode: 400, referenceId });
        return;
      }
      let reply: Reply;
      try {
        const url = new URL(String(resolveReferences(sub.url ?? '', results)), 'http://localhost');
        if (!/^\/services\/data\/v\d+\.\d\/.*$/.test(url.pathname))
          throw new SfError(
            'NOT_FOUND',
            `The subrequest URL ${sub.url ?? ''} is not a /services/data/vXX.X/ resource.`,
            [],
            404,
          );
        reply = subrequest(
          (sub.method ?? 'GET').toUpperCase(),
          url,
          resolveReferences(sub.body, results),
          sub.httpHeaders,
        );
      } catch (e) {
        if (!(e instanceof SfError)) throw e;
        reply = { status: e.status, body: e.toBody() };
      }
      if (reply.status >= 400 && failedAt < 0) failedAt = i;
      if (reply.status < 400) results.set(referenceId, reply.body);
      const headers: Record<string, string> = {};
      const id = (reply.body as { id?: unknown } | undefined)?.id;
      if (reply.status === 201 && typeof id === 'string')
        headers.Location = `${sub.url ?? ''}/${id}`;
      responses.push({
        body: reply.body ?? null,
        httpHeaders: headers,
        httpStatusCode: reply.status,
        referenceId,
      });
    });
    return !(allOrNone && failedAt >= 0);
  });
  if (allOrNone && failedAt >= 0) {
    responses.forEach((r, i) => {
      if (i === failedAt) return;
      r.httpStatusCode = 400;
      r.httpHeaders = {};
      r.body = [
        {
          errorCode: 'PROCESSING_HALTED',
          message:
            'The transaction was rolled back since another operation in the same transaction failed.',
        },
      ];
    });
  }
  return { status: 200, body: { compositeResponse: responses } };
}
