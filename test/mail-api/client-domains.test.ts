/**
 * The domain list cache: fresh for DOMAINS_CACHE_SECONDS, the last good list served `stale` when
 * a refresh fails, no hammering during an outage, and concurrent refreshes sharing one request.
 * Time is a test clock; waiting is on recorded traffic.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const DOMAINS = '/api/domains';
const TTL_SECONDS = 60;

let h: Harness;
let now: number;
const domainRequests = () => h.fake.requests.filter((r) => r.path === DOMAINS).length;

beforeEach(async () => {
  now = 1_700_000_000_000;
  h = await startHarness({ client: { domainsCacheSeconds: TTL_SECONDS, clock: () => now } });
});
afterEach(async () => {
  await h.close();
});

describe('domains cache', () => {
  it('serves a fresh list from the cache within the TTL', async () => {
    await h.api.domains(h.call());
    now += (TTL_SECONDS - 1) * 1000;
    expect(await h.api.domains(h.call())).toEqual({ kind: 'domains', domains: ['example.test', 'example2.test'], stale: false, requestId: 'req-2' });
    expect(domainRequests()).toBe(1);
  });

  it('refreshes after the TTL', async () => {
    await h.api.domains(h.call());
    h.fake.setDomains(['new.test']);
    now += TTL_SECONDS * 1000;
    expect(await h.api.domains(h.call())).toMatchObject({ domains: ['new.test'], stale: false });
    expect(domainRequests()).toBe(2);
  });

  it('a failed refresh serves the last good list marked stale', async () => {
    await h.api.domains(h.call());
    now += TTL_SECONDS * 1000;
    h.fake.inject({ kind: 'status', status: 503 }, { path: DOMAINS });
    expect(await h.api.domains(h.call())).toEqual({ kind: 'domains', domains: ['example.test', 'example2.test'], stale: true, requestId: 'req-2' });
  });

  it('a timed-out refresh also serves the stale list', async () => {
    const api = h.client({ timeoutMs: 300 });
    await api.domains(h.call());
    now += TTL_SECONDS * 1000;
    h.fake.inject({ kind: 'hang' }, { path: DOMAINS });
    expect(await api.domains(h.call())).toMatchObject({ kind: 'domains', stale: true });
  });

  it('without any good list, the failure itself is the outcome', async () => {
    h.fake.inject({ kind: 'status', status: 503 }, { path: DOMAINS });
    expect(await h.api.domains(h.call())).toEqual({ kind: 'service_unavailable', requestId: 'req-1' });
    expect(await h.api.domains(h.call())).toEqual({ kind: 'service_unavailable', requestId: 'req-2' });
  });

  it('after a failure it waits a little before asking again, then recovers', async () => {
    await h.api.domains(h.call());
    now += TTL_SECONDS * 1000;
    h.fake.inject({ kind: 'status', status: 500 }, { path: DOMAINS, times: 1 });
    await h.api.domains(h.call());
    now += 10_000;
    expect(await h.api.domains(h.call())).toMatchObject({ stale: true });
    expect(domainRequests()).toBe(2);
    now += 30_000;
    h.fake.setDomains(['back.test']);
    expect(await h.api.domains(h.call())).toMatchObject({ domains: ['back.test'], stale: false });
    expect(domainRequests()).toBe(3);
  });

  it('concurrent refreshes share one request', async () => {
    h.fake.hold();
    const pending = [h.api.domains(h.call()), h.api.domains(h.call()), h.api.domains(h.call())];
    await h.fake.waitFor((r) => r.path === DOMAINS);
    h.fake.release();
    const outcomes = await Promise.all(pending);
    expect(domainRequests()).toBe(1);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'domains', domains: ['example.test', 'example2.test'], stale: false });
  });

  it('callers get their own copy of the list', async () => {
    const first = await h.api.domains(h.call());
    if (first.kind === 'domains') first.domains.push('tampered.test');
    expect(await h.api.domains(h.call())).toMatchObject({ domains: ['example.test', 'example2.test'] });
  });

  it('a cache of 0 seconds asks every time', async () => {
    const api = h.client({ domainsCacheSeconds: 0 });
    await api.domains(h.call());
    await api.domains(h.call());
    expect(domainRequests()).toBe(2);
  });
});
