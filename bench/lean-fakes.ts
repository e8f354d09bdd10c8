/**
 * Bench-only stand-ins for Slack and the mail service that do the minimum a load cell needs, so
 * the load generator's own CPU leaves the cores to the replicas (bench/scale-out.ts). The tests'
 * fakes (test/fakes/*) record every request, parse and validate every body and keep per-user
 * state, which is right for asserting behaviour and too costly at hundreds of commands a second.
 *
 * - Slack: the Web API answers a bot makes for a slash command (auth.test at start, users.info
 *   for a user it has not seen, chat.postMessage and conversations.info should it ask), and the
 *   response_url receiver, which only counts the replies per command (`/hooks/<index>`).
 * - Mail service: `POST /api/handle/create` answers "created" after `latencyMs`, echoing the
 *   handle; `GET /api/domains`. No key check, no rate limits, no history.
 * Raw node:http, keep-alive kept long so the bot's connection pools stay warm.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type LeanServer = { url: string; close(): Promise<void> };

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const DOMAINS = JSON.stringify(['example.test', 'example2.test']);

async function listen(server: http.Server): Promise<LeanServer> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}

function readBody(req: http.IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => { done(chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString()); });
}

/** users.info's answer for a user id (the fields the bot reads: id, names, flags, team). */
function userInfo(team: string, id: string): string {
  return JSON.stringify({
    ok: true,
    user: { id, team_id: team, name: id.toLowerCase(), real_name: id, deleted: false, is_bot: false, is_app_user: false, locale: 'en-US', profile: { real_name: id, display_name: '' } },
  });
}

function webApi(method: string, body: string, team: string): string {
  switch (method) {
    case 'auth.test':
      return JSON.stringify({ ok: true, url: 'https://bench.slack.com/', team: 'bench', user: 'handle-bot', team_id: team, user_id: 'UBOT', bot_id: 'BBOT', is_enterprise_install: false });
    case 'users.info':
      return userInfo(team, decodeURIComponent(/(?:^|&)user=([^&]*)/.exec(body)?.[1] ?? /"user":"([^"]*)"/.exec(body)?.[1] ?? ''));
    case 'conversations.info':
      return JSON.stringify({ ok: true, channel: { id: 'C1', name: 'general', is_channel: true, is_member: true, is_private: false, is_archived: false } });
    case 'chat.postMessage':
      return JSON.stringify({ ok: true, channel: 'C1', ts: String(Date.now() / 1000) });
    default:
      return JSON.stringify({ ok: true });
  }
}

/**
 * Slack's Web API at `${url}/api/` and response URLs `${url}/hooks/<n>`: each POST to a hook
 * calls `onReply(n)`; the caller counts (a number, so no string keys or maps per command).
 */
export function startLeanSlack(options: { team: string; onReply: (index: number) => void }): Promise<LeanServer> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    readBody(req, (body) => {
      if (url.startsWith('/hooks/')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        options.onReply(Number(url.slice('/hooks/'.length)));
        return;
      }
      res.writeHead(200, JSON_TYPE).end(url.startsWith('/api/') ? webApi(url.slice('/api/'.length).split('?')[0]!, body, options.team) : '{"ok":false,"error":"unknown_method"}');
    });
  });
  return listen(server);
}

/** The mail service's create and domain list, the create answered after `latencyMs`. */
export function startLeanMail(options: { latencyMs: number }): Promise<LeanServer> {
  const server = http.createServer((req, res) => {
    readBody(req, (body) => {
      if (req.method === 'POST' && req.url === '/api/handle/create') {
        const handle = /"handle"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? '';
        const answer = JSON.stringify({ ok: true, created: true, handle, goto: 'owner@private.example' });
        setTimeout(() => res.writeHead(200, JSON_TYPE).end(answer), options.latencyMs);
      } else if (req.url === '/api/domains') {
        res.writeHead(200, JSON_TYPE).end(DOMAINS);
      } else {
        res.writeHead(404, JSON_TYPE).end(JSON.stringify({ message: `Cannot ${req.method ?? ''} ${req.url ?? ''}`, error: 'Not Found', statusCode: 404 }));
      }
    });
  });
  return listen(server);
}
