/**
 * The guard in front of Bolt's HTTP receiver (issue 18, points 1, 5 and 9): requests stamped
 * too far in the future are refused like stale ones; a replay inside the accepted window runs
 * once; non-object bodies never reach Bolt; bodies are bounded in size, in number read at once
 * and in time, before anything is authenticated — and ordinary commands still work afterwards.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createBodyGate, type BodyLimits } from '../../src/ops/http-guard.js';
import { SEEN_TTL_SECONDS } from '../../src/core/port.js';
import { MAX_REQUEST_AGE_SECONDS } from '../../src/slack/request-guard.js';
import { newTriggerId, signedPost, slackSignature, slashCommandForm } from '../fakes/slack.js';
import { GENERAL, SIGNING_SECRET, startSlackHarness, type SlackHarness } from './harness.js';

const started: SlackHarness[] = [];
async function harness(limits?: Partial<BodyLimits>): Promise<SlackHarness> {
  const gate = createBodyGate({ maxBytes: 64 * 1024, maxParallel: 32, readTimeoutMs: 10_000, ...limits });
  const h = await startSlackHarness({ slack: { bodyGate: gate } });
  started.push(h);
  return h;
}
afterEach(async () => {
  while (started.length > 0) await started.pop()?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const creates = (h: SlackHarness) => h.mail.requests.filter((r) => r.path === '/api/handle/create');

/** A command that is answered: the bot still works. */
async function answered(h: SlackHarness): Promise<void> {
  const sent = await h.command('help');
  expect(sent.http?.status).toBe(200);
  await h.replies(sent.responseUrl);
}

type RawResult = { status: number } | { error: string };

/**
 * A POST whose body is sent slowly: headers (with `Expect: 100-continue`, so we learn when the
 * server has taken the request) and a first piece. Resolves `started` once the server let it
 * continue; `result` with the status, or the error if the connection was cut.
 */
function slowPost(url: string, headers: Record<string, string>, declaredLength?: number) {
  let onContinue: () => void = () => undefined;
  const started = new Promise<void>((resolve) => { onContinue = resolve; });
  const req = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { expect: '100-continue', ...(declaredLength === undefined ? {} : { 'content-length': String(declaredLength) }), ...headers },
  });
  const result = new Promise<RawResult>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (error) => { resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }); });
  });
  req.on('continue', () => {
    req.write('payload=');
    onContinue();
  });
  return { started, result, req };
}

const signedLooking = () => ({ 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(nowSeconds()), 'x-slack-signature': `v0=${'0'.repeat(64)}` });

describe('request freshness', () => {
  it('refuses a timestamp more than 5 minutes in the future with 401 and runs nothing; 4 minutes ahead is fine', async () => {
    const h = await harness();
    await h.linkKey('UALICE');
    const responseUrl = h.slack.newResponseUrl();
    const form = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'create from-the-future', response_url: responseUrl });
    const callsBefore = h.slack.calls.length;

    expect((await signedPost(h.endpoint, SIGNING_SECRET, form, { timestamp: nowSeconds() + 6 * 60 })).status).toBe(401);
    expect((await signedPost(h.endpoint, SIGNING_SECRET, form, { timestamp: nowSeconds() + 10 * 365 * 24 * 3600 })).status).toBe(401);
    expect(h.front.inflight).toBe(0);
    expect(h.slack.calls.length).toBe(callsBefore);
    expect(h.slack.responsesTo(responseUrl)).toHaveLength(0);
    expect(creates(h)).toHaveLength(0);

    const near = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'help', response_url: responseUrl });
    expect((await signedPost(h.endpoint, SIGNING_SECRET, near, { timestamp: nowSeconds() + 4 * 60 })).status).toBe(200);
    await h.replies(responseUrl);
  });

  it('remembers a delivery for the whole accepted window: a replay of a request stamped ahead runs once', async () => {
    expect(SEEN_TTL_SECONDS).toBeGreaterThan(2 * MAX_REQUEST_AGE_SECONDS);
    const h = await harness();
    await h.linkKey('UALICE');
    const responseUrl = h.slack.newResponseUrl();
    const form = slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'create replayed', response_url: responseUrl, trigger_id: newTriggerId() });
    const timestamp = nowSeconds() + 4 * 60;
    const first = await signedPost(h.endpoint, SIGNING_SECRET, form, { timestamp });
    const replay = await signedPost(h.endpoint, SIGNING_SECRET, form, { timestamp });
    expect([first.status, replay.status]).toEqual([200, 200]);
    await h.front.whenIdle();
    expect(creates(h)).toHaveLength(1);
  });
});

describe('bodies that are not objects', () => {
  it('refuses signed null, string, number and array bodies with 400 before Bolt sees them', async () => {
    const h = await harness();
    for (const [text, contentType] of [
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['null', 'application/json'],
      ['"ssl_check"', 'application/json'],
      ['payload=42', 'application/x-www-form-urlencoded'],
      ['[]', 'application/json'],
      ['{not json', 'application/json'],
    ] as const) {
      expect((await signedPost(h.endpoint, SIGNING_SECRET, text, { contentType })).status, text).toBe(400);
    }
    expect(h.logLines.filter((l) => l.includes('refused a signed request whose body is not an object'))).toHaveLength(5);
    await answered(h);
  });

  it("still answers Slack's unsigned ssl_check, and nothing else unsigned", async () => {
    const h = await harness();
    const unsigned = (body: string) => new Promise<number>((resolve, reject) => {
      const req = http.request(h.endpoint, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(await unsigned('ssl_check=1&token=fake-verification-token')).toBe(200);
    expect(await unsigned('command=%2Fhandle&text=help')).toBe(401);
    expect(await unsigned(`ssl_check=1&payload=${'x'.repeat(2000)}`)).toBe(413);
  });

  it('hands Bolt an unsigned ssl_check alone: a payload smuggled beside it is never parsed (the guard is the only signature check)', async () => {
    const h = await harness();
    const smuggled = `ssl_check=1&payload=${encodeURIComponent(JSON.stringify({ type: 'url_verification', challenge: 'smuggled-challenge' }))}`;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(h.endpoint, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { body += chunk; });
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
      });
      req.on('error', reject);
      req.end(smuggled);
    });
    // Bolt's own ssl_check answer; parsed as the payload, it would have echoed the challenge.
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain('smuggled-challenge');
    // A signed request with a wrong signature is refused by the guard alone.
    const wrong = await signedPost(h.endpoint, 'not-the-signing-secret', slashCommandForm({ user_id: 'U_WRONG', channel_id: GENERAL, text: 'help', response_url: 'http://127.0.0.1:9/never', trigger_id: newTriggerId() }));
    expect(wrong.status).toBe(401);
    await answered(h);
  });
});

describe('bounded unauthenticated bodies', () => {
  it('refuses a body over the limit from its Content-Length, and a chunked one once it passes the limit', async () => {
    const h = await harness({ maxBytes: 16 * 1024 });
    const big = `payload=${'x'.repeat(3_900_000)}`;
    const timestamp = nowSeconds();
    // Correctly signed, even: size is refused before anything else.
    expect((await signedPost(h.endpoint, SIGNING_SECRET, big, { timestamp })).status).toBe(413);

    const chunked = slowPost(h.endpoint, { ...signedLooking(), 'transfer-encoding': 'chunked' });
    await chunked.started;
    chunked.req.write('x'.repeat(32 * 1024));
    const result = await chunked.result;
    // The refusal comes before the body ends: the signature (401) is never checked.
    expect(result).toEqual({ status: 413 });
    chunked.req.destroy();
    await answered(h);
  });

  it('reads at most maxParallel bodies at once: one more is refused with 503 at once; all is well once they finish', async () => {
    const h = await harness({ maxParallel: 4 });
    const slow = Array.from({ length: 4 }, () => slowPost(h.endpoint, signedLooking(), 1000));
    await Promise.all(slow.map((s) => s.started));

    const refused = await signedPost(h.endpoint, SIGNING_SECRET, slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'help', response_url: h.slack.newResponseUrl() }));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');

    // Each slow body, once complete, is judged like any other: a bad signature.
    for (const s of slow) s.req.end('x'.repeat(1000 - 'payload='.length));
    expect(await Promise.all(slow.map((s) => s.result))).toEqual(Array(4).fill({ status: 401 }));
    await answered(h);
  });

  it('gives a slow sender readTimeoutMs, then refuses it with 408 and frees its slot', async () => {
    const h = await harness({ maxParallel: 1, readTimeoutMs: 300 });
    const slow = slowPost(h.endpoint, signedLooking(), 1000);
    await slow.started;
    expect(await slow.result).toEqual({ status: 408 });
    await answered(h);
  });

  it('refuses 40 concurrent unsigned 3.9 MB posts without reading them, then answers a command', async () => {
    const h = await harness();
    const body = Buffer.alloc(3_900_000, 'x');
    const post = (headers: Record<string, string>) => new Promise<RawResult>((resolve) => {
      const req = http.request(h.endpoint, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      });
      req.on('error', (error) => { resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }); });
      req.end(body);
    });
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => post({})),
      ...Array.from({ length: 20 }, () => post({ 'x-slack-request-timestamp': String(nowSeconds()), 'x-slack-signature': slackSignature('guess', nowSeconds(), '') })),
    ]);
    // Each is answered 413 (or, if the client was still sending, its connection is cut): never read, never 401.
    for (const r of results) expect(['413', 'cut']).toContain('status' in r ? String(r.status) : 'cut');
    expect(results.filter((r) => 'status' in r).length).toBeGreaterThan(0);
    await answered(h);
  });
});
