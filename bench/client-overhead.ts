/**
 * The mail API client's own cost per create: the same creates against the in-process fake
 * (zero latency, rate limits off), once through `createMailApi` and once as bare
 * `undici.request` calls, interleaved call by call so both see the same machine state. The
 * difference is what the client adds (validation, headers, deadline, schema, outcome, logging).
 *
 *   npx tsx bench/client-overhead.ts            # 2000 measured calls each, after 300 warm-up
 *   BENCH_CALLS=5000 npx tsx bench/client-overhead.ts
 */
import type { ApiKey } from '../src/domain/api-key.js';
import type { Handle } from '../src/domain/handle.js';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { createMailApi } from '../src/mail-api/client.js';
import { createLogger } from '../src/ops/logger.js';
import { startFakeMailApi } from '../test/fakes/mail-api.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const WARMUP = 300;

const fake = await startFakeMailApi({ rateLimits: false, latencyMs: 0 });
const key = fake.newKey('bench@example.com') as ApiKey;
// LOG_LEVEL=info, as in production: the per-call debug line is skipped, as it would be there.
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info', destination: { write: () => undefined } });
const api = createMailApi({ baseUrl: fake.url, timeoutMs: 5000, domainsCacheSeconds: 300, log });

async function viaClient(i: number): Promise<void> {
  const outcome = await api.createHandle(key, `client.${i}` as Handle, { requestId: `bench-c-${i}`, source: 'bench' });
  if (outcome.kind !== 'created') throw new Error(`client call ${i}: ${outcome.kind}`);
}

async function viaUndici(i: number): Promise<void> {
  const response = await request(`${fake.url}/api/handle/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'x-request-id': `bench-r-${i}` },
    body: JSON.stringify({ handle: `raw.${i}` }),
  });
  const body = (await response.body.json()) as { created?: boolean };
  if (response.statusCode !== 200 || body.created !== true) throw new Error(`raw call ${i}: ${response.statusCode}`);
}

async function timed(call: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function summary(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

for (let i = 0; i < WARMUP; i++) {
  await viaClient(-1 - i);
  await viaUndici(-1 - i);
}

const client: number[] = [];
const raw: number[] = [];
for (let i = 0; i < CALLS; i++) {
  client.push(await timed(() => viaClient(i)));
  raw.push(await timed(() => viaUndici(i)));
}

await api.close();
await fake.close();

const c = summary(client);
const r = summary(raw);
const ms = (n: number) => n.toFixed(3).padStart(8);
console.log(`client overhead per create: ${CALLS} sequential calls each, after ${WARMUP} warm-up, fake with 0 ms latency, rate limits off`);
console.log(`Node ${process.version}, log level ${process.env.LOG_LEVEL ?? 'info'}`);
console.log('                      median ms    p99 ms');
console.log(`createMailApi         ${ms(c.median)}  ${ms(c.p99)}`);
console.log(`raw undici.request    ${ms(r.median)}  ${ms(r.p99)}`);
console.log(`client overhead       ${ms(c.median - r.median)}  ${ms(c.p99 - r.p99)}`);
