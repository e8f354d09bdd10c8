/**
 * The engine: one entry point for every front door. It finds the command, runs the guards
 * (admin rights, settings scope, a linked key), runs the command, and turns anything that
 * went wrong into a reply. It never throws: an adapter always has something to show.
 */
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import { withRequestId } from '../ops/request-context.js';
import type { MailApi } from '../mail-api/outcomes.js';
import { StorageUnavailableError, type Store } from '../store/types.js';
import { isAdmin } from './admin.js';
import type { Notifier } from './notifier.js';
import * as messages from './messages/index.js';
import { createOutageTracker, observeOutages } from './outage.js';
import { findCommand, parseLine } from './parse.js';
import type { Args, Command, Ctx, Invocation, Reply } from './types.js';

export type EngineDeps = {
  config: Config;
  mail: MailApi;
  store: Store;
  notifier: Notifier;
  log: Logger;
  commands: Command[];
  /** Metrics hook: one call per finished command. */
  onCommand?: (info: { verb: string; tone: Reply['tone'] | 'none'; durationMs: number }) => void;
};

export type Engine = {
  readonly commands: Command[];
  findCommand(verb: string[]): Command | undefined;
  /** Runs a command with typed arguments (Discord options, button presses, modal submits). */
  dispatch(invocation: Invocation, verb: string[], args: Args): Promise<Reply[]>;
  /** Parses a typed line (Slack `/handle <text>`, console) and runs it. */
  dispatchLine(invocation: Invocation, line: string): Promise<Reply[]>;
};

export function createEngine(deps: EngineDeps): Engine {
  const { config, store, notifier, log, commands } = deps;
  const mail = observeOutages(deps.mail, createOutageTracker(config.OUTAGE_THRESHOLD, notifier));

  async function guard(command: Command, ctx: Ctx): Promise<Reply | undefined> {
    const { invocation } = ctx;
    if (command.who === 'admin' && !isAdmin(invocation, config)) return messages.notAdminReply();
    if (command.needsScope && !invocation.scope) return messages.needsScopeReply();
    if (command.needsKey) {
      const opened = await store.getKey(invocation.identity);
      if (opened.status === 'none') return messages.noKeyLinkedReply();
      if (opened.status === 'unreadable') return messages.unreadableKeyReply(opened.reason);
      ctx.linkedKey = { apiKey: opened.apiKey, record: opened.record };
    }
    return undefined;
  }

  // Everything a command starts carries its request id (see ops/request-context).
  const run = (invocation: Invocation, command: Command, args: Args) => withRequestId(invocation.requestId, () => runCommand(invocation, command, args));

  async function runCommand(invocation: Invocation, command: Command, args: Args): Promise<Reply[]> {
    const started = performance.now();
    const verb = command.verb.join(' ');
    const commandLog = log.child({ requestId: invocation.requestId, verb, platform: invocation.platform });
    const ctx: Ctx = {
      invocation, config, mail, store, notifier, log: commandLog,
      call: { requestId: invocation.requestId, source: invocation.identity },
      takeCooldown: () =>
        config.COOLDOWN_SECONDS > 0
          ? store.claimOnce(`cooldown:${invocation.identity}`, config.COOLDOWN_SECONDS)
          : Promise.resolve(true),
    };
    let replies: Reply[];
    try {
      const refusal = await guard(command, ctx);
      replies = refusal ? [refusal] : await command.run(ctx, args);
    } catch (error) {
      if (error instanceof StorageUnavailableError) {
        commandLog.warn({ err: error }, 'storage unavailable');
        replies = [messages.storageUnavailableReply(invocation.requestId)];
      } else {
        commandLog.error({ err: error }, 'command failed');
        replies = [messages.internalErrorReply(invocation.requestId)];
      }
    }
    const durationMs = performance.now() - started;
    commandLog.info({ durationMs: Math.round(durationMs), tones: replies.map((r) => r.tone) }, 'command done');
    deps.onCommand?.({ verb, tone: replies[replies.length - 1]?.tone ?? 'none', durationMs });
    return replies;
  }

  const showAdminHelp = (invocation: Invocation) => isAdmin(invocation, config);

  return {
    commands,
    findCommand: (verb) => findCommand(commands, verb),
    async dispatch(invocation, verb, args) {
      const command = findCommand(commands, verb);
      if (!command || command.verb.length !== verb.length) {
        return [messages.unknownCommandReply(verb.join(' '), commands, showAdminHelp(invocation))];
      }
      return run(invocation, command, args);
    },
    async dispatchLine(invocation, line) {
      const parsed = parseLine(line, commands);
      switch (parsed.kind) {
        case 'empty':
          return [messages.helpReply(commands, showAdminHelp(invocation))];
        case 'unknown':
          return [messages.unknownCommandReply(parsed.typed, commands, showAdminHelp(invocation))];
        case 'missing':
          return [messages.missingArgumentReply(parsed.command, parsed.option)];
        case 'too_long':
          return [messages.argumentTooLongReply(parsed.command, parsed.option, parsed.max)];
        case 'bad_boolean':
          return [messages.invalidOnOffReply(parsed.command.verb.join(' '))];
        case 'command':
          return run(invocation, parsed.command, parsed.args);
      }
    },
  };
}
