/**
 * The Omni-Channel → Aircall path end to end over the Streaming API, as it runs against a real
 * org: the connector's presence sync on jsforce's streaming client (CometD) against the local
 * org's `/cometd/NN.0` endpoint, following `/data/UserServicePresenceChangeEvent` (change data
 * capture), with its replay id kept in the inbox. Aircall is the simulator's fake REST API (no
 * Aircall account on this machine); it records the availability changes it receives.
 *
 * What the org answers is the Streaming API Developer Guide's: "Message Durability" (replay ids,
 * -1 / -2, `400::The replayId {N} you provided was invalid…` past the retention window),
 * "Handling Streaming API Errors" (`401::Authentication invalid`, `advice.reconnect = none`) and
 * "Streaming API Error Codes" (`400::The channel you requested to subscribe to does not exist`);
 * the retention window is 72 hours (Change Data Capture Developer Guide, "Change Event Storage
 * and Delivery"). The local org's contract tests check those answers with a plain Bayeux client
 * (test/local-org/cometd.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AircallApi } from '../../src/aircall/api';
import { PRESENCE_CHANNEL } from '../../src/connector/omni/cdc';
import { SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { startFakeAircall, type FakeAircall } from '../../dev/simulator';
import { DEFAULT_AGENTS } from '../../dev/simulator/agents';
import type { LocalOrgOptions } from '../../dev/local-org/server';
import { startHarness, type Harness } from './harness';

const EMAIL = 'camille.martin@aircall-demo.example';
const AIRCALL_ID = DEFAULT_AGENTS.find((a) => a.email === EMAIL)!.id;

interface Rig {
  h: Harness;
  aircall: FakeAircall;
  rep: string;
  close(): Promise<void>;
}

async function rig(
  options: { org?: LocalOrgOptions; inboxFile?: string; relogin?: boolean } = {},
): Promise<Rig> {
  const aircall = await startFakeAircall({});
  const api = new AircallApi({
    baseUrl: aircall.url,
    apiId: aircall.apiId,
    apiToken: aircall.apiToken,
  });
  const h = await startHarness({
    org: { seedFile: SAMPLE_SEED_FILE, ...options.org },
    connector: { aircall: api, presence: { coalesceMs: 20, source: 'cdc' }, settingsTtlMs: 0 },
    ...(options.inboxFile ? { inboxFile: options.inboxFile } : {}),
    ...(options.relogin ? { relogin: true } : {}),
  });
  const [user] = await h.org.client.query<{ Id: string }>(
    `SELECT Id FROM User WHERE Email = '${EMAIL}'`,
  );
  assert.ok(user, `seed user ${EMAIL}`);
  return {
    h,
    aircall,
    rep: user.Id,
    async close() {
      await h.close();
      await aircall.close();
    },
  };
}

/** The availabilities Aircall received for the rep, in order. */
function puts(aircall: FakeAircall): string[] {
  return aircall
    .received()
    .filter((r) => r.method === 'PUT' && r.path === `/v1/users/${AIRCALL_ID}`)
    .map((r) => (r.body as { availability_status: string }).availability_status);
}

async function until(what: string, done: () => boolean, deadlineMs = 15_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const countOf = (text: string, pattern: RegExp) =>
  text.match(new RegExp(pattern, 'g'))?.length ?? 0;

describe('Omni-Channel → Aircall over CometD (jsforce streaming client, local org)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'aircall-streaming-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes from the stored replay id after a restart: a change made while stopped is applied once', async () => {
    const r = await rig({ inboxFile: path.join(dir, 'resume.db') });
    try {
      r.h.local.setPresence(r.rep, 'Available');
      await until('the first change to reach Aircall', () => puts(r.aircall).length === 1);
      await r.h.connector.presence!.idle();
      const stored = await r.h.connector.inbox.streamPosition(PRESENCE_CHANNEL);
      assert.equal(typeof stored, 'number', 'the replay id is kept in the inbox');

      await r.h.restart(() => {
        // Made while the connector is down: nobody is subscribed.
        r.h.local.setPresence(r.rep, 'Away_Lunch', { away: true });
      });
      await until('the change made while stopped', () => puts(r.aircall).length === 2);
      await r.h.connector.presence!.idle();
      assert.deepEqual(puts(r.aircall), ['available', 'unavailable']);
      assert.match(
        r.h.logs.text,
        new RegExp(
          `from the changes after replay id ${stored} \\(made while the connector was stopped\\)`,
        ),
      );
      const resumedFrom = (await r.h.connector.inbox.streamPosition(PRESENCE_CHANNEL))!;
      assert.ok(resumedFrom > stored!, 'the stored position moved past the replayed changes');

      // Exactly once: a second restart with nothing changed replays nothing.
      await r.h.restart();
      r.h.local.setPresence(r.rep, 'Available');
      await until('the next live change', () => puts(r.aircall).length === 3);
      await r.h.connector.presence!.idle();
      assert.deepEqual(puts(r.aircall), ['available', 'unavailable', 'available']);
    } finally {
      await r.close();
    }
  });

  it('says so when the session expires mid-subscription, logs in again and loses nothing', async () => {
    const r = await rig({ relogin: true });
    try {
      r.h.local.setPresence(r.rep, 'Available');
      await until('the first change', () => puts(r.aircall).length === 1);
      await r.h.connector.presence!.idle();

      r.h.local.expireSession();
      // Published while the client's session is dead: it comes by replay after the new login.
      r.h.local.setPresence(r.rep, 'Away_Lunch', { away: true });
      await until('the change made during the expiry', () => puts(r.aircall).length === 2);
      assert.deepEqual(puts(r.aircall), ['available', 'unavailable']);
      const text = r.h.logs.text;
      assert.match(
        text,
        /The Salesforce session is no longer valid \(401::Authentication invalid[^)]*\): no events from \/data\/UserServicePresenceChangeEvent until a new session is obtained; logging in again\./,
      );
      assert.match(
        text,
        /Salesforce session valid again: events resumed on \/data\/UserServicePresenceChangeEvent after replay id \d+/,
      );

      r.h.local.setPresence(r.rep, 'Available');
      await until('a change after recovery', () => puts(r.aircall).length === 3);
      assert.equal(countOf(r.h.logs.text, /session is no longer valid/), 1, 'said once');
    } finally {
      await r.close();
    }
  });

  it('without a renewable login, says the connector needs a restart with a valid login', async () => {
    const r = await rig();
    try {
      r.h.local.setPresence(r.rep, 'Available');
      await until('the first change', () => puts(r.aircall).length === 1);
      r.h.local.expireSession();
      await until('the log line', () =>
        r.h.logs.text.includes('until the connector is restarted with a valid login'),
      );
      assert.equal(r.h.local.eventUsage().clients, 0, 'the dead client is not kept open');
    } finally {
      await r.close();
    }
  });

  it('on an unknown channel says what to turn on, keeps no client open, and does not retry in a loop', async () => {
    // UserServicePresence not selected for Change Data Capture: the org does not stream it.
    const r = await rig({ org: { changeDataCapture: [] } });
    try {
      const error =
        /Could not subscribe to \/data\/UserServicePresenceChangeEvent: Omni-Channel statuses will not be copied to Aircall \(Salesforce does not stream \/data\/UserServicePresenceChangeEvent: 400::The channel you requested to subscribe to does not exist/;
      await until('the error', () => error.test(r.h.logs.text));
      assert.match(r.h.logs.text, /In Setup → Change Data Capture, select User Service Presence/);
      await until('the client to be let go', () => r.h.local.eventUsage().clients === 0);
      // The connector goes on: a presence change finds nobody listening, and nothing retries.
      r.h.local.setPresence(r.rep, 'Available');
      await r.h.connector.presence!.idle();
      assert.deepEqual(puts(r.aircall), []);
      assert.equal(countOf(r.h.logs.text, /Could not subscribe to/), 1, 'one error, no loop');
      assert.equal(r.h.local.eventUsage().clients, 0);
    } finally {
      await r.close();
    }
  });

  it('past the retention window: the documented error, a fresh read of current presence, new events from then on, recorded', async () => {
    let clock = Date.now();
    const r = await rig({
      inboxFile: path.join(dir, 'retention.db'),
      org: { streaming: { now: () => clock } },
    });
    try {
      r.h.local.setPresence(r.rep, 'Available');
      await until('the first change', () => puts(r.aircall).length === 1);
      await r.h.connector.presence!.idle();
      const stored = (await r.h.connector.inbox.streamPosition(PRESENCE_CHANNEL))!;

      await r.h.restart(() => {
        r.h.local.setPresence(r.rep, 'Away_Lunch', { away: true });
        clock += 73 * 3600_000; // the connector stays down longer than the 72-hour window
      });
      // The rep's current status is read and copied, as the change itself is gone.
      await until('the current status to be copied', () => puts(r.aircall).length === 2);
      assert.deepEqual(puts(r.aircall), ['available', 'unavailable']);
      const text = r.h.logs.text;
      assert.match(
        text,
        new RegExp(
          `Salesforce refused replay id ${stored} on /data/UserServicePresenceChangeEvent: 400::The replayId \\{${stored}\\} you provided was invalid`,
        ),
      );
      assert.match(
        text,
        /past Salesforce's 72-hour retention window; reading every rep's current status instead/,
      );
      assert.match(text, /Read the current Omni-Channel status of \d+ rep\(s\)/);
      assert.match(text, /resuming from new events \(replay id -1\)/);
      const gaps = await r.h.connector.metrics.streamReplayGaps.get();
      assert.equal(gaps.values[0]?.value, 1, 'the gap is counted');
      assert.equal(
        await r.h.connector.inbox.streamPosition(PRESENCE_CHANNEL),
        -1,
        'recorded: the next start reads current presence again rather than retry the dead id',
      );

      // Stopped again before any new change arrived: the next start reads current status again
      // (quietly) instead of offering the refused id a second time.
      await r.h.restart(() => {
        r.h.local.setPresence(r.rep, 'Available');
      });
      await until('the change made while stopped again', () => puts(r.aircall).length === 3);
      assert.match(
        r.h.logs.text,
        /The last run resumed \/data\/UserServicePresenceChangeEvent from new events after a gap/,
      );
      assert.equal(countOf(r.h.logs.text, /Salesforce refused replay id/), 1, 'no second refusal');

      // Live again from new events, and the position moves on from them.
      r.h.local.setPresence(r.rep, 'Away_Lunch', { away: true });
      await until('a live change', () => puts(r.aircall).length === 4);
      await r.h.connector.presence!.idle();
      assert.deepEqual(puts(r.aircall), ['available', 'unavailable', 'available', 'unavailable']);
      assert.ok((await r.h.connector.inbox.streamPosition(PRESENCE_CHANNEL))! > stored);
    } finally {
      await r.close();
    }
  });
});
