/**
 * HTTP exchange with the mail service over one keep-alive undici Pool. It knows nothing about
 * routes or outcomes: it sends a request under a total deadline and returns either the answer
 * (status, headers, body text, always fully read or discarded) or a fault that says whether the
 * request had been written to a socket. That last bit is what lets the client tell "the service
 * never saw it" (safe to say it failed) from "it may have been applied" (outcome unknown).
 */
import type { Dispatcher, Pool } from 'undici';

export type ResponseHeaders = Dispatcher.ResponseData['headers'];

export type HttpRequest = {
  method: 'GET' | 'POST';
  /** Route path, e.g. `/api/handle/create`; the base URL's own path is prepended. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Retry once when the connection fails (reads only: a write might have been applied). */
  retryConnectionErrors: boolean;
};

export type HttpAnswer = {
  type: 'answer';
  status: number;
  headers: ResponseHeaders;
  /** The body text; undefined when it was too large to be worth reading (it was discarded). */
  text: string | undefined;
  attempts: number;
};

/**
 * - `timeout`: the total deadline passed (before or after the request was sent, see `sent`).
 * - `unreachable`: no request reached a socket (refused, DNS, connect timeout, pool closed).
 * - `dropped`: the connection failed after the request was written (reset, closed early).
 */
export type HttpFault = {
  type: 'fault';
  fault: 'timeout' | 'unreachable' | 'dropped';
  sent: boolean;
  /** Error code or name for the log (never the message: it is not ours to trust). */
  code: string;
  attempts: number;
};

export type Exchange = HttpAnswer | HttpFault;

export type Transport = {
  send(request: HttpRequest): Promise<Exchange>;
  close(): Promise<void>;
};

/** Error bodies are small; anything bigger is a proxy page or worse, and is not worth reading. */
const MAX_BODY_BYTES = 64 * 1024;
/** How long an idle connection is kept for the next chat command. */
const KEEP_ALIVE_MS = 30_000;
/**
 * undici's own header/body timers fire up to ~1 s late, so the AbortSignal is the real deadline;
 * these are only a backstop in case a signal is ever missing.
 */
const UNDICI_BACKSTOP_MS = 5_000;

/** Per-request "has it been written yet" flags, keyed by the options object undici passes along. */
const sendProgress = new WeakMap<object, { sent: boolean }>();

/**
 * An interceptor that notes when undici starts writing a request to a socket. `onRequestStart`
 * runs after a connection is established and right before the request line is written, so a
 * request that fails before it is still provably unseen by the service.
 */
const noteWhenSent: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const progress = sendProgress.get(opts);
  return dispatch(opts, progress ? markSentOnStart(handler, progress) : handler);
};

function markSentOnStart(handler: Dispatcher.DispatchHandler, progress: { sent: boolean }): Dispatcher.DispatchHandler {
  return {
    onRequestStart(controller, context) {
      progress.sent = true;
      handler.onRequestStart?.(controller, context);
    },
    onRequestUpgrade: (controller, statusCode, headers, socket) => handler.onRequestUpgrade?.(controller, statusCode, headers, socket),
    onResponseStart: (controller, statusCode, headers, message) => handler.onResponseStart?.(controller, statusCode, headers, message),
    onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
  };
}

export function createTransport(options: { baseUrl: string; timeoutMs: number; connectTimeoutMs: number }): Transport {
  const base = new URL(options.baseUrl);
  // A base URL may carry a path prefix (a service behind a reverse proxy under /mail, say).
  const prefix = base.pathname.replace(/\/+$/, '');
  // undici is loaded with the first request, not at start-up: it is the largest package the
  // console loads, and the console is ready to read its first line ~20 ms sooner without it.
  let pooled: Promise<{ pool: Pool; dispatcher: Dispatcher }> | undefined;
  let closed = false;
  const connect = () => (closed && !pooled ? Promise.reject(new Error('the mail-service transport is closed')) : pooled ??= import('undici').then(({ default: undici }) => {
    // `default` (undici's module.exports): the one export a bundle's dynamic import of CommonJS gives.
    const pool = new undici.Pool(base.origin, {
      connect: { timeout: options.connectTimeoutMs },
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: options.timeoutMs + UNDICI_BACKSTOP_MS,
      bodyTimeout: options.timeoutMs + UNDICI_BACKSTOP_MS,
    });
    return { pool, dispatcher: pool.compose(noteWhenSent) };
  }));

  async function attempt(request: HttpRequest, signal: AbortSignal): Promise<Exchange> {
    const progress = { sent: false };
    const opts: Dispatcher.RequestOptions = {
      method: request.method,
      path: prefix + request.path,
      headers: request.headers,
      body: request.body ?? null,
      signal,
    };
    sendProgress.set(opts, progress);
    try {
      const { dispatcher } = await connect();
      const response = await dispatcher.request(opts);
      const text = await readBody(response);
      return { type: 'answer', status: response.statusCode, headers: response.headers, text, attempts: 1 };
    } catch (error) {
      return toFault(error, signal.aborted, progress.sent);
    }
  }

  return {
    async send(request) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const first = await attempt(request, signal);
      const retry = request.retryConnectionErrors && first.type === 'fault' && first.fault !== 'timeout' && !signal.aborted;
      if (!retry) return first;
      // One retry covers a keep-alive connection the server had just closed; both share the deadline.
      return { ...(await attempt(request, signal)), attempts: 2 };
    },
    async close() {
      closed = true;
      if (pooled) await (await pooled).pool.close();
    },
  };
}

/** Reads the whole body (so the connection returns to the pool), or discards an oversized one. */
async function readBody(response: Dispatcher.ResponseData): Promise<string | undefined> {
  const declared = Number(response.headers['content-length']);
  if (declared > MAX_BODY_BYTES) {
    await response.body.dump();
    return undefined;
  }
  if (Number.isFinite(declared)) return response.body.text();
  return readCapped(response.body);
}

/** A body without a length (chunked) is read up to the cap; past it the stream is destroyed. */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toFault(error: unknown, timedOut: boolean, sent: boolean): HttpFault {
  if (timedOut) return { type: 'fault', fault: 'timeout', sent, code: 'deadline', attempts: 1 };
  return { type: 'fault', fault: sent ? 'dropped' : 'unreachable', sent, code: errorCode(error), attempts: 1 };
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}
