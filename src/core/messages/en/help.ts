/** Help, and the answers to a command line the bot could not make sense of. */
import type { Command, Reply, Text } from '../../types.js';
import { commandWords } from '../shared.js';
import { commands as translations } from './commands.js';
import { cmd, privateReply } from './common.js';
import { showInvisible } from '../../text.js';

const wordsOf = (command: Command) => commandWords(translations, command);

function line(command: Command): Text {
  const words = wordsOf(command);
  return ['• ', cmd(words.usage), ` — ${words.description}`];
}

export function helpReply(commands: readonly Command[], showAdmin: boolean): Reply {
  const everyone = commands.filter((c) => c.who === 'everyone');
  const admin = commands.filter((c) => c.who === 'admin');
  return privateReply('info', ['Claim an e-mail handle with your own API key'], {
    body: [
      ['Link your mail-service API key once, then claim handles: ', cmd('create alice'), ' reserves alice@ on every domain of the service and forwards it to you.'],
      ...everyone.map(line),
      ...(showAdmin ? [['Admins:'] as Text, ...admin.map(line)] : []),
      ['More about one command: ', cmd('help <command>'), '.'],
    ],
  });
}

export function helpForCommand(command: Command): Reply {
  const words = wordsOf(command);
  return privateReply('info', [cmd(words.usage)], {
    body: [
      [words.description + '.'],
      // What is asked in a form (a key) is not typed, so it is not listed.
      ...command.options.filter((o) => o.arrives !== 'form' && o.arrives !== 'secret').map((o): Text => [`• ${o.name}${o.required ? '' : ' (optional)'}: ${words.option(o.name)}`]),
      ...(command.who === 'admin' ? [['Only admins can run this.'] as Text] : []),
    ],
  });
}

export function unknownCommandReply(typed: string, commands: readonly Command[], showAdmin: boolean): Reply {
  const help = helpReply(commands, showAdmin);
  return { ...help, tone: 'user_error', title: ['I don’t know the command ', { code: showInvisible(typed) }, '. Here is what I can do:'] };
}

export function missingArgumentReply(command: Command, option: string): Reply {
  return privateReply('user_error', [cmd(command.verb.join(' ')), ` needs ${option === 'name' ? 'a name' : `the ${option}`}`], {
    body: [['Usage: ', cmd(wordsOf(command).usage), '.']],
  });
}

export function argumentTooLongReply(command: Command, option: string, max: number): Reply {
  return privateReply('user_error', [`The ${option} is too long`], {
    body: [[`It can be at most ${max} characters. Usage: `, cmd(wordsOf(command).usage), '.']],
  });
}
