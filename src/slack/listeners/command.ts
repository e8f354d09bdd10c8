/**
 * `/handle <text>`: written down (sealed, in the shared store) and only then acknowledged, so a
 * process killed after the ack leaves it for another replica — or for itself, restarted — to
 * answer (core/intents.ts); Slack never sends an acknowledged command again. The same write is
 * the redelivery check. It waits at most INTENT_WAIT_MS, and not at all while an earlier write is
 * overdue (dedupe.ts: writeThenAck): a slow or stuck store never holds the ack (Slack wants it
 * within 3 s), the command then runs as before, only not durably.
 * A command whose declared inputs are asked in a form (`key set`) opens it with the trigger id;
 * anything else goes to the engine and its replies to the response_url.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { catalogue } from '../../core/messages/index.js';
import { parseLine } from '../../core/parse.js';
import { newRequestId } from '../../core/request-id.js';
import { slackCommandIntent, writeThenAck } from '../dedupe.js';
import { deliverReplies } from '../deliver.js';
import { slackIntentHandler } from '../intent-recovery.js';
import { actorFromCommand, lookUpActor } from '../invocation.js';
import { respondVia } from '../response-url.js';
import { guarded, invocationFor, knownLocale, openFormIfNeeded, type SlackDeps } from './context.js';

export function handleSlashCommand(deps: SlackDeps) {
  const admit = writeThenAck(deps);
  return async ({ ack, body, respond: boltRespond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const { admission } = await admit(slackCommandIntent(body), () => ack());
    const respond = respondVia(body.response_url, deps.deadlines.responseUrlMs) ?? boltRespond;
    const requestId = newRequestId();
    const actor = actorFromCommand(body);
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
  deps.engine.intents.serve('slack', slackIntentHandler(deps));
}
