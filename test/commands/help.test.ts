import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { helpCommand } from '../../commands/help.js';
import { plainText } from '../../src/core/text.js';
import { fakeCtx } from './fake-ctx.js';

const help = helpCommand(() => commands);

describe('help', () => {
  it('lists the commands (admin verbs for admins only), explains one, and says when it knows none', async () => {
    const everyone = await help.run(fakeCtx().ctx, {});
    const admin = await help.run(fakeCtx({ invocation: { platformAdmin: true } }).ctx, {});
    const bodies = (r: typeof everyone) => r.replies.flatMap((reply) => reply.body ?? []).map((l) => plainText(l)).join('\n');
    expect(everyone.outcome).toEqual({ kind: 'shown' });
    expect(bodies(everyone)).not.toContain('admin notify');
    expect(bodies(admin)).toContain('admin notify');
    const one = await help.run(fakeCtx().ctx, { command: '/handle key set' });
    expect(plainText(one.replies[0]!.title)).toBe('`/handle key set`');
    // The key is asked in a form, never typed: help does not list it.
    expect(bodies(one)).not.toContain('• key');
    expect((await help.run(fakeCtx().ctx, { command: 'fly' })).outcome).toEqual({ kind: 'refused', reason: 'unknown_command' });
  });
});
