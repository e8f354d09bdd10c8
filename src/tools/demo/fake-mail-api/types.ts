/**
 * The fake mail service's public types and the service's constants (see ./index.ts).
 */
import type http from 'node:http';

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

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const CREDENTIALS_COOLDOWN_MS = MINUTE_MS;
export const CONFIRMATION_TTL_MINUTES = 15;
export const MAX_BODY_BYTES = 1024 * 1024;
/** The service's rule, from the contract: 1–64 characters of an RFC 5322 dot-atom. */
export const DOT_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
export const HANDLE_HINT = "Use 1-64 characters: a-z, 0-9 and ! # $ % & ' * + / = ? ^ _ ` { | } ~ -, with single dots between parts.";
export const ORIGIN_LIMIT_TEXT = 'Too many requests, please try again later.';
export const SOMEONE_ELSE = 'someone-else@example.invalid';

export type Answer = { status: number; json?: unknown; text?: string; contentType?: string; headers?: Record<string, string> };
export type Ctx = {
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
export type Owner = { email: string };
export type Confirmation = { email: string; days: number; lastSentAt: number; sendCount: number; expiresAt: number };
export type PendingFault = { fault: Fault; remaining: number; path?: string };
