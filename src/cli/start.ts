import { AircallApi } from '../aircall/api';
import { startConnector } from '../connector/connector';
import { subscriberFor } from '../salesforce/streaming';
import type { openConsole as OpenConsole } from '../../dev/console/server';
import type { LoggedCall } from '../connector/worker';
import { resolveOrg } from '../salesforce/org';
import {
  clearLocalOrgState,
  localOrgResolver,
  localOrgTarget,
  startEmbeddedOrg,
  writeLocalOrgState,
} from './local-org-resolver';
import { startDemoTraffic } from './demo-traffic';
import { createLogger, printable } from './log';
import { inboxPath, type CommandContext } from './common';
import { parse } from './flags';
import { flagOptions, readConfig, type SettingName } from '../config';
import { sfLoginCommand } from './local-org';
import { startMemoryTrim } from './memory-trim';
import { untilStopRequested } from './signals';

const DEMO_TOKEN = 'demo-webhook-token';

/** The settings `start` reads (src/config: flags, environment variables, defaults). */
const START_SETTINGS = [
  'logLevel',
  'targetOrg',
  'sfInstanceUrl',
  'sfAccessToken',
  'namespace',
  'inbox',
  'webhookTokens',
  'aircallApiId',
  'aircallApiToken',
  'aircallApiUrl',
  'port',
  'host',
  'consolePort',
  'callsPerMinute',
  'searchLagMs',
  'batchWindowMs',
  'holdMs',
  'agentStatusEvents',
  'shutdownTimeoutMs',
  'memoryTrimMs',
  'omniSource',
  'omniPollMs',
  'inboxLeaseMs',
  'inboxSessionUrl',
] as const satisfies readonly SettingName[];

function describeCall(call: LoggedCall): string | null {
  const f = call.fields;
  if (f.Status__c !== 'Ended') return null;
  const who = typeof f.Customer_Number__c === 'string' ? f.Customer_Number__c : 'an unknown number';
  const direction = f.Direction__c === 'Outbound' ? `to ${who}` : `from ${who}`;
  const talk = typeof f.Talk_Seconds__c === 'number' ? `, talk ${f.Talk_Seconds__c}s` : '';
  const ring = typeof f.Ring_Seconds__c === 'number' ? `, ring ${f.Ring_Seconds__c}s` : '';
  let link = 'not linked to a record';
  for (const object of ['Contact', 'Lead', 'Account'] as const) {
    const id = f[`${object}__c`];
    const ref = f[`${object}__r`];
    if (typeof id === 'string') {
      link = `linked to ${object} ${id}`;
      break;
    }
    if (ref && typeof ref === 'object') {
      link = `linked to new ${call.createdRecord?.sobject ?? object} for ${call.createdRecord?.e164 ?? who}`;
      break;
    }
  }
  const type = typeof f.Call_Type__c === 'string' ? f.Call_Type__c : 'logged';
  return `call ${call.callId} ${direction}: ${type}${ring}${talk}; ${link}`;
}

/**
 * `aircall-sfv start [--target-org ALIAS|local] [--port N] [--demo|--no-demo]` — runs the
 * connector. With no org configured it starts the embedded local org with sample data and (unless
 * --no-demo) the Aircall simulator sending a steady trickle of realistic calls.
 */
export async function start({ args, io }: CommandContext): Promise<number> {
  const { values } = parse(args, {
    ...flagOptions(START_SETTINGS),
    demo: { type: 'boolean' },
    'no-demo': { type: 'boolean' },
    'no-console': { type: 'boolean' },
  });
  const config = readConfig(START_SETTINGS, { env: io.env, flags: values });
  const stopRequested = untilStopRequested({ env: io.env });
  const logger = createLogger({
    human: io.err.isTTY === true || !values.json,
    level: config.logLevel,
  });
  const target = config.targetOrg;
  const envOrg = Boolean(config.sfInstanceUrl && config.sfAccessToken);
  const embedded = (!target && !envOrg) || target === 'local';
  const demo = values['no-demo'] ? false : (values.demo ?? embedded) === true;

  // --namespace / AIRCALL_SFV_NAMESPACE: the embedded org loads the package installed under it, and
  // the connector uses it instead of detecting it.
  const namespace = config.namespace;
  const forced = namespace !== undefined ? { namespace } : {};
  let local: Awaited<ReturnType<typeof startEmbeddedOrg>> | null = null;
  let org;
  if (embedded) {
    local = await startEmbeddedOrg({ searchLagMs: config.searchLagMs, ...forced });
    writeLocalOrgState({
      instanceUrl: local.instanceUrl,
      accessToken: local.accessToken,
      pid: process.pid,
    });
    org = await localOrgTarget(local, { env: {}, ...forced }, `org at ${local.instanceUrl}`);
  } else {
    org = await resolveOrg({
      targetOrg: target,
      env: io.env,
      ...forced,
      defaultOrg: localOrgResolver(),
    });
  }

  const tokens = [...config.webhookTokens];
  if (demo && !tokens.includes(DEMO_TOKEN)) tokens.push(DEMO_TOKEN);
  if (tokens.length === 0) {
    logger.warn(
      'AIRCALL_WEBHOOK_TOKENS is empty: every webhook will be refused until it lists your Aircall webhook token.',
    );
  }

  let traffic: Awaited<ReturnType<typeof startDemoTraffic>> | null = null;
  let aircall = AircallApi.fromConfig(config);
  if (demo) {
    traffic = await startDemoTraffic({
      token: DEMO_TOKEN,
      callsPerMinute: config.callsPerMinute,
    });
    aircall ??= new AircallApi({
      baseUrl: traffic.aircallApiUrl,
      apiId: traffic.aircallApiId,
      apiToken: traffic.aircallApiToken,
    });
  }

  const printed = new Map<string, string>();
  const connector = await startConnector({
    org,
    logger,
    inboxFile: local ? ':memory:' : inboxPath(values, org, io.env),
    inboxOptions: { leaseMs: config.inboxLeaseMs },
    ...(config.inboxSessionUrl ? { sessionUrl: config.inboxSessionUrl } : {}),
    tokens,
    port: config.port,
    host: config.host,
    aircall,
    // Omni-Channel → Aircall: poll UserServicePresence (default; API requests, no event delivery)
    // or follow its change events (event deliveries, no API request). docs/PLATFORM.md §6.
    presence: { source: config.omniSource, pollMs: config.omniPollMs },
    // The local org costs nothing to ask: read the settings every 2 s so what an admin saves in the
    // console applies to the very next calls (a real org keeps the 60 s default).
    ...(local ? { settingsTtlMs: 2_000 } : {}),
    // Longer windows put more events in a batch (fewer API requests) at the cost of latency.
    // Held events share one request with other calls' (docs/PERFORMANCE.md, "A business day").
    worker: {
      windowMs: config.batchWindowMs,
      holdMs: config.holdMs,
      agentStatusEvents: config.agentStatusEvents,
      // Searching the local org costs nothing either: a number's match is kept 2 s (a real org:
      // 5 minutes), so a number an agent remembers in the console links the very next call.
      ...(local ? { matchCacheMs: 2_000 } : {}),
    },
    // One line per call is an info message: LOG_LEVEL=warn (or above) leaves them out.
    onCallLogged: (call) => {
      if (!logger.isLevelEnabled('info')) return;
      const line = describeCall(call);
      if (!line || printed.get(call.callId) === line) return;
      const verb = printed.has(call.callId) ? 'updated ' : '';
      printed.set(call.callId, line);
      if (printed.size > 10_000) printed.clear();
      io.out.write(`${new Date().toISOString().slice(11, 19)}  ${verb}${printable(line)}\n`);
    },
    onDeadLetter: (callId, reason) =>
      io.out.write(printable(`dead letter for call ${callId ?? '-'}: ${reason}`) + '\n'),
  });
  const webhookUrl = `${connector.url}/webhooks/aircall`;

  // The console builds with the LWC toolchain (devDependencies): if it cannot, the connector runs alone.
  let consoleServer: Awaited<ReturnType<typeof OpenConsole>> | null = null;
  const consoleStream = values['no-console'] ? null : subscriberFor(org, logger);
  if (consoleStream) {
    // Loaded only when the console runs: its server and GraphQL schema cost the connector memory.
    const { openConsole } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../dev/console/server') as typeof import('../../dev/console/server');
    const consoleOptions = {
      instanceUrl: org.client.instanceUrl,
      accessToken: org.client.conn.accessToken ?? '',
      apiVersion: org.client.apiVersion,
      stream: consoleStream,
      logger,
      host: config.host,
      orgLabel: org.label,
      // The components resolve their schema imports to the names the package has in this org.
      namespace: org.client.names.namespace,
    };
    const askedPort = config.consolePort;
    try {
      consoleServer = await openConsole({ ...consoleOptions, port: askedPort ?? 8788 }).catch(
        (error: NodeJS.ErrnoException) => {
          // Another process has the default port: take any free one (the URL is printed below).
          if (error.code === 'EADDRINUSE' && askedPort === undefined) {
            return openConsole({ ...consoleOptions, port: 0 });
          }
          throw error;
        },
      );
    } catch (error) {
      logger.warn(
        `The console did not start (${error instanceof Error ? error.message : String(error)}); the connector runs without it. --console-port picks another port, --no-console turns it off.`,
      );
    }
  }
  io.out.write(
    [
      'Aircall → Salesforce Service Cloud Voice connector',
      `  Salesforce:   ${org.label}`,
      `  Webhooks:     ${webhookUrl}`,
      `  Health:       ${connector.url}/healthz`,
      `  Metrics:      ${connector.url}/metrics`,
      ...(local
        ? [
            `  Local org:    SF_INSTANCE_URL=${local.instanceUrl} SF_ACCESS_TOKEN=${local.accessToken}`,
            `  sf CLI:       ${sfLoginCommand(local.instanceUrl, local.accessToken)}`,
          ]
        : []),
      ...(consoleServer
        ? [`  Console:      ${consoleServer.url}  (the package's components in a browser)`]
        : []),
      ...(traffic
        ? [
            `  Simulator:    sending about ${config.callsPerMinute} calls a minute to the webhook URL`,
          ]
        : []),
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  traffic?.send(webhookUrl);
  void consoleServer?.ready.then((info) => {
    if (info) {
      io.out.write(
        `${new Date().toISOString().slice(11, 19)}  console ready at ${consoleServer?.url ?? ''} (components ${info.cached ? 'from the cache' : `built in ${(info.ms / 1000).toFixed(1)} s`})\n`,
      );
    }
  });

  const memoryTrim = startMemoryTrim(config.memoryTrimMs, logger);
  const shutdownTimeoutMs = config.shutdownTimeoutMs;
  const reason = await stopRequested;
  memoryTrim.stop();
  // Webhooks get 503 from here on (Aircall retries them); the batch in flight may finish.
  connector.drain();
  io.out.write(
    `\nStopping (${reason}): no new webhooks, finishing the batch in flight (up to ${shutdownTimeoutMs} ms; a second Ctrl-C exits at once)…\n`,
  );
  await traffic?.close();
  await consoleServer?.close();
  await consoleStream?.close();
  const { timedOut } = await connector.close({ timeoutMs: shutdownTimeoutMs });
  await org.close();
  if (local) {
    clearLocalOrgState(process.pid);
    await local.close();
  }
  if (timedOut) {
    io.err.write(
      `The batch in flight did not finish within ${shutdownTimeoutMs} ms; its events stay pending in the inbox and the next start applies them.\n`,
    );
    return 1;
  }
  io.out.write('Stopped: every accepted webhook is in the inbox or applied.\n');
  return 0;
}
