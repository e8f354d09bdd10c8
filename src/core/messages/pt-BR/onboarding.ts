/** The newcomer's welcome: what the bot does, and one button for each next step. */
import { suggestHandle } from '../../../domain/handle.js';
import type { Reply, Text } from '../../types.js';
import { claimAction, linkKeyAction, requestKeyAction } from './actions.js';
import { cmd, privateReply } from './common.js';

export function welcomeReply(displayName: string, welcomeText?: string): Reply {
  const suggestion = suggestHandle(displayName);
  const body: Text[] = [];
  if (welcomeText) body.push([welcomeText]);
  body.push(
    ['Com este bot você ganha o seu próprio handle de e-mail: registre ', { code: 'alice' }, ' e os e-mails para alice@ em todos os domínios do serviço chegam à sua caixa de entrada.'],
    ['1. Vincule sua chave de API do serviço de e-mail, ou peça uma ao serviço.'],
    ['2. Registre um handle', ...(suggestion ? [' (', { code: suggestion }, ' seria um bom começo)'] : []), '.'],
    ['Quando precisar: ', cmd('help'), '.'],
  );
  return privateReply('info', ['👋 Boas-vindas! Garanta o seu próprio handle de e-mail'], {
    body,
    actions: [{ ...linkKeyAction, label: 'Tenho uma chave — vincular' }, requestKeyAction, ...(suggestion ? [claimAction(suggestion)] : [])],
  });
}
