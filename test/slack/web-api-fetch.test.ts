/**
 * The fetch the Slack Web API client is given (src/slack/web-api-fetch.ts), against a real HTTP
 * server on loopback: what the WebClient sends arrives as sent, and what comes back is a Response
 * the WebClient can read (status, headers, body, url); redirects are not followed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingRateLimits, webApiFetch } from '../../src/slack/web-api-fetch.js';

type Seen = { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string };
const seen: Seen[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/api/moved') res.writeHead(302, { location: '/api/elsewhere' }).end();
      else if (req.url === '/api/empty') res.writeHead(204).end();
      else if (req.url === '/api/chat.scheduleMessage') res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
      else res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end('{"ok":true,"user":{"id":"U1"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }));

describe('webApiFetch', () => {
  it('sends the method, headers and form body, and answers a Response the WebClient can read', async () => {
    const response = await webApiFetch(`${base}/api/users.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test' },
      body: 'user=U1&include_locale=true',
      redirect: 'error',
    });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/users.info', body: 'user=U1&include_locale=true' });
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer xoxb-test');
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/api/users.info`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({ ok: true, user: { id: 'U1' } });
  });

  it('hands a redirect back as its status instead of following it', async () => {
    const response = await webApiFetch(`${base}/api/moved`, { method: 'POST', body: 'x=1' });
    expect(response.status).toBe(302);
    expect(seen.filter((s) => s.url === '/api/elsewhere')).toEqual([]);
  });

  it('answers a bodiless status with an empty body', async () => {
    const response = await webApiFetch(`${base}/api/empty`, { method: 'POST', body: '' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('leaves a multipart upload to the global fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'hello.txt');
    const response = await webApiFetch(`${base}/api/files.upload`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(seen.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.at(-1)?.body).toContain('hello');
  });

  it('counts a 429 by the Web API method it answered, and passes every answer on unchanged', async () => {
    const limited: string[] = [];
    const counted = countingRateLimits(webApiFetch, (method) => { limited.push(method); });
    const ok = await counted(`${base}/api/users.info`, { method: 'POST', body: 'user=U1' });
    const slowDown = await counted(`${base}/api/chat.scheduleMessage`, { method: 'POST', body: 'channel=C1' });
    expect([ok.status, slowDown.status]).toEqual([200, 429]);
    expect(slowDown.headers.get('retry-after')).toBe('0');
    expect(limited).toEqual(['chat.scheduleMessage']);
  });
});
