/**
 * Endpoints that take no body — the health server on HEALTH_PORT, and /healthz next to Slack's
 * events — refuse a request that carries one (413) instead of reading it, and still answer
 * plain GETs.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthRegistry, serverPort, startHealthServer } from '../../src/ops/health.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { startSlackHarness, type SlackHarness } from '../slack/harness.js';

function request(url: string, method: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

describe('endpoints without bodies', () => {
  it('the health server refuses bodies (sized or chunked) and answers GET /healthz and /metrics', async () => {
    const health = createHealthRegistry();
    health.set('store', { ok: true });
    const server = await startHealthServer(0, health, createMetrics(), '127.0.0.1');
    closers.push(() => new Promise((resolve) => { server.close(() => { resolve(); }); }));
    const base = `http://127.0.0.1:${String(serverPort(server))}`;

    expect(await request(`${base}/healthz`, 'POST', 'x'.repeat(100_000))).toBe(413);
    expect(await request(`${base}/healthz`, 'GET', 'abc', { 'transfer-encoding': 'chunked' })).toBe(413);
    expect(await request(`${base}/healthz`, 'GET')).toBe(200);
    expect(await request(`${base}/metrics`, 'GET')).toBe(200);
  });

  it("Slack's /healthz refuses bodies too", async () => {
    const h: SlackHarness = await startSlackHarness();
    closers.push(() => h.close());
    const healthz = h.endpoint.replace('/slack/events', '/healthz');
    expect(await request(healthz, 'GET', 'x'.repeat(1000), { 'content-length': '1000' })).toBe(413);
    expect(await request(healthz, 'GET')).toBe(200);
  });
});
