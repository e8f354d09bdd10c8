/** Replies about claiming, deleting and listing handles. */
import type { Identity } from '../../../domain/identity.js';
import type { HistoryEntry } from '../../../store/types.js';
import type { Reply, Text } from '../../types.js';
import { claimAction } from './actions.js';
import { channelReply, cmd, listOf, privateReply, seconds } from './common.js';

function addresses(handle: string, domains: string[]): Text {
  return listOf(domains, (d) => [{ code: `${handle}@${d}` }]);
}

/** The channel announcement: never the owner's e-mail. */
export function claimedAnnouncement(who: Identity, handle: string, domains: string[]): Reply {
  return channelReply('success', ['🎉 ', { mention: who }, ' registrou ', { code: handle }],
    domains.length > 0 ? [['Agora os e-mails para ', ...addresses(handle, domains), ' chegam à caixa de entrada de quem registrou.']] : []);
}

/** The private detail for the person who claimed. */
export function claimedDetail(handle: string, goto: string, domains: string[]): Reply {
  return privateReply('success', ['Você registrou ', { code: handle }], {
    body: [
      domains.length > 0
        ? ['Os e-mails para ', ...addresses(handle, domains), ' são encaminhados para ', { code: goto }, '.']
        : ['Os e-mails para ', { code: `${handle}@…` }, ' em todos os domínios do serviço são encaminhados para ', { code: goto }, '.'],
      ['O handle é seu para sempre; veja os seus com ', cmd('list'), '.'],
    ],
  });
}

export function takenReply(handle: string, alternatives: string[], maybeOurs: boolean): Reply {
  const body: Text[] = [
    ['Um handle só pode ser registrado uma única vez: excluir não o libera, então ninguém (nem quem o registrou) pode registrá-lo de novo.'],
  ];
  if (maybeOurs) {
    body.push(['Sua tentativa anterior de registrá-lo nunca foi confirmada (o serviço não respondeu a tempo, ou o bot parou antes da resposta), então ele provavelmente é seu: os e-mails para ele já chegariam a você.']);
  }
  if (alternatives.length > 0) body.push(['Algumas alternativas que parecem livres: escolha uma abaixo (vamos pedir confirmação).']);
  return privateReply('user_error', [{ code: handle }, ' já está em uso'], {
    body,
    actions: alternatives.map(claimAction),
  });
}

export function alreadyYoursReply(handle: string): Reply {
  return privateReply('info', [{ code: handle }, ' já é seu'], {
    body: [['Você o registrou antes com esta chave, então os e-mails para ele já chegam a você. Veja todos os seus com ', cmd('list'), '.']],
  });
}

export function deletedStaysReservedReply(handle: string): Reply {
  return privateReply('user_error', ['Você excluiu ', { code: handle }, ' antes'], {
    body: [['Um handle excluído continua reservado para sempre, então não pode ser registrado de novo — nem por você. Escolha um nome novo com ', cmd('create <nome>'), '.']],
  });
}

export function createOutcomeUnknownReply(handle: string, requestId: string): Reply {
  return privateReply('service_error', ['O serviço de e-mail não confirmou o registro de ', { code: handle }], {
    body: [
      ['Ele não respondeu a tempo, então o handle pode ou não ser seu agora. O bot não tentou de novo, porque repetir um registro não é seguro.'],
      [cmd('list'), ' o mostra como não confirmado. Se você tentar de novo e a resposta for que o handle já está em uso, é bem provável que ele já seja seu.'],
    ],
    requestId,
  });
}

/** More creates and deletes are waiting their turn than one person may queue: this one was not run. */
export function busyReply(retryAfterSeconds: number, cooldownSeconds: number): Reply {
  return privateReply('user_error', ['Você já tem vários comandos na fila'], {
    body: [[
      `Registros e exclusões rodam um a cada ${seconds(cooldownSeconds)} por pessoa, e os seus estão na fila, então este não foi executado. `,
      `Tente de novo em ${seconds(retryAfterSeconds)}.`,
    ]],
  });
}

/** `known`: this person's history shows the handle; when it does not, it may have been claimed elsewhere. */
export function confirmDeleteReply(handle: string, known: boolean): Reply {
  const notSeen: Text[] = known ? [] : [[
    'Este bot nunca viu você registrar este handle: se você o registrou em outro lugar com a sua chave, ele é excluído do mesmo jeito; se não for seu, o serviço de e-mail vai recusar.',
  ]];
  return privateReply('info', ['Excluir ', { code: handle }, '?'], {
    body: [...notSeen, ['Os e-mails para ele deixarão de ser encaminhados. Um handle excluído continua reservado para sempre: ninguém, nem você, poderá registrá-lo de novo.']],
    actions: [
      {
        verb: 'delete',
        args: { name: handle, confirmed: 'yes' },
        label: `Excluir ${handle}`,
        style: 'danger',
        confirm: ['Excluir ', { code: handle }, ' de vez? Não dá para desfazer.'],
      },
    ],
  });
}

export function deletedReply(handle: string): Reply {
  return privateReply('success', [{ code: handle }, ' foi excluído'], {
    body: [['Os e-mails para ele não são mais encaminhados. O handle continua reservado: não pode ser registrado de novo.']],
  });
}

/** The person's history says it was deleted already: answered at once, without asking the service. */
export function alreadyDeletedReply(handle: string): Reply {
  return privateReply('info', ['Você já excluiu ', { code: handle }], {
    body: [['Não há mais nada a fazer: os e-mails para ele já não são encaminhados. Ele continua reservado, então ninguém (nem você) pode registrá-lo de novo. Veja os seus com ', cmd('list'), '.']],
  });
}

export function deleteNotFoundReply(handle: string, requestId: string): Reply {
  return privateReply('user_error', ['Não existe um handle ', { code: handle }, ' para excluir'], {
    body: [['O serviço de e-mail não tem nenhum handle ativo com esse nome. Confira a grafia, ou veja os seus com ', cmd('list'), '.']],
    requestId,
  });
}

export function deleteForbiddenReply(handle: string, requestId: string): Reply {
  return privateReply('user_error', [{ code: handle }, ' não é seu para excluir'], {
    body: [['Ele pertence à chave de API de outra pessoa, então o serviço de e-mail recusou. Você só pode excluir handles registrados com a sua própria chave.']],
    requestId,
  });
}

const STATUS_WORDS: Record<HistoryEntry['status'], string> = {
  claimed: 'registrado',
  deleted: 'excluído',
  unconfirmed: 'não confirmado: o serviço não respondeu a tempo, pode ser seu',
  pending: 'pode ser seu — o bot parou antes de o serviço responder; confira com o serviço',
};

export function listReply(entries: HistoryEntry[]): Reply {
  if (entries.length === 0) {
    return privateReply('info', ['Você ainda não tem handles'], {
      body: [['Registre um com ', cmd('create <nome>'), '. Os handles que você registra por este bot aparecem aqui.']],
    });
  }
  return privateReply('info', ['Seus handles'], {
    body: [
      ...entries.map((e): Text => ['• ', { code: e.handle }, ` — ${STATUS_WORDS[e.status]}, `, { time: Math.floor(e.at / 1000) }]),
      ['Só aparecem os handles registrados por este bot.'],
    ],
  });
}

export function domainsReply(domains: string[], stale: boolean): Reply {
  return privateReply('info', [`O serviço de e-mail administra ${domains.length} ${domains.length === 1 ? 'domínio' : 'domínios'}`], {
    body: [
      listOf(domains, (d) => [{ code: d }]),
      ['Um handle que você registra recebe e-mails em todos eles.'],
      ...(stale ? [['(O serviço não respondeu agora há pouco; esta é a lista que ele deu um pouco antes.)']] : []),
    ],
  });
}
