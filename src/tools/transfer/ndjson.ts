/**
 * The export file: newline-delimited JSON. A header line, one line per record, and an `end`
 * line with the count and the secret ids the links are sealed under — so a truncated file is
 * noticed on import, and the importer can say which secret the keys need.
 *
 *   {"format":"handle-bot-export","version":1,"exportedAt":"…","from":"sqlite:/…"}
 *   {"ns":"links","key":"slack:T1:U1","value":{"v":1,"kid":"1a2b3c4d","nonce":"…","ct":"…","tag":"…",…}}
 *   {"ns":"claims","key":"…","value":true,"expires":1767225600000}
 *   {"end":true,"records":42,"sealedUnder":["1a2b3c4d"]}
 */
import { once } from 'node:events';
import readline from 'node:readline';
import { parseRecord, type StoreRecord } from '../../store/transfer.js';

export const EXPORT_FORMAT = 'handle-bot-export';
export const EXPORT_VERSION = 1;

export type ExportSummary = { records: number; sealedUnder: string[] };

async function writeLine(out: NodeJS.WritableStream, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}

export async function writeExport(records: AsyncIterable<StoreRecord>, out: NodeJS.WritableStream, from: string): Promise<ExportSummary> {
  await writeLine(out, { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), from });
  let count = 0;
  const kids = new Set<string>();
  for await (const record of records) {
    if (record.ns === 'links') kids.add(String((record.value as { kid?: unknown }).kid));
    await writeLine(out, record);
    count += 1;
  }
  const summary = { records: count, sealedUnder: [...kids].sort() };
  await writeLine(out, { end: true, ...summary });
  return summary;
}

export class ExportFileError extends Error {
  constructor(line: number, problem: string) {
    super(line === 0 ? problem : `line ${line}: ${problem}`);
    this.name = 'ExportFileError';
  }
}

/**
 * The records of an export, checked line by line as they are read. Throws ExportFileError on a
 * bad header or record, and at the end if the `end` line is missing or its count disagrees.
 */
export async function* readExport(input: NodeJS.ReadableStream, summary: Partial<ExportSummary> = {}): AsyncGenerator<StoreRecord> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  let seen = 0;
  let ended = false;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    if (ended) throw new ExportFileError(number, 'text after the end line');
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new ExportFileError(number, 'not JSON');
    }
    const object = (parsed ?? {}) as Record<string, unknown>;
    if (number === 1) {
      if (object.format !== EXPORT_FORMAT) throw new ExportFileError(1, `not a handle-bot export (the first line must have "format":"${EXPORT_FORMAT}")`);
      if (object.version !== EXPORT_VERSION) throw new ExportFileError(1, `export version ${String(object.version)} is not supported (this handle-bot reads version ${EXPORT_VERSION})`);
      continue;
    }
    if (object.end === true) {
      if (object.records !== seen) throw new ExportFileError(number, `the end line counts ${String(object.records)} records, the file holds ${seen}`);
      summary.records = seen;
      summary.sealedUnder = Array.isArray(object.sealedUnder) ? object.sealedUnder.map(String) : [];
      ended = true;
      continue;
    }
    try {
      yield parseRecord(parsed);
    } catch (error) {
      throw new ExportFileError(number, error instanceof Error ? error.message : String(error));
    }
    seen += 1;
  }
  if (number === 0) throw new ExportFileError(0, 'the export is empty');
  if (!ended) throw new ExportFileError(0, `the export ends without its end line after ${seen} records: it was cut short (the records read so far were imported; run the import again with a complete file)`);
}
