/**
 * Liveness and readiness on HEALTH_PORT (and on Slack's HTTP port), plus /metrics.
 *
 * - `GET /livez`: 200 while the process runs and answers HTTP. Restart only when this fails.
 * - `GET /readyz`: 200 when this replica can do its work: every started front door reports
 *   itself connected and the store answers a read within a deadline; else 503, so a load
 *   balancer takes the replica out of rotation until it recovers (no restart needed). The mail
 *   service's state is reported too but never makes a replica unready: every replica shares
 *   that service, and taking them all out would only hide the bot's own explanation.
 * - `GET /healthz`: the same as /readyz (kept for existing probes).
 *
 * Front doors report their state with `set(part, …)`; checks that must be asked (the store) are
 * added with `addCheck`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withoutBodies } from './http-guard.js';
import type { Metrics } from './metrics.js';

export type PartState = { ok: boolean; detail?: string };
export type Readiness = { ok: boolean; parts: Record<string, PartState>; mailService?: PartState };
export type HealthRegistry = {
  set(part: string, state: PartState): void;
  /** The front doors' own reports, without asking any check. */
  snapshot(): { ok: boolean; parts: Record<string, PartState> };
  /** `affectsReadiness: false`: reported under `mailService`-like keys, never making the replica unready. */
  addCheck(part: string, check: () => Promise<PartState>, options?: { affectsReadiness?: boolean }): void;
  /** Front-door reports plus every check, asked now. */
  readiness(): Promise<Readiness>;
};

export const HEALTH_PATHS = ['/livez', '/readyz', '/healthz'] as const;
/** How long the store may take to answer the readiness read. */
export const STORE_READINESS_DEADLINE_MS = 2000;

export function createHealthRegistry(): HealthRegistry {
  const parts = new Map<string, PartState>();
  const checks = new Map<string, { check: () => Promise<PartState>; affectsReadiness: boolean }>();
  const snapshot = () => {
    const all = Object.fromEntries(parts);
    return { ok: [...parts.values()].every((p) => p.ok), parts: all };
  };
  return {
    set(part, state) {
      parts.set(part, state);
    },
    snapshot,
    addCheck(part, check, options = {}) {
      checks.set(part, { check, affectsReadiness: options.affectsReadiness ?? true });
    },
    async readiness() {
      const reported = snapshot();
      const results = await Promise.all([...checks].map(async ([part, { check, affectsReadiness }]) => {
        const state = await check().catch((error: unknown): PartState => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }));
        return { part, state, affectsReadiness };
      }));
      const readiness: Readiness = { ok: reported.ok, parts: { ...reported.parts } };
      for (const { part, state, affectsReadiness } of results) {
        if (!affectsReadiness) {
          readiness.mailService = state;
          continue;
        }
        readiness.parts[part] = state;
        if (!state.ok) readiness.ok = false;
      }
      return readiness;
    },
  };
}

/** A check of the store: one real read within `deadlineMs`; concurrent probes share one read. */
export function storeCheck(store: { ping(): Promise<void> }, deadlineMs = STORE_READINESS_DEADLINE_MS): () => Promise<PartState> {
  let running: Promise<PartState> | undefined;
  const probe = async (): Promise<PartState> => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<PartState>((resolve) => {
      timer = setTimeout(() => { resolve({ ok: false, detail: `no answer within ${deadlineMs} ms` }); }, deadlineMs);
    });
    const answered = store.ping().then(
      (): PartState => ({ ok: true, detail: `answered a read in ${Math.round(performance.now() - started)} ms` }),
      (error: unknown): PartState => ({ ok: false, detail: error instanceof Error ? error.message : 'the read failed' }),
    );
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return () => {
    running ??= probe().finally(() => { running = undefined; });
    return running;
  };
}

/** The mail service's state as the last call saw it (no call of its own: probes must not spend the service's rate limits). */
export function mailServiceCheck(metrics: Pick<Metrics, 'lastMailCall'>): () => Promise<PartState> {
  return () => {
    const last = metrics.lastMailCall();
    if (!last) return Promise.resolve({ ok: true, detail: 'not called yet' });
    const ago = Math.round((Date.now() - last.at) / 1000);
    return Promise.resolve({ ok: last.ok, detail: `last call ${ago} s ago (${last.route}): ${last.outcome}` });
  };
}

/** Adds the runtime's checks to a registry: the store (counts), the mail service (reported only). */
export function addRuntimeChecks(health: HealthRegistry, runtime: { store: { ping(): Promise<void> }; metrics: Pick<Metrics, 'lastMailCall'> }): void {
  health.addCheck('store', storeCheck(runtime.store));
  health.addCheck('mailService', mailServiceCheck(runtime.metrics), { affectsReadiness: false });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** Answers /livez, /readyz, /healthz (and /metrics when given) on an existing or new server; returns whether it handled the request. */
export function handleHealthRequest(req: http.IncomingMessage, res: http.ServerResponse, health: HealthRegistry, metrics?: Metrics): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'GET') return false;
  if (path === '/livez') {
    sendJson(res, 200, { ok: true, uptimeSeconds: Math.round(process.uptime()) });
    return true;
  }
  if (path === '/readyz' || path === '/healthz') {
    health
      .readiness()
      .then((readiness) => { sendJson(res, readiness.ok ? 200 : 503, readiness); })
      .catch(() => { if (!res.headersSent) res.writeHead(500).end(); });
    return true;
  }
  if (path === '/metrics' && metrics) {
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
