/**
 * The HTTP interactions endpoint refuses everything Discord did not sign, freshly, once:
 * 401 and nothing runs (no mail call, no answer to Discord, no handler). A PING is answered
 * PONG. Requests are POSTed by the fake Discord exactly as given (raw bytes and headers).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, embedText, GUILD, type Harness, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'http' });
  await h.linkKey(ALICE);
});
afterAll(async () => { await h.close(); });

const now = () => Math.floor(Date.now() / 1000);
const creates = () => h.mail.requests.filter((r) => r.path === '/api/handle/create').length;

/** A create interaction as Discord would send it (not registered with the fake: these POSTs are built by hand). */
function createPayload(name: string): string {
  return JSON.stringify(h.discord.chatInputInteraction({ user: ALICE, guildId: GUILD, subcommand: 'create', options: { name } }));
}

function signedHeaders(body: string, timestamp = String(now())): Record<string, string> {
  return { 'content-type': 'application/json', 'x-signature-ed25519': h.discord.signature(body, timestamp), 'x-signature-timestamp': timestamp };
}

/** Nothing of this interaction ran: no mail call, nothing sent to Discord, the handler never saw it. */
function expectNothingRan(body: string, createsBefore: number): void {
  const id = (JSON.parse(body) as { id: string }).id;
  expect(creates()).toBe(createsBefore);
  expect(h.discord.callbacksFor(id)).toEqual([]);
  expect(h.discord.webhooksFor(id)).toEqual([]);
  expect(h.logLines.some((line) => line.includes(id) && line.includes('interaction settled'))).toBe(false);
}

describe('the Discord interactions endpoint', () => {
  it('valid: a signed, fresh interaction is handled, its defer is the HTTP response', async () => {
    const x = h.run('create', { name: 'signed-ok' });
    expect(await x.callback()).toMatchObject({ type: 5, via: 'http', data: { flags: 64 } });
    expect(embedText(await x.original())).toMatch(/^You claimed `signed-ok`/);
  });

  it('PING is answered PONG', async () => {
    const body = JSON.stringify({ id: '1400000000000000001', application_id: h.discord.applicationId, type: 1, token: 't', version: 1 });
    expect(await h.discord.postToEndpoint(body, signedHeaders(body))).toEqual({ status: 200, body: { type: 1 } });
  });

  const refusals: [string, (body: string) => { body: string; headers: Record<string, string> }][] = [
    ['unsigned (no signature headers)', (body) => ({ body, headers: { 'content-type': 'application/json' } })],
    ['missing timestamp header', (body) => {
      const { 'x-signature-timestamp': _dropped, ...headers } = signedHeaders(body);
      return { body, headers };
    }],
    ['missing signature header', (body) => {
      const { 'x-signature-ed25519': _dropped, ...headers } = signedHeaders(body);
      return { body, headers };
    }],
    ['signature not hex', (body) => ({ body, headers: { ...signedHeaders(body), 'x-signature-ed25519': 'z'.repeat(128) } })],
    ['signed with another key', (body) => {
      const timestamp = String(now());
      const other = generateKeyPairSync('ed25519').privateKey;
      return { body, headers: { ...signedHeaders(body, timestamp), 'x-signature-ed25519': h.discord.signature(body, timestamp, other) } };
    }],
    ['altered body (signed, then changed)', (body) => ({ body: body.replace('"create"', '"delete"'), headers: signedHeaders(body) })],
    ['timestamp changed after signing', (body) => {
      const headers = signedHeaders(body, String(now()));
      return { body, headers: { ...headers, 'x-signature-timestamp': String(now() - 1) } };
    }],
    ['stale timestamp (6 minutes old, correctly signed)', (body) => ({ body, headers: signedHeaders(body, String(now() - 360)) })],
    ['future timestamp (6 minutes ahead, correctly signed)', (body) => ({ body, headers: signedHeaders(body, String(now() + 360)) })],
  ];

  it.each(refusals)('%s → 401, nothing runs', async (_name, make) => {
    const before = creates();
    const original = createPayload(`refused-${Math.random().toString(36).slice(2, 8)}`);
    const { body, headers } = make(original);
    const answer = await h.discord.postToEndpoint(body, headers);
    expect(answer.status).toBe(401);
    expectNothingRan(original, before);
  });

  it('replayed body (the same signed request again, or a balancer retry) → 401, it ran once', async () => {
    const before = creates();
    const body = createPayload('replayed-once');
    const headers = signedHeaders(body);
    const first = await h.discord.postToEndpoint(body, headers);
    expect(first).toMatchObject({ status: 200, body: { type: 5, data: { flags: 64 } } });
    const again = await h.discord.postToEndpoint(body, headers);
    expect(again.status).toBe(401);
    await h.waitForLog((entry) => entry.msg === 'interaction settled' && entry.interaction === (JSON.parse(body) as { id: string }).id);
    expect(creates()).toBe(before + 1);
  });

  it('a body over the limit is refused before it is read (413)', async () => {
    const body = JSON.stringify({ type: 2, padding: 'x'.repeat(200 * 1024) });
    expect((await h.discord.postToEndpoint(body, signedHeaders(body))).status).toBe(413);
  });

  it('the health endpoints share the port', async () => {
    const base = h.bot.interactionsUrl!.replace('/discord/interactions', '');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
