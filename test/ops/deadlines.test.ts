import { describe, expect, it } from 'vitest';
import { deadlinesFor } from '../../src/ops/deadlines.js';

describe('the deadline budget', () => {
  it.each([[5_000, 0], [15_000, 5], [60_000, 30]])('fits together for MAIL_API_TIMEOUT_MS=%i, COOLDOWN_SECONDS=%i: a stop waits longer than the longest command, which spans its turn, a create and the domain list', (timeout, cooldown) => {
    const d = deadlinesFor({ MAIL_API_TIMEOUT_MS: timeout, COOLDOWN_SECONDS: cooldown });
    expect(d.mailCallMs).toBe(timeout);
    expect(d.turnWaitMs).toBe(3 * cooldown * 1000);
    expect(d.commandMs).toBeGreaterThanOrEqual(d.turnWaitMs + 2 * timeout);
    expect(d.drainMs).toBeGreaterThanOrEqual(d.commandMs + d.responseUrlMs);
    expect(d.stepMs).toBeGreaterThanOrEqual(d.commandMs);
  });
});
