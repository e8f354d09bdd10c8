/**
 * The service's rules, as the contract describes them: rate limits (fixed windows, like
 * express-rate-limit), the body shapes of the live service and of the public docs, the checks
 * in the service's order, and the routes. Pure logic over the state: no HTTP here.
 */
import { HANDLE_HINT, CREDENTIALS_COOLDOWN_MS, CONFIRMATION_TTL_MINUTES, DOT_ATOM, HOUR_MS, MINUTE_MS, ORIGIN_LIMIT_TEXT,
  type Answer, type BanType, type Confirmation, type Ctx, type FakeBan, type Owner } from './types.js';
import { normaliseKey, type State } from './state.js';

export type Rules = {
  /** Answers one request (already parsed) as the service would. */
  handle(ctx: Ctx): Answer;
  /** The service's own 500 body (in the configured shape), for injected faults. */
  internalError(requestId: string): unknown;
};

export function createRules(state: State): Rules {
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

  return { handle, internalError: (requestId) => bodies.internalError(requestId) };
}
