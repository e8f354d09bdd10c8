/**
 * Answering the slash commands and button presses a stopped replica acknowledged and left
 * unanswered (taken over by core/intents.ts): run again as the person who typed or pressed them,
 * with a new request id, and answered where they were (a response_url lives 30 minutes; a press
 * in App Home gets a fresh Home tab), the first private reply saying that the bot restarted
 * meanwhile. A create the stopped replica had already sent is found by
 * the write-ahead ledger and answered as "taken — may be yours".
 */
import type { webApi } from '@slack/bolt';
import type { IntentHandler, RecoveredCommand } from '../core/intents.js';
import { withRecoveryNotice } from '../core/intents.js';
import { catalogue } from '../core/messages/index.js';
import type { Reply } from '../core/types.js';
import { deliverReplies } from './deliver.js';
import { actorFromCommand } from './invocation.js';
import { runPress } from './listeners/action.js';
import { answer, guarded, invocationFor, knownLocale, type SlackDeps, type Surface } from './listeners/context.js';
import { respondVia } from './response-url.js';

/** What the person typed, as they typed it: `/handle create alice`. */
function typed(command: RecoveredCommand): string {
  return `${command.context.command ?? '/handle'} ${command.text}`.trim();
}

export function slackIntentHandler(deps: SlackDeps): IntentHandler {
  async function recover(command: RecoveredCommand): Promise<void> {
    const { requestId, context } = command;
    const actor = actorFromCommand(context);
    const respond = respondVia(context.response_url, deps.deadlines.responseUrlMs);
    // A press is answered where it happened (its message, or App Home); a typed command on its response_url.
    const surface: Surface = context.in_home === 'true' ? { kind: 'home' } : { kind: 'message', respond, ephemeral: context.ephemeral === 'true' };
    let client: webApi.WebClient | undefined;
    const reply = (replies: Reply[]) => (client ? answer(deps, surface, client, actor, requestId, replies) : deliverReplies(respond, replies, deps.log));
    await guarded(deps, 'recovered command', requestId, actor, reply, async () => {
      client = await deps.workspaceClient(actor.teamId);
      const invocation = await invocationFor(deps, client, actor, requestId, undefined);
      // A press's form (if it needed one) cannot open any more (its trigger id is long gone): the engine answers without it.
      const replies = context.kind === 'action'
        ? await runPress(deps, invocation, { value: context.value, action_id: context.action_id ?? '' })
        : (await deps.engine.dispatchLine(invocation, command.text)).replies;
      await reply(withRecoveryNotice(replies, catalogue(invocation.locale).recoveredNotice(typed(command))));
    });
  }

  return {
    accepting: () => !deps.isStopping(),
    // Tracked like any delivery, so a graceful stop waits for it.
    recover: (command) => deps.inflight.track(recover(command)),
    async abandon(command) {
      const actor = actorFromCommand(command.context);
      const locale = await knownLocale(deps, actor).catch(() => undefined);
      await deliverReplies(respondVia(command.context.response_url, deps.deadlines.responseUrlMs), [catalogue(locale).recoveryAbandonedReply(typed(command))], deps.log);
    },
  };
}
