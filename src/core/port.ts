/**
 * The engine port: everything a front door (Slack, Discord, the console) may ask of the bot,
 * and nothing more. Built once in src/runtime.ts. A front door holds this port, never the
 * runtime: it cannot read the store or call the mail service itself, so what is said and
 * decided stays in the core, and how it is shown stays in the front door.
 */
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import { REPLAY_WINDOW_SECONDS } from '../ops/request-freshness.js';
import type { Store } from '../store/types.js';
import type { Identity, Platform } from '../domain/identity.js';
import type { Scope } from '../domain/scope.js';
import type { ChannelNotifier, NotificationTarget, TargetRegistration } from './channel-notifier.js';
import { rankSuggestions } from './completions.js';
import type { Engine } from './engine.js';
import { loadHome, type HomeState } from './home.js';
import { exactCommand } from './interactions.js';
import { seenMarkKey, type Intents } from './intents.js';
import type { Locale } from './messages/index.js';
import type { NotifierEvent } from './notifier.js';
import { welcomeFor } from './onboarding.js';
import type { Args, Command, CommandResult, Invocation, Reply } from './types.js';
import { createWorkspaces, type Workspaces } from './workspaces.js';

/** Events a front door raises itself (the engine raises the rest). */
export type FrontDoorEvent = Extract<NotifierEvent, { type: 'welcome_undeliverable' }>;

export type EnginePort = {
  /** The command definitions: registration, manifest, parsing a line, drawing forms. */
  readonly commands: readonly Command[];
  dispatch(invocation: Invocation, verb: string[], args: Args): Promise<CommandResult>;
  dispatchLine(invocation: Invocation, line: string): Promise<CommandResult>;
  /** What a person's own page shows (Slack App Home); a notice on it is written in `locale`. */
  home(identity: Identity, requestId: string, locale?: Locale): Promise<HomeState>;
  /**
   * The welcome for a newcomer, or undefined (onboarding off, or already welcomed there); in the
   * newcomer's own language when the platform told it (`locale`), else the workspace's.
   */
  welcome(newcomer: { scope: Scope; identity: Identity; displayName: string; locale?: Locale | undefined; scopeLocale?: Locale | undefined }): Promise<Reply | undefined>;
  /** Suggestions for an option being typed, best first (empty when it has none or they cannot be read). */
  complete(who: Pick<Invocation, 'identity'>, verb: readonly string[], option: string, typed: string): Promise<string[]>;
  /** True the first time a delivery is seen across every replica; a redelivery is false. */
  firstDelivery(delivery: { platform: Platform; id: string }): Promise<boolean>;
  /** A platform starts delivering admin notifications for the scopes its target owns. */
  registerTarget(target: NotificationTarget): TargetRegistration;
  /** An event only the front door can see (a welcome it could not deliver). */
  notify(event: FrontDoorEvent): void;
  /**
   * Commands written down before their ack (core/intents.ts): `begin` is the redelivery check
   * too; `serve` lets a front door answer the commands a stopped replica left.
   */
  intents: Pick<Intents, 'begin' | 'serve'>;
  /** Slack's hosted mode: the sealed installations (Bolt's installation store), and clean-up when a workspace leaves. */
  workspaces: Workspaces;
};

/** What a front door is started with. */
/**
 * What a front door is given: the engine port, the configuration, a logger, and where to count a
 * platform's "slow down" (Slack `rate_limited`, discord.js REST `rateLimited`) for /metrics.
 */
export type FrontDoorDeps = { engine: EnginePort; config: Config; log: Logger; metrics?: Pick<Metrics, 'platformRateLimited'> };

/** How long a delivery is remembered: the whole window in which its signed request is accepted (ops/request-freshness). */
export const SEEN_TTL_SECONDS = REPLAY_WINDOW_SECONDS;

export function createEnginePort(deps: {
  engine: Engine;
  store: Store;
  channels: ChannelNotifier;
  intents: Pick<Intents, 'begin' | 'serve'>;
  /** Where front-door events go (the runtime's fan-out: log, admin channels). */
  notify(event: NotifierEvent): void;
  log: Logger;
}): EnginePort {
  const { engine, store, log } = deps;
  return {
    commands: engine.commands,
    dispatch: (invocation, verb, args) => engine.dispatch(invocation, verb, args),
    dispatchLine: (invocation, line) => engine.dispatchLine(invocation, line),
    home: (identity, requestId, locale) => loadHome(store, identity, requestId, log, locale),
    welcome: (newcomer) => welcomeFor(store, newcomer),
    async complete(who, verb, optionName, typed) {
      const source = exactCommand(engine.commands, verb)?.options.find((o) => o.name === optionName)?.complete;
      if (!source) return [];
      try {
        return rankSuggestions(await source({ identity: who.identity, store }, typed), typed);
      } catch (error) {
        log.warn({ err: error, verb: verb.join(' '), option: optionName }, 'autocomplete: suggestions unavailable');
        return [];
      }
    },
    async firstDelivery({ platform, id }) {
      try {
        const first = await store.claimOnce(seenMarkKey(platform, id), SEEN_TTL_SECONDS);
        if (!first) log.info({ delivery: id }, `${platform} redelivery ignored (already handled)`);
        return first;
      } catch (error) {
        // Running twice is better than never.
        log.warn({ err: error, platform, delivery: id }, 'could not check for a redelivery; handling it');
        return true;
      }
    },
    intents: deps.intents,
    registerTarget: (target) => deps.channels.addTarget(target),
    notify: (event) => { deps.notify(event); },
    workspaces: createWorkspaces(store, log.child({ part: 'workspaces' })),
  };
}
