/**
 * The engine: one entry point for every front door. It finds the command, runs the guards
 * (admin rights, settings scope, a linked key, the inputs it needs, a confirmation), runs the
 * command, and turns anything that went wrong into a reply. It never throws: an adapter always
 * has something to show, and the outcome says what happened.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../ops/config.js';
import { deadlinesFor } from '../ops/deadlines.js';
import type { Logger } from '../ops/logger.js';
import { withRequestId } from '../ops/request-context.js';
import type { MailApi } from '../mail-api/outcomes.js';
import { StorageUnavailableError, type Store } from '../store/types.js';
import { isAdmin, isAdminNow } from './admin.js';
import { whileWaiting } from './admission.js';
import { createClaimLedger, type ClaimLedger } from './claim-ledger.js';
import { formOnly } from './interactions.js';
import { callerLocale } from './locale.js';
import { catalogue, type Catalogue } from './messages/index.js';
import type { Notifier } from './notifier.js';
import { createOutageTracker, observeOutages } from './outage.js';
import { refusedWith } from './outcome.js';
import { findCommand, parseLine } from './parse.js';
import type { Args, Command, CommandResult, Ctx, Invocation, Reply } from './types.js';

export type EngineDeps = {
  config: Config;
  mail: MailApi;
  store: Store;
  notifier: Notifier;
  log: Logger;
  commands: Command[];
  /** Where settled creates wait while the store is away (the runtime's, which it closes); one of its own otherwise. */
  claims?: ClaimLedger;
  /** Metrics hook: one call per finished command. */
  onCommand?: (info: { platform: Invocation['platform']; verb: string; tone: Reply['tone'] | 'none'; durationMs: number }) => void;
};

export type Engine = {
  readonly commands: readonly Command[];
  /** Runs a command with typed arguments (Discord options, button presses, form submissions). */
  dispatch(invocation: Invocation, verb: string[], args: Args): Promise<CommandResult>;
  /** Parses a typed line (Slack `/handle <text>`, console) and runs it. */
  dispatchLine(invocation: Invocation, line: string): Promise<CommandResult>;
};

const refused = refusedWith;

/** The service's answers are waited for without holding an admission place (core/admission); the cached domain list is not a wait. */
function awaitingFreely(mail: MailApi): MailApi {
  return {
    createHandle: (key, handle, call) => whileWaiting(mail.createHandle(key, handle, call)),
    deleteHandle: (key, handle, call) => whileWaiting(mail.deleteHandle(key, handle, call)),
    checkKey: (key, call) => whileWaiting(mail.checkKey(key, call)),
    requestCredentials: (email, days, call) => whileWaiting(mail.requestCredentials(email, days, call)),
    domains: (call) => mail.domains(call),
    close: () => mail.close(),
  };
}

/** The press of a question's own button: the person already confirmed. */
function confirmed(invocation: Invocation, args: Args): boolean {
  return invocation.fromAction === true && args.confirmed === 'yes';
}

export function createEngine(deps: EngineDeps): Engine {
  const { config, store, notifier, log, commands } = deps;
  const claims = deps.claims ?? createClaimLedger({ store, log: log.child({ part: 'claims' }) });
  const mail = awaitingFreely(observeOutages(deps.mail, createOutageTracker(config.OUTAGE_THRESHOLD, notifier)));

  async function guard(command: Command, ctx: Ctx, args: Args): Promise<CommandResult | undefined> {
    const { invocation, messages } = ctx;
    if (command.who === 'admin' && !(await isAdminNow(invocation, config))) return refused('not_admin', messages.notAdminReply());
    if (command.needsScope && !invocation.scope) return refused('needs_scope', messages.needsScopeReply());
    // A form-only input missing is the command's own question (it says how to give it).
    const missing = command.options.find((o) => o.required && !formOnly(o) && args[o.name] === undefined);
    if (missing) return refused('missing_input', messages.missingArgumentReply(command, missing.name));
    if (command.needsKey) {
      const opened = await store.getKey(invocation.identity);
      if (opened.status === 'none') return refused('no_key', messages.noKeyLinkedReply());
      if (opened.status === 'unreadable') return refused('unreadable_key', messages.unreadableKeyReply(opened.reason));
      ctx.linkedKey = { apiKey: opened.apiKey, record: opened.record };
    }
    if (command.confirm && !confirmed(invocation, args)) return command.confirm(ctx, args);
    return undefined;
  }

  /**
   * The person's turn, from a queue every replica shares (the store's clock): a command arriving
   * within the cooldown waits out the rest of it — the platform was acknowledged already, the
   * answer simply comes later — and only a queue deeper than QUEUED_TURNS is refused.
   */
  const turnWaitMs = deadlinesFor(config).turnWaitMs;
  async function waitForTurn(invocation: Invocation, commandLog: Logger): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    if (config.COOLDOWN_SECONDS <= 0) return { ok: true };
    const turn = await store.reserveTurn(`turn:${invocation.identity}`, config.COOLDOWN_SECONDS, turnWaitMs / 1000);
    if (!turn.ok) return { ok: false, retryAfterSeconds: Math.ceil(turn.retryAfterMs / 1000) };
    if (turn.waitMs > 0) {
      commandLog.info({ waitMs: turn.waitMs }, 'waiting for the caller’s turn (cooldown)');
      // Asleep, the command gives its place up (core/admission): others run meanwhile.
      await whileWaiting(sleep(turn.waitMs));
    }
    return { ok: true };
  }

  // Everything a command starts carries its request id (see ops/request-context).
  const run = (invocation: Invocation, messages: Catalogue, command: Command, args: Args) =>
    withRequestId(invocation.requestId, () => runCommand(invocation, messages, command, args));

  async function runCommand(invocation: Invocation, messages: Catalogue, command: Command, args: Args): Promise<CommandResult> {
    const started = performance.now();
    const verb = command.verb.join(' ');
    const commandLog = log.child({ requestId: invocation.requestId, verb, platform: invocation.platform });
    const ctx: Ctx = {
      invocation, messages, config, mail, store, notifier, claims, log: commandLog,
      call: { requestId: invocation.requestId, source: invocation.identity },
      waitForTurn: () => waitForTurn(invocation, commandLog),
    };
    let result: CommandResult;
    try {
      result = (await guard(command, ctx, args)) ?? (await command.run(ctx, args));
    } catch (error) {
      if (error instanceof StorageUnavailableError) {
        commandLog.warn({ err: error }, 'storage unavailable');
        result = { outcome: { kind: 'broken', reason: 'storage_unavailable' }, replies: [messages.storageUnavailableReply(invocation.requestId)] };
      } else {
        commandLog.error({ err: error }, 'command failed');
        result = { outcome: { kind: 'broken', reason: 'internal_error' }, replies: [messages.internalErrorReply(invocation.requestId)] };
      }
    }
    const { replies } = result;
    const durationMs = performance.now() - started;
    commandLog.info({ durationMs: Math.round(durationMs), outcome: result.outcome.kind, tones: replies.map((r) => r.tone) }, 'command done');
    deps.onCommand?.({ platform: invocation.platform, verb, tone: replies[replies.length - 1]?.tone ?? 'none', durationMs });
    return result;
  }

  const showAdminHelp = (invocation: Invocation) => isAdmin(invocation, config);
  const shown = (reply: Reply): CommandResult => ({ outcome: { kind: 'shown' }, replies: [reply] });

  const messagesFor = async (invocation: Invocation) => catalogue(await callerLocale(store, invocation));

  return {
    commands,
    async dispatch(invocation, verb, args) {
      const messages = await messagesFor(invocation);
      const command = findCommand(commands, verb);
      if (!command || command.verb.length !== verb.length) {
        return refused('unknown_command', messages.unknownCommandReply(verb.join(' '), commands, showAdminHelp(invocation)));
      }
      return run(invocation, messages, command, args);
    },
    async dispatchLine(invocation, line) {
      const messages = await messagesFor(invocation);
      const parsed = parseLine(line, commands);
      switch (parsed.kind) {
        case 'empty':
          return shown(messages.helpReply(commands, showAdminHelp(invocation)));
        case 'unknown':
          return refused('unknown_command', messages.unknownCommandReply(parsed.typed, commands, showAdminHelp(invocation)));
        case 'missing':
          return refused('missing_input', messages.missingArgumentReply(parsed.command, parsed.option));
        case 'too_long':
          return refused('invalid_input', messages.argumentTooLongReply(parsed.command, parsed.option, parsed.max));
        case 'bad_boolean':
          return refused('invalid_input', messages.invalidOnOffReply(parsed.command.verb.join(' ')));
        case 'command':
          return run(invocation, messages, parsed.command, parsed.args);
      }
    },
  };
}
