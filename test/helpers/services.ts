/**
 * Redis and PostgreSQL for tests. One rule, in one place: on a laptop without the service
 * the suite is skipped with a printed reason; in CI (CI=true) a missing service is a failure.
 */
import net from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => { done(false); });
    socket.once('connect', () => { done(true); });
    socket.once('error', () => { done(false); });
  });
}

/**
 * Resolves true when the service answers. When it does not: throws under CI, otherwise
 * prints why the suite is skipped and resolves false. Use with `describe.skipIf(!available)`.
 */
export async function requireService(name: 'redis' | 'postgres'): Promise<boolean> {
  const url = name === 'redis' ? TEST_REDIS_URL : TEST_POSTGRES_URL;
  const ok = await reachable(url, name === 'redis' ? 6379 : 5432);
  if (ok) return true;
  const variable = name === 'redis' ? 'TEST_REDIS_URL' : 'TEST_POSTGRES_URL';
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${name} is not reachable at ${variable}=${url}, and CI=true: these tests must run in CI.`);
  }
  console.warn(`[skip] ${name} tests skipped: nothing answers at ${variable}=${url}. Start ${name} or set ${variable} to run them.`);
  return false;
}

/** A prefix no other test run shares (never flush a shared Redis). */
export function uniquePrefix(label: string): string {
  return `hb_test_${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
