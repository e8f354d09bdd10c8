import { describe, expect, it } from 'vitest';
import forget from '../../commands/forget.js';
import { fakeCtx } from './fake-ctx.js';

describe('forget', () => {
  it('asks first, then removes the key and the history', async () => {
    expect(forget.confirm(fakeCtx().ctx).outcome).toEqual({ kind: 'needs_confirmation' });
    let forgotten = '';
    const run = fakeCtx({ store: { forget: (identity) => { forgotten = identity; return Promise.resolve(); } } });
    expect((await forget.run(run.ctx)).outcome).toEqual({ kind: 'forgotten' });
    expect(forgotten).toBe('slack:T1:U1');
  });
});
