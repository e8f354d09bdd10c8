/**
 * Turns an HTTP answer from the mail service into a typed outcome, one function per route,
 * following the status/body rows of upstream-contract.md. A body that is not JSON (plain text,
 * HTML, empty) is judged by its status code alone; a status or body the contract does not list
 * becomes `unexpected_response` rather than a guess.
 */
import {
  createdBodySchema, credentialsBodySchema, deletedBodySchema, domainsBodySchema, errorBodySchema, statsBodySchema,
  type ErrorBody,
} from './schemas.js';
import type {
  Banned, BanKind, CreateOutcome, CredentialsOutcome, DeleteOutcome, DomainsOutcome, InvalidHandle, KeyCheckOutcome,
  KeyMalformed, KeyMissing, KeyRejected, RateLimited, ServiceError, ServiceUnavailable, Timeout, UnexpectedResponse,
} from './outcomes.js';
import type { ResponseHeaders } from './transport.js';

export type Answer = { status: number; headers: ResponseHeaders; json: unknown };
type Base = { requestId: string };

/** When a 429 carries no usable Retry-After: the service's windows are one minute long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;
const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;
const BAN_KINDS: readonly string[] = ['name', 'email', 'domain', 'ip'] satisfies BanKind[];

/** JSON when the text looks like JSON and parses; otherwise undefined (judged by status). */
export function parseJsonBody(text: string | undefined): unknown {
  const start = text?.trimStart()[0];
  if (text === undefined || (start !== '{' && start !== '[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function interpretCreate(answer: Answer, base: Base, handle: string): CreateOutcome {
  if (answer.status === 200) {
    const body = createdBodySchema.safeParse(answer.json);
    // The server's `handle` is authoritative: it is the normalised form it stored.
    return body.success ? { ...base, kind: 'created', handle: body.data.handle, goto: body.data.goto } : unexpected(answer, base);
  }
  const error = errorOf(answer.json);
  if (answer.status === 400 && error?.error === 'invalid_params') return invalidHandle(error, base, handle);
  // `alias_taken`, the docs' `Conflict`: any 409 here means the name is reserved.
  if (answer.status === 409) return { ...base, kind: 'taken', handle };
  return keyedFailure(answer, error, base, true) ?? unexpected(answer, base);
}

export function interpretDelete(answer: Answer, base: Base, handle: string): DeleteOutcome {
  if (answer.status === 200) {
    const body = deletedBodySchema.safeParse(answer.json);
    return body.success ? { ...base, kind: 'deleted', handle: body.data.handle ?? handle } : unexpected(answer, base);
  }
  const error = errorOf(answer.json);
  if (answer.status === 400 && error?.error === 'invalid_params') return invalidHandle(error, base, handle);
  // Only the service's own 404; the framework's `{"error":"Not Found"}` means a wrong route or base URL.
  if (answer.status === 404 && error?.error === 'handle_not_found') return { ...base, kind: 'not_found', handle };
  if (answer.status === 403 && error?.error === 'forbidden') return { ...base, kind: 'forbidden', handle };
  return keyedFailure(answer, error, base, true) ?? unexpected(answer, base);
}

export function interpretCheckKey(answer: Answer, base: Base): KeyCheckOutcome {
  if (answer.status === 200) {
    return statsBodySchema.safeParse(answer.json).success ? { ...base, kind: 'key_ok' } : unexpected(answer, base);
  }
  return keyedFailure(answer, errorOf(answer.json), base, false) ?? unexpected(answer, base);
}

export function interpretCredentials(answer: Answer, base: Base, request: { email: string; days: number }): CredentialsOutcome {
  if (answer.status === 200) return credentialsAnswer(answer, base, request);
  const error = errorOf(answer.json);
  if (answer.status === 400 && error?.error === 'managed_domain_not_allowed') {
    return { ...base, kind: 'managed_domain', ...present({ domain: error.domain }) };
  }
  if (answer.status === 400 && error?.error === 'invalid_params') {
    return { ...base, kind: 'invalid_params', ...present({ field: error.field, reason: error.reason, hint: error.hint }) };
  }
  return banned(answer, error, base) ?? serviceFailure(answer, error, base, true) ?? unexpected(answer, base);
}

export function interpretDomains(answer: Answer, base: Base): DomainsOutcome {
  if (answer.status === 200) {
    const body = domainsBodySchema.safeParse(answer.json);
    if (!body.success) return unexpected(answer, base);
    const domains = body.data.map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
    return { ...base, kind: 'domains', domains, stale: false };
  }
  return serviceFailure(answer, errorOf(answer.json), base, false) ?? unexpected(answer, base);
}

function credentialsAnswer(answer: Answer, base: Base, request: { email: string; days: number }): CredentialsOutcome {
  const body = credentialsBodySchema.safeParse(answer.json);
  if (!body.success) return unexpected(answer, base);
  const { confirmation } = body.data;
  const email = body.data.email ?? request.email;
  if (!confirmation.sent) {
    // "cooldown" is the documented reason; any other unsent answer also means "not now".
    return { ...base, kind: 'request_cooldown', email, ...present({ nextAllowedAt: confirmation.next_allowed_send_at }) };
  }
  return {
    ...base,
    kind: 'request_sent',
    email,
    days: body.data.days ?? request.days,
    ...present({ ttlMinutes: confirmation.ttl_minutes, expiresAt: confirmation.expires_at }),
  };
}

/** The failures every keyed route shares: 401 variants, 403 banned, 429, 5xx. */
function keyedFailure(answer: Answer, error: ErrorBody | undefined, base: Base, mutating: boolean) {
  return keyFailure(answer, error, base) ?? banned(answer, error, base) ?? serviceFailure(answer, error, base, mutating);
}

function keyFailure(answer: Answer, error: ErrorBody | undefined, base: Base): KeyMissing | KeyMalformed | KeyRejected | undefined {
  if (answer.status !== 401) return undefined;
  if (error?.error === 'missing_api_key') return { ...base, kind: 'key_missing' };
  if (error?.error === 'invalid_api_key_format') return { ...base, kind: 'key_malformed' };
  // invalid_or_expired_api_key, the docs' "Unauthorized", or an unreadable 401: the key was refused.
  return { ...base, kind: 'key_rejected' };
}

function banned(answer: Answer, error: ErrorBody | undefined, base: Base): Banned | undefined {
  if (answer.status !== 403 || error?.error !== 'banned') return undefined;
  const ban = error.ban;
  // Live: ban.{ban_type,ban_value,reason,banned_at}. Docs: `ban: {}` with type/value beside it.
  const kind = ban?.ban_type ?? ban?.type ?? error.type;
  return {
    ...base,
    kind: 'banned',
    ban: {
      kind: kind !== undefined && BAN_KINDS.includes(kind) ? (kind as BanKind) : 'unknown',
      ...present({ value: ban?.ban_value ?? ban?.value ?? error.value, reason: ban?.reason ?? error.reason, since: ban?.banned_at }),
    },
  };
}

/** 429 and 5xx: the same on every route. */
function serviceFailure(
  answer: Answer,
  error: ErrorBody | undefined,
  base: Base,
  mutating: boolean,
): RateLimited | ServiceUnavailable | ServiceError | Timeout | undefined {
  const { status } = answer;
  if (status === 429) {
    return { ...base, kind: 'rate_limited', retryAfterSeconds: parseRetryAfter(answer.headers['retry-after']), scope: rateLimitScope(error) };
  }
  if (status === 503) return { ...base, kind: 'service_unavailable' };
  // A gateway timed out waiting for the service: a write may still have been applied behind it.
  if (status === 504) return { ...base, kind: 'timeout', outcomeUnknown: mutating };
  if (status >= 500 && status <= 599) return { ...base, kind: 'service_error', status };
  return undefined;
}

/**
 * The per-key limiter answers JSON (`reason: too_many_requests_key`); the per-origin limiter
 * answers plain text. A JSON reason naming neither is reported as unknown rather than guessed.
 */
function rateLimitScope(error: ErrorBody | undefined): RateLimited['scope'] {
  if (!error) return 'origin';
  const words = (error.reason ?? '').toLowerCase().split(/[^a-z]+/);
  if (words.includes('key')) return 'key';
  if (words.some((w) => w === 'origin' || w === 'ip' || w === 'source')) return 'origin';
  return 'unknown';
}

/** Retry-After in seconds or as an HTTP date; a sensible default when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number {
  const value = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  let seconds = Number.NaN;
  if (/^\d+$/.test(value)) seconds = Number(value);
  else if (value !== '') seconds = Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_SECONDS);
}

function invalidHandle(error: ErrorBody, base: Base, handle: string): InvalidHandle {
  return { ...base, kind: 'invalid_handle', handle, ...present({ reason: error.reason, hint: error.hint }) };
}

function unexpected(answer: Answer, base: Base): UnexpectedResponse {
  return { ...base, kind: 'unexpected_response', status: answer.status };
}

function errorOf(json: unknown): ErrorBody | undefined {
  const parsed = errorBodySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The given fields without the undefined ones, so outcomes hold only what the service said. */
function present<T extends Record<string, string | number | undefined>>(fields: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
