/**
 * The transport's body handling against a plain server that streams without Content-Length
 * (chunked), which the fake never does: small bodies are read, huge ones discarded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransport, type Transport } from '../../src/mail-api/transport.js';

let server: http.Server;
let transport: Transport;
let chunks: string[];

beforeEach(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' }); // no content-length: chunked
    for (const chunk of chunks) res.write(chunk);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  transport = createTransport({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000, connectTimeoutMs: 1000 });
});
afterEach(async () => {
  await transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
});

const get = () => transport.send({ method: 'GET', path: '/api/domains', headers: {}, retryConnectionErrors: false });

describe('transport bodies without a length', () => {
  it('reads a small chunked body', async () => {
    chunks = ['{"error":', '"internal_error"}'];
    expect(await get()).toMatchObject({ type: 'answer', status: 500, text: '{"error":"internal_error"}' });
  });

  it('discards a chunked body past 64 KiB and keeps the status', async () => {
    chunks = Array.from({ length: 20 }, () => 'x'.repeat(8192));
    expect(await get()).toMatchObject({ type: 'answer', status: 500, text: undefined });
    // The next request still gets through (on a fresh connection).
    chunks = ['ok'];
    expect(await get()).toMatchObject({ type: 'answer', text: 'ok' });
  });
});
