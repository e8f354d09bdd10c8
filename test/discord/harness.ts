/**
 * The Discord adapter end to end: the real discord.js logged in to the fake gateway and REST,
 * the real runtime (engine, mail client, SQLite store in a temp dir) with the fake mail API
 * behind it, and logs captured. `run` sends a slash command as a given user and returns
 * handles to wait on what the bot sent back — tests wait on traffic, never on time.
 */
import type { ApiKey } from '../../src/domain/api-key.js';
import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { discordIdentity } from '../../src/domain/identity.js';
import { type DiscordBot, startDiscord, type StartDiscordOptions } from '../../src/discord/index.js';
import { loadConfig, type Config } from '../../src/ops/config.js';
import { createHealthRegistry, type HealthRegistry } from '../../src/ops/health.js';
import { createLogger } from '../../src/ops/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import {
  type DiscordCallback, type DiscordRequest, type DiscordWebhookCall, type FakeDiscord, type FakeDiscordOptions, type JsonObject, type OptionValue,
  PERMISSIONS, startFakeDiscord,
} from '../fakes/discord.js';
import { type FakeMailApi, type FakeMailApiOptions, startFakeMailApi } from '../fakes/mail-api.js';

export const TOKEN = 'fake.bot.token';
export const GUILD = '1200000000000000001';
export const GENERAL = '1200000000000000002';
export const NOTIFY = '1200000000000000003';
/** A channel the bot cannot see (@everyone denied View Channel). */
export const HIDDEN = '1200000000000000004';
/** The bot may write here but not embed links (@everyone denied Embed Links). */
export const NO_EMBEDS = '1200000000000000005';
/** Read-only for everyone, the bot included (@everyone denied Send Messages and Embed Links). */
export const READ_ONLY = '1200000000000000006';
export const MOD_ROLE = '1200000000000000009';
/** A member with no special rights. */
export const ALICE = '1300000000000000001';
/** Has Manage Server through a role. */
export const MOD = '1300000000000000002';
/** No Discord rights, but listed in ADMIN_USERS. */
export const LISTED = '1300000000000000003';
export const OWNER = '1300000000000000099';

/** Where (and in which language: the person's Discord client, `locale`) an interaction comes from. */
export type Where = { guildId?: string | null; channelId?: string; memberPermissions?: bigint; locale?: string; userInstall?: boolean };

export type Exchange = {
  id: string;
  /** The first interaction callback (defer, modal, reply…). */
  callback(): Promise<DiscordCallback>;
  /** The deferred response, filled by a successful editReply. */
  original(): Promise<DiscordWebhookCall>;
  /** The n-th follow-up message (0-based). */
  followUp(n?: number): Promise<DiscordWebhookCall>;
  /** The bot finished handling it (everything it sends has been recorded). */
  settled(): Promise<void>;
};

export type Harness = {
  discord: FakeDiscord;
  mail: FakeMailApi;
  runtime: Runtime;
  config: Config;
  bot: DiscordBot;
  health: HealthRegistry;
  dataDir: string;
  logLines: string[];
  run(subcommand: string, options?: Record<string, OptionValue>, user?: string, where?: Where & { group?: string; command?: string }): Exchange;
  press(customId: string, user?: string, where?: Where & { message?: JsonObject }): Exchange;
  submitModal(customId: string, fields: Record<string, string>, user?: string, where?: Where): Exchange;
  autocomplete(typed: string, user?: string): Exchange;
  /** A message as Discord would deliver it with a button press: the bot's own ephemeral message with these embeds/components. */
  carrying(body: JsonObject): JsonObject;
  /** Links a fresh key known to the fake mail API, straight into the store; returns it. */
  linkKey(user: string, ownerEmail?: string): Promise<string>;
  storeFilesContain(needle: string): Promise<boolean>;
  /** Messages the bot posted in a channel (DM channels included), as the REST requests that created them. */
  posts(channelId: string): DiscordRequest[];
  /** Resolves once the bot has posted `count` messages in the channel. */
  waitForPosts(channelId: string, count?: number): Promise<DiscordRequest[]>;
  /** Resolves with the first log entry (past or future) that matches. */
  waitForLog(match: (entry: LogEntry) => boolean): Promise<LogEntry>;
  close(): Promise<void>;
};

export type LogEntry = { msg?: string; level?: number } & Record<string, unknown>;

/** How interactions reach the bot: INTERACTION_CREATE over the gateway, or signed POSTs to its HTTP endpoint. */
export type DiscordMode = 'gateway' | 'http';
export const MODES: DiscordMode[] = ['gateway', 'http'];

export type HarnessOptions = {
  /** Default gateway. In HTTP mode the bot opens no gateway unless `env.DISCORD_GATEWAY` asks for one. */
  mode?: DiscordMode;
  env?: Record<string, string>;
  discord?: Partial<FakeDiscordOptions>;
  mail?: FakeMailApiOptions;
  bot?: StartDiscordOptions;
  /** Default debug: tests wait on the bot's "interaction settled" line. */
  logLevel?: string;
  /** The test server's language (its preferred_locale / guild_locale); default en-US. */
  guildLocale?: string;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hb-discord-'));
  const mail = await startFakeMailApi({ rateLimits: false, ...options.mail });
  const discord = await startFakeDiscord({
    token: TOKEN,
    users: [
      { id: ALICE, username: 'alice', global_name: 'Alice' },
      { id: MOD, username: 'mod' },
      { id: LISTED, username: 'listed' },
      { id: OWNER, username: 'owner' },
    ],
    guilds: [{
      id: GUILD,
      name: 'Test Server',
      ownerId: OWNER,
      roles: [{ id: MOD_ROLE, name: 'mods', permissions: PERMISSIONS.ManageGuild }],
      channels: [
        { id: GENERAL, name: 'general' },
        { id: NOTIFY, name: 'bot-admin' },
        { id: HIDDEN, name: 'secret', permission_overwrites: [{ id: GUILD, type: 0, deny: PERMISSIONS.ViewChannel }] },
        { id: NO_EMBEDS, name: 'no-embeds', permission_overwrites: [{ id: GUILD, type: 0, deny: PERMISSIONS.EmbedLinks }] },
        { id: READ_ONLY, name: 'read-only', permission_overwrites: [{ id: GUILD, type: 0, deny: PERMISSIONS.SendMessages | PERMISSIONS.EmbedLinks }] },
      ],
      members: [{ user: OWNER }, { user: ALICE, nick: 'ali' }, { user: MOD, roles: [MOD_ROLE] }, { user: LISTED }],
      ...(options.guildLocale ? { preferredLocale: options.guildLocale } : {}),
    }],
    ...options.discord,
  });

  const logLines: string[] = [];
  const logEvents = new EventEmitter();
  logEvents.setMaxListeners(0);
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logLines.push(line);
        logEvents.emit('line', line);
      }
      done();
    },
  });
  const log = createLogger({ destination, level: options.logLevel ?? 'debug' });

  const config = loadConfig({
    MAIL_API_URL: mail.url,
    MAIL_API_TIMEOUT_MS: '5000',
    STORE_URL: `sqlite://${path.join(dataDir, 'handle-bot.sqlite')}`,
    DATA_DIR: dataDir,
    COOLDOWN_SECONDS: '0',
    // These tests exercise the service's own limits on key requests: the bot's per-person one is off.
    KEY_REQUEST_INTERVAL_SECONDS: '0',
    KEY_REQUESTS_PER_DAY: '0',
    ADMIN_USERS: `discord:${LISTED}`,
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    LOG_LEVEL: 'debug',
    ...(options.mode === 'http' ? { DISCORD_PUBLIC_KEY: discord.publicKey, DISCORD_HTTP_PORT: '0' } : {}),
    ...options.env,
  });
  const runtime = await createRuntime(config, { log });
  const health = createHealthRegistry();
  let bot: DiscordBot;
  try {
    bot = await startDiscord(runtime.frontDoor, { health, rest: { retries: 0, timeout: 5000 }, drainTimeoutMs: 5000, httpHost: '127.0.0.1', ...options.bot });
  } catch (error) {
    await runtime.close();
    await Promise.all([discord.close(), mail.close()]);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  // The Developer Portal's Interactions Endpoint URL.
  if (bot.interactionsUrl) discord.useInteractionsEndpoint(bot.interactionsUrl);

  const settledIds = new Set<string>();
  logEvents.on('line', (line: string) => {
    const entry = JSON.parse(line) as { msg?: string; interaction?: string };
    if (entry.msg === 'interaction settled' && entry.interaction) settledIds.add(entry.interaction);
  });
  const settled = (id: string) =>
    new Promise<void>((resolve, reject) => {
      if (settledIds.has(id)) {
        resolve();
        return;
      }
      const timer = setTimeout(() => { reject(new Error(`interaction ${id} did not settle`)); }, 5000);
      const onLine = () => {
        if (!settledIds.has(id)) return;
        clearTimeout(timer);
        logEvents.off('line', onLine);
        resolve();
      };
      logEvents.on('line', onLine);
    });

  const exchange = (id: string): Exchange => ({
    id,
    callback: () => discord.waitForCallback(id),
    original: () => discord.waitForWebhook((w) => w.interactionId === id && w.method === 'PATCH' && w.messageId === '@original' && w.status < 300),
    followUp: async (n = 0) => {
      const sent = () => discord.webhooksFor(id).filter((w) => w.method === 'POST' && w.status < 300);
      await discord.waitForWebhook((w) => w.interactionId === id && sent().length > n);
      const posts = sent();
      return posts[n]!;
    },
    settled: () => settled(id),
  });
  const context = (user: string, where: Where = {}) => ({
    user,
    ...(where.guildId === null ? {} : { guildId: where.guildId ?? GUILD }),
    ...(where.channelId ? { channelId: where.channelId } : {}),
    ...(where.memberPermissions !== undefined ? { memberPermissions: where.memberPermissions } : {}),
    ...(where.locale ? { locale: where.locale } : {}),
    ...(where.userInstall ? { userInstall: true } : {}),
  });

  return {
    discord, mail, runtime, config, bot, health, dataDir, logLines,
    run(subcommand, opts = {}, user = ALICE, where = {}) {
      return exchange(discord.sendInteraction(discord.chatInputInteraction({
        ...context(user, where),
        ...(where.command ? { name: where.command } : {}),
        ...(where.group ? { group: where.group } : {}),
        subcommand,
        options: opts,
      })));
    },
    press(customId, user = ALICE, where = {}) {
      return exchange(discord.sendInteraction(discord.buttonInteraction({
        ...context(user, where), custom_id: customId, ...(where.message ? { message: where.message } : {}),
      })));
    },
    submitModal(customId, fields, user = ALICE, where = {}) {
      return exchange(discord.sendInteraction(discord.modalSubmitInteraction({ ...context(user, where), custom_id: customId, fields })));
    },
    autocomplete(typed, user = ALICE) {
      return exchange(discord.sendInteraction(discord.autocompleteInteraction({
        ...context(user), subcommand: 'delete', options: { name: typed }, focused: 'name',
      })));
    },
    carrying(body) {
      const base = discord.buttonInteraction({ user: ALICE, guildId: GUILD, custom_id: 'x' }).message as JsonObject;
      return { ...base, embeds: body.embeds ?? [], components: body.components ?? [], flags: body.flags ?? 64 };
    },
    async linkKey(user, ownerEmail = `${user}@owner.example`) {
      const key = mail.newKey(ownerEmail);
      await runtime.store.setKey(discordIdentity(user), key as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });
      return key;
    },
    async storeFilesContain(needle) {
      for (const file of await readdir(dataDir, { recursive: true })) {
        const content = await readFile(path.join(dataDir, file)).catch(() => undefined);
        if (content?.includes(needle)) return true;
      }
      return false;
    },
    posts(channelId) {
      return postsIn(discord, channelId);
    },
    async waitForPosts(channelId, count = 1) {
      await discord.waitFor(() => postsIn(discord, channelId).length >= count);
      return postsIn(discord, channelId);
    },
    waitForLog(match) {
      return new Promise((resolve, reject) => {
        const found = logLines.map((line) => JSON.parse(line) as LogEntry).find(match);
        if (found) {
          resolve(found);
          return;
        }
        const timer = setTimeout(() => {
          logEvents.off('line', onLine);
          reject(new Error('no matching log line within 5 s'));
        }, 5000);
        const onLine = (line: string) => {
          const entry = JSON.parse(line) as LogEntry;
          if (!match(entry)) return;
          clearTimeout(timer);
          logEvents.off('line', onLine);
          resolve(entry);
        };
        logEvents.on('line', onLine);
      });
    },
    async close() {
      await bot.stop();
      await runtime.close();
      await discord.close();
      await mail.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The first embed of a recorded message body, as text a test can search. */
export function embedText(message: { body: any } | JsonObject): string {
  const embed = (('body' in message ? message.body : message) as JsonObject).embeds?.[0] as JsonObject | undefined;
  if (!embed) return '';
  return [
    embed.title,
    embed.description,
    ...((embed.fields as JsonObject[] | undefined) ?? []).map((f) => `${String(f.name)}: ${String(f.value)}`),
    (embed.footer as JsonObject | undefined)?.text,
  ].filter((part) => part !== undefined).join('\n');
}

/** Every button custom_id in a recorded message body. */
export function buttonIds(message: { body: any } | JsonObject): string[] {
  const body = ('body' in message ? message.body : message) as JsonObject;
  return ((body.components as JsonObject[] | undefined) ?? []).flatMap((row) => (row.components as JsonObject[]).map((c) => c.custom_id as string));
}

/** Messages the bot created in a channel: successful `POST /channels/:id/messages` requests. */
export function postsIn(discord: FakeDiscord, channelId: string): DiscordRequest[] {
  return discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status < 300);
}
