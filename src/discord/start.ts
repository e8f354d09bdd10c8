/**
 * The Discord front door. Two ways in, one handler (interactions.ts):
 * - gateway mode (default): one discord.js gateway connection, sharded at Discord's recommended
 *   count (`shards: 'auto'`); interactions arrive as INTERACTION_CREATE. One process per token
 *   (or per shard group): several would all receive every interaction.
 * - HTTP mode (DISCORD_PUBLIC_KEY set): Discord POSTs signed interactions to
 *   `/discord/interactions` on DISCORD_HTTP_PORT; any number of replicas. A gateway is opened
 *   only with DISCORD_GATEWAY=events, for member joins (onboarding); commands never use it.
 * Admin notifications are posted through REST, newcomers welcomed when the Server Members
 * intent is on, health reported as the part `discord`, and stop() drains what is in flight.
 */
import { Client, Events, GatewayIntentBits, type Interaction, MessageFlags, type RESTOptions } from 'discord.js';
import { catalogue, localeFromTag } from '../core/messages/index.js';
import type { TargetRegistration } from '../core/channel-notifier.js';
import type { FrontDoorDeps } from '../core/port.js';
import type { Config } from '../ops/config.js';
import { deadlinesFor } from '../ops/deadlines.js';
import type { HealthRegistry } from '../ops/health.js';
import { processBodyGate } from '../ops/http-guard.js';
import { createInflight, settledWithin } from '../ops/inflight.js';
import { createConfirmationMemory } from './confirmations.js';
import { describeDiscordError } from './errors.js';
import { createFirstResponses } from './first-responses.js';
import { checkToken, connectGateway } from './gateway-connect.js';
import { gatewayGuilds, type GuildDirectory, restGuilds } from './guild-directory.js';
import { createInteractionEndpoint } from './http-endpoint.js';
import { type InteractionServer, startInteractionServer } from './http-server.js';
import { createInteractionHandler } from './interactions.js';
import { discordNotificationTarget } from './notifications.js';
import { welcomeNewcomer } from './onboarding.js';
import { interactionFromPayload } from './raw-interaction.js';
import { renderDiscordReply } from './render.js';
import { discordPublicKey } from './signature.js';
import { InteractionWebhookREST } from './webhook-rest.js';

export { MEMBERS_INTENT_REFUSED, TOKEN_REFUSED } from './gateway-connect.js';

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
  /** HTTP mode: the interface the endpoint listens on (default all). */
  httpHost?: string;
};

export type DiscordBot = {
  client: Client;
  /** HTTP mode: the interactions endpoint's URL on this machine (`http://127.0.0.1:PORT/discord/interactions`). */
  interactionsUrl: string | undefined;
  /** Admin notifications for Discord's guilds: `flush` posts what is still coalescing, `idle` waits for deliveries. */
  notifications: Pick<TargetRegistration, 'flush' | 'idle'>;
  /** Stops taking interactions and joins, waits (bounded) for those in flight, posts pending notifications, then disconnects. */
  stop(): Promise<void>;
};

type GatewayMode = 'full' | 'events' | 'off';

function gatewayIntents(config: Config): GatewayIntentBits[] {
  return [GatewayIntentBits.Guilds, ...(config.DISCORD_MEMBERS_INTENT ? [GatewayIntentBits.GuildMembers] : [])];
}

export async function startDiscord(door: FrontDoorDeps, options: StartDiscordOptions = {}): Promise<DiscordBot> {
  const { config, engine } = door;
  const log = door.log.child({ part: 'discord' });
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) throw new Error('Discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const publicKey = config.DISCORD_PUBLIC_KEY ? discordPublicKey(config.DISCORD_PUBLIC_KEY) : undefined;
  const gatewayMode: GatewayMode = config.DISCORD_GATEWAY ?? (publicKey ? 'off' : 'full');
  const health = options.health;
  health?.set('discord', { ok: false, detail: 'connecting' });

  const client = new Client({
    intents: gatewayIntents(config),
    // Discord's recommended shard count (GET /gateway/bot): one shard stops at 2,500 servers.
    shards: 'auto',
    rest: { ...options.rest, api: config.DISCORD_API_URL },
    // A second line of defence: nothing the bot sends pings @everyone, @here or a role.
    allowedMentions: { parse: [] },
  });
  const firstResponses = publicKey ? createFirstResponses() : undefined;
  if (firstResponses || options.interactionWebhooksBypassGlobalLimit !== false) {
    const plain = client.rest;
    client.rest = new InteractionWebhookREST(client.options.rest ?? {}, applicationId, firstResponses);
    plain.clearHashSweeper();
    plain.clearHandlerSweeper();
  }
  client.rest.on('rateLimited', (info) => { door.metrics?.platformRateLimited({ platform: 'discord', route: info.route }); });

  let accepting = true;
  // Gateway state while running; once stopping, stop() alone reports. Not ready while reconnecting.
  const report = (state: { ok: boolean; detail?: string }) => { if (accepting) health?.set('discord', state); };
  client.on(Events.Error, (error) => { log.error({ err: describeDiscordError(error) }, 'discord.js error'); });
  client.on(Events.Warn, (message) => { log.warn({ message }, 'discord.js warning'); });
  client.on(Events.ShardError, (error) => { log.warn({ err: describeDiscordError(error) }, 'Discord gateway connection error'); });
  client.on(Events.ShardReconnecting, () => { report({ ok: false, detail: 'reconnecting' }); });
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
  const handleInteraction = (interaction: Interaction, admitted?: Promise<boolean>): Promise<void> => {
    const started = performance.now();
    const run = (accepting ? handle(interaction, admitted) : refuseWhileStopping(interaction)).catch((error: unknown) => {
      log.error({ err: describeDiscordError(error) }, 'Discord interaction failed');
    });
    return inflight.track(run).then(() => {
      log.debug({ interaction: interaction.id, type: interaction.type, durationMs: Math.round(performance.now() - started) }, 'interaction settled');
    });
  };
  if (gatewayMode === 'full') client.on(Events.InteractionCreate, (interaction) => { void handleInteraction(interaction); });
  // Discord sends joins only with the privileged intent; without it there is nothing to listen to.
  if (gatewayMode !== 'off' && config.DISCORD_MEMBERS_INTENT) {
    const welcomeDeps = { engine, confirmations, log };
    client.on(Events.GuildMemberAdd, (member) => {
      if (!accepting) return;
      void inflight.track(welcomeNewcomer(welcomeDeps, member).catch((error: unknown) => {
        log.error({ err: describeDiscordError(error) }, 'welcoming a newcomer failed');
      }));
    });
  }

  let server: InteractionServer | undefined;
  let guilds: GuildDirectory | undefined;
  try {
    if (gatewayMode === 'off') await checkToken(client, token);
    else await connectGateway(client, token, options.readyTimeoutMs ?? 60_000);
    const directory = guilds = gatewayMode === 'off' ? await restGuilds(client, log) : gatewayGuilds(client);
    if (publicKey && firstResponses) {
      const endpoint = createInteractionEndpoint({
        publicKey, gate: processBodyGate(log), engine, firstResponses, log,
        receive: (payload, admitted) => {
          if (payload.guild_id !== undefined) directory.sawLocale(payload.guild_id, payload.guild_locale ?? null);
          const interaction = interactionFromPayload(client, payload);
          return interaction ? handleInteraction(interaction, admitted) : undefined;
        },
      });
      server = await startInteractionServer(config.DISCORD_HTTP_PORT, endpoint, health, options.httpHost);
    }
  } catch (error) {
    health?.set('discord', { ok: false, detail: 'could not connect' });
    guilds?.close();
    await server?.close();
    await client.destroy();
    throw error;
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, gateway: gatewayMode, endpoint: server?.url, membersIntent: config.DISCORD_MEMBERS_INTENT }, 'Discord connected');
  // Admin notifications for every guild the bot is in (the core decides what is posted where and when).
  const notifications = engine.registerTarget(discordNotificationTarget(client, guilds, log.child({ feature: 'notifications' })));
  health?.set('discord', { ok: true });

  let stopping: Promise<void> | undefined;
  const drainTimeoutMs = options.drainTimeoutMs ?? deadlinesFor(config).drainMs;
  return {
    client,
    interactionsUrl: server?.url,
    notifications: { flush: () => notifications.flush(), idle: () => notifications.idle() },
    stop() {
      stopping ??= (async () => {
        accepting = false;
        health?.set('discord', { ok: false, detail: 'stopping' });
        const { left } = await inflight.drain(drainTimeoutMs);
        if (left > 0) log.warn({ pending: left }, 'stopping Discord with interactions still in flight');
        // What is still coalescing is posted while the client can still post it.
        await settledWithin(notifications.close(), drainTimeoutMs);
        await server?.close();
        guilds.close();
        await client.destroy();
        health?.set('discord', { ok: false, detail: 'stopped' });
        log.info('Discord stopped');
      })();
      return stopping;
    },
  };
}

/** While stopping: say so rather than leave the interaction to fail after 3 s. */
async function refuseWhileStopping(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    await interaction.respond([]);
  } else if (interaction.isRepliable()) {
    await interaction.reply({ ...renderDiscordReply(catalogue(localeFromTag(interaction.locale)).restartingReply()), flags: MessageFlags.Ephemeral });
  }
}
