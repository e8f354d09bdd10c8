/**
 * Every fault switch of the fake against the client: deadlines, resets before and after the
 * service read the request, HTML pages, forced statuses, and a closed port. What matters most:
 * a write is never retried, and when its fate is unknown the outcome says so.
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callLogs, startHarness, type Harness } from './harness.js';

const CREATE = '/api/handle/create';
const STATS = '/api/alias/stats';

/** Only where a timeout is the expected outcome: a short deadline keeps those tests fast. */
const SHORT_DEADLINE_MS = 300;

let h: Harness;
beforeEach(async () => {
  // Everything else gets a generous deadline, so a loaded machine cannot turn an answer into a timeout.
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('deadline', () => {
  const quick = () => h.client({ timeoutMs: SHORT_DEADLINE_MS });

  it('a create that hangs after it was sent times out with outcomeUnknown', async () => {
    h.fake.inject({ kind: 'hang' });
    const outcome = await quick().createHandle(h.key, 'alice', h.call());
    expect(outcome).toEqual({ kind: 'timeout', outcomeUnknown: true, requestId: 'req-1' });
    expect(h.fake.requests).toHaveLength(1);
  });

  it('delete and credentials requests are writes too', async () => {
    h.fake.inject({ kind: 'hang' });
    const api = quick();
    expect(await api.deleteHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
    expect(await api.requestCredentials('new@example.org', 30, h.call())).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
  });

  it('a read that hangs times out without doubt, and is not retried after the deadline', async () => {
    h.fake.inject({ kind: 'hang' });
    const api = quick();
    expect(await api.checkKey(h.key, h.call())).toEqual({ kind: 'timeout', outcomeUnknown: false, requestId: 'req-1' });
    expect(await api.domains(h.call())).toEqual({ kind: 'timeout', outcomeUnknown: false, requestId: 'req-2' });
    expect(h.fake.requests).toHaveLength(2);
  });

  it('latency inside the deadline is just slower', async () => {
    h.fake.setLatency(20);
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('created');
  });

  it('an answer held past the deadline: timed out, but the service still applied the create', async () => {
    h.fake.hold(); // the service is slow: it handles the request only after the client gave up
    expect(await quick().createHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
    h.fake.release();
    await h.fake.waitFor((r) => r.path === CREATE && r.status === 200);
    expect(h.fake.handleState('alice')?.active).toBe(true);
  });
});

describe('connection reset', () => {
  it('before the service read the request: outcome unknown to the client, never retried', async () => {
    h.fake.inject({ kind: 'reset', phase: 'before_read' }, { times: 1 });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'timeout', outcomeUnknown: true, requestId: 'req-1' });
    expect(h.fake.requests.filter((r) => r.path === CREATE)).toHaveLength(1);
    expect(h.fake.handleState('alice')).toBeUndefined();
  });

  it('after the service handled it: the create was applied, so a blind retry would have seen 409', async () => {
    h.fake.inject({ kind: 'reset', phase: 'after_read' }, { times: 1 });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
    expect(h.fake.requests).toHaveLength(1);
    expect(h.fake.handleState('alice')?.active).toBe(true);
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('taken');
  });

  it('a read is retried once on a reset, and succeeds', async () => {
    h.fake.inject({ kind: 'reset', phase: 'before_read' }, { times: 1 });
    expect(await h.api.checkKey(h.key, h.call())).toEqual({ kind: 'key_ok', requestId: 'req-1' });
    expect(h.fake.requests.filter((r) => r.path === STATS)).toHaveLength(2);
    expect(callLogs(h.logLines).at(-1)).toMatchObject({ verb: 'check_key', attempts: 2, outcome: 'key_ok' });
  });

  it('a read reset twice is unreachable (one retry only)', async () => {
    h.fake.inject({ kind: 'reset', phase: 'after_read' });
    expect(await h.api.checkKey(h.key, h.call())).toEqual({ kind: 'unreachable', requestId: 'req-1' });
    expect(h.fake.requests).toHaveLength(2);
  });
});

describe('non-JSON and forced statuses', () => {
  it.each([500, 502] as const)('an HTML %i page is judged by its status', async (status) => {
    h.fake.inject({ kind: 'html', status });
    expect(await h.api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'service_error', status, requestId: 'req-1' });
    expect(await h.api.domains(h.call())).toEqual({ kind: 'service_error', status, requestId: 'req-2' });
  });

  it('a forced 503 for the next two requests, then normal service', async () => {
    h.fake.inject({ kind: 'status', status: 503 }, { times: 2 });
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('service_unavailable');
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('service_unavailable');
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('created');
  });

  it('a fault can target one route only', async () => {
    h.fake.inject({ kind: 'status', status: 500 }, { path: STATS });
    expect((await h.api.createHandle(h.key, 'alice', h.call())).kind).toBe('created');
    expect((await h.api.checkKey(h.key, h.call())).kind).toBe('service_error');
  });
});

describe('no service at all', () => {
  it('a refused connection is unreachable, for writes too (nothing was sent)', async () => {
    const port = await closedPort();
    const api = h.client({ baseUrl: `http://127.0.0.1:${port}` });
    expect(await api.createHandle(h.key, 'alice', h.call())).toEqual({ kind: 'unreachable', requestId: 'req-1' });
    expect(await api.checkKey(h.key, h.call())).toEqual({ kind: 'unreachable', requestId: 'req-2' });
    expect(callLogs(h.logLines).at(-1)).toMatchObject({ fault: 'ECONNREFUSED', attempts: 2 });
  });
});

describe('logging', () => {
  it('each call is logged at debug with method, route, status, outcome, duration and request id', async () => {
    await h.api.createHandle(h.key, 'alice', h.call());
    expect(callLogs(h.logLines)).toEqual([
      expect.objectContaining({
        level: 20, verb: 'create', method: 'POST', route: CREATE, status: 200, outcome: 'created', requestId: 'req-1', attempts: 1,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('the onCall hook sees each call, and a failing hook does not change the outcome', async () => {
    const calls: unknown[] = [];
    const api = h.client({
      onCall: (info) => {
        calls.push(info);
        throw new Error('metrics broke');
      },
    });
    expect((await api.createHandle(h.key, 'alice', h.call())).kind).toBe('created');
    expect((await api.requestCredentials('not-an-address', 30, h.call())).kind).toBe('invalid_params');
    expect(calls).toEqual([
      expect.objectContaining({ verb: 'create', route: CREATE, outcome: 'created', status: 200, sent: true }),
      expect.objectContaining({ verb: 'request_credentials', route: '/api/credentials/create', outcome: 'invalid_params', sent: false }),
    ]);
  });
});

/** A port on which nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}
