/**
 * The one configuration module (src/config): values refused with a sentence naming the flag or the
 * variable, flag over variable over default, secrets never echoed; the CLI exits 2 on a refused
 * value before it starts anything; the README's table agrees with the module; and no other file in
 * src reads an environment variable by itself.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import {
  ConfigError,
  ENV_TABLE_HEADER,
  SETTINGS,
  environmentRows,
  flagOptions,
  readConfig,
} from '../../src/config';
import { main } from '../../src/cli/main';

const ROOT = path.join(__dirname, '..', '..');
/** A read of an environment variable: `env.UPPER_CASE`, `env.npm_x` or `env[…]`. */
const ENV_READ = /\benv(\.([A-Z][A-Z0-9_]*|npm_[a-z_]+)\b|\[)/;

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, not ${String(error)}`);
    return error.message;
  }
  assert.fail('the value was accepted');
}

describe('configuration', () => {
  it('refuses a value with a sentence naming the variable and the value', () => {
    assert.equal(
      refused(() => readConfig(['batchWindowMs'], { env: { AIRCALL_BATCH_WINDOW_MS: 'abc' } })),
      "AIRCALL_BATCH_WINDOW_MS must be a whole number of milliseconds, got 'abc'.",
    );
    assert.equal(
      refused(() => readConfig(['omniSource'], { env: { AIRCALL_OMNI_SOURCE: 'push' } })),
      "AIRCALL_OMNI_SOURCE must be poll or cdc, got 'push'.",
    );
    assert.equal(
      refused(() => readConfig(['omniPollMs'], { env: { AIRCALL_OMNI_POLL_MS: '500' } })),
      "AIRCALL_OMNI_POLL_MS must be a whole number of milliseconds, at least 1000, got '500'.",
    );
    assert.match(
      refused(() => readConfig(['logLevel'], { env: { LOG_LEVEL: 'loud' } })),
      /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'\.$/,
    );
    assert.match(
      refused(() => readConfig(['sfInstanceUrl'], { env: { SF_INSTANCE_URL: 'my-org' } })),
      /^SF_INSTANCE_URL must be an http\(s\) URL/,
    );
    assert.match(
      refused(() => readConfig(['scvOrgId'], { env: { SCV_ORG_ID: '001000000000001' } })),
      /^SCV_ORG_ID must be an Organization Id/,
    );
    assert.equal(
      refused(() =>
        readConfig(['agentStatusEvents'], { env: { AIRCALL_AGENT_STATUS_EVENTS: 'maybe' } }),
      ),
      "AIRCALL_AGENT_STATUS_EVENTS must be on or off, got 'maybe'.",
    );
    assert.deepEqual(
      readConfig(['agentStatusEvents', 'holdMs'], {
        env: { AIRCALL_AGENT_STATUS_EVENTS: 'ON' },
        flags: { 'hold-ms': '0' },
      }),
      { agentStatusEvents: true, holdMs: 0 },
    );
  });

  it('names the flag when the flag gave the value, and every refused value at once', () => {
    const message = refused(() =>
      readConfig(['batchWindowMs', 'shutdownTimeoutMs', 'port'], {
        env: { AIRCALL_BATCH_WINDOW_MS: '50', AIRCALL_SHUTDOWN_TIMEOUT_MS: '-1' },
        flags: { 'batch-window-ms': '1.5', port: '70000' },
      }),
    );
    assert.equal(
      message,
      "--batch-window-ms must be a whole number of milliseconds, got '1.5'. " +
        "AIRCALL_SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, got '-1'. " +
        "--port must be a port number (0 to 65535), got '70000'.",
    );
  });

  it('never echoes a secret', () => {
    const message = refused(() => readConfig(['sfAccessToken'], { env: { SF_ACCESS_TOKEN: ' ' } }));
    assert.equal(message, 'SF_ACCESS_TOKEN must be an access token, got a value of 1 characters.');
  });

  it('takes the flag, else the variable, else the default; an empty variable is unset', () => {
    const names = ['batchWindowMs', 'omniSource', 'webhookTokens', 'namespace', 'inbox'] as const;
    assert.deepEqual(readConfig(names, { env: {} }), {
      batchWindowMs: 100,
      omniSource: 'poll',
      webhookTokens: [],
      namespace: undefined,
      inbox: undefined,
    });
    assert.deepEqual(
      readConfig(names, {
        env: {
          AIRCALL_BATCH_WINDOW_MS: '250',
          AIRCALL_OMNI_SOURCE: '',
          AIRCALL_WEBHOOK_TOKENS: ' a, ,b ',
          AIRCALL_SFV_NAMESPACE: '',
          DATABASE_URL: 'postgres://db/aircall',
        },
        flags: { 'batch-window-ms': '400', inbox: 'inbox.db' },
      }),
      {
        batchWindowMs: 400,
        omniSource: 'poll',
        webhookTokens: ['a', 'b'],
        // An empty namespace is a value: "no namespace".
        namespace: '',
        inbox: 'inbox.db',
      },
    );
    assert.equal(
      readConfig(['sfInstanceUrl'], { env: { SF_INSTANCE_URL: 'https://x.my.salesforce.com/' } })
        .sfInstanceUrl,
      'https://x.my.salesforce.com',
    );
    assert.deepEqual(flagOptions(['batchWindowMs', 'logLevel']), {
      'batch-window-ms': { type: 'string' },
    });
  });

  it('makes the CLI exit 2 with the sentence, before it starts anything', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let printed = '';
    err.on('data', (d: Buffer) => (printed += d.toString()));
    const status = await main(['start', '--no-demo'], {
      out: out as unknown as NodeJS.WriteStream,
      err: err as unknown as NodeJS.WriteStream,
      env: { AIRCALL_BATCH_WINDOW_MS: 'abc' },
    });
    assert.equal(status, 2);
    assert.equal(
      printed,
      "Usage error: AIRCALL_BATCH_WINDOW_MS must be a whole number of milliseconds, got 'abc'.\n",
    );
  });

  it('agrees with the README table of environment variables (npm run docs:env rewrites it)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = /<!-- env-table:start[^>]*-->([\s\S]*?)<!-- env-table:end -->/.exec(readme);
    assert.ok(section, 'README.md has the env-table section');
    const rows = section[1]!
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) =>
        line
          .slice(1, -1)
          .split('|')
          .map((cell) => cell.trim()),
      );
    assert.deepEqual(rows[0], [...ENV_TABLE_HEADER]);
    assert.deepEqual(rows.slice(2), environmentRows(), 'run `npm run docs:env`');
    const variables = Object.values(SETTINGS).filter((s) => 'env' in s).length;
    assert.equal(rows.length - 2, variables);
  });

  it('is the only reader of environment variables in src and dev', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.startsWith(path.join(ROOT, 'src', 'config'))) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              // `env.NAME` / `env['NAME']` reads (a bundler's 'process.env.X' define key is text).
              if (ENV_READ.test(line.replace(/'[\w.]*env\.\w+'/g, '')))
                offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'dev'));
    assert.deepEqual(offenders, [], 'read environment variables through src/config');
  });
});
