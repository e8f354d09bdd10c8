/**
 * The request id of the command being worked on, carried through every await and callback it
 * starts (AsyncLocalStorage), so code far from the front door — a process-level error handler
 * above all — can say which request it was working for without it being passed down by hand.
 * Node keeps the context for `unhandledRejection` and `uncaughtException` handlers too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (and everything it starts) as part of request `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return context.run({ requestId }, work);
}

/** The request id of the work currently running, when there is one. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
