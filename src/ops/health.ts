/**
 * /healthz and /metrics on HEALTH_PORT. Each started part (slack, discord, store…) reports
 * its own state; any part down makes /healthz answer 503 so an orchestrator can restart us.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withoutBodies } from './http-guard.js';
import type { Metrics } from './metrics.js';

export type PartState = { ok: boolean; detail?: string };
export type HealthRegistry = {
  set(part: string, state: PartState): void;
  snapshot(): { ok: boolean; parts: Record<string, PartState> };
};

export function createHealthRegistry(): HealthRegistry {
  const parts = new Map<string, PartState>();
  return {
    set(part, state) {
      parts.set(part, state);
    },
    snapshot() {
      const all = Object.fromEntries(parts);
      return { ok: [...parts.values()].every((p) => p.ok), parts: all };
    },
  };
}

/** Answers /healthz (and /metrics when given) on an existing or new server; returns whether it handled the request. */
export function handleHealthRequest(req: http.IncomingMessage, res: http.ServerResponse, health: HealthRegistry, metrics?: Metrics): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') {
    const snapshot = health.snapshot();
    res.writeHead(snapshot.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot));
    return true;
  }
  if (req.method === 'GET' && path === '/metrics' && metrics) {
    metrics.registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
      .catch(() => res.writeHead(500).end());
    return true;
  }
  return false;
}

export async function startHealthServer(port: number, health: HealthRegistry, metrics: Metrics, host = '0.0.0.0'): Promise<http.Server> {
  const server = http.createServer(withoutBodies((req, res) => {
    if (!handleHealthRequest(req, res, health, metrics)) res.writeHead(404).end();
  }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { resolve(); });
  });
  return server;
}

export function serverPort(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
