/**
 * `handle-bot demo`: the console against the embedded demo mail service. The welcome offers the
 * demo key, every reply is marked as a demo, a whole claim works, and nothing reaches the
 * configured service or store. A normal start never loads the demo service.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMailApi, type FakeMailApi } from '../fakes/mail-api.js';
import { replies, runCliProcess } from '../console/harness.js';
import { DEMO_API_KEY } from '../../src/tools/demo/run-demo.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let configured: FakeMailApi;
let dir: string;

beforeAll(async () => {
  configured = await startFakeMailApi();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-demo-test-'));
});
afterAll(async () => {
  await configured.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('offers a key, marks every reply, claims a handle, and sends nothing anywhere', async () => {
    const run = await runCliProcess(['demo', '--user', 'sam'], ['key set', DEMO_API_KEY, 'create admin', 'create sam', 'list'], {
      // What a real deployment would use: the demo must ignore all of it.
      MAIL_API_URL: configured.url, STORE_URL: `sqlite://${path.join(dir, 'real.sqlite')}`, DATA_DIR: path.join(dir, 'data'),
      SLACK_BOT_TOKEN: 'xoxb-not-used', SLACK_SIGNING_SECRET: 'not-used',
    });
    expect(run.code).toBe(0);
    const [welcome, ...rest] = replies(run);
    expect(welcome).toMatch(/^\[private\] ℹ️ This is a demo: the mail service is a stand-in running inside this process/);
    expect(welcome).toContain(`paste \`${DEMO_API_KEY}\``);
    expect(rest).toHaveLength(5);
    for (const reply of rest) expect(reply).toMatch(/^\[(private|channel)\] (✅|ℹ️|⚠️|❌) \(demo\) /u);
    expect(rest[0]).toMatch(/Your API key is linked/);
    expect(rest[1]).toMatch(/`admin` is already taken/);
    expect(rest[2]).toMatch(/^\[channel\] ✅ \(demo\) 🎉 @sam claimed `sam`[\s\S]*`sam@demo\.example`/u);
    expect(rest[3]).toMatch(/^\[private\] ✅ \(demo\) You claimed `sam`/u);
    expect(rest[4]).toMatch(/`sam`/);
    expect(run.stderr).toBe('');
    expect(configured.requests).toHaveLength(0);
    expect(fs.existsSync(path.join(dir, 'real.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('is loaded only by the demo command: nothing a normal start imports reaches it', () => {
    // Static imports only: `import('./tools/demo/…')` inside the demo command is the one way in.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
        const target = path.resolve(path.dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts'));
        if (fs.existsSync(target)) visit(target);
      }
    };
    for (const entry of ['src/cli.ts', 'src/main.ts', 'src/runtime.ts']) visit(path.join(ROOT, entry));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter((f) => f.includes(`${path.sep}tools${path.sep}demo${path.sep}`))).toEqual([]);
  });
});
