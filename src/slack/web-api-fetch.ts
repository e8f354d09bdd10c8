/**
 * The `fetch` the Slack Web API client (and Bolt) is given. The WebClient's default is the
 * global fetch, which on Node 20 costs several times the CPU of undici's `request` per call
 * (WHATWG request and stream objects, transferable abort signals, no pooled dispatcher of its
 * own); users.info for every new user made it a tenth of a command's CPU at saturation
 * (bench/README.md, stage table). Same contract for what the WebClient sends — a POST with a
 * URL-encoded string body, its headers and abort signal, no redirects followed (a 3xx comes
 * back as the status, as `redirect: 'error'` refuses it) — and a real `Response` back, body
 * read whole. Anything else (a multipart file upload) keeps the global fetch.
 */
import { Agent, request } from 'undici';

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([204, 205, 304]);

type HeadersArgument = ConstructorParameters<typeof Headers>[0];

function plainHeaders(headers: HeadersArgument): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  // The WebClient's own case: a plain object, passed on as it is.
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, typeof value === 'string' ? value : value.join(', ')]));
}

export const webApiFetch: typeof fetch = async (input, init) => {
  const body = init?.body;
  if (typeof input !== 'string' || (body !== undefined && body !== null && typeof body !== 'string')) return fetch(input, init);
  const answer = await request(input, {
    method: (init?.method ?? 'GET') as 'GET',
    headers: plainHeaders(init?.headers),
    body: body ?? null,
    dispatcher: agent,
    signal: init?.signal ?? null,
  });
  const bytes = await answer.body.arrayBuffer();
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
  }
  const response = new Response(NULL_BODY.has(answer.statusCode) ? null : bytes, { status: answer.statusCode, headers });
  // The WebClient reads response.url (admin.analytics.getFile); a constructed Response has none.
  Object.defineProperty(response, 'url', { value: input });
  return response;
};

/**
 * Counts Slack's "slow down" (HTTP 429) per Web API method. It wraps the fetch because Bolt makes
 * a WebClient per workspace token (none of them ours to listen on); they all share this fetch.
 */
export function countingRateLimits(inner: typeof fetch, onRateLimited: (method: string) => void): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status === 429) onRateLimited(webApiMethod(input));
    return response;
  };
}

function webApiMethod(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return url.split('?')[0]?.split('/').pop() || 'unknown';
}
