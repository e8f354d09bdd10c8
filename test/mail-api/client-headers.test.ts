/**
 * What the client puts on the wire: the request id (and what it does with the echo), the bot
 * headers only when a bot token is configured, and the key only in X-API-Key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('request id', () => {
  it('is sent as X-Request-Id and returned in the outcome (the service echoes it)', async () => {
    const outcome = await h.api.createHandle(h.key, 'alice', { requestId: 'chat-abc-123', source: 'slack:T1:U1' });
    expect(outcome.requestId).toBe('chat-abc-123');
    expect(h.fake.requests[0]?.headers['x-request-id']).toBe('chat-abc-123');
  });

  it('is in every outcome, failures included', async () => {
    h.fake.inject({ kind: 'status', status: 503 });
    expect((await h.api.checkKey(h.key, { requestId: 'r-503', source: 's' })).requestId).toBe('r-503');
  });

  it("prefers the service's echo when it differs: that is the id in the service's logs", async () => {
    h.fake.inject({ kind: 'raw', status: 503, body: '{"error":"temporarily_unavailable"}', headers: { 'x-request-id': 'server-side-id' } });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'service_unavailable', requestId: 'server-side-id' });
  });

  it('an unusable caller id is replaced by a generated one, never sent raw', async () => {
    await h.api.checkKey(h.key, { requestId: '', source: 's' });
    expect(h.fake.requests[0]?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('bot headers', () => {
  it('are absent without a bot token', async () => {
    await h.api.createHandle(h.key, 'alice', h.call('slack:T1:U1'));
    const headers = h.fake.requests[0]?.headers ?? {};
    expect(headers['x-bot-auth-token']).toBeUndefined();
    expect(headers['x-bot-source']).toBeUndefined();
  });

  it('carry the token and the per-user source (at most 256 characters) when a token is set', async () => {
    const api = h.client({ botToken: 'bot-token-1' });
    await api.createHandle(h.key, 'alice', h.call('discord:123456'));
    await api.checkKey(h.key, h.call(`slack:T1:${'U'.repeat(300)}`));
    const [first, second] = h.fake.requests;
    expect(first?.headers['x-bot-auth-token']).toBe('bot-token-1');
    expect(first?.headers['x-bot-source']).toBe('discord:123456');
    expect(second?.headers['x-bot-source']).toHaveLength(256);
  });

  it('a non-ASCII source is percent-encoded rather than mangled', async () => {
    const api = h.client({ botToken: 'bot-token-1' });
    await api.checkKey(h.key, h.call('console:jöhn'));
    expect(h.fake.requests[0]?.headers['x-bot-source']).toBe('console:j%F6hn');
  });

  it('with a token the service counts the origin limit per source, so one busy user does not throttle others', async () => {
    h.fake.addBotToken('bot-token-1');
    h.fake.setRateLimits({ originPerMinute: 1 });
    const api = h.client({ botToken: 'bot-token-1' });
    expect((await api.checkKey(h.key, h.call('slack:T1:U1'))).kind).toBe('key_ok');
    expect((await api.checkKey(h.key, h.call('slack:T1:U1'))).kind).toBe('rate_limited');
    expect((await api.checkKey(h.key, h.call('slack:T1:U2'))).kind).toBe('key_ok');
  });
});

describe('the API key', () => {
  it('travels only in X-API-Key, on the keyed routes only', async () => {
    await h.api.createHandle(h.key, 'alice', h.call());
    await h.api.domains(h.call());
    await h.api.requestCredentials('new@example.org', 30, h.call());
    const [create, domains, credentials] = h.fake.requests;
    expect(create?.headers['x-api-key']).toBe(h.key);
    expect(domains?.headers['x-api-key']).toBeUndefined();
    expect(credentials?.headers['x-api-key']).toBeUndefined();
    // The harness then checks paths, bodies, other headers, outcomes and the log for it.
  });
});
