/** Replies to the admin verbs and to guards. */
import type { Settings } from '../../../store/types.js';
import type { Reply, Text } from '../../types.js';
import { LANGUAGE_SETTINGS, parseLanguageSetting, type LanguageSetting } from '../locales.js';
import { cmd, privateReply } from './common.js';

/** Each language by its name, and `auto`, as an admin reads them. */
export const languageNames: Record<LanguageSetting, string> = {
  auto: 'automático',
  en: 'inglês',
  'pt-BR': 'português do Brasil',
};

export function notAdminReply(): Reply {
  return privateReply('user_error', ['Só admins podem mudar as configurações do bot'], {
    body: [['Peça a um admin do workspace ou do servidor, ou peça ao operador do bot para incluir você em ADMIN_USERS.']],
  });
}

export function needsScopeReply(): Reply {
  return privateReply('user_error', ['Isso só funciona dentro de um workspace ou servidor'], {
    body: [['As configurações pertencem a um workspace ou servidor, então rode isto em um dos canais dele, e não em uma mensagem direta.']],
  });
}

/** On or off, agreeing with what is switched ("anúncios ligados", "boas-vindas desligadas"). */
function onOff(value: boolean, feminine = false): string {
  return `${value ? 'ligad' : 'desligad'}${feminine ? 'as' : 'os'}`;
}

export function settingsSummary(settings: Settings): { label: string; value: Text }[] {
  return [
    { label: 'Notificações aos admins', value: settings.notifyChannel ? [{ channel: settings.notifyChannel }] : ['desligadas'] },
    { label: 'Anúncios', value: [onOff(settings.announce)] },
    { label: 'Boas-vindas', value: [onOff(settings.onboarding, true)] },
    { label: 'Eventos de chave', value: [onOff(settings.keyEvents)] },
    { label: 'Idioma', value: [languageNames[parseLanguageSetting(settings.language)]] },
  ];
}

export function notifyChannelSetReply(channel: string, settings: Settings): Reply {
  return privateReply('success', ['As notificações aos admins agora vão para ', { channel }], {
    body: [['Handles novos, banimentos e quedas do serviço de e-mail serão publicados lá. Desligue com ', cmd('admin notify off'), '.']],
    fields: settingsSummary(settings),
  });
}

export function notifyOffReply(settings: Settings): Reply {
  return privateReply('success', ['As notificações aos admins estão desligadas'], {
    body: [['Religue com ', cmd('admin notify #canal'), '.']],
    fields: settingsSummary(settings),
  });
}

export function notifyChannelRefusedReply(channel: string, fix: Text): Reply {
  return privateReply('user_error', ['O bot não consegue publicar em ', { channel }], {
    body: [fix, ['Nada foi alterado.']],
  });
}

export function announceReply(on: boolean, settings: Settings): Reply {
  return privateReply('success', [on ? 'Os registros voltaram a ser anunciados no canal' : 'Os registros não são mais anunciados no canal'], {
    body: [on ? ['Quando alguém registra um handle, o canal vê um anúncio curto (nunca o e-mail da pessoa).'] : ['Cada pessoa continua recebendo a confirmação em particular.']],
    fields: settingsSummary(settings),
  });
}

export function onboardingReply(on: boolean, settings: Settings, warning?: Text): Reply {
  return privateReply('success', [on ? 'As boas-vindas estão ligadas' : 'As boas-vindas estão desligadas'], {
    body: [
      on
        ? ['Quem chega recebe uma mensagem direta que ajuda a vincular uma chave e registrar um handle.']
        : ['Quem chega não recebe mais mensagem de boas-vindas.'],
      ...(on && settings.welcomeText ? [['Texto de boas-vindas: ', settings.welcomeText]] : []),
      ...(warning ? [warning] : []),
    ],
    fields: settingsSummary(settings),
  });
}

export function keyEventsReply(on: boolean, settings: Settings): Reply {
  return privateReply('success', [on ? 'Os eventos de chave são informados aos admins' : 'Os eventos de chave não são mais informados'], {
    body: [
      on
        ? settings.notifyChannel
          ? ['O canal dos admins fica sabendo quando alguém vincula ou remove uma chave (nunca a chave em si).']
          : ['Defina um canal para os admins com ', cmd('admin notify #canal'), ' para que esses avisos tenham para onde ir.']
        : ['Vincular e remover chaves continua sendo algo privado.'],
    ],
    fields: settingsSummary(settings),
  });
}

/** `admin language`: what the workspace's posts are written in from now on. */
export function languageReply(setting: LanguageSetting, settings: Settings): Reply {
  const title: Text = setting === 'auto'
    ? ['As publicações do bot aqui seguem o idioma da plataforma']
    : ['As publicações do bot aqui agora são em ', languageNames[setting]];
  return privateReply('success', title, {
    body: [
      setting === 'auto'
        ? ['Anúncios, notificações aos admins e mensagens de boas-vindas usam o idioma do servidor no Discord, e inglês no Slack.']
        : ['Anúncios, notificações aos admins e mensagens de boas-vindas usam esse idioma, seja qual for o da plataforma.'],
      ['Cada pessoa continua recebendo as respostas em particular no idioma do próprio Slack ou Discord.'],
    ],
    fields: settingsSummary(settings),
  });
}

export function invalidLanguageReply(): Reply {
  return privateReply('user_error', ['Qual idioma?'], {
    body: [['Diga ', ...LANGUAGE_SETTINGS.flatMap((id, i): Text => [i === 0 ? '' : i === LANGUAGE_SETTINGS.length - 1 ? ' ou ' : ', ', { code: id }]), '. Por exemplo: ', cmd('admin language pt-BR'), '.']],
  });
}

export function invalidOnOffReply(verb: string): Reply {
  return privateReply('user_error', ['Diga on ou off'], {
    body: [['Por exemplo: ', cmd(`${verb} on`), '.']],
  });
}
