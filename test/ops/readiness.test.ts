/**
 * Liveness and readiness: /readyz answers 503 while the store is unreachable (a TCP proxy in
 * front of the real server, closed) and 200 again once it is back — the same process, no
 * restart; /livez stays 200 throughout; /healthz is /readyz; a failing mail service is reported
 * but does not make the replica unready; a front door reporting trouble does.
 */
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { createMetrics, type Metrics } from '../../src/ops/metrics.js';
import { addRuntimeChecks, createHealthRegistry, serverPort, startHealthServer, type HealthRegistry } from '../../src/ops/health.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { requireService, TEST_POSTGRES_URL, TEST_REDIS_URL, uniquePrefix } from '../helpers/services.js';
import { SECRET_A } from '../store/harness.js';
import { startTcpProxy, type TcpProxy } from '../store/tcp-proxy.js';

const NETWORK = [
  { name: 'redis', url: TEST_REDIS_URL, defaultPort: 6379, available: await requireService('redis') },
  { name: 'postgres', url: TEST_POSTGRES_URL, defaultPort: 5432, available: await requireService('postgres') },
];

async function get(port: number, path: string): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Asks /readyz until it answers 200 (each probe waits for the store); bounded. */
async function readyAgain(port: number, timeoutMs = 15_000): Promise<{ status: number; body: Record<string, any> }> {
  const started = Date.now();
  for (;;) {
    const answer = await get(port, '/readyz');
    if (answer.status === 200 || Date.now() - started > timeoutMs) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(NETWORK)('readiness with a $name store', ({ name, url, defaultPort, available }) => {
  let proxy: TcpProxy;
  let store: Store;
  let metrics: Metrics;
  let health: HealthRegistry;
  let server: http.Server;
  let port: number;
  let prefix: string;

  beforeEach(async () => {
    if (!available) return;
    const target = new URL(url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || defaultPort) });
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    prefix = uniquePrefix(`ready_${name}`);
    metrics = createMetrics();
    store = await openStore({
      url: target.toString(), secret: SECRET_A, dataDir: '/nonexistent', log: createLogger({ level: 'silent' }), namespacePrefix: prefix,
      onOperation: (info) => { metrics.storeOperation(info); },
    });
    health = createHealthRegistry();
    addRuntimeChecks(health, { store, metrics });
    health.set('slack', { ok: true, detail: 'http on port 3000' });
    server = await startHealthServer(0, health, metrics, '127.0.0.1');
    port = serverPort(server);
  });
  afterEach(async () => {
    if (!available) return;
    server.close();
    await proxy.close();
    await store.close();
    if (name === 'postgres') {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS ${prefix}`);
      await client.end();
    }
  });

  it.skipIf(!available)('503 while the store is unreachable, 200 once it is back, without a restart', async () => {
    const healthy = await readyAgain(port);
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ ok: true, parts: { slack: { ok: true }, store: { ok: true, detail: expect.stringMatching(/^answered a read in \d+ ms$/) } } });
    expect(healthy.body.mailService).toEqual({ ok: true, detail: 'not called yet' });

    await proxy.stop();
    const down = await get(port, '/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ok: false, parts: { slack: { ok: true }, store: { ok: false } } });
    expect((await get(port, '/healthz')).status).toBe(503);
    expect(await get(port, '/livez')).toMatchObject({ status: 200, body: { ok: true } });

    await proxy.start();
    const back = await readyAgain(port);
    expect(back.status).toBe(200);
    expect(back.body.parts.store.ok).toBe(true);

    // Store latency is in the metrics, by operation and outcome.
    const scrape = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(scrape).toMatch(/handlebot_store_operation_duration_seconds_count\{operation="ping",outcome="ok"\} [1-9]/);
    expect(scrape).toMatch(/handlebot_store_operation_duration_seconds_count\{operation="ping",outcome="(error|timeout)"\} [1-9]/);
  }, 40_000);

  it.skipIf(!available)('a failing mail service is reported but keeps the replica ready; a front door in trouble does not', async () => {
    metrics.mailCall({ route: 'POST /api/handle/create', outcome: 'unreachable', durationMs: 3 });
    const answer = await readyAgain(port);
    expect(answer.status).toBe(200);
    expect(answer.body.mailService).toMatchObject({ ok: false, detail: expect.stringMatching(/unreachable$/) });

    health.set('slack', { ok: false, detail: 'socket mode reconnecting' });
    const unready = await get(port, '/readyz');
    expect(unready.status).toBe(503);
    expect(unready.body.parts.slack).toEqual({ ok: false, detail: 'socket mode reconnecting' });
  });
});
