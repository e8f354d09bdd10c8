/** Replies to the admin verbs and to guards. */
import type { Settings } from '../../../store/types.js';
import type { Reply, Text } from '../../types.js';
import { LANGUAGE_SETTINGS, parseLanguageSetting, type LanguageSetting } from '../locales.js';
import { cmd, privateReply } from './common.js';

/** Each language by its name, and `auto`, as an admin reads them. */
export const languageNames: Record<LanguageSetting, string> = {
  auto: 'automatic',
  en: 'English',
  'pt-BR': 'Brazilian Portuguese',
};

export function notAdminReply(): Reply {
  return privateReply('user_error', ['Only admins can change the bot’s settings'], {
    body: [['Ask a workspace or server admin to do it, or the bot’s operator to add you to ADMIN_USERS.']],
  });
}

export function needsScopeReply(): Reply {
  return privateReply('user_error', ['This only works inside a workspace or server'], {
    body: [['Settings belong to a workspace or server, so run this in one of its channels rather than in a direct message.']],
  });
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

export function settingsSummary(settings: Settings): { label: string; value: Text }[] {
  return [
    { label: 'Admin notifications', value: settings.notifyChannel ? [{ channel: settings.notifyChannel }] : ['off'] },
    { label: 'Announcements', value: [onOff(settings.announce)] },
    { label: 'Onboarding', value: [onOff(settings.onboarding)] },
    { label: 'Key events', value: [onOff(settings.keyEvents)] },
    { label: 'Language', value: [languageNames[parseLanguageSetting(settings.language)]] },
  ];
}

export function notifyChannelSetReply(channel: string, settings: Settings): Reply {
  return privateReply('success', ['Admin notifications now go to ', { channel }], {
    body: [['New handles, bans and mail-service outages will be posted there. Turn them off with ', cmd('admin notify off'), '.']],
    fields: settingsSummary(settings),
  });
}

export function notifyOffReply(settings: Settings): Reply {
  return privateReply('success', ['Admin notifications are off'], {
    body: [['Turn them back on with ', cmd('admin notify #channel'), '.']],
    fields: settingsSummary(settings),
  });
}

export function notifyChannelRefusedReply(channel: string, fix: Text): Reply {
  return privateReply('user_error', ['The bot cannot post in ', { channel }], {
    body: [fix, ['Nothing was changed.']],
  });
}

export function announceReply(on: boolean, settings: Settings): Reply {
  return privateReply('success', [on ? 'Claims are announced in the channel again' : 'Claims are no longer announced in the channel'], {
    body: [on ? ['When someone claims a handle, the channel sees a short announcement (never their e-mail).'] : ['People still get their private confirmation.']],
    fields: settingsSummary(settings),
  });
}

export function onboardingReply(on: boolean, settings: Settings, warning?: Text): Reply {
  return privateReply('success', [on ? 'Onboarding is on' : 'Onboarding is off'], {
    body: [
      on
        ? ['Newcomers get a direct message that helps them link a key and claim a handle.']
        : ['Newcomers no longer get a welcome message.'],
      ...(on && settings.welcomeText ? [['Welcome text: ', settings.welcomeText]] : []),
      ...(warning ? [warning] : []),
    ],
    fields: settingsSummary(settings),
  });
}

export function keyEventsReply(on: boolean, settings: Settings): Reply {
  return privateReply('success', [on ? 'Key events are reported to admins' : 'Key events are no longer reported'], {
    body: [
      on
        ? settings.notifyChannel
          ? ['The admin channel hears when someone links or removes a key (never the key itself).']
          : ['Set an admin channel with ', cmd('admin notify #channel'), ' so they have somewhere to go.']
        : ['Linking and removing keys stays private.'],
    ],
    fields: settingsSummary(settings),
  });
}

/** `admin language`: what the workspace's posts are written in from now on. */
export function languageReply(setting: LanguageSetting, settings: Settings): Reply {
  const title: Text = setting === 'auto'
    ? ['The bot’s posts here follow the platform’s language']
    : ['The bot’s posts here are now in ', languageNames[setting]];
  return privateReply('success', title, {
    body: [
      setting === 'auto'
        ? ['Announcements, admin notifications and welcome messages use the server’s language on Discord, and English on Slack.']
        : ['Announcements, admin notifications and welcome messages use it, whatever the platform says.'],
      ['Everyone still gets private replies in the language of their own Slack or Discord.'],
    ],
    fields: settingsSummary(settings),
  });
}

export function invalidLanguageReply(): Reply {
  return privateReply('user_error', ['Which language?'], {
    body: [['Say ', ...LANGUAGE_SETTINGS.flatMap((id, i): Text => [i === 0 ? '' : i === LANGUAGE_SETTINGS.length - 1 ? ' or ' : ', ', { code: id }]), '. For example: ', cmd('admin language auto'), '.']],
  });
}

export function invalidOnOffReply(verb: string): Reply {
  return privateReply('user_error', ['Say on or off'], {
    body: [['For example: ', cmd(`${verb} on`), '.']],
  });
}
