import { describe, expect, it } from 'vitest';
import { deadlinesFor } from '../../src/ops/deadlines.js';

describe('the deadline budget', () => {
  it.each([5_000, 15_000, 60_000])('fits together for MAIL_API_TIMEOUT_MS=%i: a stop waits longer than the longest command, which spans a create and the domain list', (timeout) => {
    const d = deadlinesFor({ MAIL_API_TIMEOUT_MS: timeout });
    expect(d.mailCallMs).toBe(timeout);
    expect(d.commandMs).toBeGreaterThanOrEqual(2 * timeout);
    expect(d.drainMs).toBeGreaterThanOrEqual(d.commandMs + d.responseUrlMs);
    expect(d.stepMs).toBeGreaterThanOrEqual(d.commandMs);
  });
});
