/**
 * Failures stay inside one interaction: the user gets the catalogue's apology with a request
 * id, the process keeps serving. Start-up refusals say what to do. Stopping is graceful.
 * Interaction webhooks do not wait for the bot's global limit, but real 429s are honoured.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { InteractionWebhookREST, MEMBERS_INTENT_REFUSED, TOKEN_REFUSED } from '../../src/discord/index.js';
import { ALICE, embedText, type Harness, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  describe('a failing handler', () => {
    it('answers with the apology and request id when editReply fails, and the bot keeps serving', async () => {
      h = await startHarness({ mode });
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        h.discord.failNext('PATCH /webhooks/*', 500, { message: 'boom', code: 0 });
        const x = h.run('domains');
        await x.settled();
        const patches = h.discord.webhooksFor(x.id).filter((w) => w.method === 'PATCH');
        expect(patches.map((p) => p.status)).toEqual([500, 200]);
        const apology = embedText(patches[1]!);
        expect(apology).toMatch(/^Sorry, something went wrong inside the bot\n[\s\S]*\nRequest id: hb-[\w-]+$/);
        const requestId = /Request id: (hb-[\w-]+)/.exec(apology)![1]!;
        const logged = h.logLines.find((l) => l.includes('Discord interaction handler failed'))!;
        expect(logged).toContain(requestId);
        expect(logged).not.toContain(h.discord.traffic.find((t) => t.kind === 'webhook')!.token); // no interaction token in logs

        expect(embedText(await h.run('domains').original())).toMatch(/^The mail service manages 2 domains/);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    // Over HTTP the defer is the endpoint's own HTTP response: there is no callback request to fail.
    it.runIf(mode === 'gateway')('apologises with a first response when even the defer failed', async () => {
      h = await startHarness({ mode });
      h.discord.failNext('POST /interactions/*', 500, { message: 'boom', code: 0 });
      const x = h.run('list');
      await x.settled();
      const callbacks = h.discord.callbacksFor(x.id);
      expect(callbacks.map((c) => [c.type, c.status])).toEqual([[5, 500], [4, 204]]);
      expect(embedText(callbacks[1]!.data)).toMatch(/^Sorry, something went wrong inside the bot/);
      expect(callbacks[1]!.data.flags).toBe(64);
    });
  });

  describe('start-up', () => {
    // HTTP mode opens a gateway only for events (DISCORD_GATEWAY=events); commands never use it.
    const events: Record<string, string> = mode === 'http' ? { DISCORD_GATEWAY: 'events' } : {};

    it('intents: Guilds only by default, GuildMembers with DISCORD_MEMBERS_INTENT; health reports discord', async () => {
      h = await startHarness({ mode });
      expect(h.discord.identify?.intents).toBe(mode === 'http' ? undefined : 1); // HTTP mode alone: no gateway at all
      expect(h.health.snapshot().parts.discord).toEqual({ ok: true });
      await h.close();
      h = await startHarness({ mode, env: { DISCORD_MEMBERS_INTENT: 'true', ...events } });
      expect(h.discord.identify?.intents).toBe(1 | 2);
    });

    it('Discord refusing the members intent (4014) stops the start with what to do', async () => {
      await expect(startHarness({ mode, env: { DISCORD_MEMBERS_INTENT: 'true', ...events }, discord: { privilegedIntentsAllowed: false } }))
        .rejects.toThrow(MEMBERS_INTENT_REFUSED);
      expect(MEMBERS_INTENT_REFUSED).toContain('enable the Server Members intent in the Developer Portal');
      expect(MEMBERS_INTENT_REFUSED).toContain('or set DISCORD_MEMBERS_INTENT=false');
    });

    it('a wrong token is named as such', async () => {
      await expect(startHarness({ mode, env: { DISCORD_TOKEN: 'wrong.bot.token' } })).rejects.toThrow(TOKEN_REFUSED);
    });
  });

  describe('graceful stop', () => {
    it('stops taking interactions, finishes those in flight, then disconnects', async () => {
      h = await startHarness({ mode });
      await h.linkKey(ALICE);
      h.mail.hold();
      const inFlight = h.run('create', { name: 'last-one' });
      await h.mail.waitFor((r) => r.path === '/api/handle/create');
      const stopped = h.bot.stop();

      const late = h.run('list');
      const refusal = await late.callback();
      expect(refusal).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(embedText(refusal.data)).toMatch(/^The bot is restarting/);
      expect(h.health.snapshot().parts.discord).toMatchObject({ ok: false, detail: 'stopping' });

      h.mail.release();
      await stopped;
      expect(embedText(await inFlight.original())).toMatch(/^You claimed `last-one`/);
      if (mode === 'gateway') await h.discord.waitFor((t) => t.kind === 'gateway-close');
      expect(h.health.snapshot().parts.discord).toMatchObject({ ok: false, detail: 'stopped' });
    });
  });

  describe('interaction webhooks and the global limit', () => {
    it('editReply/followUp skip the bot’s own global limiter; bot-authenticated calls still wait for it', async () => {
      h = await startHarness({ mode });
      const rest = h.bot.client.rest;
      if (!(rest instanceof InteractionWebhookREST)) throw new Error('interaction webhooks are not routed around the global limit');
      // The global budget is spent for the next minute: without the bypass the edit would wait that long.
      rest.globalRemaining = 0;
      rest.globalReset = Date.now() + 60_000;
      const x = h.run('domains');
      expect(embedText(await x.original())).toMatch(/^The mail service manages/);

      rest.globalReset = Date.now() + 200;
      const limited = once(rest, 'rateLimited');
      const fetched = h.bot.client.users.fetch(ALICE, { force: true });
      expect((await limited)[0]).toMatchObject({ global: true });
      expect((await fetched).id).toBe(ALICE);

      expect(rest.isInteractionWebhook({ fullRoute: `/webhooks/${h.discord.applicationId}/tok/messages/@original`, auth: false })).toBe(true);
      expect(rest.isInteractionWebhook({ fullRoute: '/webhooks/999/tok', auth: false })).toBe(false); // someone else's webhook
      expect(rest.isInteractionWebhook({ fullRoute: '/channels/1/messages', auth: true })).toBe(false);
    });

    it('a real 429 on an interaction webhook, even a global one, is waited out and retried', async () => {
      h = await startHarness({ mode });
      h.discord.rateLimitNext('PATCH /webhooks/*', { retryAfter: 0.05, global: true });
      const x = h.run('domains');
      expect(embedText(await x.original())).toMatch(/^The mail service manages/);
      expect(h.discord.webhooksFor(x.id).map((w) => w.status)).toEqual([429, 200]);
      // …and counted for /metrics.
      expect(await h.runtime.metrics.registry.getSingleMetricAsString('handlebot_platform_rate_limited_total')).toMatch(/platform="discord",route="\/webhooks\/[^"]*"\} 1/);
    });
  });
});
