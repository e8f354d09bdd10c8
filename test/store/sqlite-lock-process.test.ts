/**
 * Issue 18, point 2, with real processes: a `handle-bot start` (Slack HTTP mode, SQLite) while
 * another process holds the store file's write lock for longer than the store's deadline.
 * The bot keeps acknowledging — every ack is back while the lock is still held, before the bot
 * has even given up on the store — reads go on being answered, a write answers "cannot reach
 * its own storage" while the lock is still held (the deadline holds), and once the lock is let
 * go the same command works. Order is asserted, never time.
 */
import path from 'node:path';
import type { ApiKey } from '../../src/domain/api-key.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import { signedPost, slashCommandForm } from '../fakes/slack.js';
import { startSlackBotProcess, type SlackBotProcess } from '../slack/bot-process.js';
import { blocksText, GENERAL, SIGNING_SECRET } from '../slack/harness.js';
import { holdSqliteLock, type LockHolder } from './lock-holder.js';

const SEALING = 'ef'.repeat(32);

let p: SlackBotProcess;
let holder: LockHolder | undefined;
const file = () => path.join(p.bot.cwd, 'data/handle-bot.sqlite');

beforeAll(async () => {
  p = await startSlackBotProcess({ HANDLE_BOT_SECRET: SEALING });
  // Keys linked straight in the file (which this also creates, in WAL mode), sealed as the bot does.
  const store = await openStore({ url: `sqlite://${file()}`, secret: SEALING, dataDir: path.dirname(file()), log: createLogger({ level: 'silent' }) });
  for (const user of ['UALICE', 'UBOB']) await store.setKey(`slack:T0TEST:${user}`, p.mail.newKey(`${user}@example.com`) as ApiKey);
  await store.close();
}, 40_000);

afterAll(async () => {
  holder?.kill();
  await p.close();
});

/** `/handle <text>`: resolves with the ack's status once Bolt answered the POST. */
async function send(text: string, user: string): Promise<{ status: number; responseUrl: string }> {
  const responseUrl = p.slack.newResponseUrl();
  const ack = await signedPost(p.endpoint, SIGNING_SECRET, slashCommandForm({ user_id: user, channel_id: GENERAL, text, response_url: responseUrl }));
  return { status: ack.status, responseUrl };
}
const answer = async (responseUrl: string) => blocksText((await p.slack.waitForResponse((r) => r.url === responseUrl, 15_000)).body.blocks);
const storeGaveUp = () => p.bot.logs.some((l) => l.msg === 'store operation failed' || l.msg === 'could not check for a redelivery; handling it');

describe('a SQLite write lock held by another process', () => {
  it('never holds up an ack; writes fail within the deadline while it is held and work once it is released', async () => {
    holder = holdSqliteLock(file());
    await holder.locked;

    // Three commands, one after another: every ack is back before the bot gave up on any store call.
    const create = await send('create while-locked', 'UALICE');
    const other = await send('create also-locked', 'UBOB');
    const list = await send('list', 'UBOB');
    expect([create.status, other.status, list.status]).toEqual([200, 200, 200]);
    expect(storeGaveUp()).toBe(false);

    // Still locked: the writes say so within the deadline, and the read is answered.
    expect(await answer(create.responseUrl)).toContain('The bot cannot reach its own storage right now');
    expect(await answer(other.responseUrl)).toContain('The bot cannot reach its own storage right now');
    expect(await answer(list.responseUrl)).toContain('no handles');
    expect(p.mail.requests.filter((r) => r.path === '/api/handle/create')).toHaveLength(0);

    await holder.release();
    const again = await send('create while-locked', 'UALICE');
    expect(again.status).toBe(200);
    expect(await answer(again.responseUrl)).toContain('claimed');
  });
});
