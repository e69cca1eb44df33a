/** Assembles a running connector: inbox + webhook server + worker, against one resolved org. */
import type { Logger } from 'pino';
import type { Inbox } from '../inbox/inbox';
import {
  LocalCoordination,
  PostgresCoordination,
  type Coordination,
  type PostgresCoordinationOptions,
} from '../coordination/leader';
import { isPostgresUrl, openInbox } from '../inbox/open';
import type { PostgresInboxOptions } from '../inbox/postgres';
import type { OrgTarget } from '../salesforce/org';
import { PackageMissingError, requirePackage } from '../salesforce/package';
import { toSalesforceError } from '../salesforce/errors';
import { TelephonyClient } from '../salesforce/telephony';
import { AircallApi } from '../aircall/api';
import type { Clock } from '../util/clock';
import { OrgContextLoader } from './context';
import { buildIngestServer } from './ingest';
import { ConnectorMetrics } from './metrics';
import { subscriberFor } from '../salesforce/streaming';
import { PresenceSync, type PresenceSyncOptions } from './omni/sync';
import { Worker, type LoggedCall, type WorkerDeps, type WorkerOptions } from './worker';

export interface ConnectorOptions {
  org: OrgTarget;
  logger: Logger;
  /**
   * Where the inbox is: a SQLite file (':memory:' for a throwaway one), or a PostgreSQL URL that
   * several connector processes share (see docs/OPERATIONS.md, "Several connector processes").
   */
  inboxFile: string;
  /** Claim lease and pool size of a PostgreSQL inbox. */
  inboxOptions?: PostgresInboxOptions;
  /**
   * With a PostgreSQL inbox reached through a transaction-mode pooler: a URL of the same database
   * that keeps a session (direct, or a session-mode pool), for the leader election's session-level
   * advisory lock and its LISTEN (docs/SCALING.md). Default: the inbox URL.
   */
  sessionUrl?: string;
  /**
   * With a PostgreSQL inbox: how the processes elect the one that runs the presence sync
   * (src/coordination/leader.ts; default: tries every 5 s).
   */
  leaderOptions?: Pick<PostgresCoordinationOptions, 'retryMs' | 'checkMs'>;
  tokens: readonly string[];
  port?: number;
  host?: string;
  aircall?: AircallApi | null;
  worker?: WorkerOptions;
  settingsTtlMs?: number;
  onCallLogged?: (call: LoggedCall) => void;
  /** Every Telephony API request (benchmarks count them per call). */
  onTelephonyRequest?: (
    method: 'POST' | 'PATCH',
    vendorCallKey: string,
    ok: boolean,
    ms: number,
  ) => void;
  onDeadLetter?: (callId: string | null, reason: string) => void;
  onBatchTimings?: WorkerDeps['onBatchTimings'];
  /** Start the HTTP server (false for `replay`, which feeds the inbox directly). */
  listen?: boolean;
  /** Start the background worker loop (false when the caller drains batches itself). */
  runWorker?: boolean;
  /**
   * Copy Omni-Channel status changes to Aircall availability (default: on when `aircall` is set);
   * an object turns it on with its pacing options.
   */
  presence?:
    | boolean
    | Pick<
        PresenceSyncOptions,
        'coalesceMs' | 'requestsPerMinute' | 'source' | 'pollMs' | 'idlePollMs'
      >;
  /** Time and timers of the worker and the settings refresh (default: the system clock). */
  clock?: Clock;
}

export interface Connector {
  url: string | null;
  inbox: Inbox;
  worker: Worker;
  metrics: ConnectorMetrics;
  context: OrgContextLoader;
  /**
   * Omni-Channel → Aircall availability; null when off, when no Aircall API is configured, or when
   * another process sharing the PostgreSQL inbox runs it (one leader for the deployment).
   */
  readonly presence: PresenceSync | null;
  /** Leader election and messages between the processes sharing the inbox. */
  coordination: Coordination;
  server: ReturnType<typeof buildIngestServer>;
  /** True once drain() was called: webhooks get 503 and /readyz fails. */
  readonly draining: boolean;
  /** Stops taking webhooks (503, so Aircall retries them) while the work in hand goes on. */
  drain(): void;
  /**
   * Drains, lets the batch in flight finish, stops the presence sync and closes the inbox.
   * With `timeoutMs`, gives up waiting for the batch after that long (`timedOut: true`): its events
   * stay pending in the inbox and are applied by the next start.
   */
  close(options?: { timeoutMs?: number }): Promise<{ timedOut: boolean }>;
}

export async function startConnector(options: ConnectorOptions): Promise<Connector> {
  const metrics = new ConnectorMetrics({ defaultMetrics: options.listen !== false });
  const { org, logger } = options;
  org.client.budget.onChange((state, previous) => {
    const line = `Salesforce API budget ${previous} → ${state}: ${org.client.budget.describe()}`;
    if (state === 'ok') logger.info(line);
    else logger.warn(line);
  });
  org.client.onRequest((category, _ms, ok) => metrics.countRequest(category, ok));
  // Every name the connector reads or writes goes through the org's package names from here on;
  // a missing or half-installed package stops the start with the sentence that names what is missing.
  // When the org cannot be reached now, the check runs before the first batch instead.
  let packageCheck: (() => Promise<unknown>) | undefined;
  const checkPackage = async () => {
    const pkg = await requirePackage(org.client, org.namespace);
    if (pkg.names.namespace) logger.info(`Package namespace: ${pkg.names.namespace} (${pkg.how}).`);
  };
  try {
    await checkPackage();
  } catch (error) {
    if (error instanceof PackageMissingError || !toSalesforceError(error).transient) throw error;
    logger.warn(
      { err: error },
      'Could not check the Aircall package in the org yet; calls are kept and written once it is checked.',
    );
    packageCheck = checkPackage;
  }
  const inbox = await openInbox(options.inboxFile, options.inboxOptions);
  const telephony = org.telephony
    ? new TelephonyClient(org.telephony, (ms, ok, method, key) => {
        metrics.countRequest('telephony', ok);
        options.onTelephonyRequest?.(method, key, ok, ms);
      })
    : null;
  if (!telephony) {
    logger.warn(
      'No Telephony Integration API configured: VoiceCall records cannot be written. ' +
        'Set SCV_TELEPHONY_URL, SCV_CALL_CENTER_API_NAME and SCV_PRIVATE_KEY_FILE.',
    );
  }
  const context = new OrgContextLoader(
    org.client,
    logger,
    options.settingsTtlMs,
    packageCheck,
    options.clock,
    inbox.sharedState,
  );
  // One process of those sharing a PostgreSQL inbox runs the presence sync (the leader); the
  // workers of all of them tell it of the phone-side states they apply (in-process when it is
  // this one, by NOTIFY for the others).
  const presenceOption = options.presence ?? true;
  const wantsPresence = Boolean(options.aircall) && presenceOption !== false;
  const coordination: Coordination & { start(): void | Promise<void> } = isPostgresUrl(
    options.inboxFile,
  )
    ? new PostgresCoordination(options.sessionUrl ?? options.inboxFile, {
        compete: wantsPresence,
        ...options.leaderOptions,
        onError: (error) =>
          logger.warn({ err: error }, 'Leader election connection to PostgreSQL failed; retrying.'),
      })
    : new LocalCoordination();
  let presence: PresenceSync | null = null;
  const worker = new Worker(
    {
      inbox,
      client: org.client,
      telephony,
      aircall: options.aircall ?? null,
      context,
      metrics,
      logger,
      onCallLogged: options.onCallLogged,
      onDeadLetter: options.onDeadLetter,
      onBatchTimings: options.onBatchTimings,
      onPhoneSide: (events) => {
        presence?.notePhoneSide(events);
        coordination.broadcast({ kind: 'phone-side', events });
      },
      clock: options.clock,
    },
    options.worker,
  );
  let draining = false;
  const server = buildIngestServer({
    draining: () => draining,
    inbox,
    tokens: options.tokens,
    metrics,
    logger,
    onAccepted: () => worker.wake(),
    health: async () => ({
      org: org.label,
      // Aircall Voice records still waiting for the id of their VoiceCall (resolved by the worker).
      pendingLinks: await inbox.pendingLinkCount(),
      apiBudget: {
        state: org.client.budget.state,
        used: org.client.budget.used,
        limit: org.client.budget.limit,
      },
    }),
  });
  let url: string | null = null;
  if (options.listen !== false) {
    url = await server.listen({ port: options.port ?? 8787, host: options.host ?? '127.0.0.1' });
  }
  if (options.runWorker !== false) worker.start();
  const presenceSource =
    (typeof presenceOption === 'object' ? presenceOption.source : undefined) ?? 'poll';
  const newPresence = (aircall: AircallApi) =>
    new PresenceSync({
      client: org.client,
      aircall,
      context,
      // Only the change-data-capture source opens a streaming client.
      ...(presenceSource === 'cdc' ? { subscriber: subscriberFor(org, logger) } : {}),
      positions: inbox,
      onReplayGap: () => metrics.streamReplayGaps.inc(),
      logger,
      onManualChange: (userId) => {
        worker.forgetAgentStatus(userId);
        coordination.broadcast({ kind: 'manual-change', userId });
      },
      ...(typeof presenceOption === 'object' ? presenceOption : {}),
    });
  coordination.onMessage((message) => {
    if (message.kind === 'phone-side') presence?.notePhoneSide(message.events);
    else worker.forgetAgentStatus(message.userId);
  });
  // Leadership changes are handled one after the other: start the sync on winning, stop on losing.
  let closing = false;
  let started = false;
  let presenceChange: Promise<void> = Promise.resolve();
  coordination.onLeadership((leader) => {
    presenceChange = presenceChange.then(async () => {
      if (leader && !presence && !closing && options.aircall && wantsPresence) {
        if (coordination instanceof PostgresCoordination)
          logger.info('This process leads the presence sync of the connectors sharing the inbox.');
        presence = newPresence(options.aircall);
        await presence.start();
      } else if (!leader && presence) {
        const stopping = presence;
        presence = null;
        if (!closing)
          logger.warn(
            'This process no longer leads the presence sync (its PostgreSQL connection was lost); ' +
              'another process takes it over.',
          );
        await stopping.stop();
      }
    });
    // The first start's failure is thrown by startConnector; a later one is logged.
    if (started)
      presenceChange = presenceChange.catch((error: unknown) =>
        logger.error({ err: error }, 'The presence sync could not start or stop.'),
      );
  });
  await coordination.start();
  await presenceChange;
  started = true;
  return {
    url,
    inbox,
    worker,
    metrics,
    context,
    get presence() {
      return presence;
    },
    coordination,
    server,
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
    async close({ timeoutMs }: { timeoutMs?: number } = {}) {
      draining = true;
      closing = true;
      await presenceChange;
      const running = presence;
      presence = null;
      await running?.stop();
      await coordination.close();
      let timer: NodeJS.Timeout | undefined;
      const deadline =
        timeoutMs === undefined
          ? null
          : new Promise<'timeout'>((resolve) => {
              timer = setTimeout(() => resolve('timeout'), timeoutMs);
            });
      const stopped = worker.stop().then(() => 'stopped' as const);
      const outcome = await (deadline ? Promise.race([stopped, deadline]) : stopped);
      clearTimeout(timer);
      // The HTTP server closes last, so webhooks arriving while the batch finishes get a 503 rather
      // than a refused connection.
      await server.close();
      // Each event is committed as it is stored, so closing loses nothing even when the batch in
      // flight did not finish: its events are still pending (on PostgreSQL its calls' claims
      // expire after the lease and another process takes them).
      if (outcome === 'stopped') await inbox.close();
      return { timedOut: outcome === 'timeout' };
    },
  };
}
