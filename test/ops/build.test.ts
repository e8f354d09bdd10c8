/**
 * The production build (scripts/build.mjs): esbuild bundles src/cli.ts into a few files, one
 * chunk per lazily imported part. The bundle must keep what the separate modules gave: a
 * Slack-only process never loads discord.js (and the reverse), the console neither — here read
 * from esbuild's metafile, the static imports each chunk makes (what loading it loads) — and it
 * must run: the bundled console, a real process, links a key and claims a handle against the
 * fake mail API through the bundled zod, undici, pino and keyv, with the native better-sqlite3.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../console/harness.js';
import { startFakeMailApi } from '../fakes/mail-api.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DISCORD_SDK = /node_modules\/(discord\.js|@discordjs\/)/;
const SLACK_SDK = /node_modules\/@slack\//;

type Output = { imports: { path: string; kind: string }[]; inputs: Record<string, unknown>; entryPoint?: string };
type Metafile = { outputs: Record<string, Output> };
type Build = (options: { outdir: string; metafile: boolean }) => Promise<{ code: number; metafile?: Metafile }>;

let outdir: string;
let metafile: Metafile;

beforeAll(async () => {
  // Inside the repository, so the bundle finds the packages it keeps external (better-sqlite3) as dist/ does.
  fs.mkdirSync(path.join(ROOT, 'node_modules/.cache'), { recursive: true });
  outdir = fs.mkdtempSync(path.join(ROOT, 'node_modules/.cache/hb-build-test-'));
  // A plain JavaScript script (it runs before any TypeScript tooling is installed): imported by URL, typed here.
  const { build } = (await import(pathToFileURL(path.join(ROOT, 'scripts/build.mjs')).href)) as { build: Build };
  const result = await build({ outdir, metafile: true });
  expect(result.code).toBe(0);
  metafile = result.metafile!;
}, 60_000);

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** The output chunk that holds this source file. */
function chunkOf(source: string): string {
  const found = Object.entries(metafile.outputs).find(([file, output]) => file.endsWith('.js') && source in output.inputs);
  if (!found) throw new Error(`no chunk holds ${source}`);
  return found[0];
}

/** Every source file that loading these chunks loads (their static imports, transitively). */
function loadedSources(chunks: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...chunks];
  while (queue.length > 0) {
    const chunk = queue.pop()!;
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const imported of metafile.outputs[chunk]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.path in metafile.outputs) queue.push(imported.path);
    }
  }
  return [...seen].flatMap((chunk) => Object.keys(metafile.outputs[chunk]?.inputs ?? {}));
}

describe('the production bundle', () => {
  it('keeps each platform SDK in the chunks of its own front door', () => {
    // What `handle-bot start` loads before its front doors: the entry, main.ts and the runtime.
    const common = [chunkOf('src/cli.ts'), chunkOf('src/main.ts'), chunkOf('src/runtime.ts')];
    const slack = loadedSources([...common, chunkOf('src/slack/index.ts')]);
    const discord = loadedSources([...common, chunkOf('src/discord/index.ts')]);
    const consoleDoor = loadedSources([chunkOf('src/cli.ts'), chunkOf('src/runtime.ts'), chunkOf('src/console/console.ts')]);

    // Each SDK is in the bundle at all (the check below would pass vacuously otherwise).
    expect(slack.some((s) => SLACK_SDK.test(s))).toBe(true);
    expect(discord.some((s) => DISCORD_SDK.test(s))).toBe(true);
    expect(slack.filter((s) => DISCORD_SDK.test(s))).toEqual([]);
    expect(discord.filter((s) => SLACK_SDK.test(s))).toEqual([]);
    expect(consoleDoor.filter((s) => SLACK_SDK.test(s) || DISCORD_SDK.test(s))).toEqual([]);
    // The entry itself stays small: everything else is a chunk loaded by the command that needs it.
    expect(loadedSources([chunkOf('src/cli.ts')]).filter((s) => SLACK_SDK.test(s) || DISCORD_SDK.test(s) || s.includes('node_modules/prom-client'))).toEqual([]);
  });

  it('runs: the bundled console links a key and claims a handle', async () => {
    const mail = await startFakeMailApi({ rateLimits: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bundle-console-'));
    try {
      const key = mail.newKey('alice.owner@private.example');
      const run = await runCliProcess(['console', '--user', 'alice'], ['key set', key, 'create alice'],
        { MAIL_API_URL: mail.url, DATA_DIR: path.join(dir, 'data'), COOLDOWN_SECONDS: '0' }, [path.join(outdir, 'src/cli.js')]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Your API key is linked/);
      expect(run.stdout).toMatch(/You claimed `alice`/);
      expect(mail.requests.filter((q) => q.path === '/api/handle/create')).toHaveLength(1);
      expect(run.stdout + run.stderr).not.toContain(key);
    } finally {
      await mail.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
