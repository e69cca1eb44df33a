/**
 * Streaming from an org: platform events (`/event/X__e`) and Change Data Capture
 * (`/data/XChangeEvent`). On a real org the connector subscribes over CometD (jsforce streaming);
 * the local org serves the same channel names and message shapes over Server-Sent Events at
 * `GET /local/stream?channel=…`, an endpoint a real org does not have. Code depends on the
 * `Subscriber` interface; `subscriberFor` picks the implementation for an org.
 */
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { Logger } from 'pino';
import type { OrgTarget } from './org';

/** A CometD message as Salesforce delivers it (and as the local org's feed reproduces it). */
export interface StreamMessage {
  channel: string;
  data: {
    schema: string;
    payload: Record<string, unknown>;
    event: { replayId: number };
  };
}

export interface Subscription {
  unsubscribe(): void;
}

export interface Subscriber {
  /** Resolves once the subscription is live (messages published after that are delivered). */
  subscribe(channel: string, handler: (message: StreamMessage) => void): Promise<Subscription>;
  close(): void;
}

/** Subscribes to the local org's SSE feed. */
export class SseSubscriber implements Subscriber {
  private readonly controllers = new Set<AbortController>();

  constructor(
    private readonly instanceUrl: string,
    private readonly accessToken: string,
  ) {}

  async subscribe(
    channel: string,
    handler: (message: StreamMessage) => void,
  ): Promise<Subscription> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const url = `${this.instanceUrl}/local/stream?channel=${encodeURIComponent(channel)}`;
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${this.accessToken}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) {
      this.controllers.delete(controller);
      const detail = await res
        .json()
        .then((b: unknown) =>
          Array.isArray(b) ? String((b[0] as { message?: string }).message ?? '') : '',
        )
        .catch(() => '');
      throw new Error(
        `Could not subscribe to ${channel} (HTTP ${res.status})${detail ? `: ${detail}` : '; check the instance URL and access token.'}`,
      );
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((r) => (resolveReady = r));
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let idx: number;
          while ((idx = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, idx);
            buffer = buffer.slice(idx + 2);
            let event = 'message';
            let data = '';
            for (const line of frame.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (event === 'ready') resolveReady();
            else if (event === 'message' && data) handler(JSON.parse(data) as StreamMessage);
          }
        }
      } catch {
        // Aborted by unsubscribe/close, or the org went away: the subscription simply ends.
      } finally {
        resolveReady();
      }
    })();
    await ready;
    return {
      unsubscribe: () => {
        controller.abort();
        this.controllers.delete(controller);
      },
    };
  }

  close(): void {
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }
}

/** CometD on a real org (jsforce streaming); the change event message is the same shape. */
export class CometdSubscriber implements Subscriber {
  private client: ReturnType<Connection['streaming']['createClient']> | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly logger: Logger,
  ) {}

  async subscribe(
    channel: string,
    handler: (message: StreamMessage) => void,
  ): Promise<{ unsubscribe(): void }> {
    this.client ??= this.conn.streaming.createClient([
      new StreamingExtension.AuthFailure(() =>
        this.logger.error(
          `The Salesforce session used for ${channel} is no longer valid: Omni-Channel statuses ` +
            'stop being copied to Aircall until the connector is restarted with a valid login.',
        ),
      ),
    ]);
    const subscription = this.client.subscribe(channel, (data: StreamMessage['data']) =>
      handler({ channel, data }),
    );
    await subscription;
    return { unsubscribe: () => subscription.cancel() };
  }

  close(): void {
    (this.client as unknown as { disconnect?: () => void } | null)?.disconnect?.();
    this.client = null;
  }
}

/** The subscriber for an org: the local org's SSE feed, or CometD on a real org. */
export function subscriberFor(org: OrgTarget, logger: Logger): Subscriber {
  const conn = org.client.conn;
  return org.isLocal
    ? new SseSubscriber(conn.instanceUrl, conn.accessToken ?? '')
    : new CometdSubscriber(conn, logger);
}
