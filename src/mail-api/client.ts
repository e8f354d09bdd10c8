/**
 * The mail-forwarding API client: `MailApi` over one keep-alive undici pool. Every call ends in
 * a typed outcome (never a throw), carries the caller's request id, and is logged at debug
 * without the API key (it only ever travels in the X-API-Key header).
 *
 * Writes (create, delete, credentials) are never retried: they are not idempotent, and a retried
 * create that had in fact succeeded answers 409. When a write's fate is unknown (deadline passed
 * or connection lost after it was sent) the outcome says so (`timeout`, `outcomeUnknown: true`).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../ops/logger.js';
import { createDomainsCache } from './domains-cache.js';
import {
  interpretCheckKey, interpretCreate, interpretCredentials, interpretDelete, interpretDomains, parseJsonBody, type Answer,
} from './interpret.js';
import type {
  CallContext, CreateOutcome, CredentialsOutcome, DeleteOutcome, DomainsOutcome, KeyCheckOutcome,
  MailApi, MailOutcome, Timeout, Unreachable,
} from './outcomes.js';
import { createTransport, type HttpAnswer, type HttpFault, type HttpRequest } from './transport.js';

/** Every call the client makes, for metric labels (verb → HTTP method and route). */
export const MAIL_API_ROUTES = {
  create: { method: 'POST', route: '/api/handle/create', write: true },
  delete: { method: 'POST', route: '/api/handle/delete', write: true },
  check_key: { method: 'GET', route: '/api/alias/stats', write: false },
  request_credentials: { method: 'POST', route: '/api/credentials/create', write: true },
  domains: { method: 'GET', route: '/api/domains', write: false },
} as const satisfies Record<string, { method: HttpRequest['method']; route: string; write: boolean }>;
export type MailApiVerb = keyof typeof MAIL_API_ROUTES;
export const MAIL_API_VERBS = Object.keys(MAIL_API_ROUTES) as MailApiVerb[];

/** What a metrics hook learns about each call (`sent: false` when it was answered locally). */
export type MailApiCallInfo = {
  verb: MailApiVerb;
  route: string;
  outcome: MailOutcome['kind'];
  status?: number;
  durationMs: number;
  sent: boolean;
};

export type MailApiOptions = {
  baseUrl: string;
  /** Total deadline per call, connection and body included. */
  timeoutMs: number;
  /** Issued by the service's operator: rate limits then count per X-Bot-Source, not per bot IP. */
  botToken?: string;
  domainsCacheSeconds: number;
  log: Logger;
  /** Defaults to half the deadline, at most 5 s, so that a black-holed host reads as unreachable. */
  connectTimeoutMs?: number;
  onCall?: (info: MailApiCallInfo) => void;
  /** Time source for the domains cache (tests). */
  clock?: () => number;
};

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const MAX_SOURCE_LENGTH = 256;
const MAX_REQUEST_ID_LENGTH = 128;
const MIN_DAYS = 1;
const MAX_DAYS = 9999;

type Base = { requestId: string };
type NoAnswer = Timeout | Unreachable;

export function createMailApi(options: MailApiOptions): MailApi {
  const transport = createTransport({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? Math.min(Math.ceil(options.timeoutMs / 2), DEFAULT_CONNECT_TIMEOUT_MS),
  });
  const botToken = options.botToken?.trim() === '' ? undefined : options.botToken?.trim();
  const log = options.log.child({ component: 'mail-api' });

  /** One request: headers, deadline, outcome, log line and metrics hook. */
  async function exchange<O extends MailOutcome>(
    verb: MailApiVerb,
    call: CallContext,
    payload: { apiKey?: string; body?: object },
    interpret: (answer: Answer, base: Base) => O,
  ): Promise<O | NoAnswer> {
    const { method, route, write } = MAIL_API_ROUTES[verb];
    const started = performance.now();
    const requestId = headerSafe(call.requestId, MAX_REQUEST_ID_LENGTH) || randomUUID();
    const result = await transport.send({
      method,
      path: route,
      headers: requestHeaders(requestId, call.source, payload.apiKey, payload.body !== undefined),
      ...(payload.body === undefined ? {} : { body: JSON.stringify(payload.body) }),
      // Reads may be retried once on a connection error; a write may already have been applied.
      retryConnectionErrors: !write,
    });
    const outcome =
      result.type === 'answer'
        ? interpret(toAnswer(result), { requestId: echoedRequestId(result) ?? requestId })
        : noAnswerOutcome(result, write, { requestId });
    report(verb, outcome, started, result);
    return outcome;
  }

  function requestHeaders(requestId: string, source: string, apiKey: string | undefined, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': requestId };
    if (hasBody) headers['content-type'] = 'application/json';
    if (apiKey !== undefined) headers['x-api-key'] = apiKey;
    if (botToken !== undefined) {
      headers['x-bot-auth-token'] = botToken;
      headers['x-bot-source'] = headerSafe(source, MAX_SOURCE_LENGTH);
    }
    return headers;
  }

  function report(verb: MailApiVerb, outcome: MailOutcome, started: number, result?: HttpAnswer | HttpFault): void {
    const { method, route } = MAIL_API_ROUTES[verb];
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const status = result?.type === 'answer' ? result.status : undefined;
    const fault = result?.type === 'fault' ? result.code : undefined;
    log.debug(
      { verb, method, route, status, outcome: outcome.kind, durationMs, requestId: outcome.requestId, attempts: result?.attempts ?? 0, fault },
      'mail api call',
    );
    try {
      options.onCall?.({ verb, route, outcome: outcome.kind, durationMs, sent: result !== undefined, ...(status === undefined ? {} : { status }) });
    } catch (error) {
      // A metrics bug must not turn a created handle into a failure.
      log.warn({ err: error }, 'mail api onCall hook failed');
    }
  }

  /** An outcome decided without a request (bad e-mail/days). */
  function answeredLocally<O extends MailOutcome>(verb: MailApiVerb, outcome: O): O {
    report(verb, outcome, performance.now());
    return outcome;
  }

  async function fetchDomains(call: CallContext): Promise<DomainsOutcome> {
    return exchange('domains', call, {}, interpretDomains);
  }

  return {
    // The key and the handle are typed as checked (ApiKey, Handle): nothing to check again here.
    createHandle(apiKey, handle, call): Promise<CreateOutcome> {
      return exchange('create', call, { apiKey, body: { handle } }, (answer, base) => interpretCreate(answer, base, handle));
    },

    deleteHandle(apiKey, handle, call): Promise<DeleteOutcome> {
      return exchange('delete', call, { apiKey, body: { handle } }, (answer, base) => interpretDelete(answer, base, handle));
    },

    checkKey(apiKey, call): Promise<KeyCheckOutcome> {
      return exchange('check_key', call, { apiKey }, interpretCheckKey);
    },

    async requestCredentials(rawEmail, days, call): Promise<CredentialsOutcome> {
      // Checked here because the service allows only 10 of these per hour per origin.
      const email = rawEmail.trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
        return answeredLocally('request_credentials', { kind: 'invalid_params', field: 'email', requestId: call.requestId });
      }
      if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
        return answeredLocally('request_credentials', { kind: 'invalid_params', field: 'days', requestId: call.requestId });
      }
      return exchange('request_credentials', call, { body: { email, days } }, (answer, base) =>
        interpretCredentials(answer, base, { email, days }),
      );
    },

    domains: createDomainsCache(fetchDomains, {
      ttlMs: options.domainsCacheSeconds * 1000,
      clock: options.clock ?? Date.now,
    }),

    close: () => transport.close(),
  };
}

function toAnswer(result: HttpAnswer): Answer {
  return { status: result.status, headers: result.headers, json: parseJsonBody(result.text) };
}

/**
 * No answer. A write that reached the socket may have been applied, whether the deadline passed
 * or the connection was reset: the service may have committed it before the connection died,
 * so the honest outcome is "unknown", never "failed". A read has no such doubt.
 */
function noAnswerOutcome(fault: HttpFault, write: boolean, base: Base): NoAnswer {
  if (fault.fault === 'timeout') return { ...base, kind: 'timeout', outcomeUnknown: write && fault.sent };
  // A reset after sending is reported as a timeout: like one, it leaves the write's fate unknown.
  if (fault.fault === 'dropped' && write) return { ...base, kind: 'timeout', outcomeUnknown: true };
  return { ...base, kind: 'unreachable' };
}

/** The service echoes X-Request-Id; its echo is the id its own logs hold. */
function echoedRequestId(result: HttpAnswer): string | undefined {
  const echoed = result.headers['x-request-id'];
  const value = typeof echoed === 'string' ? headerSafe(echoed, MAX_REQUEST_ID_LENGTH) : '';
  return value === '' ? undefined : value;
}

/** Printable ASCII only (a header cannot carry more), other characters percent-encoded, truncated. */
function headerSafe(value: string, maxLength: number): string {
  return value
    .trim()
    .replace(/[^\x20-\x7e]/gu, (c) => `%${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`)
    .slice(0, maxLength);
}
