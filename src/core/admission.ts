/**
 * Admission of the work that follows an acknowledgement. The ack of a request shares the event
 * loop with the work of every command already in flight: with hundreds in flight, a new
 * request's ack waited behind the other commands' store writes, rendering and HTTP calls, and
 * the platform's ack p99 grew with the load (bench/README.md, "ack p99 at 200 in flight").
 * Two rules keep acks ahead:
 * - the work after an ack starts on a later turn of the event loop (`setImmediate`), so the
 *   acks of requests that arrived together all go out before any of their work starts;
 * - at most `limit` commands compute at once; the rest wait, in arrival order, already
 *   acknowledged. A command waiting for the network (the mail service, Slack) or for its turn
 *   (cooldown) gives its place up meanwhile (`whileWaiting`), so the limit bounds the work
 *   ready to run on one turn of the loop, not the commands in flight.
 * The total work is the same; it is ordered so that acknowledging comes first.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type Admission = {
  /** Runs `work` once a place is free (never before the next turn of the event loop). */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Commands running, and waiting for a place. */
  readonly running: number;
  readonly waiting: number;
};

/**
 * Commands computing at once. Waits for the mail service and Slack do not hold a place, so this
 * bounds the work ready on one turn of the loop, not the commands in flight. Measured at 200 in
 * flight (bench/README.md, "Changes, and what each bought"): 4 kept ack p99 near the ack-only
 * floor; 8 and 16 let it climb back towards the unbounded figure.
 */
export const DEFAULT_ADMISSION_LIMIT = 4;

/** The place held by the work running now (if it was admitted), for `whileWaiting`. */
const held = new AsyncLocalStorage<{ release(): boolean; reacquire(yieldFirst: boolean): Promise<void> }>();

const nextTurn = () => new Promise<void>((resolve) => { setImmediate(resolve); });

export function createAdmission(limit = DEFAULT_ADMISSION_LIMIT): Admission {
  if (!(limit >= 1) || !Number.isInteger(limit)) throw new RangeError('the admission limit must be a positive integer');
  let running = 0;
  // Commands coming back from a wait go before new ones: finishing work frees its memory and its caller.
  const resuming: Array<() => void> = [];
  const starting: Array<() => void> = [];

  async function acquire(queue: Array<() => void>, yieldFirst: boolean): Promise<void> {
    if (running < limit) {
      // Taken now (so the order of arrival holds), used on the next turn of the loop, after the
      // acks that arrived meanwhile (unless the caller asked to go straight on).
      running += 1;
      if (yieldFirst) await nextTurn();
      return;
    }
    // The place is handed over by release(), already counted, on a later turn.
    await new Promise<void>((resolve) => { queue.push(resolve); });
  }

  function release(): void {
    const next = resuming.shift() ?? starting.shift();
    // Handed over on the next turn of the loop, not at once: acks that arrived meanwhile go first.
    if (next) setImmediate(next);
    else running -= 1;
  }

  return {
    async run(work) {
      await acquire(starting, true);
      let holding = true;
      let finished = false;
      let reacquiring: Promise<void> | undefined;
      const place = {
        /** true when this call gave the place up (and so must take it back). */
        release() {
          if (!holding) return false;
          holding = false;
          release();
          return true;
        },
        reacquire(yieldFirst: boolean) {
          // Once the work is over (a leftover callback waiting), there is nothing to take back.
          if (holding || finished) return Promise.resolve();
          reacquiring ??= acquire(resuming, yieldFirst).then(() => {
            reacquiring = undefined;
            if (finished) release();
            else holding = true;
          });
          return reacquiring;
        },
      };
      try {
        return await held.run(place, work);
      } finally {
        finished = true;
        place.release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return resuming.length + starting.length;
    },
  };
}

/**
 * Waits for `until` without holding the caller's place — a command sleeping out its cooldown or
 * waiting for the network must not keep other commands waiting — and takes a place again (ahead
 * of new commands) before going on — on a later turn of the loop, after waiting acks, unless
 * `resumeAtOnce` (a wait whose answer others are racing for). Outside admitted work it simply waits.
 */
export async function whileWaiting<T>(until: Promise<T>, options: { resumeAtOnce?: boolean } = {}): Promise<T> {
  const place = held.getStore();
  // Only the flow that gave the place up takes it back: a second branch of the same command
  // waiting at the same time neither releases nor waits for it twice.
  const released = place?.release() === true;
  try {
    return await until;
  } finally {
    if (released) await place.reacquire(options.resumeAtOnce !== true);
  }
}
