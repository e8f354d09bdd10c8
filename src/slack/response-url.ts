/**
 * Posting to a response_url. Bolt's `respond` goes through the global `fetch`, which on
 * Node 20 costs several times more CPU per call than undici's `request` (WHATWG streams and
 * transferables): at two posts per claim it was the largest single cost in the benchmark's
 * profile. Same contract as Bolt's: JSON body, a non-2xx status throws; the body is always
 * consumed so the keep-alive connection goes back to the pool.
 */
import type { RespondArguments } from '@slack/bolt';
import { Agent, request } from 'undici';
import { whileWaiting } from '../core/admission.js';

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

export class ResponseUrlError extends Error {
  constructor(readonly status: number) {
    super(`the response_url answered ${status}`);
    this.name = 'ResponseUrlError';
  }
}

/** What delivery needs of a responder; Bolt's own `respond` fits it too. */
export type Responder = (message: RespondArguments) => Promise<unknown>;

/** A responder for `responseUrl` whose posts give up after `timeoutMs` (ops/deadlines.ts: responseUrlMs). */
export function respondVia(responseUrl: string | undefined, timeoutMs: number): Responder | undefined {
  if (!responseUrl) return undefined;
  return async (message) => {
    // Slack's answer is waited for without holding the command's admission place (core/admission).
    const { statusCode, body } = await whileWaiting(request(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    }));
    await body.dump();
    if (statusCode < 200 || statusCode > 299) throw new ResponseUrlError(statusCode);
    return { status: statusCode };
  };
}
