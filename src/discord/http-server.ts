/**
 * The HTTP server of Discord's HTTP mode: the interactions endpoint plus the health endpoints
 * (/livez, /readyz, /healthz) a load balancer probes, on DISCORD_HTTP_PORT.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleHealthRequest, type HealthRegistry } from '../ops/health.js';
import { INTERACTIONS_PATH } from './http-endpoint.js';

export type InteractionServer = { url: string; close(): Promise<void> };

export async function startInteractionServer(
  port: number, endpoint: http.RequestListener, health: HealthRegistry | undefined, host = '0.0.0.0',
): Promise<InteractionServer> {
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === INTERACTIONS_PATH) {
      endpoint(req, res);
      return;
    }
    if (health && req.method === 'GET' && handleHealthRequest(req, res, health)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { resolve(); });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}${INTERACTIONS_PATH}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => { resolve(); });
      server.closeIdleConnections();
    }),
  };
}
