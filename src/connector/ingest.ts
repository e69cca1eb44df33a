/**
 * The webhook receiver. Aircall waits 5 s and retries on anything but a 2xx, so an event is
 * acknowledged only once it is durably stored, and nothing slower than a SQLite insert happens
 * before the answer. Duplicates (Aircall delivers at least once) answer 200 and are not stored twice.
 */
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { isAcceptedToken, MAX_WEBHOOK_DEPTH, nestsDeeperThan } from '../aircall';
import { callIdOf, eventKey, parseWebhook } from '../engine';
import { GroupCommit, type GroupCommitOptions } from '../inbox/group-commit';
import type { IngestInbox, InboxHealth, NewEvent } from '../inbox/inbox';
import type { ConnectorMetrics } from './metrics';

export interface IngestOptions {
  inbox: IngestInbox & InboxHealth;
  tokens: readonly string[];
  metrics: ConnectorMetrics;
  logger: Logger;
  bodyLimit?: number;
  /** Extra health facts (worker state, API budget) for /healthz. */
  health?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Wakes the worker so it does not wait for its next tick. */
  onAccepted?: () => void;
  /**
   * True once the connector is stopping: webhooks get 503 (Aircall retries them later, and the next
   * start stores them) and /readyz fails, so a load balancer sends traffic elsewhere.
   */
  draining?: () => boolean;
  /** How webhooks are committed to the inbox (see src/inbox/group-commit.ts). */
  groupCommit?: GroupCommitOptions;
}

/** What a webhook gets while the connector is stopping; Aircall retries on any non-2xx. */
export const DRAINING_ERROR =
  'The connector is shutting down and is not taking new webhooks; send it again in a few seconds.';

export type IngestResult =
  | { status: 'accepted' | 'duplicate'; key: string }
  | { status: 'rejected'; httpStatus: 400 | 401 | 422; error: string };

export type Admission =
  | { status: 'valid'; event: NewEvent }
  | { status: 'rejected'; httpStatus: 400 | 401 | 422; error: string };

/**
 * The whole ingest decision but the write, shared by HTTP and `aircall-sfv replay` so both take one
 * path: the event to store, or why the body is refused.
 */
export function admit(
  body: unknown,
  options: Pick<IngestOptions, 'tokens' | 'metrics'>,
  now = Date.now(),
): Admission {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    options.metrics.received.inc({ result: 'rejected' });
    return {
      status: 'rejected',
      httpStatus: 400,
      error: 'The body must be a JSON object (an Aircall webhook envelope).',
    };
  }
  // Before anything walks the body recursively (the schema, the event key), which a body nested
  // thousands of levels deep would make overflow the stack.
  if (nestsDeeperThan(body, MAX_WEBHOOK_DEPTH)) {
    options.metrics.received.inc({ result: 'rejected' });
    return {
      status: 'rejected',
      httpStatus: 400,
      error: `The body nests objects or arrays more than ${MAX_WEBHOOK_DEPTH} levels deep; an Aircall webhook nests about 5.`,
    };
  }
  if (!isAcceptedToken((body as { token?: unknown }).token, options.tokens)) {
    options.metrics.received.inc({ result: 'rejected' });
    return {
      status: 'rejected',
      httpStatus: 401,
      error:
        'The webhook token is missing or unknown. Add the token Aircall shows for this webhook to AIRCALL_WEBHOOK_TOKENS.',
    };
  }
  const parsed = parseWebhook(body);
  if (!parsed.ok) {
    options.metrics.received.inc({ result: 'rejected' });
    return {
      status: 'rejected',
      httpStatus: 422,
      error: `Invalid Aircall webhook: ${parsed.error}`,
    };
  }
  return {
    status: 'valid',
    event: {
      key: eventKey(parsed.event),
      callId: callIdOf(parsed.event),
      name: parsed.event.event,
      body,
      receivedAt: now,
    },
  };
}

/** Admits and stores one webhook (its own commit): `aircall-sfv replay` and the tests. */
export async function ingest(
  body: unknown,
  options: Pick<IngestOptions, 'inbox' | 'tokens' | 'metrics'>,
  now = Date.now(),
): Promise<IngestResult> {
  const admission = admit(body, options, now);
  if (admission.status === 'rejected') return admission;
  const stored = await options.inbox.add(admission.event);
  options.metrics.received.inc({ result: stored ? 'accepted' : 'duplicate' });
  return { status: stored ? 'accepted' : 'duplicate', key: admission.event.key };
}

export function buildIngestServer(options: IngestOptions) {
  // Fastify's own request logging stays off: one line per webhook is noise at 200 events/s.
  const app = Fastify({ bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const commits = new GroupCommit(options.inbox, options.groupCommit);

  app.setErrorHandler(
    (error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
      let message = error.message;
      if (
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      ) {
        message = `The body is not valid JSON: ${error.message}`;
      } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        message = `The body is larger than the ${options.bodyLimit ?? 1024 * 1024} bytes accepted.`;
      } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        message = 'Send the webhook as Content-Type: application/json.';
      }
      if (status >= 400 && status < 500) options.metrics.received.inc({ result: 'rejected' });
      if (status >= 500) options.logger.error({ err: error }, 'webhook handling failed');
      void reply.status(status).send({ error: message });
    },
  );

  app.post('/webhooks/aircall', async (request, reply) => {
    if (options.draining?.()) {
      options.metrics.received.inc({ result: 'draining' });
      return reply.status(503).header('retry-after', '5').send({ error: DRAINING_ERROR });
    }
    const admission = admit(request.body, options);
    if (admission.status === 'rejected') {
      return reply.status(admission.httpStatus).send({ error: admission.error });
    }
    // Answered only once the event is on disk, in a group commit with the webhooks that arrived
    // meanwhile (a failed commit answers 500, so Aircall sends it again).
    const stored = await commits.add(admission.event);
    options.metrics.received.inc({ result: stored ? 'accepted' : 'duplicate' });
    options.onAccepted?.();
    return reply
      .status(200)
      .send({ status: stored ? 'accepted' : 'duplicate', key: admission.event.key });
  });

  app.get('/healthz', async (_request, reply) => {
    const inbox = await options.inbox.counts();
    return reply.send({ status: 'ok', inbox, ...(await options.health?.()) });
  });

  // Readiness: taking webhooks. It does not fail while the org is unreachable: webhooks then wait
  // in the inbox, which is better than making Aircall retry (it disables a webhook that keeps
  // failing). The org's state is in the body for monitoring.
  app.get('/readyz', async (_request, reply) => {
    const draining = options.draining?.() === true;
    return reply
      .status(draining ? 503 : 200)
      .send({ status: draining ? 'draining' : 'ready', ...(await options.health?.()) });
  });

  app.get('/metrics', async (_request, reply) => {
    const counts = await options.inbox.counts();
    options.metrics.queueDepth.set(counts.pending);
    options.metrics.deadLetters.set(counts.dead);
    return reply
      .type(options.metrics.registry.contentType)
      .send(await options.metrics.registry.metrics());
  });

  return app;
}
