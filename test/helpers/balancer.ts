/**
 * A tiny round-robin load balancer on loopback (node:http): each request goes to the next
 * replica in turn, body and headers as they came; a replica that cannot be reached (killed)
 * makes the balancer answer 502 — as a real one does — so the sender knows Slack would retry.
 * It records which replica got each request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Balancer = {
  url: string;
  /** Replica index per forwarded request, in order (-1: none reachable, answered 502). */
  readonly routed: number[];
  close(): Promise<void>;
};

export async function startBalancer(targets: string[]): Promise<Balancer> {
  let next = 0;
  const routed: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const server = http.createServer((req, res) => {
    const index = next % targets.length;
    next += 1;
    const target = new URL(req.url ?? '/', targets[index]);
    const upstream = http.request(target, { method: req.method, headers: req.headers, agent }, (answer) => {
      routed.push(index);
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-replica': String(index) });
      answer.pipe(res);
    });
    upstream.on('error', () => {
      routed.push(-1);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    routed,
    close: () => new Promise((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
