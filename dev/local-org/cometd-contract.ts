/**
 * What the CometD endpoint (cometd.ts) is given — the org's bus, its sessions, its allocation
 * hooks — and the shape of the Bayeux messages it reads and answers.
 *
 * ## Allocation hooks (how the event allocations are counted on this endpoint)
 *
 * `CometdOptions.hooks` lets the org count and enforce its streaming allocations without this
 * module knowing the numbers. Each hook returns null to go on, or a Bayeux error
 * (`"403::…"`) to refuse:
 * - `admitHandshake(clientId)`: a client asks to connect (concurrent clients, delivery allocation
 *   used up). The handshake fails with that error and `advice.reconnect = none`.
 * - `admitConnect(clientId)`: each `/meta/connect`. The client is disconnected with that error.
 * - `onDeliver(clientId, channel, replayId)`: one event about to go to one client — called once
 *   per event per subscribed client (a client subscribed to both `/data/ChangeEvents` and
 *   `/data/XChangeEvent` receives, and is charged, twice); replayed events count too. A refusal
 *   withholds the event (it stays retained for a later replay) and disconnects the client: its
 *   long poll is answered with the error and `advice.reconnect = none`.
 * - `onClientGone(clientId)`: disconnected, expired, refused, or dropped for an invalid session.
 */
import type { IncomingMessage } from 'node:http';
import type { EventBus } from './event-bus';

export interface StreamingHooks {
  admitHandshake?(clientId: string): string | null;
  admitConnect?(clientId: string): string | null;
  onDeliver?(clientId: string, channel: string, replayId: number): string | null;
  onClientGone?(clientId: string): void;
}

export interface CometdOptions {
  bus: EventBus;
  /** Whether the org streams this channel (a platform event, or an entity selected for CDC). */
  channelExists(channel: string): boolean;
  /** Whether an access token is a live session. */
  isValidSession(token: string): boolean;
  /** How long a `/meta/connect` is held when there is nothing to send (default 110 s). */
  connectTimeoutMs?: number;
  /** How long a client may take to come back after a response before it is forgotten (default 40 s). */
  reconnectTimeoutMs?: number;
  hooks?: StreamingHooks;
  /** Latest API version served, for the error texts. */
  apiVersion?: string;
}

/** One Bayeux message (request or reply). */
export type BayeuxMessage = Record<string, unknown> & { channel?: unknown; id?: unknown };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields every reply echoes: channel and id. */
export function replyTo(message: unknown): BayeuxMessage {
  const m = isObject(message) ? message : {};
  return {
    ...(typeof m.channel === 'string' ? { channel: m.channel } : {}),
    ...(m.id !== undefined ? { id: m.id } : {}),
  };
}

export function authInvalid(
  reply: BayeuxMessage,
  clientId: string,
  missing = false,
): BayeuxMessage {
  return {
    ...reply,
    clientId,
    successful: false,
    error: missing ? '401::Request requires authentication' : '401::Authentication invalid',
    advice: { reconnect: 'none', interval: 0 },
  };
}

/** The session a request carries: `Authorization: OAuth <token>` (jsforce) or `Bearer <token>`. */
export function tokenOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^(?:OAuth|Bearer)\s+(.+)$/i.exec(header.trim());
  return match ? match[1]! : null;
}
