/**
 * The local org's side of streaming: the message shape it writes and which subscriptions receive a
 * channel. A real org delivers these over CometD (`/cometd/NN.0`, channels `/event/X__e` and
 * `/data/XChangeEvent`) or the gRPC Pub/Sub API; the local org serves the same channel names and
 * message shapes (`{channel, data: {schema, payload, event: {replayId}}}`) over Server-Sent Events at
 * `GET /local/stream?channel=…` (`api/streaming.ts`). The client is `SseSubscriber` in
 * `src/salesforce/streaming.ts`.
 */

/** A CometD-shaped message, as written to the SSE feed. */
export interface StreamMessage {
  channel: string;
  data: {
    schema: string;
    payload: Record<string, unknown>;
    event: { replayId: number };
  };
}

/** Whether a subscription channel receives a message published on `channel`. */
export function channelMatches(subscription: string, channel: string): boolean {
  if (subscription === channel) return true;
  // `/data/ChangeEvents` is the standard channel carrying every entity's change events.
  return subscription === '/data/ChangeEvents' && channel.startsWith('/data/');
}
