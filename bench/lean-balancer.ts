/**
 * A round-robin TCP balancer for the scale-out bench: each incoming connection is piped to the
 * next replica in turn (node:net), bytes as they come — no HTTP parsing, no request re-issued.
 * With a keep-alive client every connection stays on its replica, so with as many connections
 * as commands in flight each replica gets an even share. (The tests' balancer,
 * test/helpers/balancer.ts, works per request and answers 502 for a dead replica; this one is
 * only for measuring.)
 */
import net from 'node:net';

export type TcpBalancer = { url: string; close(): Promise<void> };

export async function startTcpBalancer(ports: number[]): Promise<TcpBalancer> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const port = ports[next % ports.length]!;
    next += 1;
    const upstream = net.connect({ port, host: '127.0.0.1', noDelay: true });
    client.setNoDelay(true);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as net.AddressInfo).port)}`,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => { resolve(); });
    }),
  };
}
