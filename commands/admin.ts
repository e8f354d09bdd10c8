/** The admin verbs: where notifications go, announcements, onboarding, key events. */
import { LANGUAGE_SETTINGS, languageSettingFromInput, type Catalogue } from '../src/core/messages/index.js';
import { refusedWith, result } from '../src/core/outcome.js';
import type { Command, CommandResult, Reply, Settings } from '../src/core/types.js';

const changed = (reply: Reply): CommandResult => result({ kind: 'settings_changed' }, reply);

const onOff = (description: string) => ({ name: 'enabled', description, type: 'boolean' as const, required: true });

export const adminNotify = {
  verb: ['admin', 'notify'],
  description: 'Send admin notifications (new handles, bans, outages) to a channel',
  usage: 'admin notify <#channel|off>',
  options: [{ name: 'channel', description: 'the channel for admin notifications', type: 'channel', required: true }],
  who: 'admin',
  needsScope: true,
  async run(ctx, args) {
    const scope = ctx.invocation.scope ?? '';
    const channel = String(args.channel ?? '');
    if (channel.toLowerCase() === 'off') {
      return changed(ctx.messages.notifyOffReply(await ctx.store.updateSettings(scope, { notifyChannel: undefined })));
    }
    const check = await ctx.invocation.checkChannel?.(channel);
    if (check && !check.ok) return refusedWith('channel_unusable', ctx.messages.notifyChannelRefusedReply(channel, check.fix));
    return changed(ctx.messages.notifyChannelSetReply(channel, await ctx.store.updateSettings(scope, { notifyChannel: channel })));
  },
} satisfies Command;

export const adminNotifyOff = {
  verb: ['admin', 'notify-off'],
  description: 'Stop admin notifications',
  usage: 'admin notify-off',
  options: [],
  who: 'admin',
  needsScope: true,
  async run(ctx) {
    return changed(ctx.messages.notifyOffReply(await ctx.store.updateSettings(ctx.invocation.scope ?? '', { notifyChannel: undefined })));
  },
} satisfies Command;

/** An on/off setting: one verb, one field, and the catalogue's reply for it. */
function toggleCommand(
  name: string, field: 'announce' | 'keyEvents', description: string, optionText: string,
  reply: (messages: Catalogue) => (on: boolean, settings: Settings) => Reply,
): Command {
  return {
    verb: ['admin', name],
    description,
    usage: `admin ${name} <on|off>`,
    options: [onOff(optionText)],
    who: 'admin',
    needsScope: true,
    async run(ctx, args) {
      const on = args.enabled === true;
      return changed(reply(ctx.messages)(on, await ctx.store.updateSettings(ctx.invocation.scope ?? '', { [field]: on })));
    },
  };
}

export const adminAnnounce = toggleCommand('announce', 'announce', 'Announce new handles in the channel (on by default)',
  'announce claims in the channel', (m) => m.announceReply);

export const adminOnboarding = {
  verb: ['admin', 'onboarding'],
  description: 'Welcome newcomers with a direct message (optionally with your own text)',
  usage: 'admin onboarding <on|off> [welcome text]',
  options: [
    onOff('welcome newcomers'),
    { name: 'welcome', description: 'your own welcome text', type: 'string', max: 1000, rest: true },
  ],
  who: 'admin',
  needsScope: true,
  async run(ctx, args) {
    const on = args.enabled === true;
    const patch = typeof args.welcome === 'string' ? { onboarding: on, welcomeText: args.welcome } : { onboarding: on };
    const settings = await ctx.store.updateSettings(ctx.invocation.scope ?? '', patch);
    return changed(ctx.messages.onboardingReply(on, settings, on ? ctx.invocation.onboardingWarning : undefined));
  },
} satisfies Command;

export const adminKeyEvents = toggleCommand('key-events', 'keyEvents', 'Tell the admin channel when someone links or removes a key',
  'report key events', (m) => m.keyEventsReply);

export const adminLanguage = {
  verb: ['admin', 'language'],
  description: 'The language of the bot’s posts here (announcements, notifications, welcomes)',
  usage: 'admin language <auto|en|pt-BR>',
  options: [{
    name: 'language', description: 'auto follows the platform; people always get private replies in their own', type: 'string', required: true,
    max: 20, choices: LANGUAGE_SETTINGS,
  }],
  who: 'admin',
  needsScope: true,
  async run(ctx, args) {
    const setting = languageSettingFromInput(String(args.language ?? ''));
    if (!setting) return refusedWith('invalid_input', ctx.messages.invalidLanguageReply());
    // `auto` is stored as no value: the default, which follows the platform.
    const settings = await ctx.store.updateSettings(ctx.invocation.scope ?? '', { language: setting === 'auto' ? undefined : setting });
    return changed(ctx.messages.languageReply(setting, settings));
  },
} satisfies Command;
