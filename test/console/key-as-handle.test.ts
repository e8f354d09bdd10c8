/**
 * Issue 18 point 7: an API key typed as a handle is a valid handle by the service's rule, so it
 * would be published. The console (a real process, the fake mail API, its own SQLite) is told
 * why it was refused; the key is never sent, never printed, never in history or in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
let key: string;

beforeAll(async () => {
  env = await startConsoleEnv();
  key = env.api.newKey('alice@example.test');
});
afterAll(async () => {
  await env.close();
});

describe('a key typed as a handle', () => {
  it('is refused before the service, explained, and never echoed, sent or recorded', async () => {
    const run = await env.run(['key set', key, `create ${key}`, `create ${key.toUpperCase()}`, 'list']);
    const said = replies(run);
    expect(said[0]).toMatch(/Your API key is linked/);
    expect(said[1]).toMatch(/looks like an API key, so it was not used/);
    expect(said[1]).toMatch(/key request/);
    expect(said[2]).toMatch(/looks like an API key/);
    expect(said[3]).toMatch(/You have no handles yet/);
    const createCalls = env.api.requests.filter((r) => r.method === 'POST' && r.path.includes('handle') && !r.path.includes('credentials'));
    expect(createCalls).toEqual([]);
    expect(env.api.requests.some((r) => r.rawBody.includes(key) || r.path.includes(key))).toBe(false);
    // The prompt hides the key itself; nothing the console printed or stored shows it.
    expect(run.stdout.toLowerCase()).not.toContain(key);
    expect(run.stderr.toLowerCase()).not.toContain(key);
    expect(env.storeBytes().toLowerCase()).not.toContain(key);
  });
});
