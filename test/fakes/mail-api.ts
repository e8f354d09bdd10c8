/**
 * A loopback fake of the mail-forwarding API that behaves like the service case by case, as
 * upstream-contract.md describes it: normalisation, the handle rule, the order of checks, bans,
 * taken/reserved handles, per-key and per-origin rate limits, the credentials flow, request-id
 * echo, and the public docs' alternative body shapes. On top of that: fault switches (latency,
 * hang, resets, HTML pages, forced statuses), a hold/release gate, and a record of every request
 * with an event-based `waitFor`, so tests wait on traffic instead of sleeping.
 *
 * It deliberately imports nothing from src/: it is the oracle the client is tested against, so
 * its handle rule is written out here from the contract rather than shared with the client.
 *
 *   const api = await startFakeMailApi();
 *   const key = api.newKey('alice@example.com');
 *   // point the bot at api.url, run a flow …
 *   const req = await api.waitFor((r) => r.path === '/api/handle/create' && r.status !== undefined);
 *   await api.close();
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type BanType = 'name' | 'email' | 'domain' | 'ip';
export type FakeBan = { type: BanType; value: string; reason?: string };
/** `live`: what the running service sends. `docs`: the public docs' example bodies instead. */
export type BodyShapes = 'live' | 'docs';

export type RateLimitSettings = {
  /** create + delete, per API key; every request counts, failures included. */
  keyPerMinute: number;
  /** GET /api/alias/stats has its own, larger per-key bucket. */
  statsPerMinute: number;
  /** Every route, per origin: X-Bot-Source with a valid X-Bot-Auth-Token, else the client IP. */
  originPerMinute: number;
  credentialsPerHourOrigin: number;
  credentialsPerHourEmail: number;
};

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  keyPerMinute: 120,
  statsPerMinute: 600,
  originPerMinute: 300,
  credentialsPerHourOrigin: 10,
  credentialsPerHourEmail: 3,
};

export type Fault =
  /** Drop the connection before reading the request (nothing applied) or after handling it (applied, no answer). */
  | { kind: 'reset'; phase: 'before_read' | 'after_read' }
  /** Never answer; the request is held until the client gives up. Nothing is applied. */
  | { kind: 'hang' }
  /** An HTML error page instead of JSON: the framework's 500 or a proxy's 502. */
  | { kind: 'html'; status: 500 | 502 }
  /** The service's own JSON 500 (`internal_error`) or 503 (`temporarily_unavailable`). */
  | { kind: 'status'; status: 500 | 503 }
  /** Any answer at all, for rows nothing else produces. */
  | { kind: 'raw'; status: number; body: string; contentType?: string; headers?: Record<string, string> };

export type RecordedRequest = {
  seq: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, `{}` for a non-JSON content type (as the framework does), undefined if unparseable. */
  body: unknown;
  ip: string;
  /** The client's port: the same port on consecutive requests means the connection was reused. */
  remotePort: number;
  at: number;
  /** The id echoed in x-request-id (the caller's, or a generated one). */
  requestId: string;
  /** Set once answered; stays undefined for a hang or a reset. */
  status?: number;
  fault?: Fault['kind'];
};

export type CredentialsSend = { email: string; days: number; at: number; delivered: boolean };

export type FakeMailApiOptions = {
  domains?: string[];
  shapes?: BodyShapes;
  rateLimits?: false | Partial<RateLimitSettings>;
  /** API key → owner e-mail. */
  keys?: Record<string, string>;
  /** Tokens the operator has issued to bots (enables per-X-Bot-Source origin counting). */
  botTokens?: string[];
  latencyMs?: number;
  /** Clock for rate-limit windows, cooldowns and timestamps. */
  now?: () => number;
};

export type FakeMailApi = {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Resolves with the first recorded request matching, past or future (re-checked when answered). */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;

  addKey(key: string, ownerEmail: string): void;
  /** A fresh 64-hex key owned by `ownerEmail`. */
  newKey(ownerEmail: string): string;
  /** Revoked keys are answered like unknown ones (`invalid_or_expired_api_key`). */
  revokeKey(key: string): void;
  ban(ban: FakeBan): void;
  unban(type: BanType, value: string): void;
  /** Reserve a handle, owned by `ownerKey`'s owner (or by someone else). */
  takeHandle(handle: string, ownerKey?: string, options?: { active?: boolean }): void;
  /** An alias `local@domain`; an active one blocks the handle with the same local part. */
  addAlias(address: string, options?: { active?: boolean }): void;
  handleState(handle: string): { owner: string; active: boolean } | undefined;
  addBotToken(token: string): void;
  setDomains(domains: string[]): void;
  setShapes(shapes: BodyShapes): void;
  setRateLimits(limits: false | Partial<RateLimitSettings>): void;
  /** The credentials route answers 500 after recording the request (the service could not send mail). */
  failMailDelivery(on: boolean): void;
  readonly credentialsSends: readonly CredentialsSend[];

  setLatency(ms: number): void;
  /** Apply `fault` to the next `times` requests (default: until cleared), optionally only on `path`. */
  inject(fault: Fault, options?: { times?: number; path?: string }): void;
  clearFaults(): void;
  /** Record arriving requests but answer none until `release()`; then they are answered in arrival order. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const CREDENTIALS_COOLDOWN_MS = MINUTE_MS;
const CONFIRMATION_TTL_MINUTES = 15;
const MAX_BODY_BYTES = 1024 * 1024;
/** The service's rule, from the contract: 1–64 characters of an RFC 5322 dot-atom. */
const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const HANDLE_HINT = "Use 1-64 characters: a-z, 0-9 and ! # $ % & ' * + / = ? ^ _ ` { | } ~ -, with single dots between parts.";
const ORIGIN_LIMIT_TEXT = 'Too many requests, please try again later.';
const SOMEONE_ELSE = 'someone-else@example.invalid';

type Answer = { status: number; json?: unknown; text?: string; contentType?: string; headers?: Record<string, string> };
type Ctx = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  bodyUnparseable: boolean;
  ip: string;
  origin: string;
  requestId: string;
  now: number;
};
type Owner = { email: string };
type Confirmation = { email: string; days: number; lastSentAt: number; sendCount: number; expiresAt: number };
type PendingFault = { fault: Fault; remaining: number; path?: string };

export async function startFakeMailApi(options: FakeMailApiOptions = {}): Promise<FakeMailApi> {
  const now = options.now ?? Date.now;
  const state = {
    domains: options.domains ?? ['example.test', 'example2.test'],
    shapes: options.shapes ?? 'live',
    limits: resolveLimits(options.rateLimits),
    keys: new Map<string, { email: string; revoked: boolean }>(),
    bans: [] as (FakeBan & { bannedAt: string })[],
    handles: new Map<string, { owner: string; active: boolean }>(),
    aliases: new Map<string, boolean>(),
    botTokens: new Set(options.botTokens ?? []),
    windows: new Map<string, { start: number; count: number }>(),
    confirmations: new Map<string, Confirmation>(),
    credentialsSends: [] as CredentialsSend[],
    mailDeliveryFails: false,
    latencyMs: options.latencyMs ?? 0,
    faults: [] as PendingFault[],
    gate: undefined as { promise: Promise<void>; open: () => void } | undefined,
  };
  for (const [key, email] of Object.entries(options.keys ?? {})) state.keys.set(normaliseKey(key), { email, revoked: false });

  const requests: RecordedRequest[] = [];
  const traffic = new EventEmitter();
  traffic.setMaxListeners(0);

  // ---- rate limits: fixed windows, like express-rate-limit --------------------------------------

  /** Counts one request in a bucket; returns Retry-After seconds when over the limit. */
  function overLimit(bucket: string, limit: number, windowMs: number, at: number): number | undefined {
    let window = state.windows.get(bucket);
    if (!window || at - window.start >= windowMs) {
      window = { start: at, count: 0 };
      state.windows.set(bucket, window);
    }
    window.count += 1;
    return window.count > limit ? Math.max(1, Math.ceil((window.start + windowMs - at) / 1000)) : undefined;
  }

  function limitedJson(retryAfter: number, where: string, reason: string): Answer {
    return { status: 429, json: { error: 'rate_limited', where, reason }, headers: { 'retry-after': String(retryAfter) } };
  }

  // ---- bodies that differ between the live service and the public docs -------------------------

  const bodies = {
    invalidParams(field: string, reason: string): unknown {
      if (state.shapes === 'live') return { error: 'invalid_params', field };
      const hint = field === 'handle' ? HANDLE_HINT : field === 'days' ? 'days must be an integer from 1 to 9999' : 'a valid e-mail address';
      return { error: 'invalid_params', field, reason, hint, constraints: field === 'handle' ? { min_length: 1, max_length: 64 } : {} };
    },
    unauthorized(code: 'missing_api_key' | 'invalid_api_key_format' | 'invalid_or_expired_api_key'): unknown {
      return state.shapes === 'live' ? { error: code } : { error: 'Unauthorized', message: code.replaceAll('_', ' '), code: 401 };
    },
    banned(ban: FakeBan & { bannedAt: string }): unknown {
      if (state.shapes === 'docs') return { error: 'banned', ban: {}, type: ban.type, value: ban.value };
      return { error: 'banned', ban: { ban_type: ban.type, ban_value: ban.value, reason: ban.reason ?? 'banned', banned_at: ban.bannedAt } };
    },
    taken(handle: string): unknown {
      if (state.shapes === 'live') return { ok: false, error: 'alias_taken' };
      return { error: 'Conflict', message: 'Handle already taken', code: 409, details: { handle } };
    },
    internalError(requestId: string): unknown {
      if (state.shapes === 'live') return { error: 'internal_error' };
      return { error: 'Internal Server Error', message: 'An unexpected error occurred', code: 500, requestId };
    },
  };

  // ---- checks, in the service's order -----------------------------------------------------------

  function findBan(type: BanType, value: string) {
    return state.bans.find((b) => b.type === type && b.value === value.toLowerCase());
  }

  function ipBanned(ctx: Ctx): Answer | undefined {
    const ban = findBan('ip', ctx.ip);
    return ban ? { status: 403, json: bodies.banned(ban) } : undefined;
  }

  function originLimited(ctx: Ctx): Answer | undefined {
    if (!state.limits) return undefined;
    const retryAfter = overLimit(`origin:${ctx.origin}`, state.limits.originPerMinute, MINUTE_MS, ctx.now);
    // express-rate-limit's default answer: plain text, labelled as HTML.
    return retryAfter === undefined
      ? undefined
      : { status: 429, text: ORIGIN_LIMIT_TEXT, contentType: 'text/html; charset=utf-8', headers: { 'retry-after': String(retryAfter) } };
  }

  /** Rate limit by key (every request that names one counts), then the key itself (401). */
  function authenticate(ctx: Ctx, bucket: 'handle' | 'stats', where: string): { answer: Answer } | { owner: Owner } {
    const header = ctx.headers['x-api-key'];
    const key = normaliseKey(typeof header === 'string' ? header : '');
    if (state.limits && key !== '') {
      const limit = bucket === 'handle' ? state.limits.keyPerMinute : state.limits.statsPerMinute;
      const retryAfter = overLimit(`${bucket}:${key}`, limit, MINUTE_MS, ctx.now);
      if (retryAfter !== undefined) return { answer: limitedJson(retryAfter, where, 'too_many_requests_key') };
    }
    if (key === '') return { answer: { status: 401, json: bodies.unauthorized('missing_api_key') } };
    if (!/^[a-z0-9]{64}$/.test(key)) return { answer: { status: 401, json: bodies.unauthorized('invalid_api_key_format') } };
    const record = state.keys.get(key);
    if (!record || record.revoked) return { answer: { status: 401, json: bodies.unauthorized('invalid_or_expired_api_key') } };
    return { owner: { email: record.email } };
  }

  /** The handle from the body, normalised, or the 400 the service gives. */
  function readHandle(ctx: Ctx): { handle: string } | { answer: Answer } {
    const raw = (ctx.body as { handle?: unknown } | undefined)?.handle;
    if (typeof raw !== 'string') return { answer: { status: 400, json: bodies.invalidParams('handle', 'missing') } };
    const handle = raw.trim().toLowerCase();
    if (handle.length > 64) return { answer: { status: 400, json: bodies.invalidParams('handle', 'too_long') } };
    if (!DOT_ATOM.test(handle)) return { answer: { status: 400, json: bodies.invalidParams('handle', 'invalid_format') } };
    return { handle };
  }

  function ownerBanned(email: string): Answer | undefined {
    const ban = findBan('email', email) ?? findBan('domain', email.split('@')[1] ?? '');
    return ban ? { status: 403, json: bodies.banned(ban) } : undefined;
  }

  function isTaken(handle: string): boolean {
    // Deleted handles stay reserved; an active alias with the same local part blocks it too.
    return state.handles.has(handle) || state.aliases.get(handle) === true;
  }

  // ---- routes -------------------------------------------------------------------------------------

  function createHandle(ctx: Ctx): Answer {
    const auth = authenticate(ctx, 'handle', 'handle_create');
    if ('answer' in auth) return auth.answer;
    const read = readHandle(ctx);
    if ('answer' in read) return read.answer;
    const { handle } = read;
    const nameBan = findBan('name', handle);
    if (nameBan) return { status: 403, json: bodies.banned(nameBan) };
    const banned = ownerBanned(auth.owner.email);
    if (banned) return banned;
    if (isTaken(handle)) return { status: 409, json: bodies.taken(handle) };
    state.handles.set(handle, { owner: auth.owner.email, active: true });
    return { status: 200, json: { ok: true, created: true, handle, goto: auth.owner.email } };
  }

  function deleteHandle(ctx: Ctx): Answer {
    const auth = authenticate(ctx, 'handle', 'handle_delete');
    if ('answer' in auth) return auth.answer;
    const read = readHandle(ctx);
    if ('answer' in read) return read.answer;
    const record = state.handles.get(read.handle);
    if (!record) return { status: 404, json: { error: 'handle_not_found' } };
    if (record.owner !== auth.owner.email) return { status: 403, json: { error: 'forbidden' } };
    record.active = false; // deactivated, still reserved
    return { status: 200, json: { ok: true, updated: true, handle: read.handle, active: false } };
  }

  function aliasStats(ctx: Ctx): Answer {
    const auth = authenticate(ctx, 'stats', 'alias_stats');
    if ('answer' in auth) return auth.answer;
    const own = [...state.handles.values()].filter((h) => h.owner === auth.owner.email);
    const active = own.filter((h) => h.active).length;
    return { status: 200, json: { totals: own.length, active, inactive: own.length - active } };
  }

  function requestCredentials(ctx: Ctx): Answer {
    const limits = state.limits;
    const byOrigin = limits ? overLimit(`credentials-origin:${ctx.origin}`, limits.credentialsPerHourOrigin, HOUR_MS, ctx.now) : undefined;
    if (byOrigin !== undefined) return limitedJson(byOrigin, 'credentials_create', 'too_many_requests_origin');
    const body = (ctx.body ?? {}) as { email?: unknown; days?: unknown };
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      return { status: 400, json: bodies.invalidParams('email', 'invalid_email') };
    }
    const days = body.days;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 9999) {
      return { status: 400, json: state.shapes === 'live' ? { error: 'invalid_params', field: 'days', hint: 'an integer from 1 to 9999' } : bodies.invalidParams('days', 'out_of_range') };
    }
    const domain = email.split('@')[1] ?? '';
    if (state.domains.includes(domain)) return { status: 400, json: { error: 'managed_domain_not_allowed', field: 'email', domain } };
    const banned = ownerBanned(email);
    if (banned) return banned;
    const byEmail = limits ? overLimit(`credentials-email:${email}`, limits.credentialsPerHourEmail, HOUR_MS, ctx.now) : undefined;
    if (byEmail !== undefined) return limitedJson(byEmail, 'credentials_create', 'too_many_requests_email');
    return sendConfirmation(ctx, email, days);
  }

  function sendConfirmation(ctx: Ctx, email: string, days: number): Answer {
    const previous = state.confirmations.get(email);
    if (previous && ctx.now - previous.lastSentAt < CREDENTIALS_COOLDOWN_MS) {
      return { status: 200, json: credentialsBody(previous, false) };
    }
    const confirmation: Confirmation = {
      email,
      days,
      lastSentAt: ctx.now,
      sendCount: (previous?.sendCount ?? 0) + 1,
      expiresAt: ctx.now + CONFIRMATION_TTL_MINUTES * MINUTE_MS,
    };
    // Recorded before the mail goes out, so a retry after a failed send reports the cooldown.
    state.confirmations.set(email, confirmation);
    state.credentialsSends.push({ email, days, at: ctx.now, delivered: !state.mailDeliveryFails });
    if (state.mailDeliveryFails) return { status: 500, json: bodies.internalError(ctx.requestId) };
    return { status: 200, json: credentialsBody(confirmation, true) };
  }

  function credentialsBody(c: Confirmation, sent: boolean): unknown {
    const iso = (t: number) => new Date(t).toISOString();
    return {
      ok: true,
      action: 'api_credentials_create',
      email: c.email,
      days: c.days,
      automatic_renew: false,
      confirmation: {
        sent,
        ttl_minutes: CONFIRMATION_TTL_MINUTES,
        ...(sent ? {} : { reason: 'cooldown' }),
        status: 'pending',
        expires_at: iso(c.expiresAt),
        last_sent_at: iso(c.lastSentAt),
        next_allowed_send_at: iso(c.lastSentAt + CREDENTIALS_COOLDOWN_MS),
        send_count: c.sendCount,
        remaining_attempts: Math.max(0, (state.limits ? state.limits.credentialsPerHourEmail : 3) - c.sendCount),
      },
    };
  }

  const routes: Record<string, (ctx: Ctx) => Answer> = {
    'POST /api/handle/create': createHandle,
    'POST /api/handle/delete': deleteHandle,
    'GET /api/alias/stats': aliasStats,
    'GET /api/domains': () => ({ status: 200, json: state.domains }),
    'POST /api/credentials/create': requestCredentials,
  };

  /** Body parsing → IP ban → per-origin limit → the route's own checks. */
  function handle(ctx: Ctx): Answer {
    if (ctx.bodyUnparseable) {
      return { status: 400, json: { message: 'Unexpected token in JSON body', error: 'Bad Request', statusCode: 400 } };
    }
    const isDomains = ctx.path === '/api/domains';
    // The public domain list is not behind the IP ban (its outcome has no "banned").
    const early = (isDomains ? undefined : ipBanned(ctx)) ?? originLimited(ctx);
    if (early) return early;
    const route = routes[`${ctx.method} ${ctx.path}`];
    if (route) return route(ctx);
    return { status: 404, json: { message: `Cannot ${ctx.method} ${ctx.path}`, error: 'Not Found', statusCode: 404 } };
  }

  // ---- faults -------------------------------------------------------------------------------------

  function takeFault(path: string): Fault | undefined {
    const pending = state.faults.find((f) => f.remaining > 0 && (f.path === undefined || f.path === path));
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) state.faults.splice(state.faults.indexOf(pending), 1);
    return pending.fault;
  }

  function cannedAnswer(fault: Fault, requestId: string): Answer | undefined {
    switch (fault.kind) {
      case 'html':
        return { status: fault.status, text: htmlErrorPage(fault.status), contentType: 'text/html; charset=utf-8' };
      case 'status':
        return { status: fault.status, json: fault.status === 503 ? { error: 'temporarily_unavailable' } : bodies.internalError(requestId) };
      case 'raw':
        return { status: fault.status, text: fault.body, contentType: fault.contentType ?? 'application/json; charset=utf-8', ...(fault.headers ? { headers: fault.headers } : {}) };
      default:
        return undefined;
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  function record(entry: RecordedRequest): void {
    entry.seq = requests.length + 1; // numbered on arrival of the whole request, in order
    requests.push(entry);
    traffic.emit('traffic', entry);
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const ip = normaliseIp(req.socket.remoteAddress);
    const requestId = acceptRequestId(req.headers['x-request-id']);
    const fault = takeFault(path);
    const entry: RecordedRequest = {
      seq: 0, method: req.method ?? 'GET', path, headers: req.headers, rawBody: '', body: undefined, ip, remotePort: req.socket.remotePort ?? 0, at: now(), requestId,
      ...(fault ? { fault: fault.kind } : {}),
    };
    if (fault?.kind === 'reset' && fault.phase === 'before_read') {
      record(entry);
      req.socket.destroy();
      return;
    }
    entry.rawBody = await readBody(req);
    const parsed = parseBody(req.headers['content-type'], entry.rawBody);
    entry.body = parsed.body;
    record(entry);

    await state.gate?.promise;
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (fault?.kind === 'hang') return; // held open until the client gives up or close()

    const answer =
      (fault ? cannedAnswer(fault, requestId) : undefined) ??
      handle({ method: entry.method, path, headers: req.headers, body: parsed.body, bodyUnparseable: parsed.unparseable, ip, origin: originOf(req.headers, ip), requestId, now: now() });
    if (fault?.kind === 'reset') {
      req.socket.destroy(); // handled and applied, but the answer never leaves
      return;
    }
    writeAnswer(res, answer, requestId);
    entry.status = answer.status;
    traffic.emit('traffic', entry);
  }

  function originOf(headers: http.IncomingHttpHeaders, ip: string): string {
    const token = headers['x-bot-auth-token'];
    const source = headers['x-bot-source'];
    if (typeof token === 'string' && state.botTokens.has(token) && typeof source === 'string' && source !== '') {
      return `source:${source.slice(0, 256)}`;
    }
    return `ip:${ip}`;
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      // A bug in the fake must be loud, not a quiet 500 that looks like the service's.
      console.error('fake mail API failed', error);
      if (!res.headersSent) res.writeHead(599).end();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor(predicate, timeoutMs = 5000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onTraffic = (entry: RecordedRequest) => {
          if (!predicate(entry)) return;
          clearTimeout(timer);
          traffic.off('traffic', onTraffic);
          resolve(entry);
        };
        const timer = setTimeout(() => {
          traffic.off('traffic', onTraffic);
          reject(new Error(`fake mail API: no matching request within ${timeoutMs} ms (${requests.length} recorded)`));
        }, timeoutMs);
        traffic.on('traffic', onTraffic);
      });
    },
    addKey(key, ownerEmail) {
      state.keys.set(normaliseKey(key), { email: ownerEmail.toLowerCase(), revoked: false });
    },
    newKey(ownerEmail) {
      const key = randomBytes(32).toString('hex');
      state.keys.set(key, { email: ownerEmail.toLowerCase(), revoked: false });
      return key;
    },
    revokeKey(key) {
      const record = state.keys.get(normaliseKey(key));
      if (record) record.revoked = true;
    },
    ban(ban) {
      state.bans.push({ ...ban, value: ban.value.toLowerCase(), bannedAt: new Date(now()).toISOString() });
    },
    unban(type, value) {
      state.bans = state.bans.filter((b) => !(b.type === type && b.value === value.toLowerCase()));
    },
    takeHandle(handle, ownerKey, { active = true } = {}) {
      const owner = ownerKey === undefined ? SOMEONE_ELSE : (state.keys.get(normaliseKey(ownerKey))?.email ?? SOMEONE_ELSE);
      state.handles.set(handle.trim().toLowerCase(), { owner, active });
    },
    addAlias(address, { active = true } = {}) {
      state.aliases.set((address.split('@')[0] ?? '').trim().toLowerCase(), active);
    },
    handleState(handle) {
      const record = state.handles.get(handle.trim().toLowerCase());
      return record ? { ...record } : undefined;
    },
    addBotToken(token) {
      state.botTokens.add(token);
    },
    setDomains(domains) {
      state.domains = [...domains];
    },
    setShapes(shapes) {
      state.shapes = shapes;
    },
    setRateLimits(limits) {
      state.limits = resolveLimits(limits);
      state.windows.clear();
    },
    failMailDelivery(on) {
      state.mailDeliveryFails = on;
    },
    credentialsSends: state.credentialsSends,
    setLatency(ms) {
      state.latencyMs = ms;
    },
    inject(fault, { times = Number.POSITIVE_INFINITY, path } = {}) {
      state.faults.push({ fault, remaining: times, ...(path === undefined ? {} : { path }) });
    },
    clearFaults() {
      state.faults.length = 0;
    },
    hold() {
      if (state.gate) return;
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      state.gate = { promise, open };
    },
    release() {
      state.gate?.open();
      state.gate = undefined;
    },
    async close() {
      state.gate?.open();
      state.gate = undefined;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}

function resolveLimits(limits: false | Partial<RateLimitSettings> | undefined): RateLimitSettings | false {
  return limits === false ? false : { ...DEFAULT_RATE_LIMITS, ...limits };
}

/** What the service does to the X-API-Key header before looking at it. */
function normaliseKey(key: string): string {
  return key.trim().toLowerCase();
}

function normaliseIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

/** Echo a sane caller id; otherwise make one up (every response carries one). */
function acceptRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\x21-\x7e]{1,128}$/.test(header) ? header : randomUUID();
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Like express.json(): only JSON content types are parsed; anything else leaves an empty body. */
function parseBody(contentType: string | undefined, raw: string): { body: unknown; unparseable: boolean } {
  if (!contentType?.toLowerCase().includes('application/json')) return { body: {}, unparseable: false };
  if (raw.trim() === '') return { body: {}, unparseable: false };
  try {
    return { body: JSON.parse(raw) as unknown, unparseable: false };
  } catch {
    return { body: undefined, unparseable: true };
  }
}

function writeAnswer(res: http.ServerResponse, answer: Answer, requestId: string): void {
  if (res.destroyed) return; // the client gave up; the work was still done
  const isJson = answer.json !== undefined;
  const text = isJson ? JSON.stringify(answer.json) : (answer.text ?? '');
  res.writeHead(answer.status, {
    'content-type': isJson ? 'application/json; charset=utf-8' : (answer.contentType ?? 'text/html; charset=utf-8'),
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
    ...answer.headers,
  });
  res.end(text);
}

function htmlErrorPage(status: 500 | 502): string {
  return status === 502
    ? '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
    : '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error</title></head>\n<body><pre>Internal Server Error</pre></body>\n</html>\n';
}
