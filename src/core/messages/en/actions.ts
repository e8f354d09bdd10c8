/** Buttons several replies offer. */
import type { Action } from '../../types.js';

/** A claim is permanent, so every button that claims asks first. */
export function claimAction(handle: string): Action {
  return {
    verb: 'create',
    args: { name: handle },
    label: `Claim ${handle}`,
    style: 'primary',
    confirm: [
      'Claim ', { code: handle }, '? A handle is yours for good: it cannot be renamed, and even after you delete it nobody (you included) can claim it again.',
    ],
  };
}

export const linkKeyAction: Action = { verb: 'key set', args: {}, label: 'Link my API key', style: 'primary' };

export const requestKeyAction: Action = { verb: 'key request', args: {}, label: 'I need a key' };
