/**
 * Sealed read/write latency on SQLite, Redis and Postgres: the store engineer's
 * bench/store-latency.ts, run as it is in a process of its own (it is a script with top-level
 * await and no exports, so importing it would run it inside the orchestrator), its lines parsed.
 * It cleans up after itself: temporary SQLite file, its own Redis key prefix, its own table.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('./store-latency.ts', import.meta.url));

export type StoreLatency = {
  backend: string;
  operation: 'sealed write' | 'sealed read';
  p50Ms: number;
  p99Ms: number;
};
export type StoreResult = { ops: number; rows: StoreLatency[]; skipped: { backend: string; reason: string }[]; raw: string };

const ROW = /^(\w+)\s+(sealed write|sealed read) \(\w+\)\s+median\s+([\d.]+) ms\s+p99\s+([\d.]+) ms/;
const SKIPPED = /^(\w+)\s+skipped: (.*)$/;

export async function runStoreLatency(ops: number): Promise<StoreResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SCRIPT, String(ops)], { timeout: 300_000 });
  const rows: StoreLatency[] = [];
  const skipped: { backend: string; reason: string }[] = [];
  for (const line of stdout.split('\n')) {
    const row = ROW.exec(line);
    if (row) {
      rows.push({ backend: row[1]!, operation: row[2] as StoreLatency['operation'], p50Ms: Number(row[3]), p99Ms: Number(row[4]) });
      continue;
    }
    const skip = SKIPPED.exec(line);
    if (skip) skipped.push({ backend: skip[1]!, reason: skip[2]! });
  }
  return { ops, rows, skipped, raw: stdout };
}
