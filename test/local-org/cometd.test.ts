/**
 * The local org's CometD endpoint, driven by a plain Bayeux client written here from the protocol
 * (no CometD library): JSON arrays of messages POSTed to `/cometd/66.0`.
 *
 * Sources, for what each test expects:
 * - Bayeux Protocol 1.0 (docs.cometd.org, "The Bayeux Protocol"): handshake / connect / subscribe /
 *   unsubscribe / disconnect messages and replies, `advice`, long polling.
 * - Streaming API Developer Guide (developer.salesforce.com/docs/atlas.en-us.api_streaming.meta):
 *   "How the Client Connects" and "Clients and Timeouts" (110 s long poll, 40 s to reconnect,
 *   32,768-byte requests), "Handling Streaming API Errors" (`401::Authentication invalid` with
 *   `reconnect: none`, `403::Handshake denied` with `ext.sfdc.failureReason`, `403::Unknown client`),
 *   "Streaming API Error Codes" (version in the URI, unknown channel), "Message Durability"
 *   (replay extension, `replayId` in `data.event`, -1 / -2, the invalid replay id error).
 * - Platform Events Developer Guide, "Platform Event Message Durability", and Change Data Capture
 *   Developer Guide, "Change Event Storage and Delivery": events are kept 72 hours.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalOrg, LocalOrgOptions } from '../../dev/local-org';
import { openOrg, SEED_FILE } from './helpers';

type Msg = Record<string, unknown> & { channel?: string; successful?: boolean; error?: string };

/** A Bayeux client from the specification: one HTTP POST per batch, replies as a JSON array. */
class PlainBayeux {
  private nextId = 0;
  clientId = '';

  constructor(
    private readonly org: LocalOrg,
    public token: string | null = org.accessToken,
    private readonly path = '/cometd/66.0',
  ) {}

  async post(body: unknown, raw = false): Promise<{ status: number; replies: Msg[] }> {
    const res = await fetch(`${this.org.instanceUrl}${this.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token !== null ? { authorization: `OAuth ${this.token}` } : {}),
      },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    return { status: res.status, replies: (await res.json()) as Msg[] };
  }

  async send(...messages: Msg[]): Promise<Msg[]> {
    const { replies } = await this.post(
      messages.map((m) => ({
        id: String(++this.nextId),
        ...(this.clientId && m.channel !== '/meta/handshake' ? { clientId: this.clientId } : {}),
        ...m,
      })),
    );
    return replies;
  }

  async handshake(): Promise<Msg> {
    const [reply] = await this.send({
      channel: '/meta/handshake',
      version: '1.0',
      supportedConnectionTypes: ['long-polling'],
    });
    if (reply?.successful) this.clientId = String(reply.clientId);
    return reply!;
  }

  connect(): Promise<Msg[]> {
    return this.send({ channel: '/meta/connect', connectionType: 'long-polling' });
  }

  async subscribe(channel: string, replayFrom?: number): Promise<Msg> {
    const [reply] = await this.send({
      channel: '/meta/subscribe',
      subscription: channel,
      ...(replayFrom !== undefined ? { ext: { replay: { [channel]: replayFrom } } } : {}),
    });
    return reply!;
  }

  /** Long polls until `count` events arrived (each poll returns as soon as there is one). */
  async events(count: number): Promise<Msg[]> {
    const out: Msg[] = [];
    while (out.length < count) {
      const replies = await this.connect();
      const reply = replies.at(-1)!;
      assert.equal(reply.channel, '/meta/connect', 'the connect reply comes last');
      assert.equal(reply.successful, true, `connect failed: ${String(reply.error)}`);
      const events = replies.slice(0, -1);
      for (const event of events) {
        // Streaming API Developer Guide, "Message Durability": every event message carries its
        // replay id in `data.event.replayId` (and its schema id in `data.schema`).
        const data = event.data as { schema?: unknown; event?: { replayId?: unknown } } | undefined;
        assert.ok(
          Number.isSafeInteger(data?.event?.replayId) && (data?.event?.replayId as number) > 0,
          `event on ${String(event.channel)} without a replayId in data.event: ${JSON.stringify(event)}`,
        );
        assert.equal(typeof data?.schema, 'string', 'schema id in data.schema');
      }
      out.push(...events);
    }
    return out;
  }
}

const UPDATE = '/event/Aircall_Voice_Update__e';

async function publish(org: LocalOrg, callId: string): Promise<void> {
  const res = await fetch(
    `${org.instanceUrl}/services/data/v66.0/sobjects/Aircall_Voice_Update__e`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Call_Id__c: callId, Change__c: 'ended' }),
    },
  );
  assert.equal(res.status, 201);
}

const callIds = (events: Msg[]) =>
  events.map((e) => (e.data as { payload: Record<string, unknown> }).payload.Call_Id__c);
const replayIds = (events: Msg[]) =>
  events.map((e) => (e.data as { event: { replayId: number } }).event.replayId);

async function open(opts: LocalOrgOptions = {}): Promise<LocalOrg> {
  return (await openOrg({ seedFile: SEED_FILE, ...opts })).org;
}

describe('CometD endpoint (/cometd/66.0)', () => {
  let org: LocalOrg;
  let now = Date.now();
  before(async () => {
    org = await open({ streaming: { now: () => now } });
  });
  after(() => org.close());

  it('handshakes as the Streaming API does: long-polling only, advice, replay extension', async () => {
    const client = new PlainBayeux(org);
    const reply = await client.handshake();
    assert.equal(reply.channel, '/meta/handshake');
    assert.equal(reply.id, '1', 'the reply echoes the message id');
    assert.equal(reply.successful, true);
    assert.equal(reply.version, '1.0');
    assert.match(String(reply.clientId), /^[a-z0-9]{10,}$/);
    assert.deepEqual(reply.supportedConnectionTypes, ['long-polling']);
    assert.deepEqual(reply.advice, { interval: 0, timeout: 110_000, reconnect: 'retry' });
    assert.deepEqual(reply.ext, { replay: true, 'payload.format': true });

    // The first /meta/connect answers at once with the advice; later ones are held.
    const [first] = await client.connect();
    assert.deepEqual(first, {
      channel: '/meta/connect',
      id: '2',
      clientId: client.clientId,
      successful: true,
      advice: { interval: 0, timeout: 110_000, reconnect: 'retry' },
    });
    const [bye] = await client.send({ channel: '/meta/disconnect' });
    assert.equal(bye?.successful, true);
  });

  it('delivers events with replayId in data.event, the connect reply last', async () => {
    const client = new PlainBayeux(org);
    await client.handshake();
    await client.connect();
    const sub = await client.subscribe(UPDATE);
    assert.deepEqual(sub, {
      channel: '/meta/subscribe',
      id: '3',
      clientId: client.clientId,
      subscription: UPDATE,
      successful: true,
    });
    const held = client.connect();
    await publish(org, 'shape-1');
    const replies = await held;
    assert.equal(replies.length, 2);
    const [event, reply] = replies as [Msg, Msg];
    assert.equal(reply.channel, '/meta/connect');
    assert.equal(reply.successful, true);
    assert.equal(event.channel, UPDATE);
    const data = event.data as {
      schema: unknown;
      payload: Record<string, unknown>;
      event: { replayId: unknown };
    };
    assert.deepEqual(Object.keys(data).sort(), ['event', 'payload', 'schema']);
    assert.equal(typeof data.schema, 'string');
    assert.equal(typeof data.event.replayId, 'number');
    assert.equal(data.payload.Call_Id__c, 'shape-1');
    assert.equal(data.payload.Change__c, 'ended');
    assert.equal(typeof data.payload.CreatedDate, 'string');

    // Unsubscribed: the next event is not delivered (the long poll ends on its timeout instead).
    const [unsub] = await client.send({ channel: '/meta/unsubscribe', subscription: UPDATE });
    assert.equal(unsub?.successful, true);
    await publish(org, 'shape-2');
    assert.deepEqual(await client.subscribe(UPDATE, -1).then((r) => r.successful), true);
    await publish(org, 'shape-3');
    assert.deepEqual(callIds(await client.events(1)), ['shape-3']);
    await client.send({ channel: '/meta/disconnect' });
  });

  it('replays -2 (all retained), a stored replay id, and -1 (new only)', async () => {
    const sub = new PlainBayeux(org);
    await sub.handshake();
    await sub.connect();
    await sub.subscribe(UPDATE);
    for (const id of ['r-1', 'r-2', 'r-3']) await publish(org, id);
    const live = await sub.events(3);
    assert.deepEqual(callIds(live), ['r-1', 'r-2', 'r-3']);
    const ids = replayIds(live);
    assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!, 'replay ids grow');

    const all = new PlainBayeux(org);
    await all.handshake();
    await all.connect();
    assert.equal((await all.subscribe(UPDATE, -2)).successful, true);
    const everything = callIds(await all.events(1));
    for (const id of ['shape-1', 'r-1', 'r-2', 'r-3']) assert.ok(everything.includes(id), id);

    const resumed = new PlainBayeux(org);
    await resumed.handshake();
    await resumed.connect();
    assert.equal((await resumed.subscribe(UPDATE, ids[0])).successful, true);
    assert.deepEqual(callIds(await resumed.events(2)), ['r-2', 'r-3'], 'exactly what came after');

    const fresh = new PlainBayeux(org);
    await fresh.handshake();
    await fresh.connect();
    assert.equal((await fresh.subscribe(UPDATE, -1)).successful, true);
    await publish(org, 'r-4');
    assert.deepEqual(callIds(await fresh.events(1)), ['r-4'], 'nothing retained is replayed');
    for (const c of [sub, all, resumed, fresh]) await c.send({ channel: '/meta/disconnect' });
  });

  it('refuses a replay id past the retention window, or one it never handed out', async () => {
    const client = new PlainBayeux(org);
    await client.handshake();
    await client.connect();
    await client.subscribe(UPDATE);
    await publish(org, 'old-1');
    await publish(org, 'old-2');
    const [first] = replayIds(await client.events(2));
    await client.send({ channel: '/meta/disconnect' });

    const future = new PlainBayeux(org);
    await future.handshake();
    const never = await future.subscribe(UPDATE, 99_999_999);
    assert.equal(never.successful, false);
    assert.equal(
      never.error,
      '400::The replayId {99999999} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
    );

    now += 73 * 3600_000; // the events are now older than 72 hours
    const late = new PlainBayeux(org);
    await late.handshake();
    const reply = await late.subscribe(UPDATE, first);
    assert.equal(reply.successful, false);
    assert.equal(reply.subscription, UPDATE);
    assert.match(
      String(reply.error),
      new RegExp(`^400::The replayId \\{${first}\\} you provided was invalid\\.`),
    );
    assert.equal((await late.subscribe(UPDATE, -2)).successful, true, '-2 is always valid');
    const [missingMap] = await late.send({
      channel: '/meta/subscribe',
      subscription: UPDATE,
      ext: { replay: {} },
    });
    assert.match(
      String(missingMap?.error),
      /^400::The replayId for channel \{\/event\/Aircall_Voice_Update__e\} wasn't found/,
    );
  });

  it('answers unknown channels, a bad subscription and a missing client id as documented', async () => {
    const client = new PlainBayeux(org);
    await client.handshake();
    const nope = await client.subscribe('/event/No_Such_Event__e');
    assert.equal(nope.successful, false);
    assert.equal(
      nope.error,
      '400::The channel you requested to subscribe to does not exist {/event/No_Such_Event__e}',
    );
    const notCdc = await client.subscribe('/data/LeadChangeEvent');
    assert.equal(notCdc.successful, false, 'Lead is not selected for Change Data Capture');
    const [relative] = await client.send({
      channel: '/meta/subscribe',
      subscription: 'event/X__e',
    });
    assert.equal(relative?.error, "400::Channel subscriptions must start with a leading '/'");
    const [none] = await client.send({ channel: '/meta/subscribe' });
    assert.equal(none?.error, '400::Channel name not specified');

    const stranger = new PlainBayeux(org);
    stranger.clientId = 'nosuchclient';
    const [unknown] = await stranger.connect();
    assert.deepEqual(unknown, {
      channel: '/meta/connect',
      id: '1',
      clientId: 'nosuchclient',
      successful: false,
      error: '403::Unknown client',
      advice: { reconnect: 'handshake', interval: 0 },
    });
    await client.send({ channel: '/meta/disconnect' });
  });

  it('checks the version in the URI and the request size', async () => {
    const noVersion = new PlainBayeux(org, org.accessToken, '/cometd');
    const [a] = await noVersion.send({ channel: '/meta/handshake', version: '1.0' });
    assert.equal(a?.successful, false);
    assert.equal(a?.error, "400::API version in the URI is mandatory. URI format: '/cometd/66.0'");
    const old = new PlainBayeux(org, org.accessToken, '/cometd/36.0');
    const [b] = await old.send({ channel: '/meta/handshake', version: '1.0' });
    assert.match(
      String(b?.error),
      /^400::Unsupported API version\. Only API versions '37\.0' and later/,
    );

    const big = new PlainBayeux(org);
    const { status } = await big.post(
      JSON.stringify([{ channel: '/meta/handshake', filler: 'x'.repeat(33_000) }]),
      true,
    );
    assert.equal(status, 413);
  });

  it('streams change events of the entities selected for Change Data Capture, also on /data/ChangeEvents', async () => {
    const client = new PlainBayeux(org);
    await client.handshake();
    await client.connect();
    assert.equal((await client.subscribe('/data/UserServicePresenceChangeEvent')).successful, true);
    assert.equal((await client.subscribe('/data/ChangeEvents')).successful, true);
    const [user] = (
      (await (
        await fetch(
          `${org.instanceUrl}/services/data/v66.0/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Email = 'camille.martin@aircall-demo.example'")}`,
          { headers: { authorization: `Bearer ${org.accessToken}` } },
        )
      ).json()) as { records: { Id: string }[] }
    ).records;
    org.setPresence(user!.Id, 'Available');
    const events = await client.events(2);
    const channels = events.map((e) => e.channel).sort();
    assert.deepEqual(channels, ['/data/ChangeEvents', '/data/UserServicePresenceChangeEvent']);
    const header = (events[0]!.data as { payload: { ChangeEventHeader: Record<string, unknown> } })
      .payload.ChangeEventHeader;
    assert.equal(header.entityName, 'UserServicePresence');
    assert.equal(header.changeType, 'CREATE');
    await client.send({ channel: '/meta/disconnect' });
  });
});

describe('CometD sessions and clients', () => {
  it('refuses a handshake without a valid session, the way jsforce’s AuthFailure extension expects', async () => {
    const org = await open();
    try {
      const anonymous = new PlainBayeux(org, null);
      assert.deepEqual(await anonymous.handshake(), {
        channel: '/meta/handshake',
        id: '1',
        successful: false,
        error: '403::Handshake denied',
        advice: { reconnect: 'none' },
        ext: { sfdc: { failureReason: '401::Request requires authentication' } },
      });
      const wrong = new PlainBayeux(org, '00DLOCAL!not-a-session');
      const reply = await wrong.handshake();
      assert.deepEqual(reply.ext, { sfdc: { failureReason: '401::Authentication invalid' } });
    } finally {
      await org.close();
    }
  });

  it('ends a held long poll with 401::Authentication invalid when the session expires', async () => {
    const org = await open();
    try {
      const client = new PlainBayeux(org);
      await client.handshake();
      await client.connect();
      await client.subscribe(UPDATE);
      // A long poll with nothing to deliver is held; revoking the session ends it (or, should the
      // revocation come first, the poll is refused the same way).
      const held = client.connect();
      await until(() => org.eventUsage().clients === 1);
      const oldToken = org.accessToken;
      org.expireSession();
      assert.notEqual(org.accessToken, oldToken);
      const [reply] = await held;
      assert.deepEqual(reply, {
        channel: '/meta/connect',
        id: '4',
        clientId: client.clientId,
        successful: false,
        error: '401::Authentication invalid',
        advice: { reconnect: 'none', interval: 0 },
      });
      assert.equal(org.eventUsage().clients, 0, 'the client is gone');
      assert.equal((await client.handshake()).error, '403::Handshake denied');
      client.token = org.accessToken; // logged in again
      assert.equal((await client.handshake()).successful, true);
    } finally {
      await org.close();
    }
  });

  it('holds a long poll for the advised timeout, then answers it empty', async () => {
    const org = await open({ streaming: { connectTimeoutMs: 100 } });
    try {
      const client = new PlainBayeux(org);
      const hs = await client.handshake();
      assert.deepEqual(hs.advice, { interval: 0, timeout: 100, reconnect: 'retry' });
      await client.connect();
      await client.subscribe(UPDATE);
      // With nothing to deliver, the long poll ends by itself with an empty, successful reply.
      const replies = await client.connect();
      assert.deepEqual(
        replies.map((r) => [r.channel, r.successful]),
        [['/meta/connect', true]],
      );
    } finally {
      await org.close();
    }
  });

  it('forgets a client that does not come back within the reconnect timeout', async () => {
    const org = await open({ streaming: { reconnectTimeoutMs: 50 } });
    try {
      const client = new PlainBayeux(org);
      assert.equal((await client.handshake()).successful, true);
      await until(() => org.eventUsage().clients === 0);
      const [gone] = await client.connect();
      assert.equal(gone?.error, '403::Unknown client');
      assert.deepEqual(gone?.advice, { reconnect: 'handshake', interval: 0 });
    } finally {
      await org.close();
    }
  });

  it('counts one delivery per event per subscribed client', async () => {
    const org = await open();
    try {
      const a = new PlainBayeux(org);
      const b = new PlainBayeux(org);
      const idle = new PlainBayeux(org);
      for (const c of [a, b, idle]) {
        await c.handshake();
        await c.connect();
      }
      await a.subscribe(UPDATE);
      await b.subscribe(UPDATE);
      const before = org.eventUsage().deliveredLast24h;
      await publish(org, 'count-1');
      await publish(org, 'count-2');
      assert.equal((await a.events(2)).length, 2);
      assert.equal((await b.events(2)).length, 2);
      const usage = org.eventUsage();
      assert.equal(usage.deliveredLast24h - before, 4, '2 events × 2 subscribed clients');
      assert.equal(
        usage.deliveredByClient[idle.clientId],
        undefined,
        'an idle client costs nothing',
      );
      assert.equal(usage.clients, 3);
    } finally {
      await org.close();
    }
  });
});

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}
