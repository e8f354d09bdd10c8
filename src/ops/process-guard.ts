/**
 * The last line of defence: nothing that escapes a request ends the process.
 *
 * Without this, Node ends the process on a promise rejection nobody handles (as Bolt's HTTP
 * receiver produces for a signed `null` body, see slack/request-guard.ts) and on an exception
 * thrown from a callback, taking every front door and all work in flight with it.
 *
 * Policy:
 * - `unhandledRejection`: logged (with the request id, when the rejection happened during a
 *   command) and the process keeps serving. The promise that rejected unwound its own async
 *   function, so no shared state was left half-changed.
 * - `uncaughtException`: logged at fatal and the process keeps serving, because the exceptions
 *   that reach here come from one request or connection (an emitter without an 'error'
 *   listener, a throw in a timer). Node warns that state may be inconsistent after one, so a
 *   *storm* of them (more than `stormLimit` within `stormWindowMs`) is taken as a wedged process:
 *   it logs why and exits 1 for the supervisor to start a clean one, rather than limping on.
 */
import type { Logger } from './logger.js';
import { currentRequestId } from './request-context.js';

export type ProcessGuardOptions = {
  log: Logger;
  /** More uncaught exceptions than this within `stormWindowMs` end the process (default 10). */
  stormLimit?: number;
  stormWindowMs?: number;
  /** For tests: the emitter to listen on, how to exit, the clock. */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
  exit?: (code: number) => void;
  now?: () => number;
};

/** Installs the handlers; returns a function that removes them. */
export function installProcessGuard(options: ProcessGuardOptions): () => void {
  const { log } = options;
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  const stormLimit = options.stormLimit ?? 10;
  const stormWindowMs = options.stormWindowMs ?? 60_000;
  let recent: number[] = [];
  let leaving = false;

  const context = () => {
    const requestId = currentRequestId();
    return requestId === undefined ? {} : { requestId };
  };

  /** A failure inside the handler itself must not end the process either. */
  const safely = (handle: () => void) => {
    try {
      handle();
    } catch (error) {
      process.stderr.write(`handle-bot: the process guard failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };

  const onRejection = (reason: unknown) => {
    safely(() => {
      log.error({ err: reason, ...context() }, 'unhandled promise rejection (logged; still serving)');
    });
  };

  const onException = (error: Error, origin: string) => {
    safely(() => {
      log.fatal({ err: error, origin, ...context() }, 'uncaught exception (logged; still serving)');
      const at = now();
      recent = recent.filter((t) => at - t < stormWindowMs);
      recent.push(at);
      if (recent.length > stormLimit && !leaving) {
        leaving = true;
        log.fatal({ count: recent.length, windowMs: stormWindowMs }, 'uncaught exceptions keep coming: exiting so that a clean process takes over');
        // The last lines first (the destination writes asynchronously), then out; bounded in
        // case the flush never answers. Whichever comes first leaves; the other finds it done.
        let left = false;
        const leave = () => {
          if (left) return;
          left = true;
          exit(1);
        };
        setTimeout(leave, 1000).unref();
        log.flush(leave);
      }
    });
  };

  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
