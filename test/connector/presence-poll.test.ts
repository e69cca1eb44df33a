/**
 * Omni-Channel → Aircall by polling UserServicePresence (the default source): one SOQL query per
 * interval for the rows modified since a watermark kept in the inbox. Against the local org, whose
 * UserServicePresence rows carry SystemModstamp as a real org's do (Object Reference,
 * "UserServicePresence"; system fields in "System Fields"); Aircall is the simulator's fake REST
 * API, which records the availability changes it receives.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AircallApi } from '../../src/aircall/api';
import { POLL_POSITION, pollIntervalMs } from '../../src/connector/omni/poll';
import { SqliteInbox } from '../../src/inbox/sqlite';
import { SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { startFakeAircall, type FakeAircall } from '../../dev/simulator';
import { DEFAULT_AGENTS } from '../../dev/simulator/agents';
import { startHarness, type Harness } from './harness';

const EMAIL = 'lucas.bernard@aircall-demo.example';
const AIRCALL_ID = DEFAULT_AGENTS.find((a) => a.email === EMAIL)!.id;

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

describe('Omni-Channel → Aircall by polling UserServicePresence', () => {
  let dir: string;
  let h: Harness;
  let aircall: FakeAircall;
  let rep: string;
  const inboxFile = () => path.join(dir, 'poll.db');

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'aircall-poll-'));
    aircall = await startFakeAircall({});
    h = await startHarness({
      org: { seedFile: SAMPLE_SEED_FILE },
      inboxFile: inboxFile(),
      connector: {
        aircall: new AircallApi({
          baseUrl: aircall.url,
          apiId: aircall.apiId,
          apiToken: aircall.apiToken,
        }),
        // 10 s / 60 s by default; short here so a test waits on the change, not the interval.
        presence: { coalesceMs: 20, pollMs: 30, idlePollMs: 30 },
        settingsTtlMs: 0,
      },
    });
    const [user] = await h.org.client.query<{ Id: string }>(
      `SELECT Id FROM User WHERE Email = '${EMAIL}'`,
    );
    rep = user!.Id;
  });
  after(async () => {
    await h.close();
    await aircall.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens no streaming client and spends one query per poll', async () => {
    h.local.setPresence(rep, 'Available');
    await until('the change to reach Aircall', () => puts(aircall).length === 1);
    assert.deepEqual(puts(aircall), ['available']);
    assert.equal(h.local.eventUsage().clients, 0, 'no CometD client');
    assert.equal(h.local.eventUsage().deliveredLast24h, 0, 'no event delivery');
    const presence = h.connector.presence!;
    await presence.idle(); // no poll in flight: its count and the org's agree
    const polls = presence.polls;
    const queries = h.local.counters().query;
    await until('three more polls', () => presence.polls >= polls + 3);
    await presence.idle();
    const spentPolls = presence.polls - polls;
    const spentQueries = h.local.counters().query - queries;
    assert.equal(spentQueries, spentPolls, 'nothing but the poll queries while nothing changes');
  });

  it('after a restart applies exactly the changes made while stopped, once', async () => {
    await h.connector.presence!.idle();
    const before = puts(aircall).length;
    await h.restart(() => {
      // Within the same second as the last change read, and after it: both must come through.
      h.local.setPresence(rep, 'Away_Lunch', { away: true });
    });
    await until('the change made while stopped', () => puts(aircall).length === before + 1);
    assert.match(
      h.logs.text,
      /from the changes after \S+ \(made while the connector was stopped\)/,
    );
    h.local.setPresence(rep, 'Available');
    await until('the next live change', () => puts(aircall).length === before + 2);
    await h.connector.presence!.idle();
    assert.deepEqual(puts(aircall).slice(before), ['unavailable', 'available'], 'each once');
    // And a restart with nothing changed sends nothing again.
    await h.restart();
    h.local.setPresence(rep, 'Away_Lunch', { away: true });
    await until('a change after the quiet restart', () => puts(aircall).length === before + 3);
    await h.connector.presence!.idle();
    assert.deepEqual(puts(aircall).slice(before), ['unavailable', 'available', 'unavailable']);
  });

  it('a watermark older than 72 hours: says so and copies every rep’s current status', async () => {
    await h.restart(() => {
      const inbox = new SqliteInbox(inboxFile());
      inbox.setStreamPosition(POLL_POSITION, Date.now() - 80 * 3600_000);
      inbox.close();
      h.local.setPresence(rep, 'Available');
    });
    await until('the current status', () => puts(aircall).at(-1) === 'available');
    assert.match(h.logs.text, /more than 72 hours ago; reading every rep's current status/);
    assert.match(h.logs.text, /Read the current Omni-Channel status of \d+ rep\(s\)/);
  });

  it('polls fast while someone is online or changed lately, slowly otherwise', () => {
    assert.equal(
      pollIntervalMs({ online: 3, sinceLastChangeMs: 3600_000 }, 10_000, 60_000),
      10_000,
    );
    assert.equal(pollIntervalMs({ online: 0, sinceLastChangeMs: 60_000 }, 10_000, 60_000), 10_000);
    assert.equal(pollIntervalMs({ online: 0, sinceLastChangeMs: 600_000 }, 10_000, 60_000), 60_000);
  });
});
