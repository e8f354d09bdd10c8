import { describe, expect, it } from 'vitest';
import list from '../../commands/list.js';
import { plainText } from '../../src/core/text.js';
import { fakeCtx } from './fake-ctx.js';

describe('list', () => {
  it('one line per handle, its latest status first', async () => {
    const run = fakeCtx({ history: [{ handle: 'a', status: 'deleted', at: 3 }, { handle: 'b', status: 'claimed', at: 2 }, { handle: 'a', status: 'claimed', at: 1 }] });
    const result = await list.run(run.ctx);
    expect(result.outcome).toEqual({ kind: 'shown' });
    const text = (result.replies[0]?.body ?? []).map((line) => plainText(line)).join('\n');
    expect(text.match(/`a`/g)).toHaveLength(1);
    expect(text).toContain('`b`');
  });
});
