/**
 * Streaming, HTTP side. The Streaming API proper is CometD at `/cometd/NN.0` (`../cometd.ts`, over
 * the org's event bus `../event-bus.ts`), as on a real org; the connector uses only that.
 * `GET /local/stream?channel=…` is a local-only Server-Sent Events feed of the same messages, for a
 * browser page that cannot speak CometD to the local org (it does not exist on a real org).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DELIVERY_LIMIT_ERROR, type EventAllocations } from '../event-allocations';
import { channelMatches, messageFor, type BusEvent, type EventBus } from '../event-bus';
import type { Reply, RouteRequest } from '../http';

/** The open SSE streams (one streaming client each), fed from the event bus. */
export class StreamHub {
  private readonly streams = new Set<{ res: ServerResponse; channels: string[]; client: string }>();
  private streamClients = 0;

  constructor(
    private readonly allocations: EventAllocations,
    bus: EventBus,
  ) {
    bus.listen((event) => this.deliver(event));
  }

  private deliver(event: BusEvent): void {
    if (this.streams.size === 0) return;
    const frame = `event: message\ndata: ${JSON.stringify(messageFor(event.channel, event))}\n\n`;
    for (const s of this.streams) {
      if (!s.channels.some((ch) => channelMatches(ch, event.channel))) continue;
      // Each event delivered to each subscribed client counts toward the delivery allocation;
      // past it the client is disconnected with the CometD error (see event-allocations.ts).
      const delivered = this.allocations.deliver(s.client);
      if (delivered.ok) {
        s.res.write(frame);
        continue;
      }
      s.res.end(`event: error\ndata: ${JSON.stringify({ error: delivered.error })}\n\n`);
      this.streams.delete(s);
      this.allocations.disconnect(s.client);
    }
  }

  /**
   * Opens an SSE subscription (one streaming client), or answers the refusal a CometD handshake
   * would get: the concurrent client allocation, or the delivery allocation already used up.
   */
  open(req: IncomingMessage, res: ServerResponse, channels: string[]): void {
    const client = `sse-${++this.streamClients}`;
    const admitted = this.allocations.deliveryExhausted()
      ? { ok: false as const, error: DELIVERY_LIMIT_ERROR }
      : this.allocations.connect(client);
    if (!admitted.ok) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ errorCode: '403', message: admitted.error }]));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const sub = { res, channels, client };
    this.streams.add(sub);
    res.write(`event: ready\ndata: ${JSON.stringify({ channels })}\n\n`);
    req.on('close', () => {
      this.streams.delete(sub);
      this.allocations.disconnect(client);
    });
  }

  close(): void {
    for (const s of this.streams) {
      s.res.end();
      this.allocations.disconnect(s.client);
    }
    this.streams.clear();
  }
}

/** GET /local/stream?channel=/event/X__e&channel=/data/ChangeEvents */
export function openStream({ org, url, http }: RouteRequest): Reply | undefined {
  const channels = url.searchParams.getAll('channel');
  for (const ch of channels) {
    if (!org.streamsChannel(ch)) {
      return {
        status: 400,
        body: [
          {
            message: `Unknown channel ${ch}: subscribe to /event/<Platform_Event__e>, /data/ChangeEvents or /data/<Object>ChangeEvent of an entity selected for Change Data Capture.`,
            errorCode: 'INVALID_CHANNEL',
            fields: [],
          },
        ],
      };
    }
  }
  if (!http) return { status: 400, body: [{ message: 'A stream cannot be a subrequest.' }] };
  org.streams.open(http.req, http.res, channels.length ? channels : ['/data/ChangeEvents']);
  return undefined;
}

/** POST /cometd/NN.0: the Streaming API (Bayeux long polling); authentication is in-band. */
export function cometd({ org, path, http }: RouteRequest): Reply | undefined {
  if (!http) return { status: 400, body: [{ message: 'CometD cannot be a subrequest.' }] };
  org.cometd.serve(http.req, http.res, path).catch(() => http.res.destroy());
  return undefined;
}
