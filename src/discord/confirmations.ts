/**
 * The question an ask-first button asks. Discord has no confirmation dialog and a button id
 * holds at most 100 characters, so the question is remembered when the button is drawn and
 * looked up when it is pressed. One gateway process per token (DESIGN.md) makes memory the
 * right place; after a restart the catalogue's generic question is used instead.
 */
import type { Text } from '../core/types.js';

export type ConfirmationMemory = {
  remember(buttonId: string, confirm: Text): void;
  recall(buttonId: string): Text | undefined;
};

export function createConfirmationMemory(capacity = 5000): ConfirmationMemory {
  const questions = new Map<string, Text>();
  return {
    remember(buttonId, confirm) {
      questions.delete(buttonId); // re-insert: the newest stays longest
      questions.set(buttonId, confirm);
      if (questions.size > capacity) {
        const oldest = questions.keys().next();
        if (!oldest.done) questions.delete(oldest.value);
      }
    },
    recall(buttonId) {
      return questions.get(buttonId);
    },
  };
}
