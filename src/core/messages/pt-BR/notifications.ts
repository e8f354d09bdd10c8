/**
 * What admins read in their notification channel: one short line per event, or one summary
 * for a burst. Never a key, never an owner's e-mail address (at most its kind of ban).
 */
import type { Identity } from '../../../domain/identity.js';
import type { NotifierEvent } from '../../notifier.js';
import type { Reply, Text } from '../../types.js';
import type { Burst, ScopedEvent } from '../bursts.js';
import { channelReply, cmd, listWithMore } from './common.js';

const BAN_WORDS: Record<string, string> = {
  email: 'o endereço de e-mail da pessoa está banido',
  domain: 'o domínio de e-mail da pessoa está banido',
  ip: 'o endereço de rede do bot está banido',
  unknown: 'o serviço não deu detalhes',
};

const notice = channelReply;

export function notificationReply(event: NotifierEvent): Reply {
  switch (event.type) {
    case 'handle_claimed':
      return notice('success', ['🆕 ', { mention: event.who }, ' registrou ', { code: event.handle }]);
    case 'handle_deleted':
      return notice('info', ['🗑️ ', { mention: event.who }, ' excluiu ', { code: event.handle }]);
    case 'owner_banned':
      return notice('user_error', ['⛔ O serviço de e-mail recusou um handle de ', { mention: event.who }], [
        [`Todo registro com a chave dessa pessoa vai falhar: ${BAN_WORDS[event.banKind] ?? BAN_WORDS.unknown}. Só os operadores do serviço podem desfazer isso.`],
      ]);
    case 'service_down':
      return notice('service_error', ['🔴 O serviço de e-mail parece estar fora do ar'], [
        [`${event.failures} pedidos seguidos falharam (erros, tempo esgotado ou sem conexão). Os comandos recebem um pedido de desculpas até ele voltar; vocês serão avisados quando isso acontecer.`],
      ]);
    case 'service_recovered':
      return notice('success', ['🟢 O serviço de e-mail voltou a responder']);
    case 'key_linked':
      return notice('info', ['🔑 ', { mention: event.who }, ' vinculou uma chave de API']);
    case 'key_removed':
      return notice('info', ['🔑 ', { mention: event.who }, ' removeu a própria chave de API']);
    case 'welcome_undeliverable':
      return notice('user_error', ['✉️ Não foi possível dar boas-vindas a ', { mention: event.who }], [
        ['A pessoa não aceita mensagens diretas do bot, então não recebeu a mensagem de boas-vindas. Indique a ela o ', cmd('help'), '.'],
      ]);
  }
}

const BURST_WORDS: Record<ScopedEvent['type'], [string, string]> = {
  handle_claimed: ['handle registrado', 'handles registrados'],
  handle_deleted: ['handle excluído', 'handles excluídos'],
  owner_banned: ['registro recusado de conta banida', 'registros recusados de contas banidas'],
  key_linked: ['chave vinculada', 'chaves vinculadas'],
  key_removed: ['chave removida', 'chaves removidas'],
  welcome_undeliverable: ['boas-vindas não entregue', 'boas-vindas não entregues'],
};

/** A burst of the same kind of event, in one message. */
export function burstReply(burst: Burst, windowSeconds: number): Reply {
  const { first, count } = burst;
  const [one, many] = BURST_WORDS[first.type];
  const body: Text[] = [['Por ', ...listWithMore(burst.people, burst.peopleCount, (who: Identity) => [{ mention: who }]), '.']];
  if (burst.handleCount > 0) body.push(['Handles: ', ...listWithMore(burst.handles, burst.handleCount, (h) => [{ code: h }]), '.']);
  const tone = first.type === 'owner_banned' || first.type === 'welcome_undeliverable' ? 'user_error' : 'info';
  return notice(tone, [`${count} ${count === 1 ? one : many} ${lastPeriod(windowSeconds)}`], body);
}

/** "no último minuto", "no último segundo", "nos últimos 30 segundos", "nos últimos 5 minutos". */
function lastPeriod(windowSeconds: number): string {
  if (windowSeconds === 1) return 'no último segundo';
  if (windowSeconds < 60) return `nos últimos ${windowSeconds} segundos`;
  const minutes = Math.round(windowSeconds / 60);
  return minutes === 1 ? 'no último minuto' : `nos últimos ${minutes} minutos`;
}
