import { describe, expect, it } from 'vitest';
import deleteHandle from '../../commands/delete.js';
import type { DeleteOutcome } from '../../src/mail-api/outcomes.js';
import { plainText } from '../../src/core/text.js';
import { base, fakeCtx } from './fake-ctx.js';

const answering = (outcome: DeleteOutcome, turnFree = true) => fakeCtx({ turnFree, mail: { deleteHandle: () => Promise.resolve(outcome) } });

describe('delete', () => {
  it('asks first (the question carries confirmed=yes), and refuses an invalid name instead of asking', async () => {
    const { ctx } = fakeCtx({ history: [{ handle: 'old', status: 'claimed', at: 1 }] });
    const asked = await deleteHandle.confirm(ctx, { name: 'Old' });
    expect(asked.outcome).toEqual({ kind: 'needs_confirmation' });
    expect(asked.replies[0]?.actions?.[0]).toMatchObject({ verb: 'delete', args: { name: 'old', confirmed: 'yes' } });
    expect(plainText(asked.replies[0]!.body![0]!)).toMatch(/^Mail to it will stop being forwarded/);
    expect((await deleteHandle.confirm(ctx, { name: 'a b' })).outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
  });

  it('a handle the person already deleted is answered at once: no question, no service call, even when a stale question is pressed', async () => {
    const run = answering({ ...base, kind: 'deleted', handle: 'gone' });
    run.history.push({ handle: 'gone', status: 'deleted', at: 2 }, { handle: 'gone', status: 'claimed', at: 1 });
    const asked = await deleteHandle.confirm(run.ctx, { name: 'gone' });
    expect(asked.outcome).toEqual({ kind: 'refused', reason: 'already_deleted' });
    expect(plainText(asked.replies[0]!.title)).toBe('You already deleted `gone`');
    expect(asked.replies[0]?.actions ?? []).toEqual([]);
    expect((await deleteHandle.run(run.ctx, { name: 'gone', confirmed: 'yes' })).outcome).toEqual({ kind: 'refused', reason: 'already_deleted' });
    expect(run.mailCalls).toEqual([]);
  });

  it('a handle the bot never saw this person claim still asks, and the question says it may have been claimed elsewhere', async () => {
    const { ctx } = fakeCtx({ history: [{ handle: 'other', status: 'claimed', at: 1 }] });
    const asked = await deleteHandle.confirm(ctx, { name: 'zed' });
    expect(asked.outcome).toEqual({ kind: 'needs_confirmation' });
    expect(plainText(asked.replies[0]!.body![0]!)).toMatch(/no record of you claiming it: if you claimed it elsewhere/);
  });

  it('autocompletes from the caller’s own handles', () => {
    expect(deleteHandle.options[0]?.complete).toBeTypeOf('function');
  });

  it('deleted: history and a notification', async () => {
    const run = answering({ ...base, kind: 'deleted', handle: 'old' });
    expect((await deleteHandle.run(run.ctx, { name: 'old', confirmed: 'yes' })).outcome).toEqual({ kind: 'deleted', handle: 'old' });
    expect(run.history[0]).toMatchObject({ handle: 'old', status: 'deleted' });
    expect(run.events).toEqual([{ type: 'handle_deleted', scope: 'slack:T1', who: 'slack:T1:U1', handle: 'old' }]);
  });

  it('an invalid name or a full queue of waiting commands: refused without asking the service', async () => {
    const invalid = fakeCtx();
    expect((await deleteHandle.run(invalid.ctx, { name: '.x' })).outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
    const cooling = answering({ ...base, kind: 'deleted', handle: 'x' }, false);
    const busy = await deleteHandle.run(cooling.ctx, { name: 'x' });
    expect(busy.outcome).toEqual({ kind: 'refused', reason: 'busy' });
    expect(plainText(busy.replies[0]!.body![0]!)).toMatch(/Try it again in 12 seconds/);
    expect([...invalid.mailCalls, ...cooling.mailCalls]).toEqual([]);
  });

  it.each([
    [{ ...base, kind: 'not_found', handle: 'x' }, 'not_found'],
    [{ ...base, kind: 'forbidden', handle: 'x' }, 'forbidden'],
    [{ ...base, kind: 'invalid_handle', handle: 'x' }, 'invalid_handle'],
    [{ ...base, kind: 'rate_limited', retryAfterSeconds: 5, scope: 'key' }, 'rate_limited'],
  ] as [DeleteOutcome, string][])('the service refuses (%o): failed, explained', async (outcome, reason) => {
    const result = await deleteHandle.run(answering(outcome).ctx, { name: 'x' });
    expect(result.outcome).toEqual({ kind: 'failed', reason });
    expect(result.replies).toHaveLength(1);
  });
});
