/**
 * The terminal front door: type `/handle create alice` (or just `create alice`) and read the
 * replies, each line tagged `[private]` or `[channel]`. Works from a pipe too (exit 0 at the
 * end of input), so it can be scripted. What a command asks in a form (the key of `key set`,
 * hidden on a terminal) is asked here one line at a time, as the command declares it. It speaks
 * the session's locale (`--locale`, else LANG), like a chat user's own language.
 */
import { consoleIdentity } from '../domain/identity.js';
import { CONSOLE_SCOPE } from '../domain/scope.js';
import { exactCommand, inputsToAsk, isSecret } from '../core/interactions.js';
import { catalogue, type Locale } from '../core/messages/index.js';
import { parseLine } from '../core/parse.js';
import type { EnginePort } from '../core/port.js';
import { newRequestId } from '../core/request-id.js';
import { plainText } from '../core/text.js';
import type { Action, Args, Command, Invocation, Reply } from '../core/types.js';
import { createLineReader } from './line-reader.js';
import { renderConsoleReply } from './render.js';

export type ConsoleOptions = {
  engine: EnginePort;
  user: string;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  /** The operator's language; undefined: the console workspace's language setting (English by default). */
  locale?: Locale | undefined;
};

export async function runConsole({ engine, user, input, output, locale }: ConsoleOptions): Promise<void> {
  const messages = catalogue(locale);
  const reader = createLineReader(input, output);
  const terminal = input.isTTY === true;
  const write = (line: string) => output.write(`${line}\n`);
  let actions: Action[] = [];

  const invocation = (fromAction = false): Invocation => ({
    platform: 'console',
    identity: consoleIdentity(user),
    scope: CONSOLE_SCOPE,
    channelId: 'console',
    displayName: user,
    platformAdmin: true,
    requestId: newRequestId(),
    // The console's "channel" is the same terminal: its language is the operator's too.
    ...(locale ? { locale, scopeLocale: locale } : {}),
    ...(fromAction ? { fromAction } : {}),
  });

  const show = (replies: Reply[]) => {
    actions = [];
    for (const reply of replies) {
      for (const line of renderConsoleReply(reply, actions.length + 1)) write(line);
      actions.push(...(reply.actions ?? []));
    }
  };

  /** The command's form, one prompt per input (a secret never appears on screen); undefined at the end of input. */
  const askForm = async (command: Command, args: Args, via: 'typed' | 'action'): Promise<Args | undefined> => {
    const asked: Args = { ...args };
    for (const option of inputsToAsk(command, args, via)) {
      if (asked[option.name] !== undefined) continue; // typed on the command line already
      const field = command.form ? messages.forms[command.form].fields[option.name] : undefined;
      const label = `${field?.label ?? option.name}${isSecret(option) ? messages.consoleText.hidden : ''}: `;
      const value = await reader.next(label, { hidden: isSecret(option) });
      if (value === undefined) return undefined;
      asked[option.name] = value;
    }
    return asked;
  };

  const run = async (command: Command, args: Args, fromAction: boolean) => {
    const asked = await askForm(command, args, fromAction ? 'action' : 'typed');
    if (asked) show((await engine.dispatch(invocation(fromAction), command.verb, asked)).replies);
  };

  const runAction = async (action: Action) => {
    if (action.confirm) {
      write(`${plainText(action.confirm)}${messages.consoleText.confirmSuffix}`);
      const answer = (await reader.next(messages.consoleText.answerPrompt)) ?? '';
      if (!messages.consoleText.isYes(answer)) {
        write(messages.consoleText.cancelled);
        return;
      }
    }
    const verb = action.verb.split(' ');
    const command = exactCommand(engine.commands, verb);
    if (command) await run(command, action.args, true);
    else show((await engine.dispatch(invocation(true), verb, action.args)).replies);
  };

  if (terminal) write(messages.consoleText.greeting(consoleIdentity(user)));
  for (;;) {
    const line = await reader.next(messages.consoleText.prompt);
    if (line === undefined) break;
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    if (/^(quit|exit)$/i.test(text)) break;

    const chosen = /^\d+$/.test(text) ? actions[Number(text) - 1] : undefined;
    const parsed = chosen ? undefined : parseLine(text, engine.commands);
    if (chosen) {
      await runAction(chosen);
    } else if (parsed?.kind === 'command' && inputsToAsk(parsed.command, parsed.args, 'typed').length > 0) {
      // `key set <key>` on one line: the console is the operator's own terminal, so the key is
      // taken as typed (never dropped, and the next line is not mistaken for it).
      const secret = parsed.command.options.find(isSecret);
      const typed = parsed.typedSecret !== undefined && secret ? { [secret.name]: parsed.typedSecret } : {};
      await run(parsed.command, { ...parsed.args, ...typed }, false);
    } else {
      show((await engine.dispatchLine(invocation(), text)).replies);
    }
  }
  reader.close();
}
