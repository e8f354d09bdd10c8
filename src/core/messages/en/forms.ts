/**
 * The forms a command's inputs can arrive in (Slack modals, Discord modals, the console's
 * prompts), one entry per form id a command declares (`form: 'key_set'`). Each front door
 * draws the same words: a title, the submit button, the words around the inputs, what is shown
 * while the answer is on its way, and per input its label, hint and placeholder. Titles and
 * buttons stay within 24 characters (Slack); `hintShort` exists where the hint is longer than
 * Discord's 100 characters.
 */
import type { ApiKeyProblem } from '../../../domain/api-key.js';
import type { HandleProblem } from '../../../domain/handle.js';
import { plainText } from '../../text.js';
import { formsById } from '../shared.js';
import { describeKeyProblem, restartingReply } from './failures.js';
import { describeHandleProblem, HANDLE_RULE } from './handle-problems.js';

/** Buttons every form shares. */
export const formButtons = { retry: 'Try again', cancel: 'Cancel', close: 'Close' };

export const forms = formsById({
  key_set: {
    title: 'Link your API key',
    submit: 'Link key',
    intro: 'Your key stays private: only the bot sees it, it never appears in a channel, and you can remove it any time with /handle key remove.',
    working: () => 'Checking your key with the mail service…',
    fields: {
      key: {
        label: 'API key',
        placeholder: 'Paste the 64-character key',
        hint: 'The key the mail service e-mailed you: 64 characters of 0–9 and a–f. It is checked with the service, stored encrypted, and never shown again.',
        hintShort: 'From the mail service’s e-mail. Checked, stored encrypted, never shown again.',
      },
    },
  },
  key_request: {
    title: 'Ask for an API key',
    submit: 'Send',
    intro: 'Your address goes to the mail service only. It allows 3 requests per hour for one address, so check your spam folder before asking again.',
    working: () => 'Asking the mail service to e-mail you…',
    fields: {
      email: {
        label: 'Your e-mail address',
        placeholder: 'you@example.com',
        hint: 'The mail service e-mails a confirmation link here, then your key. Use your own address, not one of the service’s domains.',
        hintShort: 'The mail service e-mails a confirmation link here, then your key. Use your own address.',
      },
    },
  },
  claim: {
    title: 'Claim a handle',
    submit: 'Claim',
    intro: 'Mail to your handle on every domain of the mail service reaches your inbox. A handle is yours for good: it cannot be renamed, and even after you delete it nobody (you included) can claim it again.',
    working: (values) => `Claiming ${values.name ?? ''} with your API key…`,
    fields: {
      name: {
        label: 'Handle', placeholder: 'e.g. alice', hint: HANDLE_RULE,
        hintShort: "1–64 of a–z, 0–9 and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - ; single dots between parts",
      },
    },
  },
});

/** A form's id (`form: 'key_set'` in a command): the same in every locale, and stable across versions. */
export type FormId = keyof typeof forms;

/** Under the key input (plain text; never echoes what was typed). */
export function malformedKeyInlineError(problem: ApiKeyProblem): string {
  const why = plainText(describeKeyProblem(problem));
  return `That does not look like an API key: ${why}. Keys are 64 characters of 0–9 and a–f.`;
}

/** Under an e-mail input when what was typed cannot be an address (plain text). */
export function invalidEmailInlineError(): string {
  return 'That does not look like an e-mail address: it needs a name, an @ and a domain, like you@example.com.';
}

/** Under a handle input: the precise reason from the handle rule, and a corrected suggestion. */
export function invalidHandleInlineError(problem: HandleProblem, suggestion?: string): string {
  const why = plainText(['It can’t be used because ', ...describeHandleProblem(problem), '.']);
  return suggestion ? `${why} Did you mean ${suggestion}?` : why;
}

/** The answer while the bot restarts, as one plain line (under a form input, a Workflow step error). */
export function restartingText(): string {
  const restarting = restartingReply();
  return plainText([...restarting.title, '. ', ...(restarting.body?.[0] ?? [])]);
}
