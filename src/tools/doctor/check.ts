/** One line of the doctor's checklist, and the small HTTP helper the remote checks share. */
import { request } from 'undici';

export type Check = {
  /** ok: ✅; problem: ❌ (with a fix); skipped: ➖ (not configured, or depends on a failed check). */
  status: 'ok' | 'problem' | 'skipped';
  name: string;
  detail: string;
  fix?: string;
};

export const ok = (name: string, detail: string): Check => ({ status: 'ok', name, detail });
export const problem = (name: string, detail: string, fix: string): Check => ({ status: 'problem', name, detail, fix });
export const skipped = (name: string, detail: string): Check => ({ status: 'skipped', name, detail });

export type HttpResult =
  | { kind: 'answer'; status: number; headers: Record<string, string | string[] | undefined>; text: string; json?: unknown }
  | { kind: 'failed'; reason: string };

export const HTTP_TIMEOUT_MS = 5000;

/** One request with a deadline; network failures come back as a reason (ECONNREFUSED, ENOTFOUND, timeout…). */
export async function httpCall(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResult> {
  try {
    const response = await request(url, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { kind: 'answer', status: response.statusCode, headers: response.headers, text, ...(json === undefined ? {} : { json }) };
  } catch (error) {
    return { kind: 'failed', reason: networkReason(error) };
  }
}

/** The useful part of a network error: its code (ECONNREFUSED…) or "no answer within 5 s". */
export function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${HTTP_TIMEOUT_MS / 1000} s`;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR_') && code !== 'ERR_INVALID_URL') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A short, single-line excerpt of an unexpected body (never more than a glance). */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}
