/**
 * Words only the Slack front door needs: the admin-channel check, App Home and the Workflow
 * Builder step (see en/slack.ts).
 */
import type { HistoryEntry, KeyRecordView } from '../../../store/types.js';
import { plainText } from '../../text.js';
import type { Identity } from '../../../domain/identity.js';
import type { Action, Reply, Text } from '../../types.js';
import { claimStepText } from '../manifest-words.js';
import { linkKeyAction, requestKeyAction } from './actions.js';
import { noKeyLinkedReply } from './failures.js';

/** The bot as a mention when its user id is known. */
function botRef(bot: Identity | undefined): Text {
  return bot ? [{ mention: bot }] : ['o bot'];
}

/** Why the bot cannot post in a channel chosen for admin notifications, and what fixes it. */
export function channelNotVisibleFix(bot?: Identity): Text {
  return ['O bot não consegue ver esse canal. Se ele for privado, convide ', ...botRef(bot), ' primeiro (', { code: '/invite' }, ' no canal) e tente de novo.'];
}

export function channelPrivateFix(bot?: Identity): Text {
  return ['É um canal privado em que o bot não está. Convide ', ...botRef(bot), ' primeiro (', { code: '/invite' }, ' no canal) e tente de novo.'];
}

export function channelArchivedFix(): Text {
  return ['Esse canal está arquivado. Escolha um canal em uso.'];
}

export function channelJoinFailedFix(bot?: Identity): Text {
  return ['O bot não conseguiu entrar nele sozinho. Convide ', ...botRef(bot), ' (', { code: '/invite' }, ' no canal) e tente de novo.'];
}

export function channelCheckFailedFix(): Text {
  return ['O bot não conseguiu verificar esse canal com o Slack agora há pouco. Tente de novo em um minuto.'];
}

/** The admin channel cannot be checked or joined because the app lacks a permission. */
export function channelScopeMissingFix(scope: string | undefined, bot?: Identity): Text {
  return [
    'Falta ao bot a permissão do Slack ', { code: scope ?? 'channels:join' },
    '. Reinstale o app com o manifesto atual (', { code: 'commands/slack-manifest.json' }, '), ou convide ', ...botRef(bot),
    ' para o canal (', { code: '/invite' }, ' no canal), e tente de novo.',
  ];
}

/**
 * Slack's own parts of a message: the confirmation dialog's buttons, the request id's label,
 * and how a date reads (Slack fills the tokens in the reader's own time zone and language).
 */
export const slackText = {
  confirm: 'Sim',
  deny: 'Cancelar',
  requestId: 'ID da solicitação',
  dateFormat: '{date_short_pretty} às {time}',
  relativeDateFormat: '{ago}',
};

/** At the top of the key form when a key was typed after `/handle key set` (it was not stored). */
export function slackKeyTypedNotice(): string {
  return 'Você digitou uma chave depois de /handle key set. Ela não foi salva: uma linha de comando passa pelo Slack e pode ficar no seu histórico, então o bot só aceita chaves neste formulário privado. Se você a colou onde outras pessoas podem ver, peça uma chave nova com /handle key request e vincule essa.';
}

// ---------------------------------------------------------------------------------------------
// App Home
// ---------------------------------------------------------------------------------------------

export const slackHomeText = {
  title: 'Seus handles de e-mail',
  intro: 'Registre um handle de e-mail no serviço de encaminhamento de e-mail com a sua própria chave de API: os e-mails para ele, em todos os domínios do serviço, chegam à sua caixa de entrada.',
  keyHeading: 'Sua chave de API',
  handlesHeading: 'Seus handles recentes',
  footer: 'Todo o resto, de qualquer canal: /handle help',
};

export function homeKeyLinked(record: KeyRecordView): Text[] {
  const lines: Text[] = [['Vinculada: a chave terminada em ', { code: record.fingerprint }, ', desde ', { time: Math.floor(record.linkedAt / 1000) }, '.']];
  if (record.verifyResult === 'rejected') lines.push(['⚠️ O serviço de e-mail a recusou da última vez que foi usada (expirada ou revogada): troque-a por uma nova.']);
  return lines;
}

export function homeKeyNone(): Text[] {
  return [['Ainda não vinculada. Vincule a chave que o serviço de e-mail mandou para você, ou peça uma ao serviço: ela fica guardada criptografada e nunca mais é mostrada.']];
}

export function homeKeyUnreadable(reason: 'tampered' | 'unknown_secret'): Text[] {
  return [
    reason === 'unknown_secret'
      ? ['⚠️ Não dá para abrir a chave guardada: o segredo de criptografia do bot mudou desde que você a vinculou. Vincule-a de novo.']
      : ['⚠️ A chave guardada está danificada, então o bot se recusa a usá-la. Vincule-a de novo.'],
  ];
}

const HOME_STATUS: Record<HistoryEntry['status'], string> = {
  claimed: 'registrado',
  deleted: 'excluído',
  unconfirmed: '⚠️ não confirmado: o serviço não respondeu a tempo, pode ser seu',
  pending: '⚠️ pode ser seu — o bot parou antes de o serviço responder; confira com o serviço',
};

export function homeHandleLine(entry: HistoryEntry): Text {
  return ['• ', { code: entry.handle }, ` — ${HOME_STATUS[entry.status]}, `, { time: Math.floor(entry.at / 1000) }];
}

export function homeNoHandles(): Text {
  return ['Nenhum handle ainda. Registre o primeiro aqui embaixo.'];
}

/** App Home buttons. A claim without a name, or a key request without an address, opens a modal. */
export const homeActions = {
  link: linkKeyAction,
  replace: { verb: 'key set', args: {}, label: 'Trocar minha chave' },
  remove: {
    verb: 'key remove', args: {}, label: 'Remover minha chave', style: 'danger',
    confirm: ['Remover sua chave de API do bot? Seus handles continuam seus; você pode vincular uma chave de novo quando quiser.'],
  },
  request: requestKeyAction,
  claim: { verb: 'create', args: {}, label: 'Registrar um handle', style: 'primary' },
} satisfies Record<string, Action>;

// ---------------------------------------------------------------------------------------------
// The Workflow Builder step "Claim an e-mail handle" (its name stays English, as Workflow Builder shows it)
// ---------------------------------------------------------------------------------------------

/** The step's error when Slack did not say who is running the workflow. */
export function stepNoInteractorError(): string {
  return 'Nada foi registrado: o Slack não disse quem está rodando este fluxo, e a etapa age só por essa pessoa. Inicie o fluxo por um link, um atalho ou um botão.';
}

/** The step's error without a linked key (the person was sent a direct message, when possible). */
export function stepNoKeyError(dmSent: boolean): string {
  return dmSent
    ? 'Nada foi registrado: você ainda não vinculou uma chave de API do serviço de e-mail ao bot. O bot mandou uma mensagem direta mostrando como.'
    : 'Nada foi registrado: você ainda não vinculou uma chave de API do serviço de e-mail ao bot. Digite /handle key set em qualquer canal para vinculá-la.';
}

/** The direct message that tells the person running the workflow how to link a key. */
export function stepNeedsKeyReply(): Reply {
  const base = noKeyLinkedReply();
  return {
    ...base,
    title: ['A etapa de fluxo “', claimStepText.title, '” precisa da sua chave de API'],
    body: [['Ela registra handles com a sua própria chave, e você ainda não vinculou uma, então nada foi registrado.'], ...(base.body ?? []).slice(1)],
  };
}

/** The step's error when its work ran past the deadline. */
export function stepTimeoutError(handle: string): string {
  return `O registro de ${handle} não terminou a tempo, então a etapa desistiu. O handle pode já ser seu: confira com /handle list antes de tentar de novo.`;
}

/** The step's error from the reply the bot would have shown in chat: its title and first line, as plain text. */
export function stepFailedError(reply: Reply): string {
  const first = reply.body?.[0];
  const text = plainText(reply.title) + (first ? `. ${plainText(first)}` : '.') + (reply.requestId ? ` (ID da solicitação ${reply.requestId})` : '');
  return text.length <= 1000 ? text : `${text.slice(0, 999)}…`;
}

export function stepInternalError(requestId: string): string {
  return `Algo deu errado dentro do bot, então a etapa não terminou. Se continuar acontecendo, avise o operador do bot e informe o ID da solicitação ${requestId}.`;
}
