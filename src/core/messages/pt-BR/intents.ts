/** Um comando que o bot confirmou e perdeu ao reiniciar (ver en/intents.ts). */
import type { Reply, Text } from '../../types.js';
import { privateReply } from './common.js';

export function recoveredNotice(command: string): Text {
  return ['O bot reiniciou enquanto tratava ', { code: command }, '; aqui está a resposta:'];
}

export function recoveryAbandonedReply(command: string): Reply {
  return privateReply('service_error', ['O bot reiniciou enquanto tratava ', { code: command }, ' e não conseguiu terminar'], {
    body: [['Ele pode ter sido concluído antes de o bot reiniciar: confira com ', { code: '/handle list' }, ' ou ', { code: '/handle key status' }, ' e rode de novo se ainda precisar.']],
  });
}
