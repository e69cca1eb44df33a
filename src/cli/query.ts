import { parse } from './flags';
import { openOrg, printJson, type CommandContext } from './common';
import { UsageError } from './flags';

/** `aircall-sfv query "SOQL"` — like `sf data query`, against any target org. */
export async function query({ args, io }: CommandContext): Promise<number> {
  const { values, positionals } = parse(args, {}, 1);
  const soql = positionals[0];
  if (!soql)
    throw new UsageError(
      'Give the SOQL query, e.g. aircall-sfv query "SELECT Id, Name FROM Aircall_Voice__c"',
    );
  const org = await openOrg(values, io);
  try {
    const result = await org.client.queryPage(soql);
    const records = result.records.map(({ attributes: _a, ...rest }) => rest);
    if (values.json) {
      printJson(io, { totalSize: result.totalSize, done: result.done, records });
      return 0;
    }
    if (records.length === 0) {
      io.out.write('No records.\n');
      return 0;
    }
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const cell = (v: unknown): string =>
      v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    const widths = columns.map((c) =>
      Math.min(40, Math.max(c.length, ...records.map((r) => cell(r[c]).length))),
    );
    const line = (cells: string[]) =>
      cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join('  ');
    io.out.write(`${line(columns)}\n${line(widths.map((w) => '─'.repeat(w)))}\n`);
    for (const r of records) io.out.write(`${line(columns.map((c) => cell(r[c])))}\n`);
    io.out.write(`Total number of records retrieved: ${result.totalSize}.\n`);
    return 0;
  } finally {
    await org.close();
  }
}
