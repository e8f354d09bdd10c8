/**
 * Loopback fake of Discord for driving the real discord.js in tests:
 * - REST at `/api/v10/...` (give discord.js `rest: { api: fake.apiUrl }`, no `/v10`),
 * - the gateway at `/gateway` (discovered by discord.js through `GET /gateway/bot`),
 * plus builders for INTERACTION_CREATE payloads and `sendInteraction` to dispatch them —
 * over the gateway, or, once `useInteractionsEndpoint(url)` is set (the Developer Portal's
 * Interactions Endpoint URL), as Ed25519-signed POSTs to the bot whose HTTP response is
 * recorded as the interaction's callback (`via: 'http'`), as Discord would use it.
 * Shapes follow the team's testing notes (testing-notes.md, shared beside the repository; verified against discord.js 14.28).
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { type JsonObject, TrafficLog, preciseNow, readBody, sendJson } from './traffic-log.js';
import { acceptWebSockets, closeServers, listenOnLoopback } from './loopback-server.js';

export type { JsonObject } from './traffic-log.js';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Permission bits (as bigint) tests are likely to need. */
export const PERMISSIONS = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  Stream: 1n << 9n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  UseVAD: 1n << 25n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** Every permission bit Discord currently defines (what owners and administrators get). */
export const ALL_PERMISSIONS = (1n << 53n) - 1n;

/** Roughly what @everyone gets in a new server. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PERMISSIONS.CreateInstantInvite | PERMISSIONS.AddReactions | PERMISSIONS.Stream | PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages | PERMISSIONS.EmbedLinks | PERMISSIONS.AttachFiles | PERMISSIONS.ReadMessageHistory |
  PERMISSIONS.UseExternalEmojis | PERMISSIONS.Connect | PERMISSIONS.Speak | PERMISSIONS.UseVAD |
  PERMISSIONS.ChangeNickname | PERMISSIONS.UseApplicationCommands | PERMISSIONS.CreatePublicThreads |
  PERMISSIONS.SendMessagesInThreads;

export const INTENTS = { Guilds: 1, GuildMembers: 2, GuildPresences: 256, GuildMessages: 512, DirectMessages: 4096, MessageContent: 32768 } as const;

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A real-looking snowflake (discord.js reads creation times from ids). */
export function snowflake(at = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export interface DiscordRequest {
  kind: 'request';
  method: string;
  /** Path after `/api/v10`, URL-decoded (`/webhooks/1/tok/messages/@original`). */
  path: string;
  query: Record<string, string>;
  body: any;
  headers: IncomingHttpHeaders;
  at: number;
  status: number;
  response: any;
}

export interface DiscordCallback {
  kind: 'callback';
  interactionId: string;
  token: string;
  /** 4 reply, 5 deferReply, 6 deferUpdate, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data: any;
  withResponse: boolean;
  at: number;
  status: number;
  /** `http`: the HTTP response to the signed POST (HTTP interactions mode); `rest`: POST /interactions/:id/:token/callback. */
  via: 'rest' | 'http';
}

/** Every answer of the bot's interactions endpoint to a POST the fake sent (refusals included). */
export interface DiscordEndpointResponse {
  kind: 'endpoint';
  interactionId: string | undefined;
  status: number;
  body: any;
  at: number;
}

export interface DiscordWebhookCall {
  kind: 'webhook';
  method: string;
  applicationId: string;
  token: string;
  /** The interaction this token belongs to, when the fake sent it. */
  interactionId: string | undefined;
  /** `@original`, a follow-up id, or undefined for a new follow-up (POST). */
  messageId: string | undefined;
  body: any;
  query: Record<string, string>;
  at: number;
  status: number;
  response: any;
}

export interface DiscordGatewayFrame {
  kind: 'gateway';
  /** `in`: sent by the client; `out`: sent by the fake. */
  direction: 'in' | 'out';
  connectionId: number;
  op: number;
  t?: string | null;
  s?: number | null;
  d: any;
  at: number;
}

export interface DiscordGatewayClose {
  kind: 'gateway-close';
  connectionId: number;
  code: number;
  at: number;
}

export type DiscordTraffic = DiscordRequest | DiscordCallback | DiscordWebhookCall | DiscordGatewayFrame | DiscordGatewayClose | DiscordEndpointResponse;

export interface FakeDiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
  /** DMs to this user fail with 403 `{code: 50007}`. */
  dmClosed?: boolean;
}

export interface FakeDiscordOverwrite {
  id: string;
  /** 0 role, 1 member */
  type: 0 | 1;
  allow?: bigint | string;
  deny?: bigint | string;
}

export interface FakeDiscordChannel {
  id: string;
  name: string;
  /** 0 text (default), 2 voice, 4 category, 5 announcement. */
  type?: number;
  parent_id?: string | null;
  position?: number;
  permission_overwrites?: FakeDiscordOverwrite[];
  /** POST /channels/:id/messages answers 403 Missing Permissions when false. */
  botCanSend?: boolean;
}

export interface FakeDiscordRole {
  id: string;
  name: string;
  permissions?: bigint | string;
  position?: number;
  managed?: boolean;
}

export interface FakeDiscordMember {
  /** The user (also added to the user table), or the id of a user added before. */
  user: FakeDiscordUser | string;
  roles?: string[];
  nick?: string | null;
  joined_at?: string;
}

export interface FakeGuildSeed {
  id: string;
  name?: string;
  /** Default: the first member, or a generated owner. */
  ownerId?: string;
  everyonePermissions?: bigint | string;
  roles?: FakeDiscordRole[];
  /** Default: one text channel `general`. */
  channels?: FakeDiscordChannel[];
  members?: FakeDiscordMember[];
  /** Permissions of the bot's managed role (default: @everyone's plus SendMessages/EmbedLinks). */
  botPermissions?: bigint | string;
  /** The server's language (`preferred_locale`, and `guild_locale` of its interactions); default en-US. */
  preferredLocale?: string;
}

export interface FakeDiscordOptions {
  /** Bot user id = application id (as on real Discord). */
  applicationId?: string;
  botUsername?: string;
  /** When set, IDENTIFY with another token is closed with 4004 and REST calls with another token get 401. */
  token?: string;
  /** HELLO heartbeat_interval (default 45000). Heartbeats are always ACKed. */
  heartbeatIntervalMs?: number;
  /** The shard count GET /gateway/bot recommends (default 1); each shard gets its guilds' events. */
  shards?: number;
  /** false: IDENTIFY with GuildMembers (2) or GuildPresences (256) is closed with 4014, as when the portal switch is off. */
  privilegedIntentsAllowed?: boolean;
  /** Simulate the global REST limit: more than N bot-authenticated requests in a second get a global 429. Off by default. */
  globalRateLimitPerSecond?: number;
  guilds?: FakeGuildSeed[];
  users?: FakeDiscordUser[];
}

export type OptionValue = string | number | boolean | { type: number; value: string | number | boolean };

export interface InteractionContext {
  /** The user who interacts: a seeded user id or a user object (added to the table). */
  user: FakeDiscordUser | string;
  /** Omit for a DM with the bot. */
  guildId?: string;
  /** Default: the guild's first text channel; in a DM, the user's DM channel. */
  channelId?: string;
  /** Override the member's computed permissions in the channel. */
  memberPermissions?: bigint | string;
  locale?: string;
  /**
   * The app is installed to the person's account only (user install): `authorizing_integration_owners`
   * has just key "1". With a guildId, that server need not have the bot (nor the person as a seeded
   * member); without one, the interaction comes from a DM or group DM that is not the bot's (context 2).
   */
  userInstall?: boolean;
}

export interface ChatInputInput extends InteractionContext {
  name?: string;
  group?: string;
  subcommand?: string;
  /** `{name: 'alice', dry_run: true, channel: option.channel('123')}` or raw option objects. */
  options?: Record<string, OptionValue>;
}

export interface AutocompleteInput extends ChatInputInput {
  /** The option being typed; its value is sent as a string. */
  focused: string;
}

export interface ButtonInput extends InteractionContext {
  custom_id: string;
  /** The message that carries the button (default: a bot message with that button). */
  message?: JsonObject;
}

export interface ModalSubmitInput extends InteractionContext {
  custom_id: string;
  /** `{text_input_custom_id: value}` */
  fields: Record<string, string>;
  /**
   * Layout of the submitted components: Label (type 18, `{type:18, component:{type:4,…}}`) or
   * action rows (`{type:1, components:[{type:4,…}]}`). Default: the layout of the last modal with this
   * custom_id the bot showed (callback type 9), else action rows. Discord answers in the modal's layout.
   */
  labels?: boolean;
  /** Set when the modal was opened from a message component. */
  message?: JsonObject;
}

export interface FailNextOptions {
  headers?: Record<string, string>;
  times?: number;
}

export interface RateLimitOptions {
  /** Seconds (fractions allowed; default 0.05). */
  retryAfter?: number;
  global?: boolean;
  scope?: 'user' | 'global' | 'shared';
  times?: number;
}

/** Option value helpers for the types that cannot be inferred from a JS value. */
export const option = {
  string: (value: string) => ({ type: 3, value }),
  integer: (value: number) => ({ type: 4, value }),
  boolean: (value: boolean) => ({ type: 5, value }),
  user: (id: string) => ({ type: 6, value: id }),
  channel: (id: string) => ({ type: 7, value: id }),
  role: (id: string) => ({ type: 8, value: id }),
  number: (value: number) => ({ type: 10, value }),
};

export interface FakeDiscord {
  /** `http://127.0.0.1:PORT/api`: what discord.js `rest.api` wants (it appends `/v10`). */
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly gatewayUrl: string;
  readonly port: number;
  /** Bot user id = application id. */
  readonly applicationId: string;
  readonly botUser: JsonObject;

  /** Every REST request (callbacks and webhooks included). */
  readonly requests: readonly DiscordRequest[];
  /** Interaction callbacks, in order. */
  readonly callbacks: readonly DiscordCallback[];
  callbacksFor(interactionId: string): DiscordCallback[];
  /** Webhook edits/follow-ups/deletes, in order. */
  readonly webhooks: readonly DiscordWebhookCall[];
  webhooksFor(tokenOrInteractionId: string): DiscordWebhookCall[];
  /** Messages the bot created through POST /channels/:id/messages (DMs included). */
  readonly messages: readonly JsonObject[];
  dmsTo(userId: string): JsonObject[];
  /** Commands stored by PUT/POST, global (`guildId` undefined) or per guild. */
  commands(guildId?: string): JsonObject[];
  readonly traffic: readonly DiscordTraffic[];

  /** The last IDENTIFY's `d` (`identify.intents`), undefined before any. */
  readonly identify: JsonObject | undefined;
  readonly sessionId: string | undefined;
  readonly connected: boolean;

  addUser(user: FakeDiscordUser): void;
  /** Add (or replace) a guild; after READY, a GUILD_CREATE is dispatched (the bot joined). */
  seedGuild(seed: FakeGuildSeed): JsonObject;
  /** Add a member to a seeded guild; returns the GUILD_MEMBER_ADD payload. */
  addMember(guildId: string, member: FakeDiscordMember): JsonObject;
  /** addMember + dispatch GUILD_MEMBER_ADD; returns its sequence, or null when the intents drop it. */
  joinMember(guildId: string, member: FakeDiscordMember): number | null;

  /** Dispatch `{op:0, t, s, d}`; returns s, or null when Discord would not send it for the identified intents. */
  dispatch(t: string, d: JsonObject): number | null;
  /** Send op 7 RECONNECT (the client resumes). */
  requestReconnect(): void;
  /** Close the gateway connection from the server side with `code`. */
  dropConnection(code?: number): void;

  chatInputInteraction(input: ChatInputInput): JsonObject;
  autocompleteInteraction(input: AutocompleteInput): JsonObject;
  buttonInteraction(input: ButtonInput): JsonObject;
  modalSubmitInteraction(input: ModalSubmitInput): JsonObject;
  /** Dispatch INTERACTION_CREATE (or POST it, signed, to the interactions endpoint when one is set); returns the interaction id. */
  sendInteraction(payload: JsonObject): string;

  /** The application's Ed25519 public key, hex (what the Developer Portal shows as Public Key). */
  readonly publicKey: string;
  /** Set (or clear) the Interactions Endpoint URL: interactions are then POSTed there instead of the gateway. */
  useInteractionsEndpoint(url: string | undefined): void;
  /** `X-Signature-Ed25519` for `timestamp + body` with the application's private key (or another key pair's). */
  signature(body: string, timestamp: string, privateKey?: KeyObject): string;
  /** POSTs raw bytes to the endpoint with exactly these headers; the answer is returned and recorded (`endpoint`). */
  postToEndpoint(body: string, headers: Record<string, string>): Promise<{ status: number; body: any }>;

  /** The next request(s) matching `'POST /channels/:id/messages'` (method optional, `*` wildcard) or a RegExp on `METHOD /path` fail. */
  failNext(route: string | RegExp, status: number, body?: unknown, options?: FailNextOptions): void;
  /** The next request(s) matching `route` get a 429 with `retry_after` and the rate-limit headers. */
  rateLimitNext(route: string | RegExp, options?: RateLimitOptions): void;

  waitFor<T extends DiscordTraffic>(predicate: (t: DiscordTraffic) => t is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (t: DiscordTraffic) => boolean, timeoutMs?: number): Promise<DiscordTraffic>;
  waitForCallback(interactionId: string, timeoutMs?: number): Promise<DiscordCallback>;
  waitForWebhook(predicate: (w: DiscordWebhookCall) => boolean, timeoutMs?: number): Promise<DiscordWebhookCall>;
  waitForRequest(route: string | RegExp, timeoutMs?: number): Promise<DiscordRequest>;

  /** Forget recorded traffic and pending failures; seeded data, commands and the session stay. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscordServer(options);
  await fake.listen();
  return fake;
}

type RouteResult = { status: number; body?: unknown; headers?: Record<string, string> };
type RouteContext = { method: string; path: string; params: Record<string, string>; query: Record<string, string>; body: any; headers: IncomingHttpHeaders };
type Route = { method: string; pattern: RegExp; keys: string[]; handler: (ctx: RouteContext) => RouteResult };
type Fault = { matcher: RegExp; result: RouteResult; remaining: number };

interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, JsonObject>;
  channels: Map<string, FakeDiscordChannel>;
  members: Map<string, { roles: string[]; nick: string | null; joined_at: string }>;
  botRoleId: string;
  createdAt: string;
  preferredLocale: string;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string | undefined;
  user: JsonObject;
  acknowledged: boolean;
  original: JsonObject | undefined;
  followUps: Map<string, JsonObject>;
  /** The message carrying the component (button / modal-from-button interactions). */
  message: JsonObject | undefined;
}

interface Session {
  id: string;
  /** [index, count] as identified. */
  shard: [number, number];
  seq: number;
  intents: number;
  buffer: JsonObject[];
  socket: WebSocket | undefined;
}

const UNKNOWN_MESSAGE = { message: 'Unknown Message', code: 10008 };

class FakeDiscordServer implements FakeDiscord {
  readonly applicationId: string;
  readonly botUser: JsonObject;
  private readonly options: FakeDiscordOptions;
  private readonly log = new TrafficLog<DiscordTraffic>('fake Discord');
  private readonly signingKeys = generateKeyPairSync('ed25519');
  readonly publicKey = Buffer.from(String(this.signingKeys.publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  private endpointUrl: string | undefined;
  private readonly server = http.createServer((req, res) => { this.route(req, res); });
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<WebSocket, number>();
  private connectionCount = 0;
  private portNumber = 0;

  private readonly users = new Map<string, FakeDiscordUser>();
  private readonly guilds = new Map<string, GuildState>();
  private readonly dmChannels = new Map<string, string>(); // channel id → user id
  private readonly dmByUser = new Map<string, string>(); // user id → channel id
  private readonly channelMessages = new Map<string, JsonObject>();
  private readonly createdMessages: JsonObject[] = [];
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly globalCommands: JsonObject[] = [];
  private readonly guildCommands = new Map<string, JsonObject[]>();
  private readonly faults: Fault[] = [];
  /** custom_id → layout of the last modal the bot showed with it. */
  private readonly modalLayouts = new Map<string, 'labels' | 'rows'>();
  private readonly routes: Route[] = [];
  /** One session per shard index (a single unsharded client is shard 0 of 1). */
  private readonly sessions = new Map<number, Session>();
  private lastIdentify: JsonObject | undefined;
  private globalWindow = { startedAt: 0, count: 0 };

  constructor(options: FakeDiscordOptions) {
    this.options = options;
    this.applicationId = options.applicationId ?? '1100000000000000001';
    const bot: FakeDiscordUser = { id: this.applicationId, username: options.botUsername ?? 'handle-bot', bot: true, dmClosed: true };
    this.users.set(bot.id, bot);
    this.botUser = { ...this.userObject(bot), verified: true, mfa_enabled: false };
    for (const user of options.users ?? []) this.addUser(user);
    for (const guild of options.guilds ?? []) this.seedGuild(guild);
    this.defineRoutes();

    acceptWebSockets(this.server, this.wss, '/gateway', (ws) => { this.onSocket(ws); });
  }

  async listen(): Promise<void> {
    this.portNumber = await listenOnLoopback(this.server);
  }


  get port(): number { return this.portNumber; }
  get baseUrl(): string { return `http://127.0.0.1:${String(this.portNumber)}`; }
  get apiUrl(): string { return `${this.baseUrl}/api`; }
  get gatewayUrl(): string { return `ws://127.0.0.1:${String(this.portNumber)}/gateway`; }
  get traffic(): readonly DiscordTraffic[] { return this.log.events; }
  get requests(): DiscordRequest[] { return this.log.events.filter((t): t is DiscordRequest => t.kind === 'request'); }
  get callbacks(): DiscordCallback[] { return this.log.events.filter((t): t is DiscordCallback => t.kind === 'callback'); }
  get webhooks(): DiscordWebhookCall[] { return this.log.events.filter((t): t is DiscordWebhookCall => t.kind === 'webhook'); }
  get messages(): readonly JsonObject[] { return this.createdMessages; }
  get identify(): JsonObject | undefined { return this.lastIdentify; }
  /** Shard 0's session: the one an unsharded client has. */
  private get session(): Session | undefined { return this.sessions.get(0) ?? this.sessions.values().next().value; }
  get sessionId(): string | undefined { return this.session?.id; }
  get connected(): boolean { return this.session?.socket?.readyState === WebSocket.OPEN; }

  callbacksFor(interactionId: string): DiscordCallback[] {
    return this.callbacks.filter((c) => c.interactionId === interactionId);
  }

  webhooksFor(tokenOrInteractionId: string): DiscordWebhookCall[] {
    return this.webhooks.filter((w) => w.token === tokenOrInteractionId || w.interactionId === tokenOrInteractionId);
  }

  dmsTo(userId: string): JsonObject[] {
    const channelId = this.dmByUser.get(userId);
    return channelId === undefined ? [] : this.createdMessages.filter((m) => m.channel_id === channelId);
  }

  commands(guildId?: string): JsonObject[] {
    return guildId === undefined ? [...this.globalCommands] : [...(this.guildCommands.get(guildId) ?? [])];
  }

  waitFor(predicate: (t: DiscordTraffic) => boolean, timeoutMs?: number): Promise<DiscordTraffic> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  waitForCallback(interactionId: string, timeoutMs?: number): Promise<DiscordCallback> {
    return this.log.waitFor(
      (t): t is DiscordCallback => t.kind === 'callback' && t.interactionId === interactionId,
      timeoutMs,
      `the callback of interaction ${interactionId}`,
    );
  }

  waitForWebhook(predicate: (w: DiscordWebhookCall) => boolean, timeoutMs?: number): Promise<DiscordWebhookCall> {
    return this.log.waitFor((t): t is DiscordWebhookCall => t.kind === 'webhook' && predicate(t), timeoutMs, 'a webhook call');
  }

  waitForRequest(route: string | RegExp, timeoutMs?: number): Promise<DiscordRequest> {
    const matcher = routeMatcher(route);
    return this.log.waitFor(
      (t): t is DiscordRequest => t.kind === 'request' && matcher.test(`${t.method} ${t.path}`),
      timeoutMs,
      `a request to ${String(route)}`,
    );
  }

  failNext(route: string | RegExp, status: number, body: unknown = { message: 'fake failure', code: 0 }, options: FailNextOptions = {}): void {
    this.faults.push({ matcher: routeMatcher(route), result: { status, body, headers: options.headers ?? {} }, remaining: options.times ?? 1 });
  }

  rateLimitNext(route: string | RegExp, options: RateLimitOptions = {}): void {
    const retryAfter = options.retryAfter ?? 0.05;
    const global = options.global ?? false;
    const scope = options.scope ?? (global ? 'global' : 'user');
    this.faults.push({
      matcher: routeMatcher(route),
      remaining: options.times ?? 1,
      result: {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
        headers: rateLimitHeaders(retryAfter, global, scope),
      },
    });
  }

  reset(): void {
    this.log.clear();
    this.faults.length = 0;
    this.createdMessages.length = 0;
  }

  async close(): Promise<void> {
    this.log.abort('closed');
    const open = [...this.sockets.keys()];
    await Promise.all(open.map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      const timer = setTimeout(() => { ws.terminate(); }, 500);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.OPEN) ws.close(1001, 'fake shutting down');
    })));
    await closeServers(this.server, this.wss);
  }

  // ----- Seeding ------------------------------------------------------------------------------

  addUser(user: FakeDiscordUser): void {
    this.users.set(user.id, user);
  }

  seedGuild(seed: FakeGuildSeed): JsonObject {
    const everyone = toBig(seed.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS);
    const botRoleId = snowflake();
    const roles = new Map<string, JsonObject>();
    roles.set(seed.id, roleObject({ id: seed.id, name: '@everyone', permissions: everyone, position: 0 }));
    (seed.roles ?? []).forEach((role, index) => {
      roles.set(role.id, roleObject({ position: index + 1, ...role, permissions: toBig(role.permissions ?? 0n) }));
    });
    const botRole = roleObject({
      id: botRoleId,
      name: this.botUser.username as string,
      permissions: toBig(seed.botPermissions ?? everyone | PERMISSIONS.SendMessages | PERMISSIONS.EmbedLinks),
      position: roles.size,
      managed: true,
    });
    botRole.tags = { bot_id: this.applicationId };
    roles.set(botRoleId, botRole);

    const channels = new Map<string, FakeDiscordChannel>();
    for (const channel of seed.channels ?? [{ id: snowflake(), name: 'general' }]) channels.set(channel.id, channel);

    const guild: GuildState = {
      id: seed.id,
      name: seed.name ?? `Guild ${seed.id}`,
      ownerId: '',
      roles,
      channels,
      members: new Map(),
      botRoleId,
      createdAt: new Date().toISOString(),
      preferredLocale: seed.preferredLocale ?? 'en-US',
    };
    this.guilds.set(seed.id, guild);
    guild.members.set(this.applicationId, { roles: [botRoleId], nick: null, joined_at: guild.createdAt });
    for (const member of seed.members ?? []) this.storeMember(guild, member);
    const firstHuman = [...guild.members.keys()].find((id) => id !== this.applicationId);
    guild.ownerId = seed.ownerId ?? firstHuman ?? snowflake();
    if (!this.users.has(guild.ownerId)) this.addUser({ id: guild.ownerId, username: `owner${guild.ownerId.slice(-4)}` });

    const payload = this.guildCreatePayload(guild);
    if (this.sessions.size > 0) this.dispatch('GUILD_CREATE', payload);
    return payload;
  }

  addMember(guildId: string, member: FakeDiscordMember): JsonObject {
    const guild = this.requireGuild(guildId);
    const userId = this.storeMember(guild, member);
    return { guild_id: guildId, ...this.memberObject(guild, userId) };
  }

  joinMember(guildId: string, member: FakeDiscordMember): number | null {
    return this.dispatch('GUILD_MEMBER_ADD', this.addMember(guildId, member));
  }

  private storeMember(guild: GuildState, member: FakeDiscordMember): string {
    const user = typeof member.user === 'string' ? this.users.get(member.user) ?? { id: member.user, username: `user${member.user.slice(-4)}` } : member.user;
    this.users.set(user.id, user);
    guild.members.set(user.id, { roles: member.roles ?? [], nick: member.nick ?? null, joined_at: member.joined_at ?? new Date().toISOString() });
    return user.id;
  }

  private requireGuild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: guild ${guildId} is not seeded`);
    return guild;
  }

  // ----- Object shapes ------------------------------------------------------------------------

  private userObject(user: FakeDiscordUser): JsonObject {
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      global_name: user.global_name ?? null,
      avatar: null,
      avatar_decoration_data: null,
      banner: null,
      accent_color: null,
      public_flags: 0,
      flags: 0,
      ...(user.bot ? { bot: true } : {}),
    };
  }

  private userById(id: string): JsonObject {
    const user = this.users.get(id) ?? { id, username: `user${id.slice(-4)}` };
    return this.userObject(user);
  }

  private memberObject(guild: GuildState, userId: string, withUser = true): JsonObject {
    const member = guild.members.get(userId) ?? { roles: [], nick: null, joined_at: guild.createdAt };
    return {
      ...(withUser ? { user: this.userById(userId) } : {}),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: member.roles,
      joined_at: member.joined_at,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  private channelObject(guild: GuildState, channel: FakeDiscordChannel, withGuildId = true): JsonObject {
    return {
      id: channel.id,
      type: channel.type ?? 0,
      ...(withGuildId ? { guild_id: guild.id } : {}),
      name: channel.name,
      position: channel.position ?? 0,
      parent_id: channel.parent_id ?? null,
      permission_overwrites: (channel.permission_overwrites ?? []).map((o) => ({
        id: o.id,
        type: o.type,
        allow: toBig(o.allow ?? 0n).toString(),
        deny: toBig(o.deny ?? 0n).toString(),
      })),
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  private dmChannelFor(userId: string): JsonObject {
    let channelId = this.dmByUser.get(userId);
    if (channelId === undefined) {
      channelId = snowflake();
      this.dmByUser.set(userId, channelId);
      this.dmChannels.set(channelId, userId);
    }
    return { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [this.userById(userId)] };
  }

  private guildObject(guild: GuildState): JsonObject {
    const firstText = [...guild.channels.values()].find((c) => (c.type ?? 0) === 0);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [...guild.roles.values()],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: firstText?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: guild.preferredLocale,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      incidents_data: null,
    };
  }

  private guildCreatePayload(guild: GuildState): JsonObject {
    return {
      ...this.guildObject(guild),
      joined_at: guild.members.get(this.applicationId)?.joined_at ?? guild.createdAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: guild.members.size,
      members: [...guild.members.keys()].map((id) => this.memberObject(guild, id)),
      channels: [...guild.channels.values()].map((c) => this.channelObject(guild, c, false)),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
    };
  }

  /** Member permissions in a channel, the way Discord computes them. */
  private permissionsIn(guild: GuildState, userId: string, channelId: string | undefined): bigint {
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    const member = guild.members.get(userId);
    const roleIds = member?.roles ?? [];
    let perms = toBig((guild.roles.get(guild.id)?.permissions as string | undefined) ?? '0');
    for (const id of roleIds) perms |= toBig((guild.roles.get(id)?.permissions as string | undefined) ?? '0');
    if ((perms & PERMISSIONS.Administrator) !== 0n) return ALL_PERMISSIONS;
    const channel = channelId === undefined ? undefined : guild.channels.get(channelId);
    const overwrites = channel?.permission_overwrites ?? [];
    const everyone = overwrites.find((o) => o.id === guild.id);
    if (everyone) perms = (perms & ~toBig(everyone.deny ?? 0n)) | toBig(everyone.allow ?? 0n);
    let allow = 0n;
    let deny = 0n;
    for (const o of overwrites) {
      if (o.type === 0 && roleIds.includes(o.id)) {
        allow |= toBig(o.allow ?? 0n);
        deny |= toBig(o.deny ?? 0n);
      }
    }
    perms = (perms & ~deny) | allow;
    const own = overwrites.find((o) => o.type === 1 && o.id === userId);
    if (own) perms = (perms & ~toBig(own.deny ?? 0n)) | toBig(own.allow ?? 0n);
    return perms;
  }

  private messageObject(channelId: string, body: JsonObject, extra: JsonObject = {}): JsonObject {
    return {
      id: snowflake(),
      channel_id: channelId,
      type: 0,
      content: body.content ?? '',
      author: this.botUser,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts ?? false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      flags: body.flags ?? 0,
      ...extra,
    };
  }

  private editMessage(message: JsonObject, body: JsonObject): JsonObject {
    for (const key of ['content', 'embeds', 'components', 'flags', 'attachments', 'allowed_mentions'] as const) {
      if (key in body) message[key] = body[key] ?? (key === 'content' ? '' : []);
    }
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  // ----- Interactions -------------------------------------------------------------------------

  private interactionBase(type: number, context: InteractionContext): JsonObject {
    const user = typeof context.user === 'string' ? this.userById(context.user) : this.userObject(context.user);
    if (typeof context.user !== 'string') this.addUser(context.user);
    const id = snowflake();
    const base: JsonObject = {
      id,
      application_id: this.applicationId,
      type,
      token: `fake-interaction-token.${id}.${randomBytes(12).toString('base64url')}`,
      version: 1,
      locale: context.locale ?? 'en-US',
      entitlements: [],
      attachment_size_limit: 10485760,
    };
    if (context.guildId !== undefined) {
      const guild = this.guilds.get(context.guildId);
      const channelId = context.channelId ?? (guild ? [...guild.channels.values()].find((c) => (c.type ?? 0) === 0)?.id : undefined) ?? snowflake();
      const seededChannel = guild?.channels.get(channelId);
      const memberPerms = context.memberPermissions !== undefined
        ? toBig(context.memberPermissions)
        : guild ? this.permissionsIn(guild, user.id as string, channelId) : DEFAULT_EVERYONE_PERMISSIONS;
      const appPerms = guild ? this.permissionsIn(guild, this.applicationId, channelId) : DEFAULT_EVERYONE_PERMISSIONS;
      const channel = guild && seededChannel
        ? this.channelObject(guild, seededChannel)
        : { id: channelId, type: 0, guild_id: context.guildId, name: 'channel', position: 0, parent_id: null, permission_overwrites: [], nsfw: false, flags: 0, last_message_id: null, rate_limit_per_user: 0, topic: null };
      const member = guild ? this.memberObject(guild, user.id as string, false) : { roles: [], joined_at: new Date().toISOString(), nick: null, avatar: null, deaf: false, mute: false, flags: 0, pending: false, premium_since: null, communication_disabled_until: null };
      Object.assign(base, {
        guild_id: context.guildId,
        guild: { id: context.guildId, locale: guild?.preferredLocale ?? 'en-US', features: [] },
        guild_locale: guild?.preferredLocale ?? 'en-US',
        channel_id: channelId,
        channel: { ...channel, permissions: memberPerms.toString() },
        member: { ...member, user, permissions: memberPerms.toString() },
        app_permissions: appPerms.toString(),
        authorizing_integration_owners: context.userInstall ? { '1': user.id } : { '0': context.guildId },
        context: 0,
      });
    } else if (context.userInstall) {
      const channelId = context.channelId ?? snowflake();
      Object.assign(base, {
        channel_id: channelId,
        channel: { id: channelId, type: 3, name: null, owner_id: user.id, flags: 0, last_message_id: null, recipients: [user] },
        user,
        app_permissions: DEFAULT_EVERYONE_PERMISSIONS.toString(),
        authorizing_integration_owners: { '1': user.id },
        context: 2,
      });
    } else {
      const dm = this.dmChannelFor(user.id as string);
      Object.assign(base, {
        channel_id: dm.id,
        channel: dm,
        user,
        app_permissions: DEFAULT_EVERYONE_PERMISSIONS.toString(),
        // A guild-installed app used in its DM: key "0" (guild install) with the value "0".
        authorizing_integration_owners: { '0': '0' },
        context: 1,
      });
    }
    return base;
  }

  private buildOptions(input: ChatInputInput, focused?: string): { options: JsonObject[]; resolved: JsonObject | undefined } {
    const resolved: JsonObject = {};
    const leaves: JsonObject[] = Object.entries(input.options ?? {}).map(([name, raw]) => {
      const { type, value } = typeof raw === 'object' ? raw : { type: inferOptionType(raw), value: raw };
      const leaf: JsonObject = { name, type, value: name === focused ? String(value) : value };
      if (name === focused) leaf.focused = true;
      this.resolveOption(type, String(value), input.guildId, resolved);
      return leaf;
    });
    let options = leaves;
    if (input.subcommand !== undefined) options = [{ name: input.subcommand, type: 1, options }];
    if (input.group !== undefined) {
      if (input.subcommand === undefined) throw new Error('fake Discord: a subcommand group needs a subcommand');
      options = [{ name: input.group, type: 2, options }];
    }
    return { options, resolved: Object.keys(resolved).length > 0 ? resolved : undefined };
  }

  private resolveOption(type: number, id: string, guildId: string | undefined, resolved: JsonObject): void {
    const guild = guildId === undefined ? undefined : this.guilds.get(guildId);
    if (type === 7) {
      const channel = guild?.channels.get(id);
      const object = guild && channel ? this.channelObject(guild, channel) : { id, type: 0, name: 'channel', ...(guildId ? { guild_id: guildId } : {}), parent_id: null, flags: 0 };
      resolved.channels = { ...(resolved.channels as JsonObject | undefined), [id]: { ...object, permissions: ALL_PERMISSIONS.toString() } };
    } else if (type === 6) {
      resolved.users = { ...(resolved.users as JsonObject | undefined), [id]: this.userById(id) };
      if (guild?.members.has(id)) {
        resolved.members = { ...(resolved.members as JsonObject | undefined), [id]: { ...this.memberObject(guild, id, false), permissions: this.permissionsIn(guild, id, undefined).toString() } };
      }
    } else if (type === 8) {
      const role = guild?.roles.get(id);
      if (role) resolved.roles = { ...(resolved.roles as JsonObject | undefined), [id]: role };
    }
  }

  private commandId(name: string, guildId: string | undefined): string {
    const pool = [...(guildId ? this.guildCommands.get(guildId) ?? [] : []), ...this.globalCommands];
    return (pool.find((c) => c.name === name)?.id as string | undefined) ?? snowflake();
  }

  chatInputInteraction(input: ChatInputInput): JsonObject {
    const base = this.interactionBase(2, input);
    const name = input.name ?? 'handle';
    const { options, resolved } = this.buildOptions(input);
    base.data = {
      id: this.commandId(name, input.guildId),
      name,
      type: 1,
      ...(input.guildId !== undefined ? { guild_id: input.guildId } : {}),
      options,
      ...(resolved ? { resolved } : {}),
    };
    return base;
  }

  autocompleteInteraction(input: AutocompleteInput): JsonObject {
    const base = this.interactionBase(4, input);
    const name = input.name ?? 'handle';
    const { options } = this.buildOptions(input, input.focused);
    base.data = { id: this.commandId(name, input.guildId), name, type: 1, ...(input.guildId !== undefined ? { guild_id: input.guildId } : {}), options };
    return base;
  }

  buttonInteraction(input: ButtonInput): JsonObject {
    const base = this.interactionBase(3, input);
    base.message = input.message ?? this.messageObject(base.channel_id as string, {
      content: 'message with a button',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Button', custom_id: input.custom_id }] }],
    }, { webhook_id: this.applicationId, application_id: this.applicationId });
    base.data = { custom_id: input.custom_id, component_type: 2 };
    return base;
  }

  modalSubmitInteraction(input: ModalSubmitInput): JsonObject {
    const base = this.interactionBase(5, input);
    const labels = input.labels ?? this.modalLayouts.get(input.custom_id) === 'labels';
    const components = Object.entries(input.fields).map(([customId, value], index) => {
      const textInput = { type: 4, id: index * 2 + 2, custom_id: customId, value };
      return labels ? { type: 18, id: index * 2 + 1, component: textInput } : { type: 1, id: index * 2 + 1, components: [textInput] };
    });
    base.data = { custom_id: input.custom_id, components };
    if (input.message) base.message = input.message;
    return base;
  }

  sendInteraction(payload: JsonObject): string {
    const id = payload.id as string;
    const state: InteractionState = {
      id,
      token: payload.token as string,
      type: payload.type as number,
      channelId: payload.channel_id as string,
      guildId: payload.guild_id as string | undefined,
      user: (payload.member?.user ?? payload.user) as JsonObject,
      acknowledged: false,
      original: undefined,
      followUps: new Map(),
      message: payload.message as JsonObject | undefined,
    };
    this.interactions.set(id, state);
    this.interactionsByToken.set(state.token, state);
    if (this.endpointUrl !== undefined) {
      void this.deliverOverHttp(state, JSON.stringify(payload));
      return id;
    }
    if (this.dispatch('INTERACTION_CREATE', payload) === null) throw new Error('fake Discord: INTERACTION_CREATE was not dispatched');
    return id;
  }

  useInteractionsEndpoint(url: string | undefined): void {
    this.endpointUrl = url;
  }

  signature(body: string, timestamp: string, privateKey: KeyObject = this.signingKeys.privateKey): string {
    return sign(null, Buffer.from(timestamp + body, 'utf8'), privateKey).toString('hex');
  }

  async postToEndpoint(body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
    const url = this.endpointUrl;
    if (url === undefined) throw new Error('fake Discord: no interactions endpoint set');
    let interactionId: string | undefined;
    try {
      interactionId = (JSON.parse(body) as JsonObject).id as string | undefined;
    } catch {
      interactionId = undefined;
    }
    let answer: { status: number; body: any };
    try {
      const response = await fetch(url, { method: 'POST', headers, body });
      const text = await response.text();
      answer = { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    } catch (error) {
      answer = { status: 0, body: String(error) };
    }
    this.log.push({ kind: 'endpoint', interactionId, status: answer.status, body: answer.body, at: preciseNow() });
    return answer;
  }

  /** As Discord does: sign, POST, and take a 200's body as the interaction's first response. */
  private async deliverOverHttp(state: InteractionState, body: string): Promise<void> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const answer = await this.postToEndpoint(body, {
      'content-type': 'application/json',
      'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
      'x-signature-ed25519': this.signature(body, timestamp),
      'x-signature-timestamp': timestamp,
    });
    if (answer.status !== 200) return;
    const response = asObject(answer.body);
    const result = this.acknowledge(state.id, state.token, response, false);
    this.log.push({
      kind: 'callback', interactionId: state.id, token: state.token, type: Number(response.type), data: response.data,
      withResponse: false, at: preciseNow(), status: result.status, via: 'http',
    });
  }

  // ----- Gateway ------------------------------------------------------------------------------

  dispatch(t: string, d: JsonObject): number | null {
    const session = this.sessions.get(this.shardOf(t, d)) ?? this.session;
    if (!session) throw new Error(`fake Discord: cannot dispatch ${t}: no client has identified`);
    return this.dispatchTo(session, t, d);
  }

  /** Discord's rule: a guild's events go to shard (guild_id >> 22) % shard count; DMs to shard 0. */
  private shardOf(t: string, d: JsonObject): number {
    const guildId = (t === 'GUILD_CREATE' ? d.id : d.guild_id) as string | undefined;
    const count = this.session?.shard[1] ?? 1;
    return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  private dispatchTo(session: Session, t: string, d: JsonObject): number | null {
    const needed = intentFor(t, d);
    if (needed !== 0 && (session.intents & needed) === 0) return null;
    const frame = { op: 0, t, s: ++session.seq, d };
    session.buffer.push(frame);
    if (session.buffer.length > 1000) session.buffer.shift();
    if (session.socket?.readyState === WebSocket.OPEN) this.send(session.socket, frame);
    return frame.s;
  }

  requestReconnect(): void {
    const socket = this.session?.socket;
    if (socket?.readyState === WebSocket.OPEN) this.send(socket, { op: 7, d: null });
  }

  dropConnection(code = 4000): void {
    const socket = this.session?.socket;
    if (socket?.readyState === WebSocket.OPEN) socket.close(code, 'dropped by the fake');
  }

  private send(ws: WebSocket, frame: JsonObject): void {
    ws.send(JSON.stringify(frame));
    this.log.push({
      kind: 'gateway',
      direction: 'out',
      connectionId: this.sockets.get(ws) ?? 0,
      op: frame.op as number,
      t: frame.t as string | undefined,
      s: frame.s as number | undefined,
      d: frame.d,
      at: preciseNow(),
    });
  }

  private onSocket(ws: WebSocket): void {
    const connectionId = ++this.connectionCount;
    this.sockets.set(ws, connectionId);
    ws.on('error', () => { /* reported through 'close' */ });
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      for (const session of this.sessions.values()) if (session.socket === ws) session.socket = undefined;
      this.log.push({ kind: 'gateway-close', connectionId, code, at: preciseNow() });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: JsonObject;
      try {
        frame = JSON.parse(rawDataToString(data)) as JsonObject;
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.log.push({ kind: 'gateway', direction: 'in', connectionId, op: frame.op as number, d: frame.d, at: preciseNow() });
      this.onFrame(ws, frame);
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 45000, _trace: ['["fake-gateway",{}]'] } });
  }

  private onFrame(ws: WebSocket, frame: JsonObject): void {
    const d = (frame.d ?? {}) as JsonObject;
    switch (frame.op) {
      case 1: // heartbeat
        this.send(ws, { op: 11 });
        return;
      case 2: { // identify
        this.lastIdentify = d;
        if (this.options.token !== undefined && d.token !== this.options.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        const intents = Number(d.intents ?? 0);
        if (this.options.privilegedIntentsAllowed === false && (intents & (INTENTS.GuildMembers | INTENTS.GuildPresences)) !== 0) {
          ws.close(4014, 'Disallowed intent(s).');
          return;
        }
        const shard = (Array.isArray(d.shard) ? d.shard : [0, 1]) as [number, number];
        const session: Session = { id: randomBytes(16).toString('hex'), shard, seq: 0, intents, buffer: [], socket: ws };
        this.sessions.set(shard[0], session);
        const privileged = this.options.privilegedIntentsAllowed !== false;
        const guildsHere = [...this.guilds.values()].filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(shard[1])) === shard[0]);
        this.dispatchTo(session, 'READY', {
          v: 10,
          user_settings: {},
          user: this.botUser,
          guilds: guildsHere.map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.id,
          session_type: 'normal',
          resume_gateway_url: this.gatewayUrl,
          relationships: [],
          private_channels: [],
          presences: [],
          geo_ordered_rtc_regions: [],
          guild_join_requests: [],
          application: { id: this.applicationId, flags: privileged ? (1 << 13) | (1 << 15) : 0 },
          shard,
          _trace: ['["fake-gateway",{}]'],
        });
        for (const guild of guildsHere) this.dispatchTo(session, 'GUILD_CREATE', this.guildCreatePayload(guild));
        return;
      }
      case 6: { // resume
        const session = [...this.sessions.values()].find((candidate) => candidate.id === d.session_id);
        if (!session || (this.options.token !== undefined && d.token !== this.options.token)) {
          this.send(ws, { op: 9, d: false });
          return;
        }
        session.socket = ws;
        const from = Number(d.seq ?? 0);
        for (const missed of session.buffer) if ((missed.s as number) > from) this.send(ws, missed);
        this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-gateway",{}]'] });
        return;
      }
      case 8: { // request guild members
        const guild = this.guilds.get(String(d.guild_id));
        const asking = this.sessions.get(this.shardOf('GUILD_MEMBERS_CHUNK', { guild_id: guild?.id }));
        if (!guild || !asking || (asking.intents & INTENTS.GuildMembers) === 0) return;
        const wanted = Array.isArray(d.user_ids) ? (d.user_ids as string[]) : typeof d.user_ids === 'string' ? [d.user_ids] : undefined;
        const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
        const ids = [...guild.members.keys()].filter((id) => wanted ? wanted.includes(id) : (this.users.get(id)?.username ?? '').toLowerCase().startsWith(query));
        this.dispatch('GUILD_MEMBERS_CHUNK', {
          guild_id: guild.id,
          members: ids.map((id) => this.memberObject(guild, id)),
          chunk_index: 0,
          chunk_count: 1,
          not_found: wanted ? wanted.filter((id) => !guild.members.has(id)) : [],
          ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
        });
        return;
      }
      default:
        return; // presence/voice updates: recorded, nothing to answer
    }
  }

  // ----- REST ---------------------------------------------------------------------------------

  private route(req: IncomingMessage, res: ServerResponse): void {
    this.handleRest(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `fake internal error: ${String(error)}`, code: 0 });
      else res.end();
    });
  }

  private async handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const decoded = decodeURIComponent(url.pathname);
    const path = decoded.startsWith('/api/v10') ? decoded.slice('/api/v10'.length) || '/' : decoded;
    const body = parseRestBody(raw, req.headers['content-type']);

    let result: RouteResult;
    const fault = this.faults.find((f) => f.remaining > 0 && f.matcher.test(`${method} ${path}`));
    if (!decoded.startsWith('/api/v10/')) {
      result = { status: 404, body: { message: '404: Not Found', code: 0 } };
    } else if (fault) {
      fault.remaining--;
      if (fault.remaining === 0) this.faults.splice(this.faults.indexOf(fault), 1);
      result = fault.result;
    } else {
      result = this.globalLimit(req, path) ?? this.dispatchRoute({ method, path, params: {}, query, body, headers: req.headers });
    }

    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, result.headers ?? {});
      res.end();
    } else {
      sendJson(res, result.status, result.body, result.headers ?? {});
    }
    this.record(method, path, query, body, req.headers, result);
  }

  private record(method: string, path: string, query: Record<string, string>, body: any, headers: IncomingHttpHeaders, result: RouteResult): void {
    const at = preciseNow();
    this.log.push({ kind: 'request', method, path, query, body, headers, at, status: result.status, response: result.body });
    const callback = /^\/interactions\/([^/]+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === 'POST') {
      this.log.push({
        kind: 'callback',
        interactionId: callback[1] ?? '',
        token: callback[2] ?? '',
        type: Number(body?.type),
        data: body?.data,
        withResponse: query.with_response === 'true',
        at,
        status: result.status,
        via: 'rest',
      });
      return;
    }
    const webhook = /^\/webhooks\/([^/]+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path);
    if (webhook && method !== 'GET') {
      const token = webhook[2] ?? '';
      this.log.push({
        kind: 'webhook',
        method,
        applicationId: webhook[1] ?? '',
        token,
        interactionId: this.interactionsByToken.get(token)?.id,
        messageId: webhook[3],
        body,
        query,
        at,
        status: result.status,
        response: result.body,
      });
    }
  }

  /** Discord's global limit: bot-authenticated requests only (interaction callbacks and webhooks are exempt). */
  private globalLimit(req: IncomingMessage, path: string): RouteResult | undefined {
    const limit = this.options.globalRateLimitPerSecond;
    if (limit === undefined || !req.headers.authorization || path.startsWith('/interactions/') || path.startsWith('/webhooks/')) return undefined;
    const now = Date.now();
    if (now - this.globalWindow.startedAt >= 1000) this.globalWindow = { startedAt: now, count: 0 };
    if (++this.globalWindow.count <= limit) return undefined;
    const retryAfter = Math.max(0.001, (1000 - (now - this.globalWindow.startedAt)) / 1000);
    return { status: 429, body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true }, headers: rateLimitHeaders(retryAfter, true, 'global') };
  }

  private dispatchRoute(ctx: RouteContext): RouteResult {
    for (const route of this.routes) {
      if (route.method !== ctx.method) continue;
      const match = route.pattern.exec(ctx.path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => { params[key] = match[i + 1] ?? ''; });
      const needsAuth = !ctx.path.startsWith('/interactions/') && !ctx.path.startsWith('/webhooks/');
      if (needsAuth) {
        const auth = ctx.headers.authorization;
        if (!auth?.startsWith('Bot ') || (this.options.token !== undefined && auth !== `Bot ${this.options.token}`)) {
          return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
        }
      }
      return route.handler({ ...ctx, params });
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private on(method: string, path: string, handler: (ctx: RouteContext) => RouteResult): void {
    const keys: string[] = [];
    const source = path.split('/').map((part) => {
      if (part.startsWith(':')) {
        keys.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
  }

  /** An interaction's first response, by REST callback or as the HTTP answer of the endpoint. */
  private acknowledge(id: string, token: string, body: any, withResponse: boolean): RouteResult {
    const ok = (payload: unknown, status = 200): RouteResult => ({ status, body: payload });
    const err = (status: number, code: number, message: string): RouteResult => ({ status, body: { message, code } });
    const state = this.interactions.get(id);
    const type = Number(body?.type);
    if (state && state.token !== token) return err(401, 50027, 'Invalid Webhook Token');
    if (state?.acknowledged) return err(400, 40060, 'Interaction has already been acknowledged.');
    if (state?.type === 4 && type !== 8) return err(400, 50035, 'Invalid Form Body');
    if (state && state.type !== 4 && type === 8) return err(400, 50035, 'Invalid Form Body');
    if (state?.type === 5 && type === 9) return err(400, 50035, 'Invalid Form Body');
    if (state && (type === 6 || type === 7) && state.type !== 3 && state.type !== 5) return err(400, 50035, 'Invalid Form Body');
    const data = (body?.data ?? {}) as JsonObject;
    if (type === 9 && typeof data.custom_id === 'string') {
      const first = (Array.isArray(data.components) ? data.components[0] : undefined) as JsonObject | undefined;
      this.modalLayouts.set(data.custom_id, first?.type === 18 ? 'labels' : 'rows');
    }
    let message: JsonObject | undefined;
    if (state) {
      state.acknowledged = true;
      const extra = this.interactionMessageExtra(state);
      if (type === 4) message = state.original = this.messageObject(state.channelId, data, extra);
      else if (type === 5) message = state.original = this.messageObject(state.channelId, { flags: (Number(data.flags ?? 0) | 128) }, extra);
      // deferUpdate/update act on the message that carries the component
      else if (type === 6 || type === 7) {
        const carrier = state.message ? { ...state.message } : this.messageObject(state.channelId, {}, extra);
        message = state.original = type === 7 ? this.editMessage(carrier, data) : carrier;
      }
    }
    if (!withResponse) return { status: 204 };
    return ok({
      interaction: {
        id,
        type: state?.type ?? 2,
        activity_instance_id: null,
        response_message_id: message?.id ?? null,
        response_message_loading: type === 5,
        response_message_ephemeral: ((Number(data.flags ?? 0)) & 64) !== 0,
      },
      resource: { type, ...(message && type !== 5 ? { message } : {}) },
    });
  }

  private defineRoutes(): void {
    const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
    const err = (status: number, code: number, message: string): RouteResult => ({ status, body: { message, code } });

    this.on('GET', '/gateway', () => ok({ url: this.gatewayUrl }));
    this.on('GET', '/gateway/bot', () => ok({
      url: this.gatewayUrl,
      shards: this.options.shards ?? 1,
      // Every shard may identify at once (large bots get max_concurrency > 1): no 5 s wait between shards in tests.
      session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: this.options.shards ?? 1 },
    }));
    const application = (): RouteResult => ok({
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: this.options.privilegedIntentsAllowed === false ? 0 : (1 << 13) | (1 << 15),
      team: null,
      owner: { id: '1100000000000000099', username: 'owner', discriminator: '0', global_name: null, avatar: null, public_flags: 0, flags: 0 },
      bot: this.botUser,
      approximate_guild_count: this.guilds.size,
      integration_types_config: { '0': {} },
    });
    this.on('GET', '/applications/@me', application);
    this.on('GET', '/oauth2/applications/@me', application);
    this.on('GET', '/users/@me', () => ok(this.botUser));
    // The servers the bot is in (partial guilds, by id, paginated with `after` and `limit`).
    this.on('GET', '/users/@me/guilds', ({ query }) => {
      const after = BigInt(query.after ?? '0');
      const limit = Math.min(200, Number(query.limit ?? 200));
      const ids = [...this.guilds.keys()].filter((id) => BigInt(id) > after).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).slice(0, limit);
      return ok(ids.map((id) => ({ id, name: this.guilds.get(id)?.name ?? '', icon: null, owner: false, permissions: '0', features: [] })));
    });
    this.on('GET', '/users/:user', ({ params }) => {
      const user = this.users.get(params.user ?? '');
      return user ? ok(this.userObject(user)) : err(404, 10013, 'Unknown User');
    });

    // Interaction callback
    this.on('POST', '/interactions/:id/:token/callback', ({ params, body, query }) =>
      this.acknowledge(params.id ?? '', params.token ?? '', body, query.with_response === 'true'));

    // Interaction webhooks
    const webhookState = (params: Record<string, string>): InteractionState | undefined | 'bad' => {
      if (params.app !== this.applicationId) return 'bad';
      return this.interactionsByToken.get(params.token ?? '');
    };
    const lenientState = (params: Record<string, string>): InteractionState => {
      const known = this.interactionsByToken.get(params.token ?? '');
      if (known) return known;
      // A token the fake never issued (e.g. an interaction injected without the gateway): accept it.
      const state: InteractionState = { id: snowflake(), token: params.token ?? '', type: 2, channelId: snowflake(), guildId: undefined, user: {}, acknowledged: true, original: undefined, followUps: new Map(), message: undefined };
      this.interactionsByToken.set(state.token, state);
      return state;
    };
    this.on('PATCH', '/webhooks/:app/:token/messages/:message', ({ params, body }) => {
      const known = webhookState(params);
      if (known === 'bad') return err(404, 10015, 'Unknown Webhook');
      const state = known ?? lenientState(params);
      if (!state.acknowledged) return err(404, 10015, 'Unknown Webhook');
      if (params.message === '@original') {
        state.original ??= this.messageObject(state.channelId, {}, this.interactionMessageExtra(state));
        const original = this.editMessage(state.original, asObject(body));
        original.flags = Number(original.flags ?? 0) & ~128; // no longer "thinking"
        return ok(original);
      }
      const followUp = state.followUps.get(params.message ?? '');
      return followUp ? ok(this.editMessage(followUp, asObject(body))) : err(404, 10008, 'Unknown Message');
    });
    this.on('GET', '/webhooks/:app/:token/messages/:message', ({ params }) => {
      const known = webhookState(params);
      if (known === 'bad' || !known) return err(404, 10015, 'Unknown Webhook');
      const message = params.message === '@original' ? known.original : known.followUps.get(params.message ?? '');
      return message ? ok(message) : { status: 404, body: UNKNOWN_MESSAGE };
    });
    this.on('DELETE', '/webhooks/:app/:token/messages/:message', ({ params }) => {
      const known = webhookState(params);
      if (known === 'bad') return err(404, 10015, 'Unknown Webhook');
      const state = known ?? lenientState(params);
      if (params.message === '@original') {
        if (!state.original) return { status: 404, body: UNKNOWN_MESSAGE };
        state.original = undefined;
        return { status: 204 };
      }
      return state.followUps.delete(params.message ?? '') ? { status: 204 } : { status: 404, body: UNKNOWN_MESSAGE };
    });
    this.on('POST', '/webhooks/:app/:token', ({ params, body, query }) => {
      const known = webhookState(params);
      if (known === 'bad') return err(404, 10015, 'Unknown Webhook');
      const state = known ?? lenientState(params);
      if (!state.acknowledged) return err(404, 10015, 'Unknown Webhook');
      const message = this.messageObject(state.channelId, asObject(body), this.interactionMessageExtra(state));
      state.followUps.set(message.id as string, message);
      return query.wait === 'true' ? ok(message) : { status: 204 };
    });

    // Channels and DMs
    this.on('POST', '/users/@me/channels', ({ body }) => {
      const recipient = String(asObject(body).recipient_id ?? '');
      if (!recipient) return err(400, 50035, 'Invalid Form Body');
      return ok(this.dmChannelFor(recipient));
    });
    this.on('GET', '/channels/:channel', ({ params }) => {
      const found = this.findChannel(params.channel ?? '');
      return found ? ok(found) : err(404, 10003, 'Unknown Channel');
    });
    this.on('POST', '/channels/:channel/messages', ({ params, body }) => {
      const channelId = params.channel ?? '';
      const dmUser = this.dmChannels.get(channelId);
      if (dmUser !== undefined) {
        if (this.users.get(dmUser)?.dmClosed) return err(403, 50007, 'Cannot send messages to this user');
      } else {
        const located = this.locateGuildChannel(channelId);
        if (!located) return err(404, 10003, 'Unknown Channel');
        if (located.channel.botCanSend === false) return err(403, 50013, 'Missing Permissions');
      }
      const guildId = dmUser === undefined ? this.locateGuildChannel(channelId)?.guild.id : undefined;
      const message = this.messageObject(channelId, asObject(body), guildId ? { guild_id: guildId } : {});
      this.channelMessages.set(message.id as string, message);
      this.createdMessages.push(message);
      return ok(message);
    });
    this.on('PATCH', '/channels/:channel/messages/:message', ({ params, body }) => {
      const message = this.channelMessages.get(params.message ?? '');
      return message && message.channel_id === params.channel ? ok(this.editMessage(message, asObject(body))) : { status: 404, body: UNKNOWN_MESSAGE };
    });
    this.on('GET', '/channels/:channel/messages/:message', ({ params }) => {
      const message = this.channelMessages.get(params.message ?? '');
      return message?.channel_id === params.channel ? ok(message) : { status: 404, body: UNKNOWN_MESSAGE };
    });
    this.on('DELETE', '/channels/:channel/messages/:message', ({ params }) => {
      return this.channelMessages.delete(params.message ?? '') ? { status: 204 } : { status: 404, body: UNKNOWN_MESSAGE };
    });

    // Guilds
    this.on('GET', '/guilds/:guild', ({ params }) => {
      const guild = this.guilds.get(params.guild ?? '');
      return guild ? ok(this.guildObject(guild)) : err(404, 10004, 'Unknown Guild');
    });
    this.on('GET', '/guilds/:guild/roles', ({ params }) => {
      const guild = this.guilds.get(params.guild ?? '');
      return guild ? ok([...guild.roles.values()]) : err(404, 10004, 'Unknown Guild');
    });
    this.on('GET', '/guilds/:guild/channels', ({ params }) => {
      const guild = this.guilds.get(params.guild ?? '');
      return guild ? ok([...guild.channels.values()].map((c) => this.channelObject(guild, c))) : err(404, 10004, 'Unknown Guild');
    });
    this.on('GET', '/guilds/:guild/members', ({ params }) => {
      const guild = this.guilds.get(params.guild ?? '');
      return guild ? ok([...guild.members.keys()].map((id) => this.memberObject(guild, id))) : err(404, 10004, 'Unknown Guild');
    });
    this.on('GET', '/guilds/:guild/members/:user', ({ params }) => {
      const guild = this.guilds.get(params.guild ?? '');
      if (!guild) return err(404, 10004, 'Unknown Guild');
      const userId = params.user === '@me' ? this.applicationId : params.user ?? '';
      return guild.members.has(userId) ? ok(this.memberObject(guild, userId)) : err(404, 10007, 'Unknown Member');
    });

    // Application commands
    const commandList = (params: Record<string, string>): JsonObject[] | undefined => {
      if (params.app !== this.applicationId) return undefined;
      if (params.guild === undefined) return this.globalCommands;
      if (!this.guilds.has(params.guild)) return undefined;
      let list = this.guildCommands.get(params.guild);
      if (!list) this.guildCommands.set(params.guild, (list = []));
      return list;
    };
    const upsert = (list: JsonObject[], body: JsonObject, guildId: string | undefined): { command: JsonObject; created: boolean } => {
      const type = Number(body.type ?? 1);
      const existing = list.find((c) => c.name === body.name && c.type === type);
      const command = this.commandObject(body, guildId, existing?.id as string | undefined);
      if (existing) list.splice(list.indexOf(existing), 1, command);
      else list.push(command);
      return { command, created: !existing };
    };
    for (const prefix of ['/applications/:app', '/applications/:app/guilds/:guild']) {
      this.on('GET', `${prefix}/commands`, ({ params }) => {
        const list = commandList(params);
        return list ? ok(list) : err(403, 50001, 'Missing Access');
      });
      this.on('PUT', `${prefix}/commands`, ({ params, body }) => {
        const list = commandList(params);
        if (!list) return err(403, 50001, 'Missing Access');
        if (!Array.isArray(body)) return err(400, 50035, 'Invalid Form Body');
        const previous = [...list];
        list.length = 0;
        for (const item of body as JsonObject[]) {
          const type = Number(item.type ?? 1);
          const keep = previous.find((c) => c.name === item.name && c.type === type);
          list.push(this.commandObject(item, params.guild, keep?.id as string | undefined));
        }
        return ok(list);
      });
      this.on('POST', `${prefix}/commands`, ({ params, body }) => {
        const list = commandList(params);
        if (!list) return err(403, 50001, 'Missing Access');
        const { command, created } = upsert(list, asObject(body), params.guild);
        return ok(command, created ? 201 : 200);
      });
      this.on('GET', `${prefix}/commands/:command`, ({ params }) => {
        const found = commandList(params)?.find((c) => c.id === params.command);
        return found ? ok(found) : err(404, 10063, 'Unknown application command');
      });
      this.on('PATCH', `${prefix}/commands/:command`, ({ params, body }) => {
        const list = commandList(params);
        const found = list?.find((c) => c.id === params.command);
        if (!list || !found) return err(404, 10063, 'Unknown application command');
        const command = this.commandObject({ ...found, ...asObject(body) }, params.guild, found.id as string);
        list.splice(list.indexOf(found), 1, command);
        return ok(command);
      });
      this.on('DELETE', `${prefix}/commands/:command`, ({ params }) => {
        const list = commandList(params);
        const found = list?.find((c) => c.id === params.command);
        if (!list || !found) return err(404, 10063, 'Unknown application command');
        list.splice(list.indexOf(found), 1);
        return { status: 204 };
      });
    }
  }

  private commandObject(body: JsonObject, guildId: string | undefined, id: string | undefined): JsonObject {
    const type = Number(body.type ?? 1);
    return {
      ...body,
      id: id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: body.description ?? '',
      description_localizations: body.description_localizations ?? null,
      ...(guildId !== undefined ? { guild_id: guildId } : {}),
      options: body.options ?? [],
      default_member_permissions: body.default_member_permissions ?? null,
      dm_permission: body.dm_permission ?? true,
      nsfw: body.nsfw ?? false,
      integration_types: body.integration_types ?? [0],
      contexts: body.contexts ?? null,
    };
  }

  private interactionMessageExtra(state: InteractionState): JsonObject {
    return {
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      ...(state.guildId !== undefined ? { guild_id: state.guildId } : {}),
      interaction_metadata: {
        id: state.id,
        type: state.type,
        user: state.user,
        authorizing_integration_owners: state.guildId !== undefined ? { '0': state.guildId } : { '0': '0' },
      },
    };
  }

  private locateGuildChannel(channelId: string): { guild: GuildState; channel: FakeDiscordChannel } | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  private findChannel(channelId: string): JsonObject | undefined {
    const dmUser = this.dmChannels.get(channelId);
    if (dmUser !== undefined) return this.dmChannelFor(dmUser);
    const located = this.locateGuildChannel(channelId);
    return located ? this.channelObject(located.guild, located.channel) : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function toBig(value: bigint | string | number): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function roleObject(role: { id: string; name: string; permissions: bigint; position: number; managed?: boolean }): JsonObject {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed ?? false,
    mentionable: false,
    flags: 0,
  };
}

function inferOptionType(value: string | number | boolean): number {
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 5;
  return Number.isInteger(value) ? 4 : 10;
}

/** The intent Discord requires before it sends event `t` (0: always sent). */
function intentFor(t: string, d: JsonObject): number {
  if (t.startsWith('GUILD_MEMBER_') && t !== 'GUILD_MEMBERS_CHUNK') return INTENTS.GuildMembers;
  if (t === 'PRESENCE_UPDATE') return INTENTS.GuildPresences;
  if (t === 'GUILD_CREATE' || t === 'GUILD_UPDATE' || t === 'GUILD_DELETE' || t.startsWith('GUILD_ROLE_') || t.startsWith('CHANNEL_') || t.startsWith('THREAD_')) {
    return INTENTS.Guilds;
  }
  if (t.startsWith('MESSAGE_') && !t.startsWith('MESSAGE_REACTION')) return d.guild_id === undefined ? INTENTS.DirectMessages : INTENTS.GuildMessages;
  return 0;
}

function rateLimitHeaders(retryAfter: number, global: boolean, scope: string): Record<string, string> {
  return {
    'retry-after': String(retryAfter),
    'x-ratelimit-limit': '1',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': (Date.now() / 1000 + retryAfter).toFixed(3),
    'x-ratelimit-reset-after': String(retryAfter),
    'x-ratelimit-bucket': 'fakebucket',
    'x-ratelimit-scope': scope,
    ...(global ? { 'x-ratelimit-global': 'true' } : {}),
  };
}

/** `'POST /channels/:id/messages'`, `'/webhooks/*'` (any method) or a RegExp tested on `METHOD /path`. */
function routeMatcher(route: string | RegExp): RegExp {
  if (route instanceof RegExp) return route;
  const match = /^([A-Z]+)\s+(.*)$/.exec(route.trim());
  const method = match?.[1] ?? '[A-Z]+';
  const path = (match?.[2] ?? route.trim()).replace(/^\/api\/v10/, '');
  const source = path.split('/').map((part) => {
    if (part === '*') return '.*';
    if (part.startsWith(':')) return '[^/]+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return new RegExp(`^${method} ${source}$`);
}

function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** JSON bodies, and multipart bodies (file uploads) reduced to their `payload_json` plus file names. */
function parseRestBody(raw: Buffer, contentType: string | undefined): any {
  if (raw.length === 0) return undefined;
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
    if (!boundary) return { raw: raw.toString('utf8') };
    const text = raw.toString('latin1');
    const result: JsonObject = { files: [] as string[] };
    for (const part of text.split(`--${boundary}`)) {
      const name = /name="([^"]+)"/.exec(part)?.[1];
      if (!name) continue;
      const content = part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
      if (name === 'payload_json') Object.assign(result, JSON.parse(Buffer.from(content, 'latin1').toString('utf8')) as JsonObject);
      else (result.files as string[]).push(/filename="([^"]+)"/.exec(part)?.[1] ?? name);
    }
    return result;
  }
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
