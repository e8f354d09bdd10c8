/**
 * Words only the Discord front door needs: the command descriptions Discord shows in its
 * picker, the confirmation step Discord has no native dialog for, and the admin-channel check.
 * Discord limits are noted where a text must stay short.
 */
import type { Action, Reply, Text } from '../../types.js';
import { DISCORD_PERMISSIONS, type DiscordPermission } from '../shared.js';
import { cmd, listOf, privateReply } from './common.js';

/** The permissions an admin channel needs, as Discord's own settings name them in this language. */
export const discordPermissionNames: Record<DiscordPermission, string> = {
  ViewChannel: 'Ver canal',
  SendMessages: 'Enviar mensagens',
  EmbedLinks: 'Inserir links',
};

/** Slash-command and subcommand-group descriptions (1–100 characters each). */
export const discordCommandText = {
  handle: 'Registre e gerencie seus handles de e-mail',
  admin: 'Configure o handle-bot neste servidor (admins)',
  keyGroup: 'Sua chave de API do serviço de e-mail',
};

/** Footer of a reply that carries a request id (plain text: Discord renders no markdown there). */
export function requestIdFooter(requestId: string): string {
  return `ID da solicitação: ${requestId}`;
}

/** The step before an irreversible action; `confirm` is the action's own question when known. */
export function discordConfirmReply(action: Pick<Action, 'label'>, confirm: Text | undefined): Reply {
  return privateReply('info', ['Confirme, por favor'], {
    body: [confirm ?? [action.label, '? Não dá para desfazer.']],
  });
}

export const discordCancelLabel: string = 'Cancelar';

export function discordCancelledReply(): Reply {
  return privateReply('info', ['Cancelado'], { body: [['Nada foi alterado.']] });
}

/** A button whose id the bot no longer understands (an older version of the bot drew it). */
export function discordStaleButtonReply(): Reply {
  return privateReply('user_error', ['Este botão não funciona mais'], {
    body: [['Ele foi criado por uma versão anterior do bot. Rode o comando de novo, por exemplo ', cmd('help'), '.']],
  });
}

/**
 * Why the bot cannot post in a channel chosen for admin notifications, and what fixes it:
 * the permissions it lacks there, by the names Discord's settings use.
 */
export function discordChannelPermissionsFix(channelId: string, missing: DiscordPermission[]): Text {
  const named = listOf(missing.length > 0 ? missing : DISCORD_PERMISSIONS, (permission) => [discordPermissionNames[permission]]);
  return [
    'Falta ao bot ', ...named, ' em ', { channel: channelId }, '. Nas configurações do canal → Permissões, permita ', ...named,
    ' para o cargo do bot (ou para o bot) e tente de novo. As notificações aos admins precisam de ', ...listOf(DISCORD_PERMISSIONS, (p) => [discordPermissionNames[p]]), '.',
  ];
}

export function discordChannelNotTextFix(channelId: string): Text {
  return [{ channel: channelId }, ' não é um canal de texto em que o bot possa publicar. Escolha um canal de texto ou de anúncios.'];
}

/**
 * Shown when an admin turns onboarding on while the bot does not receive join events: Discord
 * sends them only with the privileged Server Members intent.
 */
export function discordMembersIntentWarning(): Text {
  return [
    '⚠️ O bot ainda não vê quem entra, então ninguém vai receber boas-vindas: ative a Server Members Intent no Discord Developer Portal (sua aplicação → Bot → Privileged Gateway Intents), defina ',
    { code: 'DISCORD_MEMBERS_INTENT=true' }, ' para o bot e reinicie-o.',
  ];
}

/**
 * Added to a claim made where the app is installed to the person's account, not to the server
 * (Discord user installs): the bot is not in that server, so it does not announce there.
 */
export function discordUserInstallNote(): Text {
  return ['ℹ️ Só você vê isto: o bot não está instalado neste servidor, então o registro não foi anunciado aqui.'];
}
