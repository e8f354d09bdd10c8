/** Words only the console needs: its greeting, prompts, the confirmation question, and how a reply's buttons and request id are shown. */
import type { Identity } from '../../../domain/identity.js';

export const consoleText = {
  prompt: 'handle> ',
  answerPrompt: '> ',
  greeting: (identity: Identity) => `handle-bot console: you are ${identity}. Type "help", or "quit" to leave.`,
  /** After a field's label when what is typed is not shown. */
  hidden: ' (hidden)',
  confirmSuffix: ' [y/N]',
  /** The answers to the confirmation question that mean yes (anything else cancels). */
  isYes: (answer: string) => /^y(es)?$/i.test(answer.trim()),
  cancelled: '(cancelled)',
  /** A button, numbered: typing the number presses it. */
  action: (n: number, label: string, asks: boolean) => `→ [${n}] ${label}  (type ${n}${asks ? ', you will be asked to confirm' : ''})`,
  requestId: (id: string) => `request id: ${id}`,
};
