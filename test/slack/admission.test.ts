/**
 * Admission through the real Slack front door (core/admission, issue 19): with a single place,
 * a command waiting for the mail service does not hold it — another person's command is
 * answered meanwhile — and the waiting one completes once the service answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackHarness, type SlackHarness } from './harness.js';

const started: SlackHarness[] = [];
afterEach(async () => {
  while (started.length > 0) await started.pop()?.close();
});

describe('admission of the work after an ack', () => {
  it('with one place, a create waiting for the mail service lets another command run, then completes', async () => {
    const h = await startSlackHarness({ slack: { admissionLimit: 1 } });
    started.push(h);
    await h.linkKey('UALICE');
    h.mail.hold();
    const create = await h.command('create alice-waits', { user: 'UALICE' });
    expect(create.http?.status).toBe(200);
    await h.mail.waitFor((r) => r.path === '/api/handle/create');

    // Bob's help needs no mail call: it gets the place Alice's create gave up while it waits.
    const help = await h.command('help', { user: 'UBOB' });
    expect(await h.replies(help.responseUrl)).toHaveLength(1);
    expect(h.slack.responsesTo(create.responseUrl)).toHaveLength(0);

    h.mail.release();
    expect(await h.replies(create.responseUrl, 2)).toHaveLength(2);
    expect(h.mail.handleState('alice-waits')).toBeDefined();
  });
});
