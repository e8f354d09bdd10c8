/**
 * Issue 18, point 1, in a real bot process (`handle-bot start`, Slack HTTP mode, against the
 * loopback fakes): correctly signed requests whose body is `null` (or any other non-object)
 * are refused with 400 and never reach Bolt — which used to read `body.ssl_check` on null in a
 * promise nobody awaited and end the process — and the next ordinary command is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedPost, slashCommandForm } from '../fakes/slack.js';
import { startSlackBotProcess, type SlackBotProcess } from './bot-process.js';
import { blocksText, GENERAL, SIGNING_SECRET } from './harness.js';

let p: SlackBotProcess;
beforeAll(async () => {
  p = await startSlackBotProcess({ COOLDOWN_SECONDS: '0' });
}, 40_000);
afterAll(async () => {
  await p.close();
});

describe('a real bot process', () => {
  it('refuses signed non-object bodies with 400, stays up, and answers the next command', async () => {
    const bodies: { text: string; contentType: string }[] = [
      { text: 'payload=null', contentType: 'application/x-www-form-urlencoded' },
      { text: 'null', contentType: 'application/json' },
      { text: 'payload=%22text%22', contentType: 'application/x-www-form-urlencoded' },
      { text: 'payload=%5B%5D', contentType: 'application/x-www-form-urlencoded' },
      { text: '7', contentType: 'application/json' },
    ];
    for (const body of bodies) {
      const result = await signedPost(p.endpoint, SIGNING_SECRET, body.text, { contentType: body.contentType });
      expect(result.status, body.text).toBe(400);
    }

    const responseUrl = p.slack.newResponseUrl();
    const ack = await signedPost(p.endpoint, SIGNING_SECRET, slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: 'help', response_url: responseUrl }));
    expect(ack.status).toBe(200);
    const reply = await p.slack.waitForResponse((r) => r.url === responseUrl);
    expect(blocksText(reply.body.blocks)).toContain('/handle create');

    expect(p.bot.exitCode).toBeNull();
    expect(p.bot.logs.filter((l) => l.msg === 'slack: refused a signed request whose body is not an object')).toHaveLength(bodies.length);
    // The guard in front of Bolt caught them all: nothing had to be rescued at the process level.
    expect(p.bot.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('unhandled promise rejection'))).toBe(false);
  });
});
