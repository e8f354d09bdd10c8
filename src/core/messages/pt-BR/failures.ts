/**
 * Failures any mail-service call or store access can meet, explained: what happened, why,
 * and what to do next (the English catalogue's failures.ts, in Brazilian Portuguese).
 */
import type { ApiKeyProblem } from '../../../domain/api-key.js';
import type {
  Banned, RateLimited, ServiceError, ServiceUnavailable, Timeout, UnexpectedResponse, Unreachable,
} from '../../../mail-api/outcomes.js';
import type { Reply, Text } from '../../types.js';
import { linkKeyAction } from './actions.js';
import { explainFailureWith } from '../shared.js';
import { cmd, privateReply, seconds } from './common.js';

export type ServiceFault = ServiceError | ServiceUnavailable | Timeout | Unreachable | UnexpectedResponse;

/** What a command was doing when the service failed: each completes "…ao <doing>". */
export const activities = {
  claiming: (handle: string): Text => ['registrar ', { code: handle }],
  deleting: (handle: string): Text => ['excluir ', { code: handle }],
  fetchingDomains: (): Text => ['buscar os domínios'],
  checkingKey: (): Text => ['verificar sua chave'],
  requestingKey: (): Text => ['pedir sua chave'],
};

/** `doing` completes "…ao <doing>": one of `activities`. */
export const explainFailure = explainFailureWith({ keyRejectedReply, bannedReply, rateLimitedReply, serviceFaultReply });

export function keyRejectedReply(requestId?: string): Reply {
  return privateReply('user_error', ['O serviço de e-mail recusou sua chave de API'], {
    body: [
      ['Ela pode ter expirado ou sido revogada, ou nunca ter sido válida: o serviço não diz qual. Nada foi alterado.'],
      ['Vincule uma chave nova com ', cmd('key set'), '. Ainda não tem chave? Peça uma com ', cmd('key request <seu e-mail>'), '.'],
    ],
    actions: [linkKeyAction],
    ...(requestId ? { requestId } : {}),
  });
}

export function bannedReply(outcome: Banned): Reply {
  // A reason that only repeats the error code says nothing.
  const reason: Text[] = outcome.ban.reason && outcome.ban.reason.toLowerCase() !== 'banned' ? [['Motivo informado pelo serviço: ', outcome.ban.reason]] : [];
  switch (outcome.ban.kind) {
    case 'name':
      return privateReply('user_error', ['Este handle é reservado pelo serviço de e-mail'], {
        body: [['O serviço guarda alguns nomes para si, então ninguém pode registrar este. Tente outro nome.'], ...reason],
        requestId: outcome.requestId,
      });
    case 'email':
    case 'domain':
      return privateReply('user_error', ['O serviço de e-mail bloqueou sua conta'], {
        body: [
          [`O serviço baniu ${outcome.ban.kind === 'email' ? 'o endereço de e-mail' : 'o domínio de e-mail'} da sua conta, então todo pedido de handle com esta chave será recusado.`],
          ...reason,
          ['Só os operadores do serviço de e-mail podem desfazer isso: fale com eles e informe o ID da solicitação abaixo. Os admins do bot já foram avisados.'],
        ],
        requestId: outcome.requestId,
      });
    default:
      return privateReply('service_error', ['O serviço de e-mail está recusando pedidos deste bot'], {
        body: [
          ['O serviço bloqueou o endereço de rede de onde o bot faz as chamadas, então ninguém consegue registrar handles por ele agora.'],
          ...reason,
          ['Quem resolve isso com o serviço é o operador do bot; os admins do bot já foram avisados.'],
        ],
        requestId: outcome.requestId,
      });
  }
}

export function rateLimitedReply(outcome: RateLimited): Reply {
  const who: Text =
    outcome.scope === 'key'
      ? ['Sua chave de API fez pedidos demais no último minuto, e o serviço de e-mail a pausou por um instante.']
      : outcome.scope === 'origin'
        ? ['O serviço de e-mail recebeu pedidos demais deste bot no último minuto e o pausou por um instante: não foi culpa sua.']
        : ['O serviço de e-mail pediu ao bot que fosse mais devagar.'];
  return privateReply('user_error', ['Pedidos demais: espere um pouco'], {
    body: [who, ['Nada foi alterado. Tente de novo em ', seconds(outcome.retryAfterSeconds), '.']],
    requestId: outcome.requestId,
  });
}

export function serviceFaultReply(outcome: ServiceFault, doing: Text): Reply {
  const base = { requestId: outcome.requestId };
  switch (outcome.kind) {
    case 'unreachable':
      return privateReply('service_error', ['O bot não conseguiu falar com o serviço de e-mail'], {
        body: [
          ['Não houve conexão ao ', ...doing, ', então nada foi alterado. O serviço pode estar fora do ar, ou a rede do bot pode estar com problema.'],
          ['Tente de novo em alguns minutos.'],
        ],
        ...base,
      });
    case 'timeout':
      return privateReply('service_error', ['O serviço de e-mail não respondeu a tempo'], {
        body: [
          outcome.outcomeUnknown
            ? ['O pedido pode ou não ter sido feito ao ', ...doing, '.']
            : ['Nada foi alterado ao ', ...doing, '.'],
          ['Tente de novo em um minuto.'],
        ],
        ...base,
      });
    case 'service_unavailable':
      return privateReply('service_error', ['O serviço de e-mail está ocupado agora'], {
        body: [['Ele não conseguiu atender o pedido ao ', ...doing, ', então nada foi alterado. Tente de novo em alguns segundos.']],
        ...base,
      });
    case 'service_error':
      return privateReply('service_error', ['O serviço de e-mail teve um problema interno'], {
        body: [
          ['Ele falhou ao ', ...doing, ', então nada foi alterado.'],
          ['Tente de novo em um minuto. Se continuar acontecendo, avise os operadores do serviço de e-mail e informe o ID da solicitação abaixo.'],
        ],
        ...base,
      });
    case 'unexpected_response':
      return privateReply('service_error', ['O serviço de e-mail deu uma resposta que o bot não entende'], {
        body: [
          ['Isso aconteceu ao ', ...doing, '. O operador do bot encontra os detalhes nos logs pelo ID da solicitação abaixo.'],
          ['Tente de novo em um minuto.'],
        ],
        ...base,
      });
  }
}

export function storageUnavailableReply(requestId: string): Reply {
  return privateReply('service_error', ['O bot não consegue acessar o próprio armazenamento agora'], {
    body: [
      ['Sua chave e suas configurações estão seguras, mas o bot não consegue lê-las nem salvá-las no momento, então nada foi feito.'],
      ['Tente de novo em um minuto. Se continuar acontecendo, avise o operador do bot e informe o ID da solicitação abaixo.'],
    ],
    requestId,
  });
}

export function internalErrorReply(requestId: string): Reply {
  return privateReply('service_error', ['Desculpe, algo deu errado dentro do bot'], {
    body: [['Seu pedido não foi concluído. Tente de novo; se continuar acontecendo, avise o operador do bot e informe o ID da solicitação abaixo.']],
    requestId,
  });
}

export function noKeyLinkedReply(): Reply {
  return privateReply('user_error', ['Você ainda não vinculou uma chave de API'], {
    body: [
      ['O bot registra handles com a sua própria chave de API do serviço de e-mail, então precisa dela primeiro.'],
      ['Vincule com ', cmd('key set'), ' (ela é guardada criptografada e nunca mais é mostrada). Ainda não tem chave? Peça uma com ', cmd('key request <seu e-mail>'), '.'],
    ],
    actions: [linkKeyAction],
  });
}

export function unreadableKeyReply(reason: 'tampered' | 'unknown_secret'): Reply {
  return privateReply('user_error', ['Não dá para abrir a chave de API que você vinculou'], {
    body: [
      reason === 'unknown_secret'
        ? ['O segredo de criptografia do bot mudou desde que você a vinculou, então a chave guardada não pode ser descriptografada.']
        : ['O registro guardado está danificado, então o bot se recusa a usá-lo.'],
      ['Vincule sua chave de novo com ', cmd('key set'), '.'],
    ],
    actions: [linkKeyAction],
  });
}

export function describeKeyProblem(problem: ApiKeyProblem): Text {
  switch (problem.code) {
    case 'empty':
      return ['nada foi digitado'];
    case 'inner_space':
      return ['ela tem um espaço ou uma quebra de linha no meio'];
    case 'wrong_length':
      return [`ela tem ${problem.length} caracteres, e uma chave de API tem exatamente 64`];
    case 'not_hex':
      return ['ela tem caracteres além de 0–9 e a–f'];
  }
}

export function malformedKeyReply(problem: ApiKeyProblem): Reply {
  return privateReply('user_error', ['Isso não parece uma chave de API'], {
    body: [
      ['Ela não foi salva porque ', ...describeKeyProblem(problem), '. As chaves do serviço de e-mail têm 64 caracteres de 0–9 e a–f.'],
      ['Copie a chave inteira do e-mail que o serviço enviou e tente ', cmd('key set'), ' de novo.'],
    ],
    actions: [linkKeyAction],
  });
}

/** A command that arrives while the process is shutting down (a new one is usually starting). */
export function restartingReply(): Reply {
  return privateReply('service_error', ['O bot está reiniciando'], {
    body: [['Nada foi feito. Rode seu comando de novo em alguns segundos.']],
  });
}
