/**
 * CometD (Bayeux 1.0 over HTTP long-polling) at `/cometd/NN.0`, as a real org serves the Streaming
 * API for platform events (`/event/X__e`) and change events (`/data/XChangeEvent`,
 * `/data/ChangeEvents`). Written from the Bayeux Protocol 1.0 specification (docs.cometd.org,
 * "The Bayeux Protocol") and the Streaming API Developer Guide:
 *
 * - "How the Client Connects" / "Clients and Timeouts": handshake, subscribe, then `/meta/connect`
 *   long polls held up to 110 s (`advice.timeout`); a client that does not reconnect within 40 s
 *   after a response is forgotten, and its next message gets `403::Unknown client` with
 *   `advice.reconnect = handshake`.
 * - "Handling Streaming API Errors": a session that is no longer valid gets
 *   `401::Authentication invalid` with `advice.reconnect = none` on `/meta/connect`, and a
 *   handshake with such a session gets `403::Handshake denied` with the reason in
 *   `ext.sfdc.failureReason` (what jsforce's AuthFailure extension listens for).
 * - "Streaming API Error Codes": unknown channel, missing version, request over 32,768 bytes.
 * - "Message Durability": the replay extension (`ext.replay = {channel: replayId}` on subscribe;
 *   -1 new events, -2 all retained ones, or a stored id), and the
 *   `400::The replayId {N} you provided was invalid…` answer for an id outside the window.
 *
 * Only long-polling is served (as on a real org). Not modelled: the BAYEUX_BROWSER cookie and the
 * per-request cookie check, `/u/` generic channels, PushTopics, filtered subscriptions.
 *
 * What it is given (the org's bus, sessions and allocation hooks) and its message helpers:
 * cometd-contract.ts.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { messageFor, channelMatches, REPLAY_NEW, ReplayIdError, type BusEvent } from './event-bus';
import {
  authInvalid,
  isObject,
  replyTo,
  tokenOf,
  type BayeuxMessage,
  type CometdOptions,
} from './cometd-contract';

export type { BayeuxMessage, CometdOptions, StreamingHooks } from './cometd-contract';

/** Streaming API: "Clients and Timeouts". */
export const CONNECT_TIMEOUT_MS = 110_000;
export const RECONNECT_TIMEOUT_MS = 40_000;
/** Streaming API: "How the Client Connects" — larger request bodies get 413. */
export const MAX_REQUEST_BYTES = 32_768;
const MIN_VERSION = 37;

interface HeldConnect {
  reply: BayeuxMessage;
  respond: (messages: BayeuxMessage[]) => void;
  timer: NodeJS.Timeout;
}

interface Client {
  id: string;
  token: string;
  subscriptions: Set<string>;
  queue: BayeuxMessage[];
  held: HeldConnect | null;
  connected: boolean;
  expiry: NodeJS.Timeout | null;
  /** The refusal the client is disconnected with, answered to its next long poll. */
  refused: string | null;
}

export class CometdEndpoint {
  readonly connectTimeoutMs: number;
  readonly reconnectTimeoutMs: number;
  private readonly clients = new Map<string, Client>();
  private readonly stopListening: () => void;
  private readonly apiVersion: string;
  private closed = false;

  constructor(private readonly options: CometdOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? RECONNECT_TIMEOUT_MS;
    this.apiVersion = options.apiVersion ?? '66.0';
    this.stopListening = options.bus.listen((event) => this.deliver(event));
  }

  /** Client ids currently known (handshaken, not yet gone). */
  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  /** The channels a client is subscribed to. */
  subscriptionsOf(clientId: string): string[] {
    return [...(this.clients.get(clientId)?.subscriptions ?? [])];
  }

  /**
   * Serves one HTTP request to `/cometd/...`: reads the JSON body (one message or an array), and
   * answers with the array of replies — after holding it, for a `/meta/connect` with nothing to send.
   */
  async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const answer = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        answer(413, [{ successful: false, error: '413::Maximum Request Size Exceeded' }]);
        req.resume();
        return;
      }
      chunks.push(chunk);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      answer(400, [
        {
          successful: false,
          error: '400::The request body is not JSON: send a Bayeux message or an array of them.',
        },
      ]);
      return;
    }
    const messages = (Array.isArray(body) ? body : [body]) as unknown[];
    const version = /^\/cometd\/(\d+)\.0$/.exec(path)?.[1];
    const versionError =
      version === undefined
        ? `400::API version in the URI is mandatory. URI format: '/cometd/${this.apiVersion}'`
        : Number(version) < MIN_VERSION
          ? `400::Unsupported API version. Only API versions '${MIN_VERSION}.0' and later are supported. URI format: '/cometd/${this.apiVersion}'`
          : null;
    if (versionError) {
      answer(
        400,
        messages.map((m) => ({ ...replyTo(m), successful: false, error: versionError })),
      );
      return;
    }
    const abandoned = new AbortController();
    res.on('close', () => abandoned.abort());
    answer(200, await this.handle(messages, tokenOf(req), abandoned.signal));
  }

  /**
   * Handles one batch of messages sent with `token`; resolves with the replies (and the events
   * delivered with a `/meta/connect`). `abandoned` aborts when the HTTP request is given up.
   */
  async handle(
    messages: readonly unknown[],
    token: string | null,
    abandoned?: AbortSignal,
  ): Promise<BayeuxMessage[]> {
    const replies: BayeuxMessage[] = [];
    let connect: Promise<BayeuxMessage[]> | null = null;
    for (const raw of messages) {
      if (!isObject(raw) || typeof raw.channel !== 'string' || raw.channel === '') {
        replies.push({
          ...replyTo(raw),
          successful: false,
          error: '400::Channel name not specified',
        });
        continue;
      }
      const message = raw as BayeuxMessage & { channel: string };
      switch (message.channel) {
        case '/meta/handshake':
          replies.push(this.handshake(message, token));
          break;
        case '/meta/connect': {
          const result = this.connect(message, token, abandoned);
          if (Array.isArray(result)) replies.push(...result);
          else connect = result;
          break;
        }
        case '/meta/subscribe':
          replies.push(...this.subscribe(message, token));
          break;
        case '/meta/unsubscribe':
          replies.push(this.unsubscribe(message, token));
          break;
        case '/meta/disconnect':
          replies.push(this.disconnect(message, token));
          break;
        default: {
          const client = this.clientFor(message, token);
          if ('error' in client) replies.push(client.error);
          else
            replies.push({
              ...replyTo(message),
              clientId: client.id,
              successful: false,
              // Events are published through the REST or SOAP API, not over CometD.
              error: `403::Publish denied: publish ${message.channel} through the REST API (POST /sobjects/…).`,
            });
        }
      }
    }
    if (connect) replies.push(...(await connect));
    return replies;
  }

  /** Ends every long poll whose session is no longer valid (e.g. after the session expired). */
  revalidate(): void {
    for (const client of [...this.clients.values()]) {
      if (this.options.isValidSession(client.token) || !client.held) continue;
      const held = client.held;
      client.held = null;
      clearTimeout(held.timer);
      held.respond([authInvalid(held.reply, client.id)]);
      this.drop(client);
    }
  }

  /** Answers every held long poll and forgets every client (the org is stopping). */
  close(): void {
    this.closed = true;
    this.stopListening();
    for (const client of [...this.clients.values()]) {
      if (client.held) {
        const held = client.held;
        client.held = null;
        clearTimeout(held.timer);
        held.respond([
          {
            ...held.reply,
            successful: false,
            error: '503::Server is shutting down',
            advice: { reconnect: 'handshake', interval: 1000 },
          },
        ]);
      }
      this.drop(client);
    }
  }

  // ---- meta channels ---------------------------------------------------------------------------

  private handshake(message: BayeuxMessage, token: string | null): BayeuxMessage {
    const reply = replyTo(message);
    if (token === null || !this.options.isValidSession(token)) {
      return {
        ...reply,
        successful: false,
        error: '403::Handshake denied',
        advice: { reconnect: 'none' },
        ext: {
          sfdc: {
            failureReason:
              token === null
                ? '401::Request requires authentication'
                : '401::Authentication invalid',
          },
        },
      };
    }
    const types = message.supportedConnectionTypes;
    if (Array.isArray(types) && !types.includes('long-polling')) {
      return {
        ...reply,
        successful: false,
        error: `400::Invalid connection type ${types.map(String).join(', ')}`,
        supportedConnectionTypes: ['long-polling'],
        advice: { reconnect: 'none' },
      };
    }
    const clientId = randomBytes(14).toString('base64url').toLowerCase().replace(/[-_]/g, '0');
    const refused = this.options.hooks?.admitHandshake?.(clientId) ?? null;
    if (refused) {
      return { ...reply, successful: false, error: refused, advice: { reconnect: 'none' } };
    }
    const client: Client = {
      id: clientId,
      token,
      subscriptions: new Set(),
      queue: [],
      held: null,
      connected: false,
      expiry: null,
      refused: null,
    };
    this.clients.set(clientId, client);
    this.armExpiry(client);
    return {
      ...reply,
      version: '1.0',
      minimumVersion: '1.0',
      supportedConnectionTypes: ['long-polling'],
      clientId,
      successful: true,
      advice: this.advice(),
      ext: { replay: true, 'payload.format': true },
    };
  }

  private connect(
    message: BayeuxMessage,
    token: string | null,
    abandoned: AbortSignal | undefined,
  ): BayeuxMessage[] | Promise<BayeuxMessage[]> {
    const found = this.clientFor(message, token);
    if ('error' in found) return [found.error];
    const client = found;
    const reply: BayeuxMessage = { ...replyTo(message), clientId: client.id };
    if (message.connectionType !== 'long-polling') {
      return [
        {
          ...reply,
          successful: false,
          error: `400::Invalid connection type ${String(message.connectionType)}`,
        },
      ];
    }
    const refused = client.refused ?? this.options.hooks?.admitConnect?.(client.id) ?? null;
    if (refused) {
      if (client.held) this.release(client);
      this.drop(client);
      // What was already delivered (and counted) still goes out, with the refusal.
      return [
        ...client.queue.splice(0),
        { ...reply, successful: false, error: refused, advice: { reconnect: 'none' } },
      ];
    }
    const ok: BayeuxMessage = { ...reply, successful: true, advice: this.advice() };
    // A second long poll of the same client ends the first one (Bayeux 1.0, "connect").
    if (client.held) this.release(client);
    // A client may ask for a shorter hold (Bayeux 1.0, "advice"): Faye sends `timeout: 0` when
    // the connect shares its request with other messages, which would otherwise wait with it.
    const asked = (message.advice as { timeout?: unknown } | undefined)?.timeout;
    const hold =
      typeof asked === 'number' && asked >= 0
        ? Math.min(asked, this.connectTimeoutMs)
        : this.connectTimeoutMs;
    if (!client.connected || client.queue.length > 0 || hold === 0) {
      client.connected = true;
      this.armExpiry(client);
      return [...client.queue.splice(0), ok];
    }
    if (client.expiry) clearTimeout(client.expiry);
    client.expiry = null;
    return new Promise<BayeuxMessage[]>((resolve) => {
      const held: HeldConnect = {
        reply: ok,
        respond: resolve,
        timer: setTimeout(() => {
          if (client.held === held) this.release(client);
        }, hold),
      };
      held.timer.unref();
      client.held = held;
      // An abandoned request keeps its events queued for the next long poll.
      abandoned?.addEventListener('abort', () => {
        if (client.held !== held) return;
        clearTimeout(held.timer);
        client.held = null;
        this.armExpiry(client);
        resolve([]);
      });
    });
  }

  private subscribe(message: BayeuxMessage, token: string | null): BayeuxMessage[] {
    const found = this.clientFor(message, token);
    if ('error' in found) return [found.error];
    const client = found;
    this.armExpiry(client);
    const channels = Array.isArray(message.subscription)
      ? (message.subscription as unknown[])
      : [message.subscription];
    const replies: BayeuxMessage[] = [];
    for (const raw of channels) {
      const reply: BayeuxMessage = { ...replyTo(message), clientId: client.id, subscription: raw };
      const error = this.subscriptionError(raw);
      if (error) {
        replies.push({ ...reply, successful: false, error });
        continue;
      }
      const channel = raw as string;
      const replay = (message.ext as { replay?: unknown } | undefined)?.replay;
      let from = REPLAY_NEW;
      if (replay !== undefined) {
        if (!isObject(replay) || !(channel in replay)) {
          replies.push({
            ...reply,
            successful: false,
            error:
              `400::The replayId for channel {${channel}} wasn't found using the provided replay ID map ` +
              `{${JSON.stringify(replay)}}. Ensure that the channel name you provided in the replay map ` +
              'is valid and matches the channel name used for subscribing.',
          });
          continue;
        }
        from = Number(replay[channel]);
      }
      let backlog: BusEvent[];
      try {
        if (!Number.isInteger(from) || from < -2) throw new ReplayIdError('not an id');
        backlog = this.options.bus.replay(channel, from);
      } catch (e) {
        if (!(e instanceof ReplayIdError)) throw e;
        replies.push({
          ...reply,
          successful: false,
          error:
            `400::The replayId {${String(from)}} you provided was invalid.  Please provide a valid ID, ` +
            '-2 to replay all events, or -1 to replay only new events.',
        });
        continue;
      }
      client.subscriptions.add(channel);
      replies.push({ ...reply, successful: true });
      for (const event of backlog) this.enqueue(client, channel, event);
    }
    return replies;
  }

  private subscriptionError(raw: unknown): string | null {
    if (typeof raw !== 'string' || raw === '') return '400::Channel name not specified';
    if (!raw.startsWith('/')) return "400::Channel subscriptions must start with a leading '/'";
    if (raw.startsWith('/meta/') || !this.options.channelExists(raw)) {
      return `400::The channel you requested to subscribe to does not exist {${raw}}`;
    }
    return null;
  }

  private unsubscribe(message: BayeuxMessage, token: string | null): BayeuxMessage {
    const found = this.clientFor(message, token);
    if ('error' in found) return found.error;
    this.armExpiry(found);
    const channels = Array.isArray(message.subscription)
      ? (message.subscription as unknown[])
      : [message.subscription];
    for (const ch of channels) if (typeof ch === 'string') found.subscriptions.delete(ch);
    return {
      ...replyTo(message),
      clientId: found.id,
      subscription: message.subscription,
      successful: true,
    };
  }

  private disconnect(message: BayeuxMessage, token: string | null): BayeuxMessage {
    const found = this.clientFor(message, token);
    if ('error' in found) return found.error;
    if (found.held) this.release(found);
    this.drop(found);
    return { ...replyTo(message), clientId: found.id, successful: true };
  }

  // ---- clients and delivery --------------------------------------------------------------------

  /** The client a message names, or the error to answer (unknown client, invalid session). */
  private clientFor(
    message: BayeuxMessage,
    token: string | null,
  ): Client | { error: BayeuxMessage } {
    const reply = replyTo(message);
    const client =
      typeof message.clientId === 'string' ? this.clients.get(message.clientId) : undefined;
    if (!client) {
      return {
        error: {
          ...reply,
          ...(typeof message.clientId === 'string' ? { clientId: message.clientId } : {}),
          successful: false,
          error: '403::Unknown client',
          advice: { reconnect: 'handshake', interval: 0 },
        },
      };
    }
    if (token === null || !this.options.isValidSession(token)) {
      this.drop(client);
      return { error: authInvalid(reply, client.id, token === null) };
    }
    client.token = token;
    return client;
  }

  private advice(): Record<string, unknown> {
    return { interval: 0, timeout: this.connectTimeoutMs, reconnect: 'retry' };
  }

  /** A client that does not come back within the reconnect timeout is forgotten. */
  private armExpiry(client: Client): void {
    if (client.expiry) clearTimeout(client.expiry);
    client.expiry = setTimeout(() => {
      if (this.clients.get(client.id) === client && !client.held) this.drop(client);
    }, this.reconnectTimeoutMs);
    client.expiry.unref();
  }

  private drop(client: Client): void {
    if (client.expiry) clearTimeout(client.expiry);
    client.expiry = null;
    if (this.clients.get(client.id) !== client) return;
    this.clients.delete(client.id);
    this.options.hooks?.onClientGone?.(client.id);
  }

  /** Answers a held long poll with whatever is queued. */
  private release(client: Client): void {
    const held = client.held;
    if (!held) return;
    client.held = null;
    clearTimeout(held.timer);
    this.armExpiry(client);
    held.respond([...client.queue.splice(0), held.reply]);
  }

  private deliver(event: BusEvent): void {
    if (this.closed) return;
    for (const client of this.clients.values()) {
      for (const subscription of client.subscriptions) {
        if (channelMatches(subscription, event.channel)) this.enqueue(client, subscription, event);
      }
    }
  }

  private enqueue(client: Client, subscription: string, event: BusEvent): void {
    if (client.refused) return;
    const refused =
      this.options.hooks?.onDeliver?.(client.id, subscription, event.replayId) ?? null;
    if (refused) {
      client.refused = refused;
      const held = client.held;
      if (held) {
        client.held = null;
        clearTimeout(held.timer);
        held.respond([
          ...client.queue.splice(0),
          { ...held.reply, successful: false, error: refused, advice: { reconnect: 'none' } },
        ]);
        this.drop(client);
      }
      return;
    }
    client.queue.push({ ...messageFor(subscription, event) });
    if (client.held) {
      // Events committed together leave in one response.
      const held = client.held;
      setImmediate(() => {
        if (client.held === held) this.release(client);
      });
    }
  }
}
