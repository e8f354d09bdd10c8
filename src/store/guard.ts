/**
 * Turning backend trouble into one typed failure. Every store operation runs under a deadline
 * (a stalled backend must not hold a chat reply hostage) and any error it raises becomes
 * StorageUnavailableError, which the core explains in plain words — never "no key linked".
 */
import type { Logger } from '../ops/logger.js';
import { StorageUnavailableError } from './types.js';

export const DEFAULT_DEADLINE_MS = 3000;

/** The parts of an error worth logging: no stack, no bound values (SQL parameters are never in messages). */
export function describeError(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { name: error.name, code, message: error.message } : { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}

/**
 * A warn logger that says the same thing at most once per interval: a dead backend raises an
 * error per reconnect attempt and per request, and one line per burst tells the operator enough.
 */
export function throttledWarn(log: Logger, intervalMs = 10_000): (context: Record<string, unknown>, message: string, error: unknown) => void {
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  return (context, message, error) => {
    const err = describeError(error);
    const key = `${message}\u0000${err.code ?? ''}\u0000${err.message}`;
    const now = Date.now();
    const seen = lastLogged.get(key);
    if (seen && now - seen.at < intervalMs) {
      seen.suppressed += 1;
      return;
    }
    lastLogged.set(key, { at: now, suppressed: 0 });
    if (lastLogged.size > 100) lastLogged.clear();
    log.warn({ ...context, error: err, ...(seen?.suppressed ? { repeated: seen.suppressed } : {}) }, message);
  };
}

export type Guard = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

/** One finished store operation, for metrics: which, how it ended, how long it took. */
export type StoreOperationInfo = { operation: string; outcome: 'ok' | 'error' | 'timeout'; durationMs: number };

export function createGuard(options: {
  backend: string;
  deadlineMs: number;
  warn: ReturnType<typeof throttledWarn>;
  /** Awaited before every operation, inside the deadline (e.g. a Redis client still connecting). */
  ready: () => Promise<void>;
  /** Called once per operation (metrics); must not throw. */
  onOperation?: ((info: StoreOperationInfo) => void) | undefined;
}): Guard {
  const observe = (operation: string, outcome: StoreOperationInfo['outcome'], started: number) => {
    try {
      options.onOperation?.({ operation, outcome, durationMs: performance.now() - started });
    } catch {
      // metrics never break a store call
    }
  };
  return async (operation, run) => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const work = options.ready().then(run);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new StorageUnavailableError(`the ${options.backend} store did not answer within ${options.deadlineMs} ms (${operation})`));
      }, options.deadlineMs);
    });
    try {
      const result = await Promise.race([work, deadline]);
      observe(operation, 'ok', started);
      return result;
    } catch (error) {
      // The late outcome of a timed-out operation is dropped here, not left unhandled.
      work.catch(() => undefined);
      observe(operation, error instanceof StorageUnavailableError && error.cause === undefined ? 'timeout' : 'error', started);
      options.warn({ backend: options.backend, operation }, 'store operation failed', error);
      if (error instanceof StorageUnavailableError) throw error;
      throw new StorageUnavailableError(`the ${options.backend} store failed (${operation})`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}
