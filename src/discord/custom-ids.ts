/**
 * What a button or modal id means. Buttons carry their action through the core's codec
 * (`hb1:<verb>:<args>:<name>`, ≤ 100 characters) plus marker arguments the adapter owns:
 * `_a` — ask first (the action is irreversible), `_c` — the Confirm button of that question,
 * `_g` — the server a welcome DM came from (a DM has no server of its own, see onboarding.ts).
 * Without a step marker the action runs at once. A modal's id is its command's form id
 * (`hb-key-set` for the form `key_set`), optionally followed by `:<server id>` for the same
 * reason; its inputs' ids are the options' names.
 */
import { decodeAction, encodeAction } from '../core/action-codec.js';
import type { Action, Reply } from '../core/types.js';

export const CANCEL_ID = 'hb-cancel';
const MODAL_PREFIX = 'hb-';

const ASK = '_a';
const CONFIRMED = '_c';
const WELCOME_GUILD = '_g';
const SNOWFLAKE = /^\d{15,25}$/;

export type ButtonStep = 'run' | 'ask' | 'confirmed';

export type ParsedButton =
  | { kind: 'action'; step: ButtonStep; verb: string[]; args: Record<string, string>; welcomeGuild?: string }
  | { kind: 'cancel' }
  | { kind: 'unknown' };

export type ParsedModal = { kind: 'form'; formId: string; welcomeGuild?: string } | { kind: 'unknown' };

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
  const { [ASK]: ask, [CONFIRMED]: confirmed, [WELCOME_GUILD]: guild, ...args } = decoded.args;
  const step: ButtonStep = ask ? 'ask' : confirmed ? 'confirmed' : 'run';
  return { kind: 'action', step, verb: decoded.verb, args, ...(guild && SNOWFLAKE.test(guild) ? { welcomeGuild: guild } : {}) };
}

/** An action's arguments with the welcome server marked, for the buttons of the next step. */
export function withWelcomeGuildArgs(args: Record<string, string>, guildId: string | undefined): Record<string, string> {
  return guildId ? { ...args, [WELCOME_GUILD]: guildId } : args;
}

/**
 * A reply whose buttons remember the server a welcome DM came from. A button that would no
 * longer fit Discord's 100 characters with the mark keeps its plain id: it still works, only
 * without the server's settings.
 */
export function withWelcomeGuild(reply: Reply, guildId: string | undefined): Reply {
  if (!guildId || !reply.actions) return reply;
  return {
    ...reply,
    actions: reply.actions.map((action) => {
      const marked = { ...action, args: withWelcomeGuildArgs(action.args, guildId) };
      return actionButtonId(marked) ? marked : action;
    }),
  };
}

export function modalId(formId: string, welcomeGuild?: string): string {
  const base = `${MODAL_PREFIX}${formId.replace(/_/g, '-')}`;
  return welcomeGuild ? `${base}:${welcomeGuild}` : base;
}

export function parseModalId(customId: string): ParsedModal {
  const [base = '', guild, ...rest] = customId.split(':');
  if (rest.length > 0 || (guild !== undefined && !SNOWFLAKE.test(guild))) return { kind: 'unknown' };
  if (!base.startsWith(MODAL_PREFIX) || !/^[a-z-]+$/.test(base.slice(MODAL_PREFIX.length))) return { kind: 'unknown' };
  return { kind: 'form', formId: base.slice(MODAL_PREFIX.length).replace(/-/g, '_'), ...(guild ? { welcomeGuild: guild } : {}) };
}
