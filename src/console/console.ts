/**
 * The terminal front door: type `/handle create alice` (or just `create alice`) and read the
 * replies, each line tagged `[private]` or `[channel]`. Works from a pipe too (exit 0 at the
 * end of input), so it can be scripted; `key set` reads the key hidden on a terminal, or as
 * the next line of a pipe.
 */
import { consoleIdentity } from '../core/identity.js';
import { newRequestId } from '../core/request-id.js';
import type { Engine } from '../core/engine.js';
import type { Action, Invocation, Reply } from '../core/types.js';
import { plainText } from '../core/text.js';
import { createLineReader } from './line-reader.js';
import { renderConsoleReply } from './render.js';

export type ConsoleOptions = {
  engine: Engine;
  user: string;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
};

export async function runConsole({ engine, user, input, output }: ConsoleOptions): Promise<void> {
  const reader = createLineReader(input, output);
  const terminal = input.isTTY === true;
  const write = (line: string) => output.write(`${line}\n`);
  let actions: Action[] = [];

  const invocation = (fromAction = false): Invocation => ({
    platform: 'console',
    identity: consoleIdentity(user),
    scope: 'console',
    channelId: 'console',
    displayName: user,
    platformAdmin: true,
    requestId: newRequestId(),
    ...(fromAction ? { fromAction } : {}),
  });

  const show = (replies: Reply[]) => {
    actions = [];
    for (const reply of replies) {
      for (const line of renderConsoleReply(reply, actions.length + 1)) write(line);
      actions.push(...(reply.actions ?? []));
    }
  };

  /** `key set`: the key never appears on screen or in a typed command line. */
  const keySet = async (fromAction: boolean) => {
    const key = await reader.next('API key (hidden): ', { hidden: true });
    if (key === undefined) return;
    show(await engine.dispatch(invocation(fromAction), ['key', 'set'], { key }));
  };

  const runAction = async (action: Action) => {
    if (action.verb === 'key set') return keySet(true);
    if (action.confirm) {
      write(`${plainText(action.confirm)} [y/N]`);
      const answer = (await reader.next('> ')) ?? '';
      if (!/^y(es)?$/i.test(answer.trim())) {
        write('(cancelled)');
        return;
      }
    }
    show(await engine.dispatch(invocation(true), action.verb.split(' '), action.args));
  };

  if (terminal) write(`handle-bot console: you are ${consoleIdentity(user)}. Type "help", or "quit" to leave.`);
  for (;;) {
    const line = await reader.next('handle> ');
    if (line === undefined) break;
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    if (/^(quit|exit)$/i.test(text)) break;

    const chosen = /^\d+$/.test(text) ? actions[Number(text) - 1] : undefined;
    if (chosen) {
      await runAction(chosen);
    } else if (/^(\/handle\s+)?key\s+set\b/i.test(text)) {
      await keySet(false);
    } else {
      show(await engine.dispatchLine(invocation(), text));
    }
  }
  reader.close();
}
