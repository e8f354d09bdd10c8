/** Help, and the answers to a command line the bot could not make sense of. */
import type { Command, Reply, Text } from '../../types.js';
import { commandWords } from '../shared.js';
import { commands as translations } from './commands.js';
import { cmd, privateReply } from './common.js';
import { showInvisible } from '../../text.js';

const wordsOf = (command: Command) => commandWords(translations, command);

/** What a missing input is called in a sentence ("precisa de um nome"); option names themselves stay as typed. */
const INPUT_WORDS: Readonly<Record<string, string>> = {
  name: 'um nome', channel: 'um canal', email: 'um e-mail', enabled: 'on ou off', language: 'um idioma', key: 'uma chave',
};

function line(command: Command): Text {
  const words = wordsOf(command);
  return ['• ', cmd(words.usage), ` — ${words.description}`];
}

export function helpReply(commands: readonly Command[], showAdmin: boolean): Reply {
  const everyone = commands.filter((c) => c.who === 'everyone');
  const admin = commands.filter((c) => c.who === 'admin');
  return privateReply('info', ['Registre um handle de e-mail com a sua própria chave de API'], {
    body: [
      ['Vincule sua chave de API do serviço de e-mail uma vez e depois registre handles: ', cmd('create alice'), ' reserva alice@ em todos os domínios do serviço e encaminha os e-mails para você.'],
      ...everyone.map(line),
      ...(showAdmin ? [['Para admins:'] as Text, ...admin.map(line)] : []),
      ['Mais sobre um comando: ', cmd('help <comando>'), '.'],
    ],
  });
}

export function helpForCommand(command: Command): Reply {
  const words = wordsOf(command);
  return privateReply('info', [cmd(words.usage)], {
    body: [
      [words.description + '.'],
      // What is asked in a form (a key) is not typed, so it is not listed.
      ...command.options.filter((o) => o.arrives !== 'form' && o.arrives !== 'secret').map((o): Text => [`• ${o.name}${o.required ? '' : ' (opcional)'}: ${words.option(o.name)}`]),
      ...(command.who === 'admin' ? [['Só admins podem rodar este comando.'] as Text] : []),
    ],
  });
}

export function unknownCommandReply(typed: string, commands: readonly Command[], showAdmin: boolean): Reply {
  const help = helpReply(commands, showAdmin);
  return { ...help, tone: 'user_error', title: ['Não conheço o comando ', { code: showInvisible(typed) }, '. Veja o que eu sei fazer:'] };
}

export function missingArgumentReply(command: Command, option: string): Reply {
  const what = INPUT_WORDS[option];
  return privateReply('user_error', [cmd(command.verb.join(' ')), ...(what ? [` precisa de ${what}`] : [' precisa do valor de ', { code: option }])], {
    body: [['Uso: ', cmd(wordsOf(command).usage), '.']],
  });
}

export function argumentTooLongReply(command: Command, option: string, max: number): Reply {
  return privateReply('user_error', ['O valor de ', { code: option }, ' é longo demais'], {
    body: [[`Ele pode ter no máximo ${max} caracteres. Uso: `, cmd(wordsOf(command).usage), '.']],
  });
}
