/**
 * What both chat fakes stand on: one HTTP server on a free loopback port, with WebSocket
 * upgrades accepted on one path (Slack's Socket Mode link, Discord's gateway) and refused
 * elsewhere.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export function acceptWebSockets(server: http.Server, wss: WebSocketServer, path: string, onSocket: (ws: WebSocket) => void): void {
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, onSocket);
  });
}

/** Listens on 127.0.0.1, port chosen by the system; resolves with it. */
export function listenOnLoopback(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { resolve((server.address() as AddressInfo).port); });
  });
}

/** Closes the WebSocket server, then the HTTP server with every connection still open. */
export async function closeServers(server: http.Server, wss: WebSocketServer): Promise<void> {
  await new Promise<void>((resolve) => { wss.close(() => { resolve(); }); });
  await new Promise<void>((resolve) => {
    server.close(() => { resolve(); });
    server.closeAllConnections();
  });
}
