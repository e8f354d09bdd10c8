import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../src/core/action-codec.js';

describe('button action ids', () => {
  it('round-trips verbs and arguments full of special characters within 100 characters', () => {
    const handle = "x*_~`|&=?{}'/+%" + '%'.repeat(49); // 64 characters, the worst case
    const encoded = encodeAction({ verb: 'delete', args: { name: handle, confirmed: 'yes' } });
    expect(encoded.length).toBeLessThanOrEqual(100);
    expect(decodeAction(encoded)).toEqual({ verb: ['delete'], args: { name: handle, confirmed: 'yes' } });
    expect(decodeAction(encodeAction({ verb: 'key set', args: {} }))).toEqual({ verb: ['key', 'set'], args: {} });
  });

  it('ignores ids that are not ours', () => {
    expect(decodeAction('something-else')).toBeUndefined();
  });
});
