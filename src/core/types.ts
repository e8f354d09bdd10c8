/**
 * The core's language: what an adapter hands in (Invocation), what a command returns
 * (Reply[]), and what a command is (Command). Nothing here knows about Slack or Discord.
 */
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import type { CallContext, MailApi } from '../mail-api/outcomes.js';
import type { KeyRecordView, Store } from '../store/types.js';
import type { Identity, Platform } from './identity.js';
import type { Notifier } from './notifier.js';
import type { Text } from './text.js';

export type { Text, Segment } from './text.js';

export type Tone = 'success' | 'info' | 'user_error' | 'service_error';

/** A button. A press is a new invocation of `verb` with `args` by whoever pressed it. */
export type Action = {
  verb: string; // space-separated verb path: 'create', 'key set', 'delete'
  args: Record<string, string>;
  label: string;
  /** Irreversible actions ask first; adapters show this text in a confirmation step. */
  confirm?: Text;
  style?: 'primary' | 'danger';
};

export type Reply = {
  visibility: 'private' | 'channel';
  tone: Tone;
  title: Text;
  body?: Text[];
  fields?: { label: string; value: Text }[];
  actions?: Action[];
  /** Shown on service errors so a user can quote it. */
  requestId?: string;
  /** Adapter hint: this reply asks for a secret in a modal/prompt (key set). */
  opensModal?: 'key_set' | 'key_request';
};

export type OptionType = 'string' | 'boolean' | 'channel';
export type Option = {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  min?: number; // string length
  max?: number;
  autocomplete?: boolean;
  /** Slack/console only: the rest of the line (e.g. a welcome text with spaces). */
  rest?: boolean;
};

/** What the adapter knows about the person and place. */
export type Invocation = {
  platform: Platform;
  identity: Identity;
  /** The settings scope: `slack:<team>`, `discord:<guild>`, `console`; undefined in a Discord DM. */
  scope?: string;
  channelId?: string;
  displayName: string;
  /** The platform says this person administers the workspace/guild (Slack admin/owner; Discord permission). */
  platformAdmin: boolean;
  requestId: string;
  /** Set when the invocation comes from a button press (confirmations were already shown). */
  fromAction?: boolean;
  /** The platform's check that the bot can post in a channel (admin notify); absent on the console. */
  checkChannel?: (channelId: string) => Promise<{ ok: true } | { ok: false; fix: Text }>;
  /** What the platform says stands in the way of welcoming newcomers (Discord: the members intent is off); shown when onboarding is switched on. */
  onboardingWarning?: Text;
};

export type Ctx = {
  invocation: Invocation;
  config: Config;
  mail: MailApi;
  store: Store;
  notifier: Notifier;
  log: Logger;
  /** The caller's opened key, present when the command declared `needsKey` (the guard opened it). */
  linkedKey?: { apiKey: string; record: KeyRecordView };
  /** X-Request-Id and X-Bot-Source for mail-service calls made for this invocation. */
  call: CallContext;
  /** Takes the caller's create/delete cooldown; false while it is still running. */
  takeCooldown(): Promise<boolean>;
};

export type Args = Record<string, string | boolean | undefined>;

export type Command = {
  verb: string[];
  description: string;
  /** Slack usage hint and help text, e.g. "create <name>". */
  usage: string;
  options: Option[];
  who: 'everyone' | 'admin';
  /** Discord: show the modal before any defer; Slack: open it with the trigger id at once. */
  firstResponse?: 'modal';
  /** The guard opens the caller's key and refuses politely when none is linked. */
  needsKey?: boolean;
  /** Where the command makes sense: DMs need no settings scope. */
  needsScope?: boolean;
  run(ctx: Ctx, args: Args): Promise<Reply[]>;
};

/** The opened key of a command that declared `needsKey`. */
export function linkedKey(ctx: Ctx): { apiKey: string; record: KeyRecordView } {
  if (!ctx.linkedKey) throw new Error('linkedKey() used by a command that does not declare needsKey');
  return ctx.linkedKey;
}
