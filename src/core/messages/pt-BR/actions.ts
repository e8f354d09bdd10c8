/** Buttons several replies offer. */
import type { Action } from '../../types.js';

/** A claim is permanent, so every button that claims asks first. */
export function claimAction(handle: string): Action {
  return {
    verb: 'create',
    args: { name: handle },
    label: `Registrar ${handle}`,
    style: 'primary',
    confirm: [
      'Registrar ', { code: handle }, '? O handle fica seu para sempre: não dá para renomeá-lo e, mesmo se você excluí-lo, ninguém (nem você) poderá registrá-lo de novo.',
    ],
  };
}

export const linkKeyAction: Action = { verb: 'key set', args: {}, label: 'Vincular minha chave de API', style: 'primary' };

export const requestKeyAction: Action = { verb: 'key request', args: {}, label: 'Preciso de uma chave' };
