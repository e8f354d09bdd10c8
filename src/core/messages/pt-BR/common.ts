/** Small builders the Brazilian Portuguese catalogue's modules share (not messages themselves). */
import { replyBuilders } from '../shared.js';

export { cmd } from '../shared.js';

export const { privateReply, channelReply, listOf, listWithMore } = replyBuilders('pt-BR', { and: ' e ', more: (hidden) => ` e mais ${hidden}` });

export function seconds(n: number): string {
  if (n < 60) return n === 1 ? '1 segundo' : `${n} segundos`;
  const minutes = Math.ceil(n / 60);
  return minutes === 1 ? '1 minuto' : `${minutes} minutos`;
}
