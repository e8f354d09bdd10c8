/**
 * The Discord front door: one gateway connection (exactly one process per bot token — several
 * would all receive every interaction and race to acknowledge it), interactions handed to the
 * engine, admin notifications posted to each guild's chosen channel, newcomers welcomed when
 * the Server Members intent is on, health reported as the part `discord`, and a graceful stop.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction, MessageFlags, type RESTOptions } from 'discord.js';
import { catalogue, localeFromTag } from '../core/messages/index.js';
import type { TargetRegistration } from '../core/channel-notifier.js';
import type { FrontDoorDeps } from '../core/port.js';
import { deadlinesFor } from '../ops/deadlines.js';
import type { HealthRegistry } from '../ops/health.js';
import { createInflight, settledWithin } from '../ops/inflight.js';
import { createConfirmationMemory } from './confirmations.js';
import { describeDiscordError } from './errors.js';
import { createInteractionHandler } from './interactions.js';
import { discordNotificationTarget } from './notifications.js';
import { welcomeNewcomer } from './onboarding.js';
import { renderDiscordReply } from './render.js';
import { InteractionWebhookREST } from './webhook-rest.js';

export type StartDiscordOptions = {
  /** Where the part `discord` reports its state (main.ts's health registry). */
  health?: HealthRegistry;
  /** How long stop() waits for interactions in flight. Default: the drain deadline (ops/deadlines.ts). */
  drainTimeoutMs?: number;
  /** How long start waits for the gateway to become ready. Default 60 s. */
  readyTimeoutMs?: number;
  /** Send interaction webhooks around the 50/s global limiter (default true; the benchmark compares). */
  interactionWebhooksBypassGlobalLimit?: boolean;
  /** Extra @discordjs/rest options (tests: `retries: 0`). `api` comes from DISCORD_API_URL. */
  rest?: Partial<RESTOptions>;
};

export type DiscordBot = {
  client: Client;
  /** Admin notifications for Discord's guilds: `flush` posts what is still coalescing, `idle` waits for deliveries. */
  notifications: Pick<TargetRegistration, 'flush' | 'idle'>;
  /** Stops taking interactions and joins, waits (bounded) for those in flight, posts pending notifications, then disconnects. */
  stop(): Promise<void>;
};

/** Start-up refusal when the portal switch for the privileged intent is off (gateway close code 4014). */
export const MEMBERS_INTENT_REFUSED =
  'Discord refused the Server Members intent (gateway close code 4014): enable the Server Members intent in the Developer Portal (your application → Bot → Privileged Gateway Intents) or set DISCORD_MEMBERS_INTENT=false.';
export const TOKEN_REFUSED =
  'Discord refused DISCORD_TOKEN: copy the bot token again from the Developer Portal (your application → Bot → Reset Token).';

const CLOSE_AUTHENTICATION_FAILED = 4004;
const CLOSE_DISALLOWED_INTENTS = 4014;

export async function startDiscord(door: FrontDoorDeps, options: StartDiscordOptions = {}): Promise<DiscordBot> {
  const { config, engine } = door;
  const log = door.log.child({ part: 'discord' });
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) throw new Error('Discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const health = options.health;
  health?.set('discord', { ok: false, detail: 'connecting' });

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, ...(config.DISCORD_MEMBERS_INTENT ? [GatewayIntentBits.GuildMembers] : [])],
    rest: { ...options.rest, api: config.DISCORD_API_URL },
    // A second line of defence: nothing the bot sends pings @everyone, @here or a role.
    allowedMentions: { parse: [] },
  });
  if (options.interactionWebhooksBypassGlobalLimit !== false) {
    const plain = client.rest;
    client.rest = new InteractionWebhookREST(client.options.rest ?? {}, applicationId);
    plain.clearHashSweeper();
    plain.clearHandlerSweeper();
  }

  let accepting = true;
  // Gateway state while running; once stopping, stop() alone reports.
  const report = (state: { ok: boolean; detail?: string }) => { if (accepting) health?.set('discord', state); };
  client.on(Events.Error, (error) => { log.error({ err: describeDiscordError(error) }, 'discord.js error'); });
  client.on(Events.Warn, (message) => { log.warn({ message }, 'discord.js warning'); });
  client.on(Events.ShardError, (error) => { log.warn({ err: describeDiscordError(error) }, 'Discord gateway connection error'); });
  client.on(Events.ShardReconnecting, () => { report({ ok: true, detail: 'reconnecting' }); });
  client.on(Events.ShardResume, () => { report({ ok: true }); });
  client.on(Events.ShardReady, () => { report({ ok: true }); });
  client.on(Events.ShardDisconnect, (event) => {
    log.error({ code: event.code }, 'Discord gateway closed and will not reconnect');
    report({ ok: false, detail: `gateway closed (${event.code})` });
  });

  const confirmations = createConfirmationMemory();
  const handle = createInteractionHandler({
    engine, log, confirmations,
    // Without the intent Discord never tells the bot that someone joined: say so when an admin turns onboarding on.
    ...(config.DISCORD_MEMBERS_INTENT ? {} : { onboardingWarning: (messages) => messages.discordMembersIntentWarning() }),
  });
  const inflight = createInflight();
  client.on(Events.InteractionCreate, (interaction) => {
    const started = performance.now();
    const run = (accepting ? handle(interaction) : refuseWhileStopping(interaction)).catch((error: unknown) => {
      log.error({ err: describeDiscordError(error) }, 'Discord interaction failed');
    });
    void inflight.track(run).then(() => {
      log.debug({ interaction: interaction.id, type: interaction.type, durationMs: Math.round(performance.now() - started) }, 'interaction settled');
    });
  });
  // Discord sends joins only with the privileged intent; without it there is nothing to listen to.
  if (config.DISCORD_MEMBERS_INTENT) {
    const welcomeDeps = { engine, confirmations, log };
    client.on(Events.GuildMemberAdd, (member) => {
      if (!accepting) return;
      void inflight.track(welcomeNewcomer(welcomeDeps, member).catch((error: unknown) => {
        log.error({ err: describeDiscordError(error) }, 'welcoming a newcomer failed');
      }));
    });
  }

  try {
    await connect(client, token, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    health?.set('discord', { ok: false, detail: 'could not connect' });
    await client.destroy();
    throw error;
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, membersIntent: config.DISCORD_MEMBERS_INTENT }, 'Discord connected');
  // Admin notifications for every guild the bot is in (the core decides what is posted where and when).
  const notifications = engine.registerTarget(discordNotificationTarget(client, log.child({ feature: 'notifications' })));
  health?.set('discord', { ok: true });

  let stopping: Promise<void> | undefined;
  const drainTimeoutMs = options.drainTimeoutMs ?? deadlinesFor(config).drainMs;
  return {
    client,
    notifications: { flush: () => notifications.flush(), idle: () => notifications.idle() },
    stop() {
      stopping ??= (async () => {
        accepting = false;
        health?.set('discord', { ok: false, detail: 'stopping' });
        const { left } = await inflight.drain(drainTimeoutMs);
        if (left > 0) log.warn({ pending: left }, 'stopping Discord with interactions still in flight');
        // What is still coalescing is posted while the client can still post it.
        await settledWithin(notifications.close(), drainTimeoutMs);
        await client.destroy();
        health?.set('discord', { ok: false, detail: 'stopped' });
        log.info('Discord stopped');
      })();
      return stopping;
    },
  };
}

/** Logs in and waits for clientReady; a gateway refusal becomes a message that says what to do. */
async function connect(client: Client, token: string, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => { abort.abort(); }, timeoutMs);
  let closeCode: number | undefined;
  const onDisconnect = (event: { code: number }) => { closeCode = event.code; };
  client.on(Events.ShardDisconnect, onDisconnect);
  try {
    const ready = once(client, Events.ClientReady, { signal: abort.signal });
    const refused = once(client, Events.ShardDisconnect, { signal: abort.signal }).then(([event]) => {
      throw refusal((event as { code: number }).code);
    });
    // Whichever loses is aborted below; its rejection is expected.
    ready.catch(() => undefined);
    refused.catch(() => undefined);
    await Promise.race([client.login(token).then(() => ready), refused]);
  } catch (error) {
    // discord.js rejects login with its own wording ("Used disallowed intents"); the close code says what happened.
    if (closeCode !== undefined) throw refusal(closeCode);
    if (abort.signal.aborted) throw new Error(`Discord did not become ready within ${Math.round(timeoutMs / 1000)} s (is DISCORD_API_URL reachable?)`);
    if ((error as { code?: unknown }).code === 'TokenInvalid') throw new Error(TOKEN_REFUSED);
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
    client.off(Events.ShardDisconnect, onDisconnect);
  }
}

function refusal(code: number): Error {
  if (code === CLOSE_DISALLOWED_INTENTS) return new Error(MEMBERS_INTENT_REFUSED);
  if (code === CLOSE_AUTHENTICATION_FAILED) return new Error(TOKEN_REFUSED);
  return new Error(`Discord closed the gateway connection with code ${code} during start-up`);
}

/** While stopping: say so rather than leave the interaction to fail after 3 s. */
async function refuseWhileStopping(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    await interaction.respond([]);
  } else if (interaction.isRepliable()) {
    await interaction.reply({ ...renderDiscordReply(catalogue(localeFromTag(interaction.locale)).restartingReply()), flags: MessageFlags.Ephemeral });
  }
}
