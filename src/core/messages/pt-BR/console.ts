/** Words only the console needs: its greeting, prompts, the confirmation question, and how a reply's buttons and request id are shown. */
import type { Identity } from '../../../domain/identity.js';

export const consoleText = {
  prompt: 'handle> ',
  answerPrompt: '> ',
  greeting: (identity: Identity) => `Console do handle-bot: você é ${identity}. Digite "help", ou "quit" para sair.`,
  /** After a field's label when what is typed is not shown. */
  hidden: ' (oculto)',
  confirmSuffix: ' [s/N]',
  /** The answers to the confirmation question that mean yes (anything else cancels); y/yes are understood too. */
  isYes: (answer: string) => /^(s|sim|y|yes)$/i.test(answer.trim()),
  cancelled: '(cancelado)',
  /** A button, numbered: typing the number presses it. */
  action: (n: number, label: string, asks: boolean) => `→ [${n}] ${label}  (digite ${n}${asks ? '; vamos pedir confirmação' : ''})`,
  requestId: (id: string) => `ID da solicitação: ${id}`,
};
