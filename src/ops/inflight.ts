/**
 * Work in progress, so a graceful stop can wait for it (bounded) before a front door closes.
 * Every front door tracks its commands, presses and events here; `drain` is its stop.
 */
export type Inflight = {
  readonly size: number;
  /** Remembers `work` until it settles. Never rejects: failures are the caller's to handle inside `work`. */
  track(work: Promise<unknown>): Promise<void>;
  /** Resolves when everything in flight settled or `timeoutMs` passed; reports what was left. */
  drain(timeoutMs: number): Promise<{ left: number }>;
};

export function createInflight(): Inflight {
  const running = new Set<Promise<void>>();
  return {
    get size() {
      return running.size;
    },
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.finally(() => running.delete(settled));
      return settled;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      // New work may start while we wait (answered with "restarting"): loop until quiet.
      const allDone = (async () => {
        while (running.size > 0) await Promise.all([...running]);
      })();
      await Promise.race([allDone, timedOut]);
      clearTimeout(timer);
      return { left: running.size };
    },
  };
}

/** Waits for `work` at most `ms`; true when it settled in time. */
export function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  // On every slash command's path before its ack (slack/dedupe.ts): one timer, no drain machinery.
  return new Promise((resolve) => {
    const timer = setTimeout(() => { resolve(false); }, ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(settled, settled);
  });
}
