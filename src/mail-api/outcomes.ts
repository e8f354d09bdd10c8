/**
 * Every answer of the mail-forwarding API becomes one of these typed outcomes. The client
 * never throws for an HTTP answer or a network fault; the core's message catalogue turns
 * each outcome into words (what happened, why, what to do next). No outcome ever holds
 * an API key. Every outcome carries the request id sent as X-Request-Id.
 */

import type { ApiKey } from '../domain/api-key.js';
import type { Handle, HandleProblem } from '../domain/handle.js';

export type { HandleProblem } from '../domain/handle.js';

export type BanKind = 'name' | 'email' | 'domain' | 'ip';

type Base = { requestId: string };

export type Created = Base & { kind: 'created'; handle: string; goto: string };
export type Deleted = Base & { kind: 'deleted'; handle: string };
export type KeyOk = Base & { kind: 'key_ok' };
export type RequestSent = Base & { kind: 'request_sent'; email: string; days: number; ttlMinutes?: number; expiresAt?: string };
export type RequestCooldown = Base & { kind: 'request_cooldown'; email: string; nextAllowedAt?: string };
export type ManagedDomain = Base & { kind: 'managed_domain'; domain?: string };

/** The handle is not valid: `problem` when found locally, `reason`/`hint` when the service said more than "invalid_params". */
export type InvalidHandle = Base & { kind: 'invalid_handle'; handle: string; problem?: HandleProblem; reason?: string; hint?: string };
/** Another parameter was refused (credentials request: e-mail or days). */
export type InvalidParams = Base & { kind: 'invalid_params'; field?: string; reason?: string; hint?: string };
export type Taken = Base & { kind: 'taken'; handle: string };
export type NotFound = Base & { kind: 'not_found'; handle: string };
export type Forbidden = Base & { kind: 'forbidden'; handle: string };
export type Banned = Base & { kind: 'banned'; ban: { kind: BanKind | 'unknown'; value?: string; reason?: string; since?: string } };

export type KeyMissing = Base & { kind: 'key_missing' };
export type KeyMalformed = Base & { kind: 'key_malformed' };
/** Unknown, expired and revoked keys are indistinguishable at the service. */
export type KeyRejected = Base & { kind: 'key_rejected' };
export type RateLimited = Base & { kind: 'rate_limited'; retryAfterSeconds: number; scope: 'key' | 'origin' | 'unknown' };
export type ServiceError = Base & { kind: 'service_error'; status: number };
export type ServiceUnavailable = Base & { kind: 'service_unavailable' };
/** The deadline passed. `outcomeUnknown` when a request that changes state may have been applied. */
export type Timeout = Base & { kind: 'timeout'; outcomeUnknown: boolean };
/** No connection could be made (refused, DNS, reset before the request was sent). */
export type Unreachable = Base & { kind: 'unreachable' };
export type UnexpectedResponse = Base & { kind: 'unexpected_response'; status: number };

/** Failures any keyed call can meet. */
export type CommonFailure =
  | KeyMissing | KeyMalformed | KeyRejected | Banned | RateLimited | ServiceError | ServiceUnavailable
  | Timeout | Unreachable | UnexpectedResponse;

export type CreateOutcome = Created | InvalidHandle | Taken | CommonFailure;
export type DeleteOutcome = Deleted | InvalidHandle | NotFound | Forbidden | CommonFailure;
export type KeyCheckOutcome = KeyOk | CommonFailure;
export type CredentialsOutcome =
  | RequestSent | RequestCooldown | ManagedDomain | InvalidParams | Banned | RateLimited | ServiceError
  | ServiceUnavailable | Timeout | Unreachable | UnexpectedResponse;
export type DomainsOutcome = (Base & { kind: 'domains'; domains: string[]; stale: boolean }) | ServiceError | ServiceUnavailable | Timeout | Unreachable | UnexpectedResponse | RateLimited;

export type MailOutcome = CreateOutcome | DeleteOutcome | KeyCheckOutcome | CredentialsOutcome | DomainsOutcome;

/** Who is calling: sent as X-Request-Id and (with a bot token) X-Bot-Source. */
export type CallContext = { requestId: string; source: string };

/** The client's surface, as the engine uses it. */
export interface MailApi {
  /** The key and the handle were checked where they arrived (their types say so): no request is spent on a bad one. */
  createHandle(apiKey: ApiKey, handle: Handle, call: CallContext): Promise<CreateOutcome>;
  deleteHandle(apiKey: ApiKey, handle: Handle, call: CallContext): Promise<DeleteOutcome>;
  checkKey(apiKey: ApiKey, call: CallContext): Promise<KeyCheckOutcome>;
  requestCredentials(email: string, days: number, call: CallContext): Promise<CredentialsOutcome>;
  /** Cached for DOMAINS_CACHE_SECONDS; a failed refresh serves the last good list with `stale: true`. */
  domains(call: CallContext): Promise<DomainsOutcome>;
  close(): Promise<void>;
}

/** Outcomes that mean "the service itself is failing" (for outage detection). */
export function isServiceFault(outcome: MailOutcome): boolean {
  return ['service_error', 'service_unavailable', 'timeout', 'unreachable'].includes(outcome.kind);
}
