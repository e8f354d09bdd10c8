/**
 * `handle-bot export [--output file]` and `handle-bot import [--input file]`: back up a store,
 * or move it to another backend (SQLite → Postgres or Redis when a team outgrows one machine).
 * Neither needs nor touches the sealing secret: keys are moved sealed, and the import says which
 * secret they need where they land.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../ops/config.js';
import { parseSecret } from '../../ops/config.js';
import { DEFAULT_NAMESPACE_PREFIX, describeLocation, keyId, openBackend, parseStoreUrl } from '../../store/index.js';
import { secretFile } from '../../store/secret.js';
import { readRecords, writeRecord, type ImportTally } from '../../store/transfer.js';
import { toolLogger } from '../open-tool-store.js';
import { readExport, writeExport, type ExportSummary } from './ndjson.js';

async function backendFor(config: Config, prefix = config.STORE_PREFIX ?? DEFAULT_NAMESPACE_PREFIX) {
  const location = parseStoreUrl(config.STORE_URL);
  const backend = await openBackend({ location, prefix, log: toolLogger(config).child({ part: 'store' }) });
  await backend.ready(); // a network backend connects in the background; its first call would otherwise fail at once
  return { backend, where: describeLocation(location), kind: location.kind };
}

export async function exportCommand(config: Config, output: string | undefined, prefix?: string): Promise<number> {
  const { backend, where } = await backendFor(config, prefix);
  try {
    if (output === undefined) {
      const summary = await writeExport(readRecords(backend), process.stdout, where);
      process.stderr.write(`Exported ${summary.records} record(s) from ${where}.\n`);
      return 0;
    }
    // Written beside the target and renamed at the end: a failed export never leaves a half file
    // under the final name. 0600: the file holds sealed keys and people's handles.
    const target = path.resolve(output);
    const partial = `${target}.partial`;
    const out = fs.createWriteStream(partial, { mode: 0o600 });
    let summary: ExportSummary;
    try {
      summary = await writeExport(readRecords(backend), out, where);
      await new Promise<void>((resolve, reject) => { out.end(() => { resolve(); }); out.once('error', reject); });
    } catch (error) {
      out.destroy();
      fs.rmSync(partial, { force: true });
      throw error;
    }
    fs.renameSync(partial, target);
    process.stdout.write(`Exported ${summary.records} record(s) from ${where} to ${target}` +
      (summary.sealedUnder.length > 0 ? `; the keys are sealed under secret id ${summary.sealedUnder.join(', ')}` : '') + '.\n');
    return 0;
  } finally {
    await backend.close();
  }
}

/** The secret id the target would open keys with, when it can be known without generating anything. */
function configuredKid(config: Config, kind: string): string | undefined {
  const text = config.HANDLE_BOT_SECRET ?? (kind === 'sqlite' && fs.existsSync(secretFile(config.DATA_DIR)) ? fs.readFileSync(secretFile(config.DATA_DIR), 'utf8') : undefined);
  const secret = text === undefined ? undefined : parseSecret(text);
  return secret ? keyId(secret) : undefined;
}

export function secretAdvice(sealedUnder: string[], configured: string | undefined): string {
  if (sealedUnder.length === 0) return '';
  const ids = sealedUnder.join(', ');
  if (configured !== undefined && sealedUnder.every((kid) => kid === configured)) return `The configured secret (id ${configured}) opens the imported keys.`;
  return `The imported keys are sealed under secret id ${ids}: run the bot here with that same secret, as HANDLE_BOT_SECRET ` +
    '(for a SQLite store that generated its own, it is the content of the `secret` file in its data folder).' +
    (configured === undefined ? '' : ` The secret configured now has id ${configured} and would open none of them.`);
}

export async function importCommand(config: Config, input: string | undefined, prefix?: string): Promise<number> {
  const source = input === undefined ? process.stdin : fs.createReadStream(path.resolve(input));
  const { backend, where, kind } = await backendFor(config, prefix);
  const tally: ImportTally = { written: 0, unchanged: 0, keptNewer: 0, expired: 0 };
  const summary: Partial<ExportSummary> = {};
  try {
    for await (const record of readExport(source, summary)) tally[await writeRecord(backend, record)] += 1;
  } finally {
    await backend.close();
  }
  process.stdout.write(
    `Imported into ${where}: ${tally.written} written, ${tally.unchanged} already there` +
      (tally.keptNewer > 0 ? `, ${tally.keptNewer} link(s) kept because the store's own is newer` : '') +
      (tally.expired > 0 ? `, ${tally.expired} expired claim(s) skipped` : '') + '.\n',
  );
  const advice = secretAdvice(summary.sealedUnder ?? [], configuredKid(config, kind));
  if (advice) process.stdout.write(`${advice}\n`);
  return 0;
}
