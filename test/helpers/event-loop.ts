/**
 * Whether `work` settled before a timer armed right after it started could fire. Work that
 * waits synchronously (blocking the event loop) has settled by then — it kept the timer out —
 * while work that waits on timers or I/O has not. An order, not a duration.
 */
export async function settledBeforeATimer(work: Promise<unknown>): Promise<boolean> {
  let settled = false;
  work.then(() => { settled = true; }, () => { settled = true; });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return settled;
}
