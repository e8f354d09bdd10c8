/** Replies about the caller's API key and the service's key request. */
import type { KeyRecordView } from '../../../store/types.js';
import type { Reply, Text } from '../../types.js';
import { linkKeyAction } from './actions.js';
import { cmd, privateReply, seconds } from './common.js';

export function keyLinkedReply(record: KeyRecordView, replaced: boolean): Reply {
  return privateReply('success', [replaced ? 'Sua nova chave de API está vinculada' : 'Sua chave de API está vinculada'], {
    body: [
      ['O serviço de e-mail aceitou a chave terminada em ', { code: record.fingerprint }, '. Ela fica guardada criptografada e nunca mais é mostrada.'],
      ['Registre um handle com ', cmd('create <nome>'), '.'],
    ],
  });
}

export function keyStatusReply(record: KeyRecordView, live: 'ok' | 'rejected' | 'unknown'): Reply {
  const fields: { label: string; value: Text }[] = [
    { label: 'Chave', value: [{ code: record.fingerprint }] },
    { label: 'Vinculada', value: [{ time: Math.floor(record.linkedAt / 1000) }] },
  ];
  const status: Text =
    live === 'ok'
      ? ['O serviço de e-mail a aceita agora.']
      : live === 'rejected'
        ? ['O serviço de e-mail a recusa agora (expirada, revogada ou desconhecida). Vincule uma nova com ', cmd('key set'), '.']
        : ['O bot não conseguiu verificá-la com o serviço de e-mail agora há pouco; ela foi aceita pela última vez ', ...(record.verifiedAt ? [{ time: Math.floor(record.verifiedAt / 1000) }] : ['quando você a vinculou']), '.'];
  return privateReply(live === 'rejected' ? 'user_error' : 'info', ['Sua chave de API está vinculada'], {
    fields,
    body: [status],
    ...(live === 'rejected' ? { actions: [linkKeyAction] } : {}),
  });
}

export function keyRemovedReply(wasLinked: boolean): Reply {
  return wasLinked
    ? privateReply('success', ['Sua chave de API foi removida'], {
        body: [['O bot não a guarda mais. Seus handles continuam seus. Vincule uma chave de novo quando quiser com ', cmd('key set'), '.']],
      })
    : privateReply('info', ['Você não tinha chave de API vinculada'], { body: [['Não há nada para remover.']] });
}

export function keySetPromptReply(): Reply {
  return privateReply('info', ['Vincule sua chave de API'], {
    body: [['Use ', cmd('key set'), ': o bot pede a chave em particular, para ela nunca aparecer em um canal.']],
    actions: [linkKeyAction],
  });
}

export function credentialsSentReply(email: string, ttlMinutes?: number): Reply {
  return privateReply('success', ['Confira sua caixa de entrada'], {
    body: [
      ['O serviço de e-mail enviou um link de confirmação para ', { code: email }, ttlMinutes ? ` (válido por ${ttlMinutes} minutos)` : '', '. Depois que você confirmar, ele manda sua nova chave de API por e-mail.'],
      ['Aí é só vinculá-la aqui com ', cmd('key set'), '. Não chegou nada? Dê uma olhada no spam.'],
    ],
    actions: [linkKeyAction],
  });
}

export function credentialsCooldownReply(email: string, nextAllowedAt?: string): Reply {
  const next = nextAllowedAt ? Date.parse(nextAllowedAt) : NaN;
  return privateReply('info', ['Um e-mail de confirmação acabou de ser enviado'], {
    body: [
      ['O serviço já mandou um e-mail para ', { code: email }, ' há um minuto: confira sua caixa de entrada e o spam.'],
      Number.isNaN(next) ? ['Você pode pedir de novo daqui a um minuto.'] : ['Você pode pedir de novo ', { time: Math.floor(next / 1000), relative: true }, '.'],
    ],
  });
}

/**
 * O limite pessoal de pedidos de chave foi atingido. `retryAfterSeconds`: vale o intervalo curto
 * (peça de novo depois dele); ausente: os pedidos do dia acabaram.
 */
export function keyRequestLimitReply(retryAfterSeconds: number | undefined, limits: { intervalSeconds: number; perDay: number }): Reply {
  return privateReply('info', ['Você pediu uma chave há pouco'], {
    body: [
      ['O serviço envia as chaves por e-mail a partir de uma cota que todo mundo aqui compartilha, então cada pessoa pode pedir uma vez a cada ', seconds(limits.intervalSeconds), ` e ${limits.perDay} vezes por dia.`],
      retryAfterSeconds === undefined
        ? ['Você já usou os pedidos de hoje: confira sua caixa de entrada e a pasta de spam para ver os e-mails já enviados, ou peça de novo amanhã.']
        : ['Confira sua caixa de entrada e a pasta de spam para ver o que já foi enviado; você pode pedir de novo em ', seconds(retryAfterSeconds), '.'],
    ],
  });
}

export function managedDomainReply(domain?: string): Reply {
  return privateReply('user_error', ['Use o seu próprio endereço de e-mail'], {
    body: [
      [
        ...(domain ? [{ code: domain }, ' é um dos domínios'] : ['Esse endereço está em um dos domínios']),
        ' do próprio serviço de e-mail, que não recebem os e-mails com a chave. Peça com o endereço que você usa no dia a dia.',
      ],
    ],
  });
}

export function invalidEmailReply(hint?: string): Reply {
  return privateReply('user_error', ['Isso não parece um endereço de e-mail'], {
    body: [['O serviço precisa de um endereço completo, como ', { code: 'voce@exemplo.com' }, '.', hint ? ` (${hint})` : ''], ['Tente ', cmd('key request <seu e-mail>'), ' de novo.']],
  });
}

export function credentialsRateLimitedReply(retryAfterSeconds: number, requestId: string): Reply {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return privateReply('user_error', ['Pedidos de chave demais por enquanto'], {
    body: [
      ['O serviço de e-mail permite só alguns pedidos de chave por hora (3 por endereço, e mais alguns a partir deste bot), para proteger as caixas de entrada de spam.'],
      [`Tente de novo em uns ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}. Se você já recebeu um e-mail de confirmação, pode usá-lo.`],
    ],
    requestId,
  });
}

export function keyNotAcceptedReply(requestId: string): Reply {
  return privateReply('user_error', ['O serviço de e-mail não aceita esta chave'], {
    body: [
      ['Ela está expirada, revogada ou é desconhecida (o serviço não diz qual), então não foi salva.'],
      ['Confira se você copiou a chave mais recente que o serviço mandou por e-mail, ou peça uma nova com ', cmd('key request <seu e-mail>'), '.'],
    ],
    actions: [linkKeyAction],
    requestId,
  });
}

export function forgetConfirmReply(): Reply {
  return privateReply('info', ['Apagar tudo o que o bot guarda sobre você?'], {
    body: [['Isso remove do bot a sua chave de API vinculada e o seu histórico de handles. Os handles em si continuam seus no serviço de e-mail.']],
    actions: [{ verb: 'forget', args: { confirmed: 'yes' }, label: 'Esquecer meus dados', style: 'danger', confirm: ['Remover sua chave e seu histórico do bot? Não dá para desfazer.'] }],
  });
}

export function forgottenReply(): Reply {
  return privateReply('success', ['Pronto: o bot esqueceu você'], {
    body: [['Sua chave de API e seu histórico de handles foram removidos. Seus handles continuam seus no serviço de e-mail. Volte quando quiser com ', cmd('key set'), '.']],
  });
}
