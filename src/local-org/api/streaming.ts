/**
 * Streaming of platform events and record changes, local-only: `GET /local/stream?channel=…`
 * answers Server-Sent Events carrying CometD-shaped messages (see `../stream.ts`). A real org
 * streams over CometD or the Pub/Sub API instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getObject } from '../dml';
import { DELIVERY_LIMIT_ERROR, type EventAllocations } from '../event-allocations';
import type { Reply, RouteRequest } from '../http';
import type { Change } from '../store';
import { channelMatches, type StreamMessage } from '../stream';

/** The open SSE streams (one streaming client each), and the replay ids of what they were sent. */
export class StreamHub {
  private readonly streams = new Set<{ res: ServerResponse; channels: string[]; client: string }>();
  private streamClients = 0;
  private replayId = 0;

  constructor(private readonly allocations: EventAllocations) {}

  /** A committed record change, as a change event on `/data/<Object>ChangeEvent`. */
  emitChange(c: Change, commitUser: string): void {
    if (this.streams.size === 0) return;
    const payload: Record<string, unknown> = {
      ChangeEventHeader: {
        entityName: c.object,
        recordIds: [c.id],
        changeType: c.type,
        changedFields: c.changedFields,
        commitTimestamp: Date.now(),
        commitUser,
      },
    };
    const fields =
      c.type === 'CREATE'
        ? Object.keys(c.record).filter((k) => c.record[k] !== null)
        : c.changedFields;
    for (const k of fields) if (k !== 'Id') payload[k] = c.record[k];
    const channelName = c.object.endsWith('__c')
      ? `${c.object.slice(0, -3)}__ChangeEvent`
      : `${c.object}ChangeEvent`;
    this.broadcast(`/data/${channelName}`, payload);
  }

  broadcast(channel: string, payload: Record<string, unknown>): void {
    const message: StreamMessage = {
      channel,
      data: { schema: 'local', payload, event: { replayId: ++this.replayId } },
    };
    const frame = `event: message\ndata: ${JSON.stringify(message)}\n\n`;
    for (const s of this.streams) {
      if (!s.channels.some((ch) => channelMatches(ch, channel))) continue;
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
    const event = /^\/event\/(\w+)$/.exec(ch);
    const known = event
      ? getObject(org.schema, event[1]!)?.isPlatformEvent === true
      : ch.startsWith('/data/');
    if (!known) {
      return {
        status: 400,
        body: [
          {
            message: `Unknown channel ${ch}: subscribe to /event/<Platform_Event__e>, /data/<Object>ChangeEvent or /data/ChangeEvents.`,
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
