/**
 * `npm run test:faults` — the reliability suites, full size, printing their figures.
 *
 *   npm run test:faults                          # fault day (10,000 calls, 8 SIGKILLs) + bad-input run (10,000 requests)
 *   npm run test:faults -- --only faults --calls 2000 --kills 5 --seed 3
 *   npm run test:faults -- --only bad-input --requests 20000
 *   npm run test:faults -- --only bad-input --calls-per-batch 1 --in-flight 1   # one innocent call per batch, one request at a time
 *
 * Exits 1 when a suite fails. The CI-sized versions run in `npm test` (test/faults/*.test.ts).
 */
import { parseArgs } from 'node:util';
import { printBadInput, runBadInput } from './bad-input';
import { HOSTILE_ORG_FAULTS, printFaultDay, runFaultDay } from './day';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    calls: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '8' },
    seed: { type: 'string', default: '14' },
    'outage-ms': { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    requests: { type: 'string', default: '10000' },
    'calls-per-batch': { type: 'string', default: '25' },
    'in-flight': { type: 'string', default: '8' },
  },
});

async function main(): Promise<number> {
  let failed = false;
  if (values.only === undefined || values.only === 'faults') {
    const report = await runFaultDay({
      calls: Number(values.calls),
      seed: Number(values.seed),
      kills: Number(values.kills),
      duplicateRate: 0.2,
      faults: HOSTILE_ORG_FAULTS,
      outageMs: Number(values['outage-ms']),
      concurrency: Number(values.concurrency),
      giveUpMs: 4 * 60 * 60_000,
      log: (line) => console.log(line),
    });
    printFaultDay(report, (line) => console.log(line));
    failed ||= !report.ok;
  }
  if (values.only === undefined || values.only === 'bad-input') {
    const report = await runBadInput({
      requests: Number(values.requests),
      seed: Number(values.seed),
      perGroup: 4,
      groupsPerBatch: Number(values['calls-per-batch']),
      inFlight: Number(values['in-flight']),
      log: (line) => console.log(line),
    });
    printBadInput(report, (line) => console.log(line));
    failed ||= !report.ok;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
