/**
 * Streaming of platform events and record changes.
 *
 * A real org delivers these over CometD (`/cometd/NN.0`, channels `/event/X__e` and
 * `/data/XChangeEvent`) or the gRPC Pub/Sub API. The local org serves the same channel names and
 * message shapes (`{channel, data: {schema, payload, event: {replayId}}}`) over Server-Sent Events at
 * `GET /local/stream?channel=…` — an endpoint that does not exist on a real org. Code depends on the
 * `Subscriber` interface, so a CometD/Pub/Sub implementation can replace `SseSubscriber` for real orgs.
 */

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

/** Whether a subscription channel receives a message published on `channel`. */
export function channelMatches(subscription: string, channel: string): boolean {
  if (subscription === channel) return true;
  // `/data/ChangeEvents` is the standard channel carrying every entity's change events.
  return subscription === '/data/ChangeEvents' && channel.startsWith('/data/');
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
