/**
 * `/handle <text>`: written down (sealed, in the shared store) and only then acknowledged, so a
 * process killed after the ack leaves it for another replica — or for itself, restarted — to
 * answer (core/intents.ts); Slack never sends an acknowledged command again. The same write is
 * the redelivery check. It waits at most INTENT_WAIT_MS, and not at all while an earlier write is
 * overdue: a slow or stuck store never holds the ack (Slack wants it within 3 s), the command
 * then runs as before, only not durably.
 * A command whose declared inputs are asked in a form (`key set`) opens it with the trigger id;
 * anything else goes to the engine and its replies to the response_url.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { catalogue } from '../../core/messages/index.js';
import { parseLine } from '../../core/parse.js';
import { newRequestId } from '../../core/request-id.js';
import { settledWithin } from '../../ops/inflight.js';
import { slackCommandIntent } from '../dedupe.js';
import { deliverReplies } from '../deliver.js';
import { slackIntentHandler } from '../intent-recovery.js';
import { actorFromCommand, lookUpActor } from '../invocation.js';
import { respondVia } from '../response-url.js';
import { guarded, invocationFor, knownLocale, openFormIfNeeded, type SlackDeps } from './context.js';

/** The longest the ack waits for the command to be written down: a third of Slack's 3 s. */
export const INTENT_WAIT_MS = 1000;

/**
 * How long the next ack may wait for its intent: INTENT_WAIT_MS, or nothing while an earlier
 * write is overdue (the store is stuck: a lock held elsewhere, a server that hangs) — then each
 * command would pay the whole wait for nothing, one after the other.
 */
function intentWait(): { waitMs(): number; overdue(write: Promise<unknown>): void } {
  let overdue = 0;
  return {
    waitMs: () => (overdue > 0 ? 0 : INTENT_WAIT_MS),
    overdue(write) {
      overdue += 1;
      void write.finally(() => { overdue -= 1; });
    },
  };
}

export function handleSlashCommand(deps: SlackDeps) {
  const wait = intentWait();
  return async ({ ack, body, respond: boltRespond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const admission = deps.engine.intents.begin(slackCommandIntent(body));
    const waitMs = wait.waitMs();
    const written = waitMs > 0 && (await settledWithin(admission, waitMs));
    if (!written && waitMs > 0) wait.overdue(admission);
    await ack();
    const respond = respondVia(body.response_url, deps.deadlines.responseUrlMs) ?? boltRespond;
    const requestId = newRequestId();
    const actor = actorFromCommand(body);
    if (!written) deps.log.warn({ requestId, waitedMs: waitMs }, 'slack command acknowledged before the store took it (not durable until it does)');
    await guarded(deps, 'command', requestId, actor, (replies) => deliverReplies(respond, replies, deps.log), async () => {
      // Who the person is (their language above all) is asked at once: a cached person costs nothing.
      void lookUpActor(deps.users, client, actor);
      const admitted = await admission;
      if (!admitted.first) return;
      try {
        if (deps.isStopping()) {
          await deliverReplies(respond, [catalogue(await knownLocale(deps, actor)).restartingReply()], deps.log);
          return;
        }
        const parsed = parseLine(body.text, deps.engine.commands);
        if (parsed.kind === 'command') {
          const surface = { kind: 'message', respond, ephemeral: false } as const;
          // A key typed after `key set` went through Slack: it is never stored, and the form says so.
          const typedSecret = parsed.typedSecret !== undefined;
          const form = { command: parsed.command, args: parsed.args, via: 'typed', typedSecret, client, triggerId: body.trigger_id, actor, requestId, surface, botUserId: context.botUserId } as const;
          if (await openFormIfNeeded(deps, form)) return;
        }
        const invocation = await invocationFor(deps, client, actor, requestId, context.botUserId);
        await deliverReplies(respond, (await deps.engine.dispatchLine(invocation, body.text)).replies, deps.log);
      } finally {
        // Answered (or apologised for, just after): nobody needs to run it again.
        await admitted.finish();
      }
    });
  };
}

export function registerCommandListeners(app: App, deps: SlackDeps): void {
  app.command(/^\/.+/, handleSlashCommand(deps));
  // Commands a stopped replica acknowledged and left unanswered are answered from here.
  deps.engine.intents.serve('slack', slackIntentHandler(app, deps));
}
