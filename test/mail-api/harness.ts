/**
 * One fake mail API, one client pointed at it, the client's log captured line by line, and the
 * check every test ends with: the API key appears nowhere but in the X-API-Key header.
 */
import { expect } from 'vitest';
import { createMailApi, type MailApiOptions } from '../../src/mail-api/client.js';
import type { ApiKey } from '../../src/domain/api-key.js';
import { validateHandle, type Handle } from '../../src/domain/handle.js';
import type { CallContext, MailApi } from '../../src/mail-api/outcomes.js';
import { createLogger } from '../../src/ops/logger.js';
import { REDACTED } from '../../src/ops/redact.js';
import { startFakeMailApi, type FakeMailApi, type FakeMailApiOptions } from '../fakes/mail-api.js';

export const OWNER = 'owner@example.com';

/**
 * The client as these contract tests drive it: plain strings, as keys and handles travel on the
 * wire. The app hands the client an ApiKey and a Handle (checked where they arrived); here a
 * valid handle is normalised the same way, and anything else goes out as typed, so the tests
 * can still show what the service answers to odd keys.
 */
export type WireApi = {
  createHandle(apiKey: string, handle: string, call: CallContext): ReturnType<MailApi['createHandle']>;
  deleteHandle(apiKey: string, handle: string, call: CallContext): ReturnType<MailApi['deleteHandle']>;
  checkKey(apiKey: string, call: CallContext): ReturnType<MailApi['checkKey']>;
  requestCredentials: MailApi['requestCredentials'];
  domains: MailApi['domains'];
  close: MailApi['close'];
};

export type Harness = {
  fake: FakeMailApi;
  api: WireApi;
  /** A valid key owned by OWNER. */
  key: string;
  logLines: string[];
  /** A fresh call context per invocation: req-1, req-2, … */
  call(source?: string): CallContext;
  /** Another client on the same fake (different options), closed with the harness. */
  client(overrides?: Partial<MailApiOptions>): WireApi;
  /** Every outcome and error the clients produced, checked for the key at close. */
  seen: unknown[];
  close(): Promise<void>;
};

export async function startHarness(options: { fake?: FakeMailApiOptions; client?: Partial<MailApiOptions> } = {}): Promise<Harness> {
  const fake = await startFakeMailApi(options.fake);
  const logLines: string[] = [];
  // The real logger (it scrubs), so a leak shows up as the key *or* as a scrubbed "[Redacted]".
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line); } } });
  const key = fake.newKey(OWNER);
  const clients: MailApi[] = [];
  const seen: unknown[] = [];
  const client = (overrides: Partial<MailApiOptions> = {}) => {
    const api = createMailApi({ baseUrl: fake.url, timeoutMs: 2000, domainsCacheSeconds: 60, log, ...options.client, ...overrides });
    clients.push(api);
    return recording(api, seen);
  };
  let n = 0;
  return {
    fake,
    api: client(),
    key,
    logLines,
    call: (source = 'console:tester') => ({ requestId: `req-${++n}`, source }),
    client,
    seen,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await fake.close();
      expectKeyNowhere(key, { logLines, seen, fake });
    },
  };
}

/** The key travels only in X-API-Key: not in a path, a body, an outcome, an error or a log line. */
export function expectKeyNowhere(key: string, where: { logLines: string[]; seen: unknown[]; fake: FakeMailApi }): void {
  const variants = [key, key.toUpperCase()];
  const logs = where.logLines.join('\n');
  for (const variant of variants) {
    expect(logs).not.toContain(variant);
    expect(JSON.stringify(where.seen, errorsAsText)).not.toContain(variant);
    for (const request of where.fake.requests) {
      expect(request.path).not.toContain(variant);
      expect(request.rawBody).not.toContain(variant);
      const { 'x-api-key': _key, ...otherHeaders } = request.headers;
      expect(JSON.stringify(otherHeaders)).not.toContain(variant);
    }
  }
  expect(logs).not.toContain(REDACTED);
}

const asKey = (raw: string) => raw as ApiKey;
const asHandle = (raw: string): Handle => {
  const check = validateHandle(raw);
  return check.ok ? check.handle : (raw as Handle);
};

/** The same client, with every outcome (or error) it produces kept for the leak check. */
function recording(api: MailApi, seen: unknown[]): WireApi {
  const keep = <A extends unknown[], R>(method: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      const result = await method(...args);
      seen.push(result);
      return result;
    } catch (error) {
      seen.push(error);
      throw error;
    }
  };
  return {
    createHandle: keep((key: string, handle: string, call: CallContext) => api.createHandle(asKey(key), asHandle(handle), call)),
    deleteHandle: keep((key: string, handle: string, call: CallContext) => api.deleteHandle(asKey(key), asHandle(handle), call)),
    checkKey: keep((key: string, call: CallContext) => api.checkKey(asKey(key), call)),
    requestCredentials: keep((email: string, days: number, call: CallContext) => api.requestCredentials(email, days, call)),
    domains: keep((call: CallContext) => api.domains(call)),
    close: () => api.close(),
  };
}

function errorsAsText(_name: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/** Parsed log lines of the client's calls. */
export function callLogs(logLines: string[]): Record<string, unknown>[] {
  return logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'mail api call');
}
