import { describe, expect, it } from 'vitest';
import deleteHandle from '../../commands/delete.js';
import type { DeleteOutcome } from '../../src/mail-api/outcomes.js';
import { base, fakeCtx } from './fake-ctx.js';

const answering = (outcome: DeleteOutcome, cooldownFree = true) => fakeCtx({ cooldownFree, mail: { deleteHandle: () => Promise.resolve(outcome) } });

describe('delete', () => {
  it('asks first (the question carries confirmed=yes), and refuses an invalid name instead of asking', () => {
    const { ctx } = fakeCtx();
    const asked = deleteHandle.confirm(ctx, { name: 'Old' });
    expect(asked.outcome).toEqual({ kind: 'needs_confirmation' });
    expect(asked.replies[0]?.actions?.[0]).toMatchObject({ verb: 'delete', args: { name: 'old', confirmed: 'yes' } });
    expect(deleteHandle.confirm(ctx, { name: 'a b' }).outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
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

  it('an invalid name or the cooldown: refused without asking the service', async () => {
    const invalid = fakeCtx();
    expect((await deleteHandle.run(invalid.ctx, { name: '.x' })).outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
    const cooling = answering({ ...base, kind: 'deleted', handle: 'x' }, false);
    expect((await deleteHandle.run(cooling.ctx, { name: 'x' })).outcome).toEqual({ kind: 'refused', reason: 'cooldown' });
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
