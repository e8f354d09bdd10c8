/**
 * What reaches Bolt's HTTP receiver: only requests Slack really signed, recently, whose body is
 * an object. It sits in front of `receiver.requestListener` and checks, in order:
 * 1. the timestamp, from the headers alone, before a byte of body is read: more than
 *    MAX_REQUEST_AGE_SECONDS away from our clock, in either direction, is refused 401 (Bolt
 *    only refuses old ones, so a request stamped in the future could be replayed for as long as
 *    the stamp was ahead);
 * 2. the body, read through the shared BodyGate (ops/http-guard): size, parallel readers and
 *    time are bounded. A request without signature headers may only be Slack's tiny unsigned
 *    `ssl_check`, so its body is held to UNSIGNED_MAX_BYTES;
 * 3. the signature (Bolt's own verifySlackRequest), 401 when wrong;
 * 4. the parsed body (Bolt's own parser, so we judge exactly what Bolt would see) must be an
 *    object: a signed `payload=null` or JSON `null` made Bolt read `body.ssl_check` on null
 *    inside a promise it never awaits, an unhandled rejection that ended the process. 400.
 *    So must the fields Bolt reads before any listener runs, when present (boltShapeProblem). 400.
 * The body already read is handed to Bolt as `rawBody`, which Bolt then uses instead of reading
 * the request again. The signature is checked here only: the receiver is built with
 * `signatureVerification: false` (src/slack/app.ts), since every POST to the events path passes
 * this guard and a second HMAC of the same bytes bought nothing. What Bolt's own check also
 * did — strip whatever an unsigned `ssl_check` carried besides — is done here too.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, verifySlackRequest, type HTTPReceiver } from '@slack/bolt';
import { refuse, withoutBodies, type BodyGate } from '../ops/http-guard.js';
import type { Logger } from '../ops/logger.js';
import { MAX_REQUEST_AGE_SECONDS } from '../ops/request-freshness.js';

/** Slack's own rule for a request's age; we apply it to the future as well as the past. */
export { MAX_REQUEST_AGE_SECONDS };
/** Slack's `ssl_check=1&token=…` is the only request that comes unsigned, and it is tiny. */
const UNSIGNED_MAX_BYTES = 1024;
const FORM = 'application/x-www-form-urlencoded';

export type SlackRequestGuardOptions = {
  signingSecret: string;
  /** The events path (POST); every other path gets no body at all. */
  endpoint: string;
  gate: BodyGate;
  log: Logger;
  now?: () => number;
};

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether a signed timestamp is inside the accepted window around `nowMs`. */
export function isFresh(timestamp: string, nowMs: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) - Math.floor(nowMs / 1000)) <= MAX_REQUEST_AGE_SECONDS;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Puts the guard in front of Bolt's listener (the receiver is not started yet). */
export function guardSlackReceiver(receiver: HTTPReceiver, options: SlackRequestGuardOptions): void {
  const bolt = receiver.requestListener;
  const otherPaths = withoutBodies(bolt);
  const now = options.now ?? Date.now;
  const { log } = options;

  async function admit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signature = header(req, 'x-slack-signature');
    const timestamp = header(req, 'x-slack-request-timestamp');
    const signed = signature !== undefined && timestamp !== undefined;
    if (timestamp !== undefined && !isFresh(timestamp, now())) {
      log.warn({ timestamp }, 'slack: refused a request stamped more than 5 minutes away from now');
      refuse(res, 401);
      return;
    }
    const body = await options.gate.read(req, res, signed ? {} : { maxBytes: UNSIGNED_MAX_BYTES });
    if (body === undefined) return;
    const text = body.toString('utf8');
    const contentType = header(req, 'content-type');
    // Bolt answers ssl_check itself, after dropping everything else the body carried.
    const sslCheck = contentType === FORM && parseQuery(text).ssl_check === '1';
    if (!sslCheck) {
      try {
        verifySlackRequest({
          signingSecret: options.signingSecret,
          body: text,
          headers: { 'x-slack-signature': signature ?? '', 'x-slack-request-timestamp': Number(timestamp) },
          nowMilliseconds: now(),
        });
      } catch {
        refuse(res, 401);
        return;
      }
      let parsed: unknown;
      try {
        parsed = HTTPModuleFunctions.parseHTTPRequestBody(Object.assign(req, { rawBody: body }));
      } catch {
        refuse(res, 400);
        return;
      }
      if (!isPlainObject(parsed)) {
        log.warn({ bodyType: parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed }, 'slack: refused a signed request whose body is not an object');
        refuse(res, 400);
        return;
      }
      const misshapen = boltShapeProblem(parsed);
      if (misshapen) {
        log.warn({ field: misshapen }, 'slack: refused a signed request with a field Bolt cannot read');
        refuse(res, 400);
        return;
      }
    }
    // An unsigned ssl_check reaches Bolt as exactly that: anything smuggled beside it (a
    // `payload=` Bolt would parse as an event) is dropped, as Bolt's own check did.
    bolt(Object.assign(req, { rawBody: sslCheck ? Buffer.from('ssl_check=1') : body }), res);
  }

  const listener: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Routed exactly as Bolt routes (its receiver trusts this guard to have checked every POST it gets here).
    if (req.method?.toUpperCase() !== 'POST' || path !== options.endpoint) {
      otherPaths(req, res);
      return;
    }
    admit(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'slack: a request could not be handled');
      if (!res.headersSent) refuse(res, 500);
    });
  };
  receiver.requestListener = listener;
}

/** Fields Bolt reads as objects while routing a body (`'channel' in event`, `channel.id`, …): null or a primitive there makes it throw and answer 500. */
const OBJECT_FIELDS = ['event', 'channel', 'view', 'message', 'container'] as const;

/**
 * The first field of a signed body Bolt would fail on while routing it (found by
 * test/reliability/fuzz), or undefined. Slack omits these fields rather than sending null.
 */
export function boltShapeProblem(body: Record<string, unknown>): string | undefined {
  const wrong = OBJECT_FIELDS.find((field) => field in body && !isPlainObject(body[field]));
  if (wrong) return wrong;
  if ('actions' in body && !(Array.isArray(body.actions) && body.actions.every(isPlainObject))) return 'actions';
  return undefined;
}
