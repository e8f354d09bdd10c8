/**
 * Secret scan: whole Slack flows run with a known API key (linked through the modal, used to
 * create, check, delete, then forgotten), and the key appears nowhere we control: not in any
 * request Bolt sent to Slack or to a response_url, not in an ack, not in a log line (not even
 * scrubbed), not in the store's files. Only the mail service's X-API-Key header carries it.
 * Nor does a key typed after `key set` (never used, never written down), nor the words of a
 * command, which its intent holds sealed while it runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/ops/redact.js';
import { buttonsOf, startSlackHarness, type SlackHarness } from './harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function storeFiles(dir: string): Buffer[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? storeFiles(full) : [fs.readFileSync(full)];
  });
}

/** Words a person typed that only a command's intent would hold: never in the store's files in clear. */
const TYPED_WORDS = 'intent-words-7f3a';

async function runFlows(harness: SlackHarness, key: string, rejectedKey: string, typedKey: string): Promise<unknown[]> {
  const answers: unknown[] = [];
  const step = async (text: string, count = 1) => {
    const sent = await harness.command(text);
    answers.push(sent.http?.text, sent.ack);
    const replies = await harness.replies(sent.responseUrl, count);
    await harness.front.whenIdle();
    return replies;
  };
  const submit = async (value: string) => {
    const result = await harness.submitKey(value);
    answers.push(result.http?.text, result.ack);
    await harness.front.whenIdle();
  };

  // Link through the modal: a typo first (one character too many), a key the service refuses, then the real one.
  await harness.command('key set');
  await harness.slack.waitForCall('views.open');
  await submit(`${key}0`);
  await submit(rejectedKey);
  await submit(`  ${key.toUpperCase()}\n`);
  expect((await harness.runtime.store.getKey(harness.identity('UALICE'))).status).toBe('linked');

  await step('create scanned', 2);
  await step('key status');
  await step('list');
  const [ask] = await step('delete scanned');
  const press = await harness.press(buttonsOf(ask!.body)[0]!);
  answers.push(press.http?.text, press.ack);
  await harness.front.whenIdle();
  expect(harness.mail.handleState('scanned')).toMatchObject({ active: false });

  // A command is written down before its ack, sealed: while it waits on the service the store
  // holds it (opened here with the secret), and the files do not show its words.
  harness.mail.hold();
  const held = await harness.command(`key request ${TYPED_WORDS}@example.com`);
  try {
    const intents = await harness.runtime.store.intents.expired(Number.MAX_SAFE_INTEGER, 10);
    expect(intents.map((i) => i.payload?.text)).toContain(`key request ${TYPED_WORDS}@example.com`);
    for (const file of storeFiles(harness.dataDir)) expect(file.includes(TYPED_WORDS)).toBe(false);
  } finally {
    harness.mail.release();
  }
  await harness.replies(held.responseUrl);
  // A key typed after `key set` travelled through Slack: it is not used, and never written down.
  const typed = await harness.command(`key set ${typedKey}`);
  answers.push(typed.http?.text, typed.ack);
  await harness.slack.waitForCall('views.open', (c) => JSON.stringify(c.body).includes('typed'));
  await harness.front.whenIdle();
  return answers;
}

function expectNowhere(harness: SlackHarness, secrets: string[], answers: unknown[]): void {
  // What Bolt sent (Web API calls, response_url posts, ack frames); envelopes are what *we* sent.
  const outbound = JSON.stringify(harness.slack.traffic.filter((t) => t.kind !== 'envelope'));
  const logs = harness.logLines.join('\n');
  const files = storeFiles(harness.dataDir);
  expect(files.length).toBeGreaterThan(0);
  for (const secret of secrets.flatMap((s) => [s, s.toUpperCase()])) {
    expect(outbound).not.toContain(secret);
    expect(JSON.stringify(answers)).not.toContain(secret);
    expect(logs).not.toContain(secret);
    for (const file of files) expect(file.includes(secret)).toBe(false);
    for (const request of harness.mail.requests) {
      expect(request.rawBody).not.toContain(secret);
      expect(request.path).not.toContain(secret);
    }
  }
  // A scrubbed key would still be a leak (it reached the logger).
  expect(logs).not.toContain(REDACTED);
}

describe('secret scan', () => {
  it('HTTP mode: the key is nowhere in Slack traffic, acks, logs or store files', async () => {
    h = await startSlackHarness();
    const key = h.mail.newKey('scan@example.com');
    const rejected = 'e'.repeat(64);
    const typed = h.mail.newKey('typed@example.com');
    const answers = await runFlows(h, key, rejected, typed);
    // It did reach the service, in the one place it belongs.
    expect(h.mail.requests.some((r) => r.headers['x-api-key'] === key)).toBe(true);
    expectNowhere(h, [key, rejected, typed], answers);
    for (const file of storeFiles(h.dataDir)) expect(file.includes(TYPED_WORDS)).toBe(false);
  });

  it('Socket Mode: the same', async () => {
    h = await startSlackHarness({ mode: 'socket' });
    const key = h.mail.newKey('scan@example.com');
    const rejected = 'd'.repeat(64);
    const typed = h.mail.newKey('typed@example.com');
    const answers = await runFlows(h, key, rejected, typed);
    expectNowhere(h, [key, rejected, typed], answers);
    for (const file of storeFiles(h.dataDir)) expect(file.includes(TYPED_WORDS)).toBe(false);
  });
});
