/**
 * CSV as Bulk API 2.0 reads and writes it (Bulk API 2.0 and Bulk API Developer Guide, "Prepare CSV
 * Files"): one of six column delimiters, LF or CRLF line endings, double quotes around values that
 * hold a delimiter, a quote or a line break, `""` for a quote inside a quoted value.
 */

export const COLUMN_DELIMITERS = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const;
export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;

export const LINE_ENDINGS = { LF: '\n', CRLF: '\r\n' } as const;
export type LineEnding = keyof typeof LINE_ENDINGS;

export class CsvError extends Error {}

/**
 * Parses CSV text into rows of strings. Only the declared line ending ends a row (a `\r` before
 * `\n` in an LF job stays part of the value, as the guide asks the job's line ending to match the
 * file). A trailing line ending does not make an empty row.
 */
export function parseCsv(text: string, delimiter: string, lineEnding: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let i = 0;
  const n = text.length;
  let atValueStart = true;
  while (i < n) {
    const ch = text[i]!;
    if (atValueStart && ch === '"') {
      // Quoted value: runs to the closing quote; "" is a literal quote.
      i++;
      for (;;) {
        if (i >= n) throw new CsvError(`Unterminated quoted value in row ${rows.length + 1}.`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      atValueStart = false;
      if (i < n && text[i] !== delimiter && !text.startsWith(lineEnding, i)) {
        throw new CsvError(
          `Unexpected character after a closing quote in row ${rows.length + 1}: a quoted value must be followed by a delimiter or a line ending.`,
        );
      }
      continue;
    }
    if (ch === delimiter) {
      row.push(value);
      value = '';
      atValueStart = true;
      i++;
      continue;
    }
    if (text.startsWith(lineEnding, i)) {
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
      atValueStart = true;
      i += lineEnding.length;
      continue;
    }
    value += ch;
    atValueStart = false;
    i++;
  }
  if (!atValueStart || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}

/** Quotes every value, as the org's result files do. */
export function toCsv(
  rows: readonly (readonly string[])[],
  delimiter = ',',
  lineEnding = '\n',
): string {
  let out = '';
  for (const row of rows) {
    out += row.map((v) => `"${v.replace(/"/g, '""')}"`).join(delimiter) + lineEnding;
  }
  return out;
}
