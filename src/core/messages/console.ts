/** Words only the console needs: its greeting, prompts and the confirmation question. */
import type { Identity } from '../../domain/identity.js';

export const consoleText = {
  prompt: 'handle> ',
  answerPrompt: '> ',
  greeting: (identity: Identity) => `handle-bot console: you are ${identity}. Type "help", or "quit" to leave.`,
  /** After a field's label when what is typed is not shown. */
  hidden: ' (hidden)',
  confirmSuffix: ' [y/N]',
  cancelled: '(cancelled)',
} as const;
