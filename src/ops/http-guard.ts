/**
 * What anyone on the network can make us hold before a request is authenticated: every HTTP
 * endpoint we serve reads request bodies through a BodyGate. A body is signed, so it has to be
 * read whole before it can be checked; the gate bounds that work:
 * - no body over `maxBytes` (refused 413 from its Content-Length, before reading a byte, or as
 *   soon as a chunked body passes the limit);
 * - at most `maxParallel` bodies being read at once, per gate (one more is refused 503 at once),
 *   so the memory unauthenticated clients can pin is at most maxParallel × maxBytes;
 * - at most `readTimeoutMs` to send one (refused 408), so slow senders cannot keep every
 *   reading slot.
 * A refused request is answered with `Connection: close`, so Node drops the connection instead
 * of reading the rest of a large body to keep it alive.
 * One gate is shared by every endpoint of the process (processBodyGate): Slack's events today,
 * Discord's interactions endpoint tomorrow.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import type { Logger } from './logger.js';

export type BodyLimits = {
  maxBytes: number;
  maxParallel: number;
  readTimeoutMs: number;
};

/**
 * 128 KiB: over four times the largest payload Slack sends us — block_actions from the welcome
 * DM, which echoes a 1000-character welcome, ~23 KB form-encoded; test/slack/body-limit.test.ts
 * measures it and keeps the margin true. 32 readers × 128 KiB: at most 4 MiB held by strangers.
 */
export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 128 * 1024, maxParallel: 32, readTimeoutMs: 10_000 };

export type Refusal = 'too_large' | 'busy' | 'too_slow' | 'unreadable';
const STATUS: Record<Refusal, number> = { too_large: 413, busy: 503, too_slow: 408, unreadable: 400 };

export type BodyGate = {
  readonly limits: BodyLimits;
  /**
   * The whole body, or undefined when it was refused (the request is then already answered).
   * `maxBytes` can only tighten the gate's limit (e.g. for a request that shows no signature).
   */
  read(req: IncomingMessage, res: ServerResponse, options?: { maxBytes?: number }): Promise<Buffer | undefined>;
  /** Bodies being read right now. */
  readonly reading: number;
};

/** Answers with `status` and closes the connection (never reads what is left of the body). */
export function refuse(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Nothing more is read from the connection, and it goes as soon as the answer is out: Node
  // would otherwise go on reading (and throwing away) whatever the client still sends.
  res.socket?.pause();
  res.once('finish', () => { res.socket?.destroy(); });
  res.writeHead(status, { connection: 'close', ...headers }).end();
}

/** One warning per interval with how many refusals it stands for: a flood must not flood the log too. */
function refusalReporter(log: Logger | undefined, intervalMs = 10_000): (reason: Refusal, path: string | undefined) => void {
  let lastAt = 0;
  let since = 0;
  return (reason, path) => {
    since += 1;
    const now = Date.now();
    if (!log || now - lastAt < intervalMs) return;
    log.warn({ reason, path, refused: since }, 'refused an unauthenticated request body');
    lastAt = now;
    since = 0;
  };
}

export function createBodyGate(limits: BodyLimits = DEFAULT_BODY_LIMITS, options: { log?: Logger } = {}): BodyGate {
  let reading = 0;
  const report = refusalReporter(options.log);

  return {
    limits,
    get reading() {
      return reading;
    },
    async read(req, res, readOptions = {}) {
      const maxBytes = Math.min(limits.maxBytes, readOptions.maxBytes ?? limits.maxBytes);
      const declared = Number(req.headers['content-length']);
      const fail = (reason: Refusal) => {
        report(reason, req.url);
        refuse(res, STATUS[reason], reason === 'busy' ? { 'retry-after': '1' } : {});
      };
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail('too_large');
        return undefined;
      }
      if (reading >= limits.maxParallel) {
        fail('busy');
        return undefined;
      }

      reading += 1;
      const state = { timedOut: false, released: false };
      // The slot is free once the body is read or refused — for a slow sender, before the 408 goes out.
      const release = () => {
        if (!state.released) reading -= 1;
        state.released = true;
      };
      const timer = setTimeout(() => {
        state.timedOut = true;
        release();
        fail('too_slow'); // the connection goes with the answer, which ends the read below
      }, limits.readTimeoutMs);
      try {
        return await getRawBody(req, { limit: maxBytes, ...(Number.isFinite(declared) ? { length: declared } : {}) });
      } catch (error) {
        if (state.timedOut) return undefined;
        const type = (error as { type?: unknown }).type;
        if (type === 'request.aborted') return undefined; // the client left: nobody to answer
        fail(type === 'entity.too.large' ? 'too_large' : 'unreadable');
        return undefined;
      } finally {
        clearTimeout(timer);
        release();
      }
    },
  };
}

let shared: BodyGate | undefined;

/** The gate every endpoint of this process shares, so the bound holds for the process as a whole. */
export function processBodyGate(log?: Logger): BodyGate {
  shared ??= createBodyGate(DEFAULT_BODY_LIMITS, log ? { log } : {});
  return shared;
}

/**
 * For endpoints that take no body (health, metrics): a request that carries one is refused
 * (413) instead of being read and thrown away.
 */
export function withoutBodies(listener: RequestListener): RequestListener {
  return (req, res) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > 0 || req.headers['transfer-encoding'] !== undefined) {
      refuse(res, 413);
      return;
    }
    listener(req, res);
  };
}
