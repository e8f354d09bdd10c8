/**
 * What a button or modal id means. Buttons carry their action through the core's codec
 * (`hb1:<verb>:<args>:<name>`, ≤ 100 characters) plus one marker argument for the step:
 * `_a` — ask first (the action is irreversible), `_c` — the Confirm button of that question.
 * Without a marker the action runs at once. Fixed ids name the key modal and Cancel.
 */
import { decodeAction, encodeAction } from '../core/action-codec.js';
import type { Action } from '../core/types.js';

export const KEY_MODAL_ID = 'hb-key-set';
export const KEY_INPUT_ID = 'key';
export const CANCEL_ID = 'hb-cancel';

const ASK = '_a';
const CONFIRMED = '_c';

export type ButtonStep = 'run' | 'ask' | 'confirmed';

export type ParsedButton =
  | { kind: 'action'; step: ButtonStep; verb: string[]; args: Record<string, string> }
  | { kind: 'cancel' }
  | { kind: 'unknown' };

/** The id of an action's button as drawn on a reply; undefined when the action cannot be encoded. */
export function actionButtonId(action: Pick<Action, 'verb' | 'args' | 'confirm'>): string | undefined {
  return encodeStep(action, action.confirm ? 'ask' : 'run');
}

/** The id of the Confirm button on the confirmation step. */
export function confirmButtonId(action: Pick<Action, 'verb' | 'args'>): string | undefined {
  return encodeStep(action, 'confirmed');
}

function encodeStep(action: Pick<Action, 'verb' | 'args'>, step: ButtonStep): string | undefined {
  const marker: Record<string, string> = step === 'ask' ? { [ASK]: '1' } : step === 'confirmed' ? { [CONFIRMED]: '1' } : {};
  try {
    return encodeAction({ verb: action.verb, args: { ...action.args, ...marker } });
  } catch {
    return undefined; // longer than Discord's 100 characters: the button is left out
  }
}

export function parseButtonId(customId: string): ParsedButton {
  if (customId === CANCEL_ID) return { kind: 'cancel' };
  const decoded = decodeAction(customId);
  if (!decoded) return { kind: 'unknown' };
  const { [ASK]: ask, [CONFIRMED]: confirmed, ...args } = decoded.args;
  const step: ButtonStep = ask ? 'ask' : confirmed ? 'confirmed' : 'run';
  return { kind: 'action', step, verb: decoded.verb, args };
}
