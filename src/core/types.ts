/**
 * The core's language: what an adapter hands in (Invocation), what running a command yields
 * (its typed Outcome beside the Replies), and what a command is (Command): its inputs, how
 * each arrives, what autocompletes, what asks first. Nothing here knows about Slack or Discord.
 */
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import type { CallContext, MailApi } from '../mail-api/outcomes.js';
import type { KeyRecordView, Store } from '../store/types.js';
import type { ApiKey } from '../domain/api-key.js';
import type { Identity, Platform } from '../domain/identity.js';
import type { Scope } from '../domain/scope.js';
import type { ClaimLedger } from './claim-ledger.js';
import type { Catalogue, FormId, Locale } from './messages/index.js';
import type { Notifier } from './notifier.js';
import type { Outcome } from './outcome.js';
import type { Text } from './text.js';

export type { Text, Segment } from './text.js';
export type { Outcome } from './outcome.js';
/** What commands read of the layers below, through the core (commands import nothing else). */
export type { PendingClaim, Settings } from '../store/types.js';
export type { Created } from '../mail-api/outcomes.js';

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
  /**
   * The locale it is written in (the catalogue's builders set it), so that a front door draws
   * its own words around it — buttons, the request id's label, dates — in the same one. English when absent.
   */
  locale?: Locale;
};

/** What running a command yields: what happened, and what to show. */
export type CommandResult = { outcome: Outcome; replies: Reply[] };

/**
 * What an input holds. The kind decides its check where it arrives (a form's inline error) and
 * how a form draws it: `handle`, `email` and `api_key` are strings with a rule of their own.
 */
export type OptionType = 'string' | 'boolean' | 'channel' | 'handle' | 'email' | 'api_key';

/**
 * How an input arrives:
 * - `typed` (default): in the command line (Slack, console) or as a slash-command option (Discord);
 * - `typed_or_form`: typed, and asked in the command's form when a button leaves it out;
 * - `form`: only in the command's form (Slack/Discord modal, console prompt), never typed;
 * - `secret`: like `form`, and never shown while typed (a hidden prompt on the console).
 */
export type Arrival = 'typed' | 'typed_or_form' | 'form' | 'secret';

/** Where an option's autocomplete suggestions come from (Discord): the caller's matching values. */
export type CompletionSource = (ctx: CompletionCtx, typed: string) => Promise<string[]>;
export type CompletionCtx = { identity: Identity; store: Pick<Store, 'listHistory'> };

export type Option = {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  min?: number; // string length
  max?: number;
  arrives?: Arrival;
  /** Suggestions while it is typed (Discord autocomplete). */
  complete?: CompletionSource;
  /** Slack/console only: the rest of the line (e.g. a welcome text with spaces). */
  rest?: boolean;
  /** The only values it takes (Discord offers them as choices; the command checks a typed one). */
  choices?: readonly string[];
};

/** What the adapter knows about the person and place. */
export type Invocation = {
  platform: Platform;
  identity: Identity;
  /** The settings scope: `slack:<team>`, `discord:<guild>`, `console`; undefined in a Discord DM. */
  scope?: Scope;
  channelId?: string;
  displayName: string;
  /**
   * The person's language as the platform tells it (Discord's interaction locale, Slack's user
   * locale, the console's LANG/--locale), chosen once by the front door. Undefined when the
   * platform did not say: the workspace's language is used.
   */
  locale?: Locale;
  /** What the platform says is the language of the place (Discord's server locale); the admin setting may override it. */
  scopeLocale?: Locale;
  /** The platform says this person administers the workspace/guild (Slack admin/owner; Discord permission). */
  platformAdmin: boolean;
  /**
   * The platform's answer right now, where `platformAdmin` may be cached (Slack): an admin verb
   * asks it, so a demoted admin is refused at once. Absent where `platformAdmin` is already fresh
   * (Discord's per-interaction permissions, the console).
   */
  currentAdmin?: () => Promise<boolean>;
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
  /** The catalogue in the caller's locale: every word of a private reply comes from it. */
  messages: Catalogue;
  config: Config;
  mail: MailApi;
  store: Store;
  notifier: Notifier;
  log: Logger;
  /** The caller's opened key, present when the command declared `needsKey` (the guard opened it). */
  linkedKey?: { apiKey: ApiKey; record: KeyRecordView };
  /** Write-ahead records of creates: pending before the service is asked, settled after (never lost). */
  claims: ClaimLedger;
  /** X-Request-Id and X-Bot-Source for mail-service calls made for this invocation. */
  call: CallContext;
  /**
   * Waits for the caller's turn to create or delete (one every COOLDOWN_SECONDS per person,
   * across replicas), then resolves `ok`; when too many of theirs are already waiting, resolves
   * at once with how long until this one would be taken.
   */
  waitForTurn(): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
};

export type Args = Record<string, string | boolean | undefined>;

export type Command = {
  verb: string[];
  description: string;
  /** Slack usage hint and help text, e.g. "create <name>". */
  usage: string;
  options: Option[];
  who: 'everyone' | 'admin';
  /** The form (words in the catalogue's `forms`) its `typed_or_form`, `form` and `secret` inputs are asked in. */
  form?: FormId;
  /**
   * Asks first: unless the invocation is the press of the question's own button (`confirmed=yes`),
   * the engine answers with this instead of running the command. It may refuse a bad input
   * instead of asking about it.
   */
  confirm?(ctx: Ctx, args: Args): CommandResult | Promise<CommandResult>;
  /** The guard opens the caller's key and refuses politely when none is linked. */
  needsKey?: boolean;
  /** Where the command makes sense: DMs need no settings scope. */
  needsScope?: boolean;
  run(ctx: Ctx, args: Args): Promise<CommandResult>;
};

/** The opened key of a command that declared `needsKey`. */
export function linkedKey(ctx: Ctx): { apiKey: ApiKey; record: KeyRecordView } {
  if (!ctx.linkedKey) throw new Error('linkedKey() used by a command that does not declare needsKey');
  return ctx.linkedKey;
}
