/**
 * Issue 18, point 11 (part): a console user name longer than Postgres's key column (255
 * characters) used to fail every store call and be reported as "cannot reach its own storage".
 * The store bounds every key it builds, so such a person links a key, claims and lists like
 * anyone else — on Postgres (the store suite checks all three backends at the store's level).
 * The console runs against a database of this test's own, dropped afterwards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, TEST_POSTGRES_URL, uniquePrefix } from '../helpers/services.js';
import { runConsoleProcess } from './harness.js';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';

const available = await requireService('postgres');
const database = uniquePrefix('console_long_user');
let admin: pg.Client;
let api: FakeMailApi;

beforeAll(async () => {
  if (!available) return;
  admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  api = await startFakeMailApi({ rateLimits: false });
});

afterAll(async () => {
  if (!available) return;
  await api.close();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe.skipIf(!available)('a console user with a 300-character name, on Postgres', () => {
  it('links a key, claims a handle and lists it', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${database}`;
    const key = api.newKey('long@example.com');
    const run = await runConsoleProcess(['key set', key, 'create long-name', 'list'], {
      MAIL_API_URL: api.url,
      STORE_URL: url.toString(),
      HANDLE_BOT_SECRET: 'ab'.repeat(32),
      COOLDOWN_SECONDS: '0',
      LOG_LEVEL: 'warn',
    }, 'n'.repeat(300));
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('cannot reach its own storage');
    expect(run.stdout).toContain('You claimed `long-name`');
    expect(run.stdout).toContain('Your handles\n[private]   • `long-name` — claimed');
  });
});
