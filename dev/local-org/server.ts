/**
 * The local org's HTTP server: Salesforce REST at `/services/data/vNN.0/...` (the routes jsforce 3
 * uses), the Telephony Integration API at `/telephony/v1/...`, and local-only endpoints under
 * `/local/...` that do not exist on a real org. The routes are declared in `routes.ts`, the
 * resources in `api/*.ts`, the org's state in `runtime.ts`.
 */
import type { AssignmentRules } from './assignment-rules';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LATEST } from './api/identity';
import { setPresence } from './api/local';
import type { EventAllocationLimits, EventAllocations } from './event-allocations';
import type { FaultConfig } from './faults';
import { send } from './http';
import { dispatch } from './routes';
import { Org, type Counters, type LocalOrgOptions } from './runtime';
import type { ConversationEntry } from './telephony';

export type { CounterCategory, Counters, LocalOrgOptions } from './runtime';

export interface LocalOrg {
  instanceUrl: string;
  accessToken: string;
  /** Latest API version served, e.g. '66.0'. */
  apiVersion: string;
  telephony: { baseUrl: string; callCenterApiName: string; orgId: string; privateKeyPem: string };
  counters(): Counters;
  /** Local-only: the transcript entries the Telephony API stored for a call (by vendor call key). */
  conversation(vendorCallKey: string): ConversationEntry[];
  resetCounters(): void;
  setFaults(faults: FaultConfig): void;
  /**
   * Local-only: how long a record created or changed from now on stays invisible to SOSL (the
   * `searchIndexLagMs` option), so a test can index its records first, then make the index lag.
   */
  setSearchIndexLag(ms: number): void;
  /**
   * Local-only (an admin activating or changing a rule in Setup): the owner the active lead and
   * case assignment rules give (assignment-rules.ts); `{}` = no active rule.
   */
  setAssignmentRules(rules: AssignmentRules): void;
  /**
   * Local-only stand-in for a rep changing Omni-Channel status (UserServicePresence is read-only
   * through a real org's API): `status` is a ServicePresenceStatus Id or DeveloperName, null =
   * offline. Returns the new UserServicePresence id (null when offline).
   */
  setPresence(userId: string, status: string | null, opts?: { away?: boolean }): string | null;
  /**
   * Local-only: the session ends (as when an admin revokes it, or it times out) and a new one is
   * issued: the old access token gets 401 INVALID_SESSION_ID, and CometD clients on it
   * `401::Authentication invalid`. Returns the new token (also in `accessToken`).
   */
  expireSession(): string;
  /** Platform event usage against the allocations (what `/limits` reports, per client too). */
  eventUsage(): ReturnType<EventAllocations['usage']>;
  /**
   * Local-only: changes the event allocations (as an add-on licence or the window rolling on
   * would), so a test can exhaust an allocation and then see the connector recover.
   */
  setEventAllocations(limits: Partial<EventAllocationLimits>): void;
  /**
   * Local-only (tests): hold Metadata API deployments in the queue (`cancelDeploy` then finds one
   * not started, as it can in an org whose deploy queue is busy), and let them run again.
   */
  pauseDeploys(): void;
  resumeDeploys(): void;
  /** Schema warnings (metadata files that could not be used). */
  warnings: string[];
  close(): Promise<void>;
}

/** Starts the local org on loopback. */
export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<LocalOrg> {
  const org = new Org(opts);
  // Salesforce Help 000386264: "the maximum combined length of the URI and headers is 16,384 bytes"
  // (431 beyond it). Node answers 431 past maxHeaderSize, request line included.
  const server: Server = createServer({ maxHeaderSize: 16_384 }, (req, res) => {
    dispatch(org, req, res).catch((e: unknown) => {
      const id = randomUUID();
      if (!res.headersSent) {
        send(res, {
          status: 500,
          body: [
            {
              message: `An unexpected error occurred (${id}): ${(e as Error).message}`,
              errorCode: 'UNKNOWN_EXCEPTION',
            },
          ],
        });
      } else {
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  org.instanceUrl = `http://127.0.0.1:${port}`;
  return {
    instanceUrl: org.instanceUrl,
    get accessToken() {
      return org.accessToken;
    },
    apiVersion: LATEST,
    telephony: {
      baseUrl: `${org.instanceUrl}/telephony/v1`,
      callCenterApiName: org.telephonyCfg.callCenterApiName,
      orgId: org.orgId,
      privateKeyPem: org.privateKeyPem,
    },
    warnings: org.schema.warnings,
    counters: () => ({ ...org.counters }),
    conversation: (key) => [...(org.conversations.get(key)?.values() ?? [])],
    resetCounters: () => org.resetCounters(),
    setFaults: (f) => org.faults.set(f),
    setSearchIndexLag: (ms) => {
      org.opts.searchIndexLagMs = ms;
    },
    setAssignmentRules: (rules) => (org.assignmentRules = { ...rules }),
    setPresence: (userId, status, o) => setPresence(org, userId, status, o),
    expireSession: () => org.expireSession(),
    eventUsage: () => org.eventAllocations.usage(),
    pauseDeploys: () => org.metadata.pause(),
    resumeDeploys: () => org.metadata.resume(),
    setEventAllocations: (limits) => Object.assign(org.eventAllocations.limits, limits),
    close: async () => {
      org.streams.close();
      org.cometd.close();
      org.bulk.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      org.store.close();
    },
  };
}
