/** Why a handle is not valid, in plain words, with the rule and a corrected suggestion. */
import type { HandleProblem } from '../../../mail-api/outcomes.js';
import { showInvisible } from '../../text.js';
import type { Reply, Text } from '../../types.js';
import { claimAction } from './actions.js';
import { cmd, privateReply } from './common.js';

export const HANDLE_RULE: string =
  "A handle is 1–64 characters: lowercase letters a–z, digits, and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - , with single dots between parts (no dot at the start or end, no two dots in a row).";

export function describeHandleProblem(problem: HandleProblem): Text {
  switch (problem.code) {
    case 'empty':
      return ['it is empty'];
    case 'too_long':
      return [`it is ${problem.length} characters long, and the limit is 64`];
    case 'space':
      return ['it contains a space'];
    case 'at_sign':
      return ['it contains ', { code: '@' }, ': type only the part before the @ (the bot adds every domain for you)'];
    case 'non_ascii':
      return [`it contains the non-ASCII ${/\p{L}/u.test(problem.char) ? 'letter' : 'character'} `, { code: showInvisible(problem.char) }];
    case 'leading_dot':
      return ['it starts with a dot'];
    case 'trailing_dot':
      return ['it ends with a dot'];
    case 'double_dot':
      return ['it has two dots in a row'];
    case 'forbidden_char':
      return ['it contains ', { code: showInvisible(problem.char) }, ', which is not allowed in an e-mail handle'];
  }
}

export function invalidHandleReply(input: {
  handle: string;
  problem?: HandleProblem;
  reason?: string;
  hint?: string;
  suggestion?: string;
}): Reply {
  const why: Text = input.problem
    ? ['It can’t be used because ', ...describeHandleProblem(input.problem), '.']
    : ['The mail service refused it', input.reason ? `: ${input.reason}` : '', '.'];
  const body: Text[] = [why];
  if (input.hint) body.push(['Hint from the service: ', input.hint]);
  body.push([HANDLE_RULE]);
  if (input.suggestion) body.push(['Did you mean ', { code: input.suggestion }, '?']);
  return privateReply('user_error', [{ code: showInvisible(input.handle) || ' ' }, ' is not a valid handle'], {
    body,
    ...(input.suggestion ? { actions: [claimAction(input.suggestion)] } : {}),
  });
}

/** A name with the shape of an API key: refused without echoing it, and the key may need replacing. */
export function keyAsHandleReply(): Reply {
  return privateReply('user_error', ['That name looks like an API key, so it was not used'], {
    body: [
      ['64 letters a–f and digits is exactly the shape of a mail-service API key. The bot did not send it to the service, post it or record it, so nothing was claimed.'],
      ['If it is your key (or anyone’s), treat it as exposed: get a new one with ', cmd('key request <your e-mail>'), ' and link it with ', cmd('key set'), '.'],
      ['To claim a handle, pick a name people can read, such as ', { code: 'dana.scully' }, '.'],
    ],
  });
}

/** The same, under a form input. */
export function keyAsHandleInlineError(): string {
  return 'That looks like an API key, so it was not used. If it is your key, replace it: /handle key request, then /handle key set.';
}
