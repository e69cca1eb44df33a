/**
 * A child process for test/inbox/sqlite-durability.test.ts: the webhook server on a SQLite inbox
 * file, exactly as the connector builds it. Prints its URL on stdout.
 *   node --import tsx test/inbox/serve-inbox.ts <inbox file> <token> [NORMAL|FULL]
 */
import pino from 'pino';
import { buildIngestServer } from '../../src/connector/ingest';
import { ConnectorMetrics } from '../../src/connector/metrics';
import { SqliteInbox } from '../../src/inbox/sqlite';

const [file, token, synchronous] = process.argv.slice(2);
const inbox = new SqliteInbox(file ?? ':memory:', {
  synchronous: synchronous === 'NORMAL' ? 'NORMAL' : 'FULL',
});
const app = buildIngestServer({
  inbox,
  tokens: [token ?? ''],
  metrics: new ConnectorMetrics(),
  logger: pino({ level: 'silent' }),
});
void app.listen({ port: 0, host: '127.0.0.1' }).then((url) => process.stdout.write(`${url}\n`));
process.stdin.resume();
process.stdin.on('end', () => void app.close().then(() => (inbox.close(), process.exit(0))));
