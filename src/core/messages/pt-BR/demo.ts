/** A demonstração (`handle-bot demo`): boas-vindas com a chave de demonstração, e a marca em cada resposta. */
import type { Reply } from '../../types.js';
import { cmd, privateReply } from './common.js';

/** Vai antes do título de cada resposta na demonstração, para ninguém confundir com o serviço de verdade. */
export const demoMark = '(demo) ';

export function demoWelcomeReply(options: { apiKey: string; domains: string[]; takenHandle: string }): Reply {
  return privateReply('info', ['Isto é uma demonstração: o serviço de e-mail é um substituto rodando dentro deste processo'], {
    body: [
      ['Nada do que você fizer aqui chega ao serviço de e-mail de verdade, e tudo é esquecido quando você sair. Os domínios dele: ', ...options.domains.flatMap((d, i) => [...(i > 0 ? [', '] : []), { code: d }]), '.'],
      ['1. Vincule a chave de API de demonstração: digite ', cmd('key set'), ' e cole ', { code: options.apiKey }, '.'],
      ['2. Registre um handle: ', cmd('create <nome>'), '. ', { code: options.takenHandle }, ' já está em uso, para você ver como fica.'],
      ['3. Depois experimente ', cmd('list'), ', ', cmd('delete <nome>'), ', ', cmd('help'), ', ou ', { code: 'quit' }, ' para sair.'],
    ],
  });
}
