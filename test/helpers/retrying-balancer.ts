/**
 * A tiny HTTP load balancer for replica tests and the benchmark: round-robin over the
 * replicas' Discord interactions endpoints. With `retryOnOther`, every request is also sent
 * to the next replica (a balancer retrying after a lost answer); the first 200 is returned.
 * Every forwarded request is recorded with the interaction id, the replica and its status.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RetryingBalancer = { url: string; retryOnOther: boolean; hits: { replica: number; status: number; id: string }[]; close(): Promise<void> };

/** Round-robin over the replicas; with `retryOnOther`, each request is also sent to the other one (a retry after a lost answer). */
export async function startRetryingBalancer(targets: string[]): Promise<RetryingBalancer> {
  let next = 0;
  const forward = async (replica: number, body: Buffer, headers: http.IncomingHttpHeaders) => {
    const response = await fetch(targets[replica]!, {
      method: 'POST', body,
      headers: Object.fromEntries(['content-type', 'x-signature-ed25519', 'x-signature-timestamp'].flatMap((h) => (typeof headers[h] === 'string' ? [[h, headers[h]]] : []))),
    });
    const text = await response.text();
    balancer.hits.push({ replica, status: response.status, id: String((JSON.parse(body.toString()) as { id?: unknown }).id) });
    return { status: response.status, text };
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const first = next++ % targets.length;
      void (async () => {
        const answers = [await forward(first, body, req.headers)];
        if (balancer.retryOnOther) answers.push(await forward((first + 1) % targets.length, body, req.headers));
        const chosen = answers.find((a) => a.status === 200) ?? answers[0]!;
        res.writeHead(chosen.status, { 'content-type': 'application/json' }).end(chosen.text);
      })();
    });
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const balancer: RetryingBalancer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`,
    retryOnOther: false,
    hits: [],
    close: () => new Promise((resolve) => { server.close(() => { resolve(); }); server.closeAllConnections(); }),
  };
  return balancer;
}

