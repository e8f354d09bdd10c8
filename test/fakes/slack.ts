/**
 * Loopback fake of the Slack platform for driving the real Bolt in tests:
 * - Web API at `/api/<method>` (point `clientOptions.slackApiUrl` at `fake.url`),
 * - response_url sink at `/hooks/<id>` (`fake.newResponseUrl()`),
 * - Socket Mode at `/link` (reached through `apps.connections.open`),
 * plus signed-request helpers and payload builders for Bolt's HTTP mode.
 * Shapes follow the team's testing notes (testing-notes.md, shared beside the repository; verified against Bolt 5.1).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { type JsonObject, TrafficLog, preciseNow, readBody, sendJson } from './traffic-log.js';
import { acceptWebSockets, closeServers, listenOnLoopback } from './loopback-server.js';
import { FakeSlackWorkspaces } from './slack-oauth.js';

export type { FakeWorkspace } from './slack-oauth.js';

export type { JsonObject } from './traffic-log.js';

// ---------------------------------------------------------------------------------------------
// Defaults shared by the fake and the standalone payload builders
// ---------------------------------------------------------------------------------------------

export const SLACK_DEFAULTS = {
  teamId: 'T0TEST',
  teamDomain: 'test',
  teamName: 'Test',
  appId: 'A1',
  botUserId: 'UBOT',
  botId: 'BBOT',
  /** The verification token Slack still puts in payloads (Bolt ignores it). */
  verificationToken: 'fake-verification-token',
} as const;

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** One Web API call as the fake received it; `body` has nested JSON fields (`blocks`, `view`, …) parsed back. */
export interface SlackCall {
  kind: 'call';
  method: string;
  body: JsonObject;
  headers: IncomingHttpHeaders;
  /** Epoch ms, sub-millisecond precision (see `preciseNow`). */
  at: number;
  /** HTTP status and JSON the fake answered with. */
  status: number;
  response: JsonObject;
}

/** One POST to a response_url. */
export interface SlackResponseUrlPost {
  kind: 'response';
  hookId: string;
  url: string;
  body: JsonObject;
  headers: IncomingHttpHeaders;
  at: number;
  /** Status the fake answered with (200 unless the hook was created to fail). */
  status: number;
}

export type SlackEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** An envelope the fake sent over Socket Mode. */
export interface SlackEnvelope {
  kind: 'envelope';
  envelope_id: string;
  type: SlackEnvelopeType;
  frame: JsonObject;
  at: number;
}

/** An ack frame Bolt sent back over Socket Mode: `{envelope_id, payload}`. */
export interface SlackAck {
  kind: 'ack';
  envelope_id: string;
  payload: JsonObject | undefined;
  frame: JsonObject;
  at: number;
}

export interface SlackSocketEvent {
  kind: 'socket';
  event: 'open' | 'close';
  connectionId: number;
  code?: number;
  at: number;
}

export type SlackTraffic = SlackCall | SlackResponseUrlPost | SlackEnvelope | SlackAck | SlackSocketEvent;

export interface FakeSlackUser {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  team_id?: string;
  enterprise_id?: string;
  /** `conversations.open` / `chat.postMessage` to this user fail: `true` → `cannot_dm_bot`, a string → that error. */
  dmClosed?: boolean | string;
  /** Their Slack's language, as users.info gives it with include_locale (default en-US). */
  locale?: string;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_member?: boolean;
  is_archived?: boolean;
}

export interface FakeSlackOptions {
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  appId?: string;
  botUserId?: string;
  botId?: string;
  users?: FakeSlackUser[];
  channels?: FakeSlackChannel[];
  /** Bot scopes granted to the token: sent as `x-oauth-scopes` on every Web API answer, as Slack does. */
  scopes?: string[];
  /** "Add to Slack": the app's OAuth client (see slack-oauth.ts). */
  clientId?: string;
  clientSecret?: string;
}

export type SlackMethodHandler = (
  body: JsonObject,
  call: { method: string; headers: IncomingHttpHeaders },
) => JsonObject | Promise<JsonObject>;

export interface FailOptions {
  /** HTTP status to answer with (default 200, as Slack does for `ok:false`). */
  status?: number;
  headers?: Record<string, string>;
  /** How many consecutive calls fail (default 1). */
  times?: number;
  /** Extra fields merged into the error response (`needed`, `response_metadata`, …). */
  extra?: JsonObject;
}

export interface EnvelopeOptions {
  envelopeId?: string;
  retryAttempt?: number;
  retryReason?: string;
  acceptsResponsePayload?: boolean;
  /** Which Socket Mode connection gets it (an id from `openConnections`); default the newest. Slack delivers each envelope to one connection. */
  connection?: number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: exactly what `clientOptions.slackApiUrl` wants. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly port: number;
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;

  /** Every Web API call, in arrival order. */
  readonly calls: readonly SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Every response_url POST. */
  readonly responses: readonly SlackResponseUrlPost[];
  responsesTo(urlOrHookId: string): SlackResponseUrlPost[];
  /** Socket Mode ack frames from the client. */
  readonly acks: readonly SlackAck[];
  /** Everything above plus sent envelopes and socket open/close, in order. */
  readonly traffic: readonly SlackTraffic[];

  addUser(user: FakeSlackUser): void;
  addChannel(channel: FakeSlackChannel): void;
  /** Answer `method` with a custom handler (pass `undefined` to restore the built-in). */
  setMethodHandler(method: string, handler: SlackMethodHandler | undefined): void;
  /** The next call(s) to `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, options?: FailOptions): void;

  /** A fresh response_url on this fake. `status` ≠ 200 makes every POST to it fail with that status. */
  newResponseUrl(options?: { status?: number }): string;

  /** Socket Mode: send an envelope to the connected client; returns its envelope_id. */
  sendEnvelope(type: SlackEnvelopeType, payload: JsonObject, options?: EnvelopeOptions): string;
  /** Socket Mode: send any frame (e.g. `{type:'disconnect', reason:'refresh_requested'}`). */
  sendFrame(frame: JsonObject): void;
  readonly openSockets: number;
  /** Ids of the open Socket Mode connections, oldest first. */
  readonly openConnections: number[];
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SlackAck>;
  /**
   * Resolve once every Socket Mode connection is closed. Call after `app.stop()`: Bolt's stop resolves
   * before the close handshake ends, and tearing the server down earlier leaves undici's 30 s close timer
   * running. After `timeoutMs` the fake closes the sockets itself.
   */
  closeSockets(timeoutMs?: number): Promise<void>;

  waitFor<T extends SlackTraffic>(predicate: (t: SlackTraffic) => t is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (t: SlackTraffic) => boolean, timeoutMs?: number): Promise<SlackTraffic>;
  waitForCall(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  waitForResponse(predicate?: (post: SlackResponseUrlPost) => boolean, timeoutMs?: number): Promise<SlackResponseUrlPost>;

  /** Workspaces that can install the app through OAuth, and the tokens they were given. */
  readonly oauth: FakeSlackWorkspaces;

  /** Forget recorded traffic, method overrides and pending failures; seeded users/channels stay. */
  reset(): void;
  /** Wait for Socket Mode clients to close (see `closeSockets`), then stop the server. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options);
  await fake.listen();
  return fake;
}

type Failure = { error: string; options: FailOptions };

class FakeSlackServer implements FakeSlack {
  readonly teamId: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  private readonly teamName: string;
  private readonly teamDomain: string;

  private readonly log = new TrafficLog<SlackTraffic>('fake Slack');
  private readonly server = http.createServer((req, res) => { this.route(req, res); });
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<WebSocket, number>();
  private connectionCount = 0;

  private readonly users = new Map<string, FakeSlackUser>();
  private readonly channels = new Map<string, FakeSlackChannel>();
  private readonly handlers = new Map<string, SlackMethodHandler>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly hooks = new Map<string, { status: number }>();
  private readonly views = new Map<string, JsonObject>();
  private tsCounter = 0;
  private idCounter = 0;
  private portNumber = 0;
  private readonly scopes: string[] | undefined;
  readonly oauth: FakeSlackWorkspaces;

  constructor(options: FakeSlackOptions) {
    this.scopes = options.scopes;
    this.oauth = new FakeSlackWorkspaces(options.appId ?? SLACK_DEFAULTS.appId, options.clientId ?? 'fake-client-id', options.clientSecret ?? 'fake-client-secret');
    this.teamId = options.teamId ?? SLACK_DEFAULTS.teamId;
    this.teamName = options.teamName ?? SLACK_DEFAULTS.teamName;
    this.teamDomain = options.teamDomain ?? SLACK_DEFAULTS.teamDomain;
    this.appId = options.appId ?? SLACK_DEFAULTS.appId;
    this.botUserId = options.botUserId ?? SLACK_DEFAULTS.botUserId;
    this.botId = options.botId ?? SLACK_DEFAULTS.botId;
    this.addUser({ id: this.botUserId, name: 'handle-bot', real_name: 'handle-bot', is_bot: true, dmClosed: 'cannot_dm_bot' });
    for (const user of options.users ?? []) this.addUser(user);
    for (const channel of options.channels ?? []) this.addChannel(channel);

    acceptWebSockets(this.server, this.wss, '/link', (ws) => { this.onSocket(ws); });
  }

  async listen(): Promise<void> {
    this.portNumber = await listenOnLoopback(this.server);
  }


  get port(): number { return this.portNumber; }
  get baseUrl(): string { return `http://127.0.0.1:${this.portNumber}`; }
  get url(): string { return `${this.baseUrl}/api/`; }
  get traffic(): readonly SlackTraffic[] { return this.log.events; }
  get calls(): SlackCall[] { return this.log.events.filter((t): t is SlackCall => t.kind === 'call'); }
  get responses(): SlackResponseUrlPost[] { return this.log.events.filter((t): t is SlackResponseUrlPost => t.kind === 'response'); }
  get acks(): SlackAck[] { return this.log.events.filter((t): t is SlackAck => t.kind === 'ack'); }
  get openConnections(): number[] {
    return [...this.sockets].filter(([ws]) => ws.readyState === WebSocket.OPEN).map(([, id]) => id).sort((a, b) => a - b);
  }
  get openSockets(): number {
    return [...this.sockets.keys()].filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(urlOrHookId: string): SlackResponseUrlPost[] {
    return this.responses.filter((r) => r.hookId === urlOrHookId || r.url === urlOrHookId);
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: FakeSlackChannel): void {
    this.channels.set(channel.id, channel);
  }

  setMethodHandler(method: string, handler: SlackMethodHandler | undefined): void {
    if (handler) this.handlers.set(method, handler);
    else this.handlers.delete(method);
  }

  failNext(method: string, error: string, options: FailOptions = {}): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < (options.times ?? 1); i++) queue.push({ error, options });
    this.failures.set(method, queue);
  }

  newResponseUrl(options: { status?: number } = {}): string {
    const id = `H${String(++this.idCounter)}${randomBytes(4).toString('hex')}`;
    this.hooks.set(id, { status: options.status ?? 200 });
    return `${this.baseUrl}/hooks/${id}`;
  }

  waitFor(predicate: (t: SlackTraffic) => boolean, timeoutMs?: number): Promise<SlackTraffic> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  waitForCall(method: string, predicate: (call: SlackCall) => boolean = () => true, timeoutMs?: number): Promise<SlackCall> {
    return this.log.waitFor(
      (t): t is SlackCall => t.kind === 'call' && t.method === method && predicate(t),
      timeoutMs,
      `a ${method} call`,
    );
  }

  waitForResponse(predicate: (post: SlackResponseUrlPost) => boolean = () => true, timeoutMs?: number): Promise<SlackResponseUrlPost> {
    return this.log.waitFor(
      (t): t is SlackResponseUrlPost => t.kind === 'response' && predicate(t),
      timeoutMs,
      'a response_url POST',
    );
  }

  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SlackAck> {
    return this.log.waitFor(
      (t): t is SlackAck => t.kind === 'ack' && t.envelope_id === envelopeId,
      timeoutMs,
      `the ack of envelope ${envelopeId}`,
    );
  }

  reset(): void {
    this.log.clear();
    this.handlers.clear();
    this.failures.clear();
  }

  // ----- Socket Mode --------------------------------------------------------------------------

  sendEnvelope(type: SlackEnvelopeType, payload: JsonObject, options: EnvelopeOptions = {}): string {
    const envelopeId = options.envelopeId ?? randomUUID();
    const frame: JsonObject = {
      envelope_id: envelopeId,
      type,
      accepts_response_payload: options.acceptsResponsePayload ?? defaultAcceptsResponsePayload(type, payload),
      payload,
    };
    if (type === 'events_api' || options.retryAttempt !== undefined) {
      frame.retry_attempt = options.retryAttempt ?? 0;
      frame.retry_reason = options.retryReason ?? (options.retryAttempt ? 'timeout' : '');
    }
    const socket = options.connection === undefined ? this.latestSocket() : [...this.sockets].find(([ws, id]) => id === options.connection && ws.readyState === WebSocket.OPEN)?.[0];
    if (!socket) throw new Error(`fake Slack: Socket Mode connection ${String(options.connection ?? 'latest')} is not open`);
    socket.send(JSON.stringify(frame));
    this.log.push({ kind: 'envelope', envelope_id: envelopeId, type, frame, at: preciseNow() });
    return envelopeId;
  }

  sendFrame(frame: JsonObject): void {
    const socket = this.latestSocket();
    if (!socket) throw new Error('fake Slack: no Socket Mode client is connected (did app.start() resolve?)');
    socket.send(JSON.stringify(frame));
  }

  async closeSockets(timeoutMs = 2000): Promise<void> {
    const open = [...this.sockets.keys()].filter((ws) => ws.readyState !== WebSocket.CLOSED);
    if (open.length === 0) return;
    const allClosed = Promise.all(open.map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) resolve();
      else ws.once('close', () => { resolve(); });
    })));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { resolve('timeout'); }, timeoutMs); });
    const outcome = await Promise.race([allClosed.then(() => 'closed' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'closed') return;
    // The client did not close: close from our side, then cut whatever is left.
    for (const ws of open) if (ws.readyState === WebSocket.OPEN) ws.close(1001, 'fake shutting down');
    const forced = new Promise<void>((resolve) => { timer = setTimeout(resolve, 500); });
    await Promise.race([allClosed, forced]);
    clearTimeout(timer);
    for (const ws of open) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }

  async close(): Promise<void> {
    await this.closeSockets();
    this.log.abort('closed');
    await closeServers(this.server, this.wss);
  }

  private latestSocket(): WebSocket | undefined {
    let latest: WebSocket | undefined;
    let latestId = -1;
    for (const [ws, id] of this.sockets) {
      if (ws.readyState === WebSocket.OPEN && id > latestId) {
        latest = ws;
        latestId = id;
      }
    }
    return latest;
  }

  private onSocket(ws: WebSocket): void {
    const connectionId = ++this.connectionCount;
    this.sockets.set(ws, connectionId);
    this.log.push({ kind: 'socket', event: 'open', connectionId, at: preciseNow() });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: JsonObject;
      try {
        frame = JSON.parse(rawDataToString(data)) as JsonObject;
      } catch {
        return;
      }
      if (typeof frame.envelope_id === 'string') {
        this.log.push({
          kind: 'ack',
          envelope_id: frame.envelope_id,
          payload: frame.payload as JsonObject | undefined,
          frame,
          at: preciseNow(),
        });
      }
    });
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      this.log.push({ kind: 'socket', event: 'close', connectionId, code, at: preciseNow() });
    });
    ws.on('error', () => { /* a reset connection is reported through 'close' */ });
    ws.send(JSON.stringify({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'fake', build_number: 1, approximate_connection_time: 3600 },
      connection_info: { app_id: this.appId },
    }));
  }

  // ----- HTTP ---------------------------------------------------------------------------------

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handle = async (): Promise<void> => {
      if (path.startsWith('/api/')) await this.handleApi(req, res, decodeURIComponent(path.slice('/api/'.length)));
      else if (path === '/oauth/v2/authorize' && req.method === 'GET') this.oauth.authorize(req, res);
      else if (path.startsWith('/hooks/') && req.method === 'POST') await this.handleHook(req, res, path.slice('/hooks/'.length));
      else sendJson(res, 404, { ok: false, error: 'not_found' });
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fake_internal_error', detail: String(error) });
      else res.end();
    });
  }

  private async handleHook(req: IncomingMessage, res: ServerResponse, hookId: string): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const hook = this.hooks.get(hookId);
    const status = hook ? hook.status : 404;
    let body: JsonObject;
    try {
      body = raw ? (JSON.parse(raw) as JsonObject) : {};
    } catch {
      body = { raw };
    }
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status === 200 ? 'ok' : status === 404 ? 'no_service' : 'internal_error');
    this.log.push({ kind: 'response', hookId, url: `${this.baseUrl}/hooks/${hookId}`, body, headers: req.headers, at: preciseNow(), status });
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const body = parseApiBody(raw, req.headers['content-type'], req.url);
    let status = 200;
    let headers: Record<string, string> = {};
    let response: JsonObject;

    const failure = this.failures.get(method)?.shift();
    const handler = this.handlers.get(method);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const asWorkspace = failure ? undefined : this.oauth.answer(method, body, bearer);
    if (failure) {
      status = failure.options.status ?? 200;
      headers = failure.options.headers ?? {};
      response = { ok: false, error: failure.error, ...failure.options.extra };
    } else if (asWorkspace) {
      response = asWorkspace;
    } else if (!req.headers.authorization && typeof body.token !== 'string') {
      response = { ok: false, error: 'not_authed' };
    } else if (handler) {
      response = { ok: true, ...(await handler(body, { method, headers: req.headers })) };
    } else {
      response = this.builtin(method, body);
    }
    if (this.scopes && req.headers.authorization) headers = { 'x-oauth-scopes': this.scopes.join(','), ...headers };
    sendJson(res, status, response, headers);
    this.log.push({ kind: 'call', method, body, headers: req.headers, at: preciseNow(), status, response });
  }

  private nextTs(): string {
    return `${String(Math.floor(Date.now() / 1000))}.${String(++this.tsCounter).padStart(6, '0')}`;
  }

  private dmChannelFor(userId: string): string {
    return `D${userId.replace(/^[UW]/, '')}`;
  }

  private userObject(user: FakeSlackUser): JsonObject {
    const realName = user.real_name ?? user.name;
    return {
      id: user.id,
      team_id: user.team_id ?? this.teamId,
      ...(user.enterprise_id ? { enterprise_user: { enterprise_id: user.enterprise_id, id: user.id } } : {}),
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: realName,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      profile: { real_name: realName, display_name: user.display_name ?? '', team: user.team_id ?? this.teamId },
      is_admin: user.is_admin ?? false,
      is_owner: user.is_owner ?? false,
      is_primary_owner: user.is_primary_owner ?? false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.is_bot ?? false,
      is_app_user: false,
      updated: 1700000000,
    };
  }

  private channelObject(channel: FakeSlackChannel): JsonObject {
    const isPrivate = channel.is_private ?? false;
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !isPrivate,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      is_archived: channel.is_archived ?? false,
      is_general: channel.name === 'general',
      is_member: channel.is_member ?? false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      context_team_id: this.teamId,
      created: 1700000000,
      creator: 'U0CREATOR',
    };
  }

  /** Where a message to `channel` goes: the resolved channel id, or an error code. */
  private resolveTarget(channel: unknown): { channel: string } | { error: string } {
    if (typeof channel !== 'string' || channel === '') return { error: 'channel_not_found' };
    if (/^[UW]/.test(channel)) {
      const user = this.users.get(channel);
      if (user?.dmClosed) return { error: typeof user.dmClosed === 'string' ? user.dmClosed : 'cannot_dm_bot' };
      return { channel: this.dmChannelFor(channel) };
    }
    if (channel.startsWith('D')) return { channel };
    const seeded = this.channels.get(channel);
    if (!seeded) return { error: 'channel_not_found' };
    if (seeded.is_archived) return { error: 'is_archived' };
    if (!seeded.is_member) return { error: 'not_in_channel' };
    return { channel };
  }

  private messageObject(body: JsonObject, ts: string): JsonObject {
    return {
      type: 'message',
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
      team: this.teamId,
      text: body.text ?? '',
      ts,
      ...(body.blocks ? { blocks: body.blocks } : {}),
      ...(body.attachments ? { attachments: body.attachments } : {}),
      ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
    };
  }

  private viewObject(view: JsonObject, id: string): JsonObject {
    return {
      id,
      team_id: this.teamId,
      type: view.type ?? 'modal',
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash: `${String(Date.now())}.${randomBytes(4).toString('hex')}`,
      title: view.title,
      close: view.close ?? null,
      submit: view.submit ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      previous_view_id: null,
      root_view_id: id,
      app_id: this.appId,
      external_id: view.external_id ?? '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
  }

  private builtin(method: string, body: JsonObject): JsonObject {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${this.teamDomain}.slack.com/`,
          team: this.teamName,
          user: 'handle-bot',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'team.info':
        return { ok: true, team: { id: this.teamId, name: this.teamName, domain: this.teamDomain } };
      case 'users.info': {
        const user = typeof body.user === 'string' ? this.users.get(body.user) : undefined;
        // Slack adds the locale only when asked for it (include_locale=true).
        const withLocale = body.include_locale === 'true' || body.include_locale === true;
        return user ? { ok: true, user: { ...this.userObject(user), ...(withLocale ? { locale: user.locale ?? 'en-US' } : {}) } } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.info': {
        const id = body.channel as unknown;
        if (typeof id === 'string' && id.startsWith('D')) {
          return { ok: true, channel: { id, is_im: true, is_channel: false, is_private: true, is_member: true, is_archived: false, user: `U${id.slice(1)}` } };
        }
        const channel = typeof id === 'string' ? this.channels.get(id) : undefined;
        return channel ? { ok: true, channel: this.channelObject(channel) } : { ok: false, error: 'channel_not_found' };
      }
      case 'conversations.join': {
        const channel = typeof body.channel === 'string' ? this.channels.get(body.channel) : undefined;
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.is_private) return { ok: false, error: 'method_not_supported_for_channel_type' };
        if (channel.is_archived) return { ok: false, error: 'is_archived' };
        const already = channel.is_member ?? false;
        channel.is_member = true;
        return { ok: true, channel: this.channelObject(channel), ...(already ? { warning: 'already_in_channel' } : {}) };
      }
      case 'conversations.open': {
        const users = typeof body.users === 'string' ? body.users.split(',') : [];
        if (typeof body.channel === 'string') return { ok: true, channel: { id: body.channel } };
        const first = users[0];
        if (users.length !== 1 || first === undefined) return { ok: false, error: users.length === 0 ? 'users_list_not_supplied' : 'not_enough_users' };
        const target = this.resolveTarget(first);
        if ('error' in target) return { ok: false, error: target.error };
        return { ok: true, channel: { id: target.channel }, ...(body.return_im ? {} : {}) };
      }
      case 'chat.postMessage': {
        const target = this.resolveTarget(body.channel);
        if ('error' in target) return { ok: false, error: target.error };
        const ts = this.nextTs();
        return { ok: true, channel: target.channel, ts, message: this.messageObject(body, ts) };
      }
      case 'chat.postEphemeral': {
        const target = this.resolveTarget(body.channel);
        if ('error' in target) return { ok: false, error: target.error };
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.update': {
        if (typeof body.ts !== 'string') return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text ?? '', message: this.messageObject(body, body.ts) };
      }
      case 'chat.delete':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'views.open':
      case 'views.push': {
        if (typeof body.trigger_id !== 'string' && typeof body.interactivity_pointer !== 'string') return { ok: false, error: 'invalid_arguments' };
        const id = `V${String(++this.idCounter).padStart(8, '0')}`;
        const view = this.viewObject(asObject(body.view), id);
        this.views.set(id, view);
        return { ok: true, view };
      }
      case 'views.update': {
        const id = typeof body.view_id === 'string' ? body.view_id : undefined;
        if (id === undefined && typeof body.external_id !== 'string') return { ok: false, error: 'invalid_arguments' };
        const viewId = id ?? `V${String(++this.idCounter).padStart(8, '0')}`;
        const view = this.viewObject(asObject(body.view), viewId);
        this.views.set(viewId, view);
        return { ok: true, view };
      }
      case 'views.publish': {
        if (typeof body.user_id !== 'string') return { ok: false, error: 'invalid_arguments' };
        const id = `V${String(++this.idCounter).padStart(8, '0')}`;
        return { ok: true, view: this.viewObject({ type: 'home', ...asObject(body.view) }, id) };
      }
      case 'functions.completeSuccess':
      case 'functions.completeError':
        return typeof body.function_execution_id === 'string' ? { ok: true } : { ok: false, error: 'invalid_arguments' };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${String(this.portNumber)}/link?ticket=${randomUUID()}&app_id=${this.appId}` };
      default:
        return { ok: false, error: 'unknown_method', req_method: method };
    }
  }
}

function defaultAcceptsResponsePayload(type: SlackEnvelopeType, payload: JsonObject): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'interactive') return payload.type === 'view_submission' || payload.type === 'block_suggestion';
  return false;
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** Form fields whose value is JSON (`blocks`, `view`, `outputs`, …) are parsed back; others stay strings. */
function parseApiBody(raw: string, contentType: string | undefined, url: string | undefined): JsonObject {
  const body: JsonObject = {};
  const query = new URL(url ?? '/', 'http://x').searchParams;
  for (const [key, value] of query) body[key] = value;
  if ((contentType ?? '').startsWith('application/json')) {
    return { ...body, ...(raw ? asObject(JSON.parse(raw)) : {}) };
  }
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = maybeJson(value);
  }
  return body;
}

function maybeJson(value: string): unknown {
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Signed HTTP requests for Bolt's HTTP mode
// ---------------------------------------------------------------------------------------------

/** `v0=` + hex(HMAC-SHA256(secret, `v0:${timestamp}:${body}`)) */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${String(timestamp)}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Epoch seconds (default now). A value more than 5 minutes old is rejected by Bolt. */
  timestamp?: number;
  /** Default: `application/json` for Events API objects, else `application/x-www-form-urlencoded`. */
  contentType?: string;
  /** Replace the computed signature (for bad-signature tests). */
  signature?: string;
  /** Extra headers, e.g. `{'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout'}`. */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw response body. */
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: JsonObject | undefined;
}

/** Payload types Slack POSTs as a form with one field, `payload=<JSON>`. */
const INTERACTIVE_TYPES = new Set(['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'interactive_message', 'dialog_submission']);

/**
 * POST `body` to a Bolt HTTP endpoint the way Slack does: signed, with the exact content type
 * (`application/x-www-form-urlencoded`, no charset: Bolt compares it with `===`).
 * A string or URLSearchParams is sent as a form; an object is encoded as Slack would send it:
 * interactive payloads (`block_actions`, `view_submission`, …) as `payload=<JSON>`, anything else
 * (an `event_callback`) as JSON.
 */
export function signedPost(
  url: string,
  signingSecret: string,
  body: string | URLSearchParams | JsonObject,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  let text: string;
  let defaultType = 'application/x-www-form-urlencoded';
  if (typeof body === 'string') text = body;
  else if (body instanceof URLSearchParams) text = body.toString();
  else if (INTERACTIVE_TYPES.has(String(body.type))) text = interactiveForm(body).toString();
  else {
    text = JSON.stringify(body);
    defaultType = 'application/json';
  }
  const contentType = options.contentType ?? defaultType;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text)),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(signingSecret, timestamp, text),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    // agent:false: no pooled keep-alive socket outlives the test.
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      readBody(res).then((buffer) => {
        const responseText = buffer.toString('utf8');
        let json: JsonObject | undefined;
        if ((res.headers['content-type'] ?? '').includes('json') && responseText) {
          try {
            json = JSON.parse(responseText) as JsonObject;
          } catch {
            json = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: responseText, json });
      }, reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}

// ---------------------------------------------------------------------------------------------
// Payload builders: exactly what Slack sends
// ---------------------------------------------------------------------------------------------

let builderCounter = 0;

export function newTriggerId(): string {
  return `${String(Date.now())}.${String(++builderCounter)}.${randomBytes(16).toString('hex')}`;
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

export interface SlashCommandInput {
  team_id?: string;
  team_domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  text?: string;
  command?: string;
  response_url: string;
  trigger_id?: string;
  api_app_id?: string;
}

/** The slash command as an object of strings: the Socket Mode `slash_commands` payload. */
export function slashCommandPayload(input: SlashCommandInput): Record<string, string> {
  const payload: Record<string, string> = {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: input.team_id ?? SLACK_DEFAULTS.teamId,
    team_domain: input.team_domain ?? SLACK_DEFAULTS.teamDomain,
  };
  if (input.enterprise_id !== undefined) {
    payload.enterprise_id = input.enterprise_id;
    payload.enterprise_name = input.enterprise_name ?? 'Test Grid';
  }
  Object.assign(payload, {
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? (input.channel_id.startsWith('D') ? 'directmessage' : 'general'),
    user_id: input.user_id,
    user_name: input.user_name ?? input.user_id.toLowerCase(),
    command: input.command ?? '/handle',
    text: input.text ?? '',
    api_app_id: input.api_app_id ?? SLACK_DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url: input.response_url,
    trigger_id: input.trigger_id ?? newTriggerId(),
  });
  return payload;
}

/** The slash command as the HTTP form Slack POSTs. */
export function slashCommandForm(input: SlashCommandInput): URLSearchParams {
  return new URLSearchParams(slashCommandPayload(input));
}

/** Wrap an interactive payload (block_actions, view_submission, …) as the form Slack POSTs: `payload=<JSON>`. */
export function interactiveForm(payload: JsonObject): URLSearchParams {
  return new URLSearchParams({ payload: JSON.stringify(payload) });
}

export interface BlockActionsInput {
  team_id?: string;
  team_domain?: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
  action_id: string;
  block_id?: string;
  value?: string;
  /** Button by default; pass the full action to override (selects etc.). */
  action?: JsonObject;
  /** The message the button sits in (default: a minimal bot message). */
  message?: JsonObject;
  response_url?: string;
  trigger_id?: string;
  /** For buttons in a modal or App Home: the view object (then there is no channel/response_url). */
  view?: JsonObject;
  api_app_id?: string;
}

export function blockActionsPayload(input: BlockActionsInput): JsonObject {
  const teamId = input.team_id ?? SLACK_DEFAULTS.teamId;
  const action = {
    type: 'button',
    action_id: input.action_id,
    block_id: input.block_id ?? 'actions',
    text: { type: 'plain_text', text: 'Button', emoji: true },
    ...(input.value !== undefined ? { value: input.value } : {}),
    action_ts: actionTs(),
    ...input.action,
  };
  const base: JsonObject = {
    type: 'block_actions',
    user: { id: input.user_id, username: input.user_name ?? input.user_id.toLowerCase(), name: input.user_name ?? input.user_id.toLowerCase(), team_id: teamId },
    api_app_id: input.api_app_id ?? SLACK_DEFAULTS.appId,
    token: SLACK_DEFAULTS.verificationToken,
    trigger_id: input.trigger_id ?? newTriggerId(),
    team: { id: teamId, domain: input.team_domain ?? SLACK_DEFAULTS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
  };
  if (input.view) {
    return {
      ...base,
      container: { type: 'view', view_id: input.view.id },
      view: input.view,
      state: { values: {} },
      actions: [action],
    };
  }
  const channelId = input.channel_id ?? 'C0GENERAL';
  const message = input.message ?? {
    user: SLACK_DEFAULTS.botUserId,
    type: 'message',
    ts: '1700000000.000100',
    bot_id: SLACK_DEFAULTS.botId,
    app_id: input.api_app_id ?? SLACK_DEFAULTS.appId,
    text: 'message with a button',
    team: teamId,
    blocks: [],
  };
  return {
    ...base,
    container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'general' },
    message,
    state: { values: {} },
    response_url: input.response_url,
    actions: [action],
  };
}

export interface ViewSubmissionInput {
  team_id?: string;
  team_domain?: string;
  user_id: string;
  user_name?: string;
  callback_id: string;
  /** `{block_id: {action_id: 'text' | {type, value, ...}}}`; strings become plain_text_input values. */
  values?: Record<string, Record<string, string | JsonObject>>;
  private_metadata?: string;
  view_id?: string;
  /** Present only when a block in the modal set `response_url_enabled` (then Bolt offers `respond`). */
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
}

export function viewSubmissionPayload(input: ViewSubmissionInput): JsonObject {
  const teamId = input.team_id ?? SLACK_DEFAULTS.teamId;
  const viewId = input.view_id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const values: Record<string, Record<string, JsonObject>> = {};
  for (const [blockId, actions] of Object.entries(input.values ?? {})) {
    values[blockId] = {};
    for (const [actionId, value] of Object.entries(actions)) {
      values[blockId][actionId] = typeof value === 'string' ? { type: 'plain_text_input', value } : value;
    }
  }
  const firstBlock = Object.keys(values)[0] ?? 'block';
  return {
    type: 'view_submission',
    team: { id: teamId, domain: input.team_domain ?? SLACK_DEFAULTS.teamDomain },
    user: { id: input.user_id, username: input.user_name ?? input.user_id.toLowerCase(), name: input.user_name ?? input.user_id.toLowerCase(), team_id: teamId },
    api_app_id: input.api_app_id ?? SLACK_DEFAULTS.appId,
    token: SLACK_DEFAULTS.verificationToken,
    trigger_id: input.trigger_id ?? newTriggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id,
      state: { values },
      hash: `${String(Date.now())}.abcdef`,
      title: { type: 'plain_text', text: 'Modal', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: input.api_app_id ?? SLACK_DEFAULTS.appId,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: SLACK_DEFAULTS.botId,
    },
    response_urls: input.response_url
      ? [{ block_id: firstBlock, action_id: Object.keys(values[firstBlock] ?? {})[0] ?? 'action', channel_id: 'C0GENERAL', response_url: input.response_url }]
      : [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface EventCallbackOptions {
  team_id?: string;
  api_app_id?: string;
  event_id?: string;
  event_time?: number;
  /** The bot's user id in `authorizations` (default UBOT). */
  bot_user_id?: string;
}

/** An Events API body (`type: 'event_callback'`): POSTed as JSON in HTTP mode, the `events_api` payload in Socket Mode. */
export function eventCallback(event: JsonObject, options: EventCallbackOptions = {}): JsonObject {
  const teamId = options.team_id ?? SLACK_DEFAULTS.teamId;
  return {
    token: SLACK_DEFAULTS.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: options.api_app_id ?? SLACK_DEFAULTS.appId,
    event,
    type: 'event_callback',
    event_id: options.event_id ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: options.event_time ?? Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: options.bot_user_id ?? SLACK_DEFAULTS.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export interface FunctionExecutedInput {
  callback_id: string;
  inputs?: JsonObject;
  function_execution_id?: string;
  workflow_execution_id?: string;
  /** The workflow token Bolt uses for `complete`/`fail` and the listener's `client` (attachFunctionToken). */
  bot_access_token?: string;
  app_id?: string;
  title?: string;
  input_parameters?: JsonObject[];
  output_parameters?: JsonObject[];
}

/**
 * A Workflow Builder custom step run: the inner `function_executed` event (wrap it with
 * `eventCallback`). Shape from Slack's event reference and @slack/types FunctionExecutedEvent.
 */
export function functionExecutedEvent(input: FunctionExecutedInput): JsonObject {
  return {
    type: 'function_executed',
    function: {
      id: `Fn${randomBytes(5).toString('hex').toUpperCase()}`,
      callback_id: input.callback_id,
      title: input.title ?? input.callback_id,
      description: '',
      type: 'app',
      input_parameters: input.input_parameters ?? [],
      output_parameters: input.output_parameters ?? [],
      app_id: input.app_id ?? SLACK_DEFAULTS.appId,
      date_created: 1700000000,
      date_updated: 1700000000,
      date_deleted: 0,
    },
    inputs: input.inputs ?? {},
    function_execution_id: input.function_execution_id ?? `Fx${randomBytes(5).toString('hex').toUpperCase()}`,
    workflow_execution_id: input.workflow_execution_id ?? `Wx${randomBytes(5).toString('hex').toUpperCase()}`,
    event_ts: actionTs(),
    bot_access_token: input.bot_access_token ?? `xwfp-fake-${randomBytes(8).toString('hex')}`,
  };
}
